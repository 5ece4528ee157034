// fulcrum.hpp — the umbrella header: everything a user program needs.
//   #include "fulcrum.hpp"
//   using namespace fulcrum;
// Tensor and its ops (core/), autograd (autograd/), and, as they land, nn/, losses/, data/,
// metrics/.
#pragma once

#include "autograd/engine.hpp"
#include "autograd/gradcheck.hpp"
#include "autograd/node.hpp"
#include "core/dtype.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/rng.hpp"
#include "core/shape.hpp"
#include "core/tensor.hpp"
#include "metrics/classification.hpp"
#include "nn/optim/adam.hpp"
#include "nn/optim/clip_grad.hpp"
#include "nn/optim/lr_scheduler.hpp"
#include "nn/optim/optimizer.hpp"
#include "nn/optim/sgd.hpp"
#include "nn/serialization/safetensors.hpp"
#include "nn/functional.hpp"
#include "nn/init.hpp"
#include "nn/layers.hpp"
#include "nn/module.hpp"
#include "data/dataloader.hpp"
#include "data/dataset.hpp"
#include "data/idx.hpp"
#include "data/imbalance.hpp"
#include "data/mnist.hpp"
#include "data/sampler.hpp"
#include "data/transforms.hpp"
#include "losses/class_weights.hpp"
#include "losses/cross_entropy.hpp"
#include "losses/reduction.hpp"

namespace fulcrum {
// Short names for the dtypes, as in torch.float32 / torch.int64.
inline constexpr DType f32 = DType::f32;
inline constexpr DType f64 = DType::f64;
inline constexpr DType i64 = DType::i64;
inline constexpr DType u8 = DType::u8;
}  // namespace fulcrum
