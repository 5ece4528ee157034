// tests/test_conv.cpp — the im2col + GEMM convolution (forward and both backward kernels) against
// the direct reference loops, on odd shapes: batch, groups, stride, padding, dilation, 1×1 and
// non-square kernels, f32 and f64.
#include <doctest/doctest.h>
#include <omp.h>

#include <cstring>

#include "core/cpu/kernels.hpp"
#include "fulcrum.hpp"
#include "nn/functional.hpp"

using namespace fulcrum;

namespace {

struct ConvCase {
  Shape x, w;
  F::Conv2dArgs args;
};

Conv2dGeometry geometry(const ConvCase& c) {
  Conv2dGeometry g;
  g.batch = c.x[0];
  g.in_channels = c.x[1];
  g.in_h = c.x[2];
  g.in_w = c.x[3];
  g.out_channels = c.w[0];
  g.groups = c.args.groups;
  g.window = {c.w[2], c.w[3], c.args.stride[0], c.args.stride[1], c.args.padding[0], c.args.padding[1],
              c.args.dilation[0], c.args.dilation[1]};
  g.out_h = window_output_size(g.in_h, c.w[2], c.args.stride[0], c.args.padding[0], c.args.dilation[0], false);
  g.out_w = window_output_size(g.in_w, c.w[3], c.args.stride[1], c.args.padding[1], c.args.dilation[1], false);
  return g;
}

void compare(const ConvCase& c, DType dtype, double tolerance) {
  Generator gen(11);
  const Conv2dGeometry g = geometry(c);
  Tensor x = randn(c.x, {.dtype = dtype}, &gen), w = randn(c.w, {.dtype = dtype}, &gen);
  Tensor b = randn({c.w[0]}, {.dtype = dtype}, &gen);
  Tensor fast = empty({g.batch, g.out_channels, g.out_h, g.out_w}, {.dtype = dtype});
  Tensor slow = empty(fast.shape(), {.dtype = dtype});
  cpu::conv2d(x, w, b, g, fast);
  cpu::ref::conv2d(x, w, b, g, slow);
  CHECK_MESSAGE(allclose(fast, slow, tolerance, tolerance), "forward " << shape_str(c.x) << " * " << shape_str(c.w));
  // The public op takes the same path.
  CHECK(allclose(F::conv2d(x, w, b, c.args), slow, tolerance, tolerance));

  Tensor dy = randn(fast.shape(), {.dtype = dtype}, &gen);
  Tensor dx = empty(c.x, {.dtype = dtype}), dw = empty(c.w, {.dtype = dtype}), db = empty({c.w[0]}, {.dtype = dtype});
  Tensor rx = empty(c.x, {.dtype = dtype}), rw = empty(c.w, {.dtype = dtype}), rb = empty({c.w[0]}, {.dtype = dtype});
  cpu::conv2d_backward(dy, x, w, g, dx, dw, db);
  cpu::ref::conv2d_backward(dy, x, w, g, rx, rw, rb);
  CHECK_MESSAGE(allclose(dx, rx, tolerance, tolerance), "dx " << shape_str(c.x) << " * " << shape_str(c.w));
  CHECK_MESSAGE(allclose(dw, rw, tolerance, tolerance), "dweight " << shape_str(c.x) << " * " << shape_str(c.w));
  CHECK_MESSAGE(allclose(db, rb, tolerance, tolerance), "dbias " << shape_str(c.x) << " * " << shape_str(c.w));
  // Only the requested gradients are written (the others stay undefined).
  Tensor only_w = empty(c.w, {.dtype = dtype});
  cpu::conv2d_backward(dy, x, w, g, Tensor(), only_w, Tensor());
  CHECK(allclose(only_w, rw, tolerance, tolerance));
}

const std::vector<ConvCase> kCases = {
    {{1, 1, 28, 28}, {10, 1, 5, 5}, {}},                                   // the Net's conv1
    {{3, 10, 12, 12}, {20, 10, 5, 5}, {}},                                  // the Net's conv2
    {{2, 3, 7, 9}, {4, 3, 3, 2}, {.stride = {2, 3}, .padding = {1, 2}}},
    {{1, 4, 9, 8}, {6, 2, 3, 3}, {.padding = {2, 1}, .dilation = {2, 3}, .groups = 2}},
    {{2, 6, 5, 5}, {6, 1, 3, 3}, {.padding = {1, 1}, .groups = 6}},        // depthwise
    {{3, 5, 4, 6}, {7, 5, 1, 1}, {}},                                       // 1×1
    {{1, 2, 3, 3}, {3, 2, 3, 3}, {.padding = {4, 4}, .dilation = {1, 1}}},  // padding larger than the input
    {{5, 1, 1, 1}, {2, 1, 1, 1}, {}},
    // Stride 1 with the output as wide as the input but kernel columns wholly in the padding:
    // the contiguous-run copy of im2col/col2im must skip them (it once read and wrote one
    // element before and after the channel: seen under ASan).
    {{2, 4, 4, 4}, {4, 4, 3, 3}, {.padding = {5, 5}, .dilation = {5, 5}}},
    {{2, 3, 2, 2}, {2, 3, 7, 7}, {.padding = {3, 3}}},
    {{2, 2, 8, 1}, {3, 2, 5, 5}, {.padding = {2, 2}}},
    // The fast paths, with batches cut into several chunks of images (core/cpu/conv.cpp):
    {{9, 16, 16, 16}, {16, 16, 3, 3}, {.padding = {1, 1}}},                          // ResNet: dx as a conv
    {{7, 16, 12, 12}, {8, 16, 3, 3}, {.stride = {2, 2}, .padding = {1, 1}}},        // stage transition
    {{10, 8, 10, 10}, {6, 8, 1, 1}, {.stride = {2, 2}}},                             // projection shortcut
    {{6, 8, 9, 9}, {5, 8, 1, 1}, {}},                                                // 1×1 stride 1
    {{2, 8, 48, 48}, {6, 4, 1, 1}, {.groups = 2}},  // 1×1 stride 1, one image a chunk: no im2col
    {{3, 32, 9, 7}, {8, 16, 3, 3}, {.padding = {1, 1}, .dilation = {2, 1}, .groups = 2}},  // dilated, grouped
    {{40, 1, 28, 28}, {10, 1, 5, 5}, {}},                                            // the Net, many chunks
    {{40, 32, 16, 16}, {4, 32, 3, 3}, {.padding = {1, 1}}},  // 40 chunks: dW terms of several chunks each
};

}  // namespace

TEST_CASE("conv2d: im2col + GEMM matches the direct loops (f64)") {
  for (const ConvCase& c : kCases) compare(c, DType::f64, 1e-10);
}

TEST_CASE("conv2d: im2col + GEMM matches the direct loops (f32)") {
  for (const ConvCase& c : kCases) compare(c, DType::f32, 2e-4);
}

// Bit-for-bit the same bytes (allclose would forgive a different order of summation).
bool same_bits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && a.dtype() == b.dtype() &&
         std::memcmp(a.raw_data(), b.raw_data(), static_cast<size_t>(a.numel()) * dtype_size(a.dtype())) == 0;
}

TEST_CASE("conv2d: forward and backward are bit-identical at 1, 2, 3 and 4 threads (f32)") {
  // Shapes with work enough to run in parallel: ResNet-32's stage 2 conv, a stage transition
  // (3×3 stride 2), a projection shortcut (1×1 stride 2), the Net's conv2, a grouped conv, and a
  // batch of one.
  const std::vector<ConvCase> cases = {
      {{40, 32, 16, 16}, {32, 32, 3, 3}, {.padding = {1, 1}}},  // 40 chunks, 14 terms of dW
      {{12, 16, 32, 32}, {32, 16, 3, 3}, {.stride = {2, 2}, .padding = {1, 1}}},
      {{12, 16, 32, 32}, {32, 16, 1, 1}, {.stride = {2, 2}}},
      {{33, 10, 12, 12}, {20, 10, 5, 5}, {}},
      {{9, 8, 14, 14}, {12, 4, 3, 3}, {.padding = {1, 1}, .groups = 2}},
      // One image: a single chunk, whose GEMMs OpenBLAS itself may split over threads.
      {{1, 16, 64, 64}, {32, 16, 3, 3}, {.padding = {1, 1}}},
  };
  const int saved = omp_get_max_threads();
  for (const ConvCase& c : cases) {
    const Conv2dGeometry g = geometry(c);
    Generator gen(5);
    Tensor x = randn(c.x, {}, &gen), w = randn(c.w, {}, &gen), b = randn({c.w[0]}, {}, &gen);
    Tensor dy = randn({g.batch, g.out_channels, g.out_h, g.out_w}, {}, &gen);
    std::vector<std::vector<Tensor>> results;  // per thread count: y, dx, dw, db
    for (int threads : {1, 2, 3, 4}) {
      omp_set_num_threads(threads);
      Tensor y = empty(dy.shape()), dx = empty(c.x), dw = empty(c.w), db = empty({c.w[0]});
      cpu::conv2d(x, w, b, g, y);
      cpu::conv2d_backward(dy, x, w, g, dx, dw, db);
      results.push_back({y, dx, dw, db});
    }
    omp_set_num_threads(saved);
    const char* names[] = {"y", "dx", "dweight", "dbias"};
    for (size_t t = 1; t < results.size(); ++t)
      for (size_t i = 0; i < 4; ++i)
        CHECK_MESSAGE(same_bits(results[0][i], results[t][i]),
                      std::string(names[i]) << " of " << shape_str(c.x) << " * " << shape_str(c.w) << " differs at " << t + 1
                               << " threads from 1 thread");
  }
}

TEST_CASE("conv2d: bad arguments are clear errors") {
  Tensor x = zeros({1, 3, 8, 8}), w = zeros({4, 3, 3, 3});
  CHECK_THROWS_WITH_AS(F::conv2d(zeros({3, 8, 8}), w), doctest::Contains("conv2d: input must be [N, C, H, W]"), Error);
  CHECK_THROWS_WITH_AS(F::conv2d(x, zeros({4, 2, 3, 3})), doctest::Contains("expects 2 (in_channels / groups"), Error);
  CHECK_THROWS_WITH_AS(F::conv2d(x, w, zeros({5})), doctest::Contains("bias [5] must be [4]"), Error);
  CHECK_THROWS_WITH_AS(F::conv2d(x, zeros({4, 1, 3, 3}), Tensor(), {.groups = 2}), doctest::Contains("groups = 2"), Error);
  CHECK_THROWS_WITH_AS(F::conv2d(zeros({1, 3, 2, 2}), w), doctest::Contains("smaller than the (dilated) kernel"), Error);
  CHECK_THROWS_WITH_AS(F::max_pool2d(x, {.kernel_size = {2, 2}, .padding = {2, 2}}),
                       doctest::Contains("at most half the kernel"), Error);
  CHECK_THROWS_WITH_AS(F::avg_pool2d(x, {.kernel_size = {9, 9}}), doctest::Contains("too small"), Error);
}
