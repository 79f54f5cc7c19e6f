#include "train/twin_loss.h"

#include <ATen/ATen.h>

#include <cstdint>

namespace bugseek::train {

TwinLoss twin_ranking_loss(const at::Tensor& site_logp, const data::Batch& batch,
                           const std::vector<Twins>& twins) {
  TwinLoss out;
  std::vector<int64_t> buggy_site, clean_site;
  for (const Twins& t : twins) {
    const int32_t target = batch.target_site[static_cast<size_t>(t.buggy_graph)];
    if (target < 0) continue;
    buggy_site.push_back(target);
    clean_site.push_back(batch.site_offsets[static_cast<size_t>(t.clean_graph)] + t.clean_site);
  }
  if (buggy_site.empty()) return out;
  auto index = [&](const std::vector<int64_t>& v) {
    return at::tensor(at::ArrayRef<int64_t>(v), at::kLong).to(site_logp.device());
  };
  const at::Tensor margin =
      site_logp.index_select(0, index(buggy_site)) - site_logp.index_select(0, index(clean_site));
  out.loss = at::softplus(-margin).mean();
  out.value = out.loss.item<double>();
  out.ordered = (margin > 0).to(at::kFloat).mean().item<double>();
  out.count = static_cast<int>(buggy_site.size());
  return out;
}

}  // namespace bugseek::train
