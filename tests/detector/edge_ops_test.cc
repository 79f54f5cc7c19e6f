// The message-passing kernels of detector/edge_ops.h against the ATen reference ops they replace
// (index_select, index_add, scatter_reduce, per-relation addmm) and against central finite
// differences in double precision, on small random graphs with empty segments, isolated nodes,
// ties and no edges at all.
#include "detector/edge_ops.h"

#include <gtest/gtest.h>
#include <torch/autograd.h>
#include <torch/utils.h>

#include <functional>
#include <random>
#include <vector>

#include "detector/cpu_gemm.h"
#include "detector/segment_ops.h"

namespace bugseek::detector {
namespace {

// `rows` segment ids in [0, segments); segments listed in `skip` get no row (empty segments,
// isolated nodes).
std::vector<int64_t> random_segments(int64_t rows, int64_t segments, uint64_t seed,
                                     const std::vector<int64_t>& skip = {}) {
  std::mt19937_64 rng(seed);
  std::vector<int64_t> out;
  while (static_cast<int64_t>(out.size()) < rows) {
    const auto s = static_cast<int64_t>(rng() % static_cast<uint64_t>(segments));
    if (std::find(skip.begin(), skip.end(), s) == skip.end()) out.push_back(s);
  }
  return out;
}

at::Tensor count_per_segment(const Csr& csr) {
  const int64_t s = csr.num_segments();
  return (csr.ptr.slice(0, 1) - csr.ptr.slice(0, 0, s)).unsqueeze(1);  // [S, 1] int64
}

at::Tensor reference_reduce(const at::Tensor& x, const Csr& csr, SegmentReduce reduce) {
  const int64_t s = csr.num_segments();
  if (reduce == SegmentReduce::kMax) return segment_max(x, csr.segment, s);
  auto sum = at::zeros({s, x.size(1)}, x.options()).index_add(0, csr.segment, x);
  if (reduce == SegmentReduce::kSum) return sum;
  return sum / count_per_segment(csr).to(x.scalar_type()).clamp_min(1);
}

// d/dx of sum(f(x) * weight) by autograd, x a fresh leaf copy of `x`.
at::Tensor autograd_grad(const std::function<at::Tensor(const at::Tensor&)>& f, const at::Tensor& x,
                         const at::Tensor& weight) {
  auto leaf = x.detach().clone().requires_grad_(true);
  auto out = f(leaf);
  (out * weight).sum().backward();
  return leaf.grad();
}

// The same derivative by central differences, element by element (double precision).
at::Tensor numeric_grad(const std::function<at::Tensor(const at::Tensor&)>& f, const at::Tensor& x,
                        const at::Tensor& weight, double eps = 1e-6) {
  torch::NoGradGuard no_grad;
  auto probe = x.detach().clone();
  auto grad = at::zeros_like(probe);
  auto flat = probe.view({-1});
  auto gflat = grad.view({-1});
  for (int64_t i = 0; i < flat.size(0); ++i) {
    const double v = flat[i].item<double>();
    flat[i] = v + eps;
    const double up = (f(probe) * weight).sum().item<double>();
    flat[i] = v - eps;
    const double down = (f(probe) * weight).sum().item<double>();
    flat[i] = v;
    gflat[i] = (up - down) / (2 * eps);
  }
  return grad;
}

at::TensorOptions f64() { return at::TensorOptions().dtype(at::kDouble); }

TEST(MakeCsr, GroupsRowsStablyBySegment) {
  const std::vector<int64_t> seg = {3, 0, 3, 1, 0, 3};
  const Csr csr = make_csr(seg, 5);  // segments 2 and 4 empty
  EXPECT_EQ(std::vector<int64_t>(csr.ptr.data_ptr<int64_t>(), csr.ptr.data_ptr<int64_t>() + 6),
            (std::vector<int64_t>{0, 2, 3, 3, 6, 6}));
  EXPECT_EQ(std::vector<int64_t>(csr.order.data_ptr<int64_t>(), csr.order.data_ptr<int64_t>() + 6),
            (std::vector<int64_t>{1, 4, 3, 0, 2, 5}));
  EXPECT_EQ(csr.num_segments(), 5);
  const Csr none = make_csr({}, 3);
  EXPECT_EQ(none.order.size(0), 0);
  EXPECT_EQ(none.ptr.sum().item<int64_t>(), 0);
}

TEST(GatherRows, ForwardAndGradientEqualIndexSelect) {
  torch::manual_seed(5);
  // Nodes 2 and 7 are never gathered (isolated): they must get exactly zero gradient.
  const Csr by_index = make_csr(random_segments(60, 9, 1, {2, 7}), 9);
  auto x = at::randn({9, 5});
  auto weight = at::randn({60, 5});
  auto fast = [&](const at::Tensor& t) { return gather_rows(t, by_index); };
  auto ref = [&](const at::Tensor& t) { return t.index_select(0, by_index.segment); };
  EXPECT_TRUE(at::equal(fast(x), ref(x)));
  auto g = autograd_grad(fast, x, weight);
  EXPECT_TRUE(at::allclose(g, autograd_grad(ref, x, weight), 1e-6, 1e-6));
  EXPECT_EQ(g[2].abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(g[7].abs().sum().item<float>(), 0.0f);
}

TEST(GatherRows, GradientMatchesFiniteDifferences) {
  torch::manual_seed(6);
  const Csr by_index = make_csr(random_segments(25, 6, 2, {4}), 6);
  auto x = at::randn({6, 3}, f64());
  auto weight = at::randn({25, 3}, f64());
  auto f = [&](const at::Tensor& t) { return gather_rows(t, by_index); };
  EXPECT_TRUE(at::allclose(autograd_grad(f, x, weight), numeric_grad(f, x, weight), 1e-6, 1e-7));
}

class SegmentReduceTest : public ::testing::TestWithParam<SegmentReduce> {};

TEST_P(SegmentReduceTest, ForwardAndGradientEqualTheReference) {
  torch::manual_seed(7);
  // 12 segments, 3 of them empty; continuous values, so no ties.
  const Csr csr = make_csr(random_segments(70, 12, 3, {0, 5, 11}), 12);
  auto x = at::randn({70, 6});
  auto weight = at::randn({12, 6});
  auto fast = [&](const at::Tensor& t) { return segment_reduce(t, csr, GetParam()); };
  auto ref = [&](const at::Tensor& t) { return reference_reduce(t, csr, GetParam()); };
  const auto out = fast(x);
  // Sums run in row order, as index_add's do: equal bit for bit, not just close.
  EXPECT_TRUE(at::equal(out, ref(x))) << (out - ref(x)).abs().max();
  for (int64_t s : {0, 5, 11}) EXPECT_EQ(out[s].abs().sum().item<float>(), 0.0f) << s;
  EXPECT_TRUE(
      at::allclose(autograd_grad(fast, x, weight), autograd_grad(ref, x, weight), 1e-6, 1e-6));
  // Without autograd the result is the same.
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(at::equal(fast(x), out));
}

TEST_P(SegmentReduceTest, GradientMatchesFiniteDifferences) {
  torch::manual_seed(8);
  const Csr csr = make_csr(random_segments(30, 7, 4, {3}), 7);
  auto x = at::randn({30, 4}, f64());
  auto weight = at::randn({7, 4}, f64());
  auto f = [&](const at::Tensor& t) { return segment_reduce(t, csr, GetParam()); };
  EXPECT_TRUE(at::allclose(autograd_grad(f, x, weight), numeric_grad(f, x, weight), 1e-6, 1e-7));
}

TEST_P(SegmentReduceTest, NoRowsGivesZerosAndEmptyGradients) {
  const Csr csr = make_csr({}, 4);
  auto x = at::zeros({0, 3}).requires_grad_(true);
  auto out = segment_reduce(x, csr, GetParam());
  ASSERT_EQ(out.sizes(), at::IntArrayRef({4, 3}));
  EXPECT_EQ(out.abs().sum().item<float>(), 0.0f);
  (out * at::randn({4, 3})).sum().backward();
  ASSERT_TRUE(x.grad().defined());
  EXPECT_EQ(x.grad().sizes(), at::IntArrayRef({0, 3}));
}

INSTANTIATE_TEST_SUITE_P(Reductions, SegmentReduceTest,
                         ::testing::Values(SegmentReduce::kSum, SegmentReduce::kMean,
                                           SegmentReduce::kMax));

TEST(SegmentMax, TiesSendTheGradientToTheFirstTiedRowOnly) {
  torch::manual_seed(9);
  // Few distinct values: many ties within segments. Segment 4 is empty.
  const Csr csr = make_csr(random_segments(80, 6, 5, {4}), 6);
  auto x = at::randint(0, 3, {80, 5}).to(at::kFloat).requires_grad_(true);
  auto weight = at::randn({6, 5});
  auto out = segment_reduce(x, csr, SegmentReduce::kMax);
  {
    torch::NoGradGuard no_grad;  // segment_max's differentiable form rounds tied values
    EXPECT_TRUE(at::equal(out, segment_max(x.detach(), csr.segment, 6)));
  }
  (out * weight).sum().backward();
  const auto grad = x.grad();
  for (int64_t s = 0; s < 6; ++s) {
    const int64_t begin = csr.ptr[s].item<int64_t>(), end = csr.ptr[s + 1].item<int64_t>();
    for (int64_t j = 0; j < 5; ++j) {
      int64_t receivers = 0, first_max = -1;
      double total = 0;
      for (int64_t k = begin; k < end; ++k) {
        const int64_t r = csr.order[k].item<int64_t>();
        const float g = grad[r][j].item<float>();
        if (first_max < 0 && x[r][j].item<float>() == out[s][j].item<float>()) first_max = r;
        if (g != 0) {
          ++receivers;
          EXPECT_EQ(r, first_max) << "segment " << s << " column " << j;
        }
        total += g;
      }
      if (begin == end) continue;
      EXPECT_EQ(receivers, weight[s][j].item<float>() != 0 ? 1 : 0) << s << "," << j;
      EXPECT_FLOAT_EQ(static_cast<float>(total), weight[s][j].item<float>()) << s << "," << j;
    }
  }
  // The whole upstream gradient arrives, except the empty segment's.
  EXPECT_NEAR(grad.sum().item<float>(), weight.sum().item<float>() - weight[4].sum().item<float>(),
              1e-4);
}

TEST(SegmentMax, NanPropagatesLikeMax) {
  auto x = at::tensor({1.0f, NAN, 3.0f, 2.0f}).view({4, 1});
  const Csr csr = make_csr({0, 0, 0, 1}, 2);
  auto out = segment_reduce(x, csr, SegmentReduce::kMax);
  EXPECT_TRUE(std::isnan(out[0][0].item<float>()));
  EXPECT_EQ(out[1][0].item<float>(), 2.0f);
}

TEST(SegmentMatmul, ForwardAndGradientsEqualPerRelationAddmm) {
  torch::manual_seed(10);
  const std::vector<int64_t> offsets = {0, 7, 7, 19, 30};  // relation 1 has no rows
  auto x = at::randn({30, 6});
  auto w = at::randn({4, 6, 5});
  auto b = at::randn({4, 5});
  auto upstream = at::randn({30, 5});
  auto reference = [&](const at::Tensor& xx, const at::Tensor& ww, const at::Tensor& bb) {
    std::vector<at::Tensor> parts;
    for (int64_t r = 0; r < 4; ++r) {
      parts.push_back(
          at::addmm(bb[r], xx.narrow(0, offsets[r], offsets[r + 1] - offsets[r]), ww[r]));
    }
    return at::cat(parts, 0);
  };
  std::vector<at::Tensor> grads[2];
  for (int variant = 0; variant < 2; ++variant) {
    auto xx = x.clone().requires_grad_(true), ww = w.clone().requires_grad_(true),
         bb = b.clone().requires_grad_(true);
    auto out = variant == 0 ? segment_matmul(xx, ww, bb, offsets) : reference(xx, ww, bb);
    (out * upstream).sum().backward();
    grads[variant] = {out.detach(), xx.grad(), ww.grad(), bb.grad()};
  }
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(at::allclose(grads[0][i], grads[1][i], 1e-5, 1e-5)) << i;
  }
  EXPECT_EQ(grads[0][2][1].abs().sum().item<float>(), 0.0f);  // the empty relation's weight
  EXPECT_EQ(grads[0][3][1].abs().sum().item<float>(), 0.0f);
  EXPECT_THROW(segment_matmul(x, w, b, {0, 7, 30}), c10::Error);
}

TEST(SegmentMatmul, WithoutGradientEqualsPerRelationAddmm) {
  // oneDNN's products: equal to at::addmm up to rounding; with oneDNN off, bit for bit.
  at::NoGradGuard no_grad;
  torch::manual_seed(14);
  const std::vector<int64_t> offsets = {0, 70, 70, 133, 200};
  auto x = at::randn({200, 32}), w = at::randn({4, 32, 24}), b = at::randn({4, 24});
  const bool before = onednn_gemm_enabled();
  for (bool onednn : {true, false}) {
    set_onednn_gemm(onednn);
    const auto out = segment_matmul(x, w, b, offsets);
    for (int64_t r = 0; r < 4; ++r) {
      const int64_t len = offsets[r + 1] - offsets[r];
      const auto want = at::addmm(b[r], x.narrow(0, offsets[r], len), w[r]);
      const auto got = out.narrow(0, offsets[r], len);
      EXPECT_TRUE(onednn ? at::allclose(got, want, 1e-5, 1e-5) : at::equal(got, want)) << r;
    }
  }
  set_onednn_gemm(before);
}

TEST(SegmentMatmul, GradientsMatchFiniteDifferences) {
  torch::manual_seed(11);
  const std::vector<int64_t> offsets = {0, 3, 3, 8};
  auto x = at::randn({8, 3}, f64());
  auto w = at::randn({3, 3, 2}, f64());
  auto b = at::randn({3, 2}, f64());
  auto weight = at::randn({8, 2}, f64());
  auto of_x = [&](const at::Tensor& t) { return segment_matmul(t, w, b, offsets); };
  auto of_w = [&](const at::Tensor& t) { return segment_matmul(x, t, b, offsets); };
  auto of_b = [&](const at::Tensor& t) { return segment_matmul(x, w, t, offsets); };
  EXPECT_TRUE(
      at::allclose(autograd_grad(of_x, x, weight), numeric_grad(of_x, x, weight), 1e-6, 1e-7));
  EXPECT_TRUE(
      at::allclose(autograd_grad(of_w, w, weight), numeric_grad(of_w, w, weight), 1e-6, 1e-7));
  EXPECT_TRUE(
      at::allclose(autograd_grad(of_b, b, weight), numeric_grad(of_b, b, weight), 1e-6, 1e-7));
}

TEST(EdgeOps, ComposedMessagePassingMatchesFiniteDifferences) {
  // gather -> per-relation transform -> max at destinations, as a GNN layer runs them; node 4 is
  // isolated, node 0 receives nothing.
  torch::manual_seed(12);
  const auto src = random_segments(20, 6, 6, {4});
  const auto dst = random_segments(20, 6, 7, {0, 4});
  const Csr by_src = make_csr(src, 6), by_dst = make_csr(dst, 6);
  const std::vector<int64_t> offsets = {0, 9, 20};
  auto h = at::randn({6, 3}, f64());
  auto w = at::randn({2, 3, 3}, f64());
  auto b = at::randn({2, 3}, f64());
  auto weight = at::randn({6, 3}, f64());
  auto f = [&](const at::Tensor& t) {
    return segment_reduce(segment_matmul(gather_rows(t, by_src), w, b, offsets), by_dst,
                          SegmentReduce::kMax);
  };
  const auto grad = autograd_grad(f, h, weight);
  EXPECT_TRUE(at::allclose(grad, numeric_grad(f, h, weight), 1e-6, 1e-7));
  EXPECT_EQ(grad[4].abs().sum().item<double>(), 0.0);
}

TEST(EdgeOps, TwoThreadsGiveTheSameResultsAsOne) {
  torch::manual_seed(13);
  const Csr csr = make_csr(random_segments(5000, 300, 8, {7}), 300);
  auto x = at::randint(0, 4, {5000, 64}).to(at::kFloat);  // ties
  auto weight = at::randn({300, 64});
  const int before = at::get_num_threads();
  std::vector<at::Tensor> results[2];
  for (int threads : {1, 2}) {
    at::set_num_threads(threads);
    for (auto reduce : {SegmentReduce::kSum, SegmentReduce::kMax}) {
      auto f = [&](const at::Tensor& t) { return segment_reduce(t, csr, reduce); };
      results[threads - 1].push_back(autograd_grad(f, x, weight));
      results[threads - 1].push_back(
          gather_rows(f(x), make_csr(std::vector<int64_t>(csr.segment.data_ptr<int64_t>(),
                                                          csr.segment.data_ptr<int64_t>() + 5000),
                                     300)));
    }
  }
  at::set_num_threads(before);
  for (size_t i = 0; i < results[0].size(); ++i)
    EXPECT_TRUE(at::equal(results[0][i], results[1][i])) << i;
}

}  // namespace
}  // namespace bugseek::detector
