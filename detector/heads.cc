// Heads, loss, metrics and ranking.
#include "detector/heads.h"

#include <algorithm>
#include <cmath>

#include "detector/cpu_gemm.h"
#include "detector/segment_ops.h"
#include "parser/rewrites.h"

namespace bugseek::detector {
namespace {

std::vector<float> to_vector(const at::Tensor& t) {
  auto c = t.detach().to(at::kCPU, at::kFloat).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// Candidates grouped by (offset) site: cand_begin[s]..cand_begin[s+1] index into `order`.
struct SiteCandidates {
  std::vector<int32_t> begin;
  std::vector<int32_t> order;
};

SiteCandidates group_candidates(const data::Batch& b) {
  SiteCandidates g;
  g.begin.assign(b.site_node.size() + 1, 0);
  for (int32_t s : b.cand_site) ++g.begin[static_cast<size_t>(s) + 1];
  for (size_t s = 0; s + 1 < g.begin.size(); ++s) g.begin[s + 1] += g.begin[s];
  g.order.resize(b.cand_site.size());
  std::vector<int32_t> fill(g.begin.begin(), g.begin.end() - 1);
  for (size_t c = 0; c < b.cand_site.size(); ++c) {
    g.order[static_cast<size_t>(fill[static_cast<size_t>(b.cand_site[c])]++)] = static_cast<int32_t>(c);
  }
  return g;
}

}  // namespace

HeadsImpl::HeadsImpl(const DetectorConfig& c) {
  using torch::nn::Linear;
  const int h = c.hidden;
  site_kind = register_module("site_kind", torch::nn::Embedding(parser::kNumBugKinds, h));
  loc_hidden = register_module("loc_hidden", Linear(h, h));
  loc_out = register_module("loc_out", Linear(h, 1));
  no_bug_hidden = register_module("no_bug_hidden", Linear(2 * h, h));
  no_bug_out = register_module("no_bug_out", Linear(h, 1));
  repair_query = register_module("repair_query", Linear(h, h));
  text_embedding = register_module("text_embedding", torch::nn::Embedding(c.text_vocab, h));
  text_bias = register_module("text_bias", torch::nn::Embedding(c.text_vocab, 1));
  // No biases where every candidate of a softmax shares them: they would get no gradient.
  symbol_key = register_module("symbol_key", Linear(torch::nn::LinearOptions(h, h).bias(false)));
  swap_hidden = register_module("swap_hidden", Linear(3 * h, h));
  swap_out = register_module("swap_out", Linear(torch::nn::LinearOptions(h, 1).bias(false)));
  // Start near uniform predictions (the doctor checks the initial loss against log(#choices)):
  // small output layers, no text bias. Not zero, so every layer below still gets a gradient.
  at::NoGradGuard no_grad;
  for (auto* out : {&loc_out, &no_bug_out, &swap_out}) (*out)->weight.mul_(0.1);
  text_bias->weight.zero_();
}

Scores HeadsImpl::forward(const at::Tensor& h, const BatchTensors& b,
                          std::vector<std::pair<std::string, at::Tensor>>* taps) {
  auto tap = [taps](const char* name, const at::Tensor& t) {
    if (taps != nullptr) taps->emplace_back(name, t);
    return t;
  };
  // oneDNN's products (cpu_gemm.h), with or without gradients.
  auto linear = [](const torch::nn::Linear& layer, const at::Tensor& x) {
    return detector::linear(x, layer->weight, layer->bias);
  };
  const int64_t g = b.num_graphs;
  Scores out;

  // Localization over sites + NO_BUG, one softmax per graph.
  auto site_in = h.index_select(0, b.site_node) + site_kind->forward(b.site_kind);  // [S, H]
  auto site_score =
      linear(loc_out, tap("heads.loc_hidden", at::gelu(linear(loc_hidden, site_in)))).squeeze(1);
  auto count = segment_sum(at::ones({h.size(0), 1}, h.options()), b.node_graph, g);  // [G, 1]
  auto pooled = at::cat({segment_max(h, b.node_graph, g),
                         segment_sum(h, b.node_graph, g) / count.clamp_min(1)}, 1);  // [G, 2H]
  auto no_bug_score =
      linear(no_bug_out, tap("heads.no_bug_hidden", at::gelu(linear(no_bug_hidden, pooled))))
          .squeeze(1);
  auto segment = at::cat({b.site_graph, at::arange(g, b.site_graph.options())});
  auto loc = segment_log_softmax(at::cat({site_score, no_bug_score}), segment, g);
  out.site_logp = loc.slice(0, 0, b.num_sites);
  out.no_bug_logp = loc.slice(0, b.num_sites);

  // Repair: each kind scored on its own, then put back in candidate order.
  // Dot-product scores are scaled by 1/sqrt(H), as in attention, so they start small.
  auto query = linear(repair_query, site_in) / std::sqrt(static_cast<double>(h.size(1)));  // [S, H]
  std::vector<at::Tensor> parts;
  if (b.text_cand.numel() > 0) {
    auto q = query.index_select(0, b.cand_site.index_select(0, b.text_cand));
    parts.push_back((q * text_embedding->forward(b.text_id)).sum(1) +
                    text_bias->forward(b.text_id).squeeze(1));
  }
  if (b.symbol_cand.numel() > 0) {
    auto q = query.index_select(0, b.cand_site.index_select(0, b.symbol_cand));
    auto key = linear(symbol_key, h.index_select(0, b.symbol_node));
    parts.push_back((q * key).sum(1));
  }
  if (b.swap_cand.numel() > 0) {
    auto q = query.index_select(0, b.cand_site.index_select(0, b.swap_cand));
    auto in = at::cat({q, h.index_select(0, b.swap_first), h.index_select(0, b.swap_second)}, 1);
    parts.push_back(
        linear(swap_out, tap("heads.swap_hidden", at::gelu(linear(swap_hidden, in)))).squeeze(1));
  }
  if (parts.empty()) {
    out.cand_logp = at::zeros({0}, h.options());
  } else {
    auto cand_score = at::cat(parts).index_select(0, b.cand_order);  // [C]
    out.cand_logp = segment_log_softmax(cand_score, b.cand_site, b.num_sites);
  }
  return out;
}

LossTensors compute_loss(const Scores& s, const data::Batch& b, const at::Device& device) {
  const auto num_sites = static_cast<int64_t>(b.site_node.size());
  const auto num_cands = static_cast<int64_t>(b.cand_site.size());
  std::vector<int64_t> loc_target(static_cast<size_t>(b.num_graphs));
  std::vector<int64_t> cand_target(static_cast<size_t>(b.num_graphs));
  for (int32_t g = 0; g < b.num_graphs; ++g) {
    loc_target[g] = b.target_site[g] >= 0 ? b.target_site[g] : num_sites + g;
    cand_target[g] = b.target_site[g] >= 0 ? b.target_cand[g] : num_cands;  // -> appended 0
  }
  auto as_tensor = [&](const std::vector<int64_t>& v) {
    return at::tensor(at::ArrayRef<int64_t>(v), at::kLong).to(device);
  };
  LossTensors l;
  l.loc_logp = at::cat({s.site_logp, s.no_bug_logp}).index_select(0, as_tensor(loc_target));
  l.repair_logp = at::cat({s.cand_logp, at::zeros({1}, s.no_bug_logp.options())})
                      .index_select(0, as_tensor(cand_target));
  l.log_prob_correct = l.loc_logp + l.repair_logp;
  l.per_sample = -l.log_prob_correct;
  l.loss = l.per_sample.mean();
  return l;
}

LossOutput summarize(const Scores& s, const LossTensors& l, const data::Batch& b) {
  LossOutput m;
  m.num_graphs = b.num_graphs;
  m.per_sample_loss = to_vector(l.per_sample);
  m.log_prob_correct = to_vector(l.log_prob_correct);
  const auto loc_lp = to_vector(l.loc_logp);
  const auto rep_lp = to_vector(l.repair_logp);
  const auto site_lp = to_vector(s.site_logp);
  const auto no_bug_lp = to_vector(s.no_bug_logp);
  const auto cand_lp = to_vector(s.cand_logp);
  const SiteCandidates groups = group_candidates(b);
  // Best candidate at site s, or -1 if it has none.
  auto best_candidate = [&](int32_t site) {
    int32_t best = -1;
    for (int32_t i = groups.begin[site]; i < groups.begin[site + 1]; ++i) {
      const int32_t c = groups.order[i];
      if (best < 0 || cand_lp[c] > cand_lp[best]) best = c;
    }
    return best;
  };
  int loc_ok = 0, rep_ok = 0, joint_ok = 0, no_bug_ok = 0;
  double loc_nll = 0, rep_nll = 0;
  for (int32_t g = 0; g < b.num_graphs; ++g) {
    int32_t predicted = -1;  // -1 = NO_BUG; ties go to NO_BUG
    float best = no_bug_lp[g];
    for (int32_t site = b.site_offsets[g]; site < b.site_offsets[g + 1]; ++site) {
      if (site_lp[site] > best) {
        best = site_lp[site];
        predicted = site;
      }
    }
    const int32_t target = b.target_site[g];
    const bool loc = predicted == target;
    loc_nll -= loc_lp[g];
    if (target < 0) {
      no_bug_ok += loc;
    } else {
      ++m.num_buggy;
      loc_ok += loc;
      rep_nll -= rep_lp[g];
      const bool rep = best_candidate(target) == b.target_cand[g];
      rep_ok += rep;
      joint_ok += loc && rep;
    }
  }
  const double n = std::max(1, b.num_graphs);
  double total = 0;
  for (float x : m.per_sample_loss) total += x;
  m.loss = total / n;
  m.loc_loss = loc_nll / n;
  m.repair_loss = m.num_buggy > 0 ? rep_nll / m.num_buggy : 0.0;
  const int num_clean = b.num_graphs - m.num_buggy;
  auto rate = [](int ok, int total) { return total > 0 ? static_cast<double>(ok) / total : 0.0; };
  m.no_bug_acc = rate(no_bug_ok, num_clean);
  m.loc_acc = rate(loc_ok, m.num_buggy);
  m.repair_acc = rate(rep_ok, m.num_buggy);
  m.joint_acc = rate(joint_ok, m.num_buggy);
  m.overall_acc = rate(no_bug_ok + joint_ok, b.num_graphs);
  return m;
}

std::vector<GraphPrediction> rank_proposals(const Scores& s, const data::Batch& b, int top_k) {
  const auto site_lp = to_vector(s.site_logp);
  const auto no_bug_lp = to_vector(s.no_bug_logp);
  const auto cand_lp = to_vector(s.cand_logp);
  const SiteCandidates groups = group_candidates(b);
  std::vector<GraphPrediction> out(static_cast<size_t>(b.num_graphs));
  int32_t cand_offset = 0;  // candidates are appended graph after graph
  for (int32_t g = 0; g < b.num_graphs; ++g) {
    GraphPrediction& p = out[g];
    p.p_no_bug = std::exp(no_bug_lp[g]);
    int32_t num_cands = 0;
    for (int32_t site = b.site_offsets[g]; site < b.site_offsets[g + 1]; ++site) {
      for (int32_t i = groups.begin[site]; i < groups.begin[site + 1]; ++i) {
        const int32_t c = groups.order[i];
        p.proposals.push_back({site - b.site_offsets[g], c - cand_offset,
                               std::exp(site_lp[site] + cand_lp[c])});
        ++num_cands;
      }
    }
    cand_offset += num_cands;
    std::stable_sort(p.proposals.begin(), p.proposals.end(),
                     [](const Proposal& x, const Proposal& y) { return x.probability > y.probability; });
    if (top_k > 0 && p.proposals.size() > static_cast<size_t>(top_k)) p.proposals.resize(top_k);
  }
  return out;
}

}  // namespace bugseek::detector
