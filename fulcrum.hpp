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

namespace fulcrum {
// Short names for the dtypes, as in torch.float32 / torch.int64.
inline constexpr DType f32 = DType::f32;
inline constexpr DType f64 = DType::f64;
inline constexpr DType i64 = DType::i64;
inline constexpr DType u8 = DType::u8;
}  // namespace fulcrum
