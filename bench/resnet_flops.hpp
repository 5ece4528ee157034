// bench/resnet_flops.hpp — the floating-point operations of one sample through the CIFAR ResNet
// (nn/models/resnet.hpp), counted from its shapes, so a throughput turns into GFLOP/s:
//   conv k×k, C_in → C_out, output H_o × W_o:  2 · C_in · k² · C_out · H_o · W_o   (a multiply-add = 2)
//   linear in → out:                          2 · in · out
// BatchNorm, ReLU, the sums and the pooling are left out: O(activations), memory-bound, < 1%.
// A training step costs ≈ 3× the forward: the forward GEMMs, then in backward one GEMM of the same
// size for the input gradient and one for the weight gradient (the stem's input gradient, not
// needed, is counted anyway). ResNet-32 at 32×32 (projection shortcuts): 138.25 MFLOP forward,
// 414.7 MFLOP per training sample.
#pragma once
#include <cstdint>

#include "nn/models/resnet.hpp"

namespace fulcrum::bench {

inline double conv_flops(int64_t in_channels, int64_t out_channels, int64_t kernel, int64_t out_h, int64_t out_w) {
  return 2.0 * static_cast<double>(in_channels * kernel * kernel * out_channels * out_h * out_w);
}

// Forward FLOPs of one [in_channels, height, width] image.
inline double resnet_forward_flops(const nn::models::ResNetOptions& options, int64_t height, int64_t width) {
  const int64_t blocks = (options.depth - 2) / 6;
  double flops = conv_flops(options.in_channels, 16, 3, height, width);  // stem
  int64_t in_planes = 16;
  for (int64_t planes : {16, 32, 64}) {
    const int64_t stride = planes == 16 ? 1 : 2;
    height = (height + stride - 1) / stride;  // ⌈H / s⌉: conv3×3 pad 1 and the 1×1 shortcut agree
    width = (width + stride - 1) / stride;
    for (int64_t block = 0; block < blocks; ++block) {
      const int64_t block_in = block == 0 ? in_planes : planes;
      flops += conv_flops(block_in, planes, 3, height, width) + conv_flops(planes, planes, 3, height, width);
      const bool projection = block == 0 && block_in != planes &&
                              options.shortcut == nn::models::Shortcut::projection;
      if (projection) flops += conv_flops(block_in, planes, 1, height, width);
    }
    in_planes = planes;
  }
  return flops + 2.0 * 64.0 * static_cast<double>(options.num_classes);  // linear
}

inline double resnet_training_flops(const nn::models::ResNetOptions& options, int64_t height, int64_t width) {
  return 3.0 * resnet_forward_flops(options, height, width);
}

}  // namespace fulcrum::bench
