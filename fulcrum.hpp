// fulcrum.hpp — the umbrella header: everything a user program needs.
//   #include "fulcrum.hpp"
//   using namespace fulcrum;
// Tensor and its ops (core/), autograd (autograd/), io/ (safetensors files), nn/ (layers,
// NormedLinear included, models/ (the CIFAR ResNet), optim, training), data/ (datasets, readers, samplers, loader), losses/ (every loss family; not
// loss_checks.hpp, the losses' internal input checks) and metrics/.
#pragma once

#include "autograd/engine.hpp"
#include "autograd/gradcheck.hpp"
#include "autograd/node.hpp"
#include "core/anomaly.hpp"
#include "core/dtype.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "core/rng.hpp"
#include "core/shape.hpp"
#include "core/tensor.hpp"
#include "io/safetensors.hpp"
#include "metrics/binary.hpp"
#include "metrics/calibration.hpp"
#include "metrics/class_stats.hpp"
#include "metrics/classification.hpp"
#include "metrics/report.hpp"
#include "metrics/threshold.hpp"
#include "nn/optim/adam.hpp"
#include "nn/optim/clip_grad.hpp"
#include "nn/optim/lr_scheduler.hpp"
#include "nn/optim/optimizer.hpp"
#include "nn/optim/sgd.hpp"
#include "nn/functional.hpp"
#include "nn/init.hpp"
#include "nn/layers.hpp"
#include "nn/models/resnet.hpp"
#include "nn/module.hpp"
#include "nn/training.hpp"
#include "nn/training_checkpoint.hpp"
#include "data/cache.hpp"
#include "data/cifar.hpp"
#include "data/csv.hpp"
#include "data/dataloader.hpp"
#include "data/dataset.hpp"
#include "data/idx.hpp"
#include "data/image_folder.hpp"
#include "data/imbalance.hpp"
#include "data/mnist.hpp"
#include "data/sampler.hpp"
#include "data/split.hpp"
#include "data/text.hpp"
#include "data/transforms.hpp"
#include "losses/binary.hpp"
#include "losses/cdb.hpp"
#include "losses/cdt.hpp"
#include "losses/class_balanced.hpp"
#include "losses/class_weights.hpp"
#include "losses/contrastive.hpp"
#include "losses/cross_entropy.hpp"
#include "losses/focal.hpp"
#include "losses/ghm.hpp"
#include "losses/ldam.hpp"
#include "losses/margin.hpp"
#include "losses/mfe.hpp"
#include "losses/overlap.hpp"
#include "losses/reduction.hpp"
#include "losses/regression.hpp"
#include "losses/schedules.hpp"

namespace fulcrum {
// Short names for the dtypes, as in torch.float32 / torch.int64.
inline constexpr DType f32 = DType::f32;
inline constexpr DType f64 = DType::f64;
inline constexpr DType i64 = DType::i64;
inline constexpr DType u8 = DType::u8;
}  // namespace fulcrum
