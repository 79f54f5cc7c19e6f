// detector::hashed_dropout: the share kept, the scale, seeding through torch's generator, the same
// mask in backward (against autograd's view of it and finite differences), and thread independence.
#include "detector/dropout.h"

#include <gtest/gtest.h>
#include <torch/autograd.h>
#include <torch/utils.h>

namespace bugseek::detector {
namespace {

TEST(Dropout, KeepsAboutOneMinusPAndScalesTheRest) {
  torch::manual_seed(1);
  auto x = at::rand({200, 500}) + 0.5;  // no zeros, so a zero output means dropped
  auto y = hashed_dropout(x, 0.3, true);
  auto kept = y != 0;
  const double share = kept.to(at::kDouble).mean().item<double>();
  EXPECT_NEAR(share, 0.7, 0.01);  // 100,000 draws: the standard deviation is 0.0015
  EXPECT_TRUE(at::allclose(y.masked_select(kept), x.masked_select(kept) / 0.7, 1e-6, 1e-6));
  // Neighbouring elements are not dropped together (four draws share one hash).
  auto row = kept[0].to(at::kFloat);
  const double together =
      (row.slice(0, 1) == row.slice(0, 0, -1)).to(at::kDouble).mean().item<double>();
  EXPECT_NEAR(together, 0.7 * 0.7 + 0.3 * 0.3, 0.06);
}

TEST(Dropout, TheTorchSeedFixesTheMask) {
  auto x = at::ones({1000});
  torch::manual_seed(7);
  auto a = hashed_dropout(x, 0.5, true);
  auto b = hashed_dropout(x, 0.5, true);  // the generator moved on: another mask
  torch::manual_seed(7);
  auto c = hashed_dropout(x, 0.5, true);
  EXPECT_TRUE(at::equal(a, c));
  EXPECT_FALSE(at::equal(a, b));
}

TEST(Dropout, EvalModeAndZeroProbabilityReturnTheInput) {
  auto x = at::randn({10, 3});
  EXPECT_TRUE(hashed_dropout(x, 0.5, false).is_same(x));
  EXPECT_TRUE(hashed_dropout(x, 0.0, true).is_same(x));
  EXPECT_EQ(hashed_dropout(x, 1.0, true).abs().sum().item<float>(), 0.0f);
}

TEST(Dropout, BackwardUsesTheForwardMask) {
  torch::manual_seed(3);
  auto x = (at::rand({64, 33}, at::kDouble) + 0.5).requires_grad_(true);
  auto weight = at::randn({64, 33}, at::kDouble);
  const uint64_t state_seed = 11;
  torch::manual_seed(state_seed);
  auto y = hashed_dropout(x, 0.25, true);
  (y * weight).sum().backward();
  // The function is linear in x for a fixed mask: the gradient is weight * y / x exactly where
  // kept, and a central difference under the same seed gives the same.
  auto expected = weight * (y.detach() / x.detach());
  EXPECT_TRUE(at::allclose(x.grad(), expected, 1e-12, 1e-12));
  torch::NoGradGuard no_grad;
  const double eps = 1e-6;
  auto xs = x.detach().clone();
  for (int64_t i : {0, 5, 100, 2000}) {
    auto flat = xs.view({-1});
    const double v = flat[i].item<double>();
    flat[i] = v + eps;
    torch::manual_seed(state_seed);
    const double up = (hashed_dropout(xs, 0.25, true) * weight).sum().item<double>();
    flat[i] = v - eps;
    torch::manual_seed(state_seed);
    const double down = (hashed_dropout(xs, 0.25, true) * weight).sum().item<double>();
    flat[i] = v;
    EXPECT_NEAR((up - down) / (2 * eps), x.grad().view({-1})[i].item<double>(), 1e-6) << i;
  }
}

TEST(Dropout, TwoThreadsDrawTheSameMaskAsOne) {
  auto x = at::ones({300, 1001});
  const int before = at::get_num_threads();
  at::set_num_threads(1);
  torch::manual_seed(5);
  auto one = hashed_dropout(x, 0.1, true);
  at::set_num_threads(2);
  torch::manual_seed(5);
  auto two = hashed_dropout(x, 0.1, true);
  at::set_num_threads(before);
  EXPECT_TRUE(at::equal(one, two));
}

}  // namespace
}  // namespace bugseek::detector
