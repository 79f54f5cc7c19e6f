// The twin ranking loss (train --pair-loss-weight): for each buggy graph whose clean twin is in
// the same batch, softplus(-(log p_buggy(bug site) - log p_clean(same site))). The usual losses
// can be met by pointing at places where bugs are often planted, whatever the token there; this
// one is met only when the buggy token itself raises the site's probability.
#pragma once

#include <ATen/core/Tensor.h>

#include <vector>

#include "data/batch.h"
#include "train/phases.h"

namespace bugseek::train {

struct TwinLoss {
  at::Tensor loss;          // [] mean over twins, with autograd history; undefined if no twins
  double value = 0;         // loss as a number
  double ordered = 0;       // share of twins with the bug site more likely in the buggy graph
  int count = 0;
};

// `site_logp` is the detector's [S] log p(site) over `batch`'s sites (ForwardOutput::site_logp).
TwinLoss twin_ranking_loss(const at::Tensor& site_logp, const data::Batch& batch,
                           const std::vector<Twins>& twins);

}  // namespace bugseek::train
