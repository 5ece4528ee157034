// data/transforms_util.hpp — private helpers shared by the transforms' .cpp files (users include
// transforms.hpp instead): argument checks with one message style, the dispatch over the image
// dtypes (f32, u8), torchvision-style printing, and the separable pixel remapping that flips,
// crops and pads are made of.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/repr.hpp"
#include "core/tensor.hpp"

namespace fulcrum::data::detail {

// `image` checked to be a defined [C, H, W] tensor with C, H, W ≥ 1, of dtype f32 (or u8 when
// `allow_u8`), returned contiguous. `who` names the function or transform in the message.
Tensor image_argument(const Tensor& image, const char* who, bool allow_u8);
void check_probability(double p, const char* who);  // 0 ≤ p ≤ 1
// A crop size: one value → a square (s, s), two → (height, width); every value ≥ 1.
std::array<int64_t, 2> size_pair(const std::vector<int64_t>& size, const char* who);

// Runs body.template operator()<T>() with T = float for f32 images and uint8_t for u8 ones.
template <typename Body> void dispatch_image(DType dtype, Body&& body) {
  if (dtype == DType::u8) {
    body.template operator()<uint8_t>();
  } else {
    body.template operator()<float>();
  }
}

// A float result stored back as u8 the way torchvision does (torch.round: half to even, then the
// cast); values already lie in [0, 255] for the interpolations that use it.
inline uint8_t round_to_u8(float value) {
  return static_cast<uint8_t>(std::fmin(std::fmax(std::nearbyint(value), 0.0f), 255.0f));
}

// out[c, i, j] = image[c, rows[i], cols[j]], or `fill` where rows[i] or cols[j] is −1: flips,
// crops and pads are all this, with different index lists. `image` contiguous [C, H, W].
Tensor remap(const Tensor& image, const std::vector<int64_t>& rows, const std::vector<int64_t>& cols,
             double fill);

// Printing as torchvision's __repr__ does: Python floats (0.5, 1.0, 1e-05), tuples "(3, 4)",
// lists "[0.5, 0.25]".
using fulcrum::detail::repr_number;  // core/repr.hpp
std::string repr_tuple(const std::vector<int64_t>& values);
std::string repr_list(const std::vector<int64_t>& values);
std::string repr_list(const std::vector<double>& values);

}  // namespace fulcrum::data::detail
