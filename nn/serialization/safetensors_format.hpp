// nn/serialization/safetensors_format.hpp — what the safetensors reader and writer share: the
// dtype names of the format, the reserved "__metadata__" key, and the endianness assumption.
// Internal to nn/serialization/ (users include safetensors.hpp).
#pragma once
#include <bit>

#include "core/dtype.hpp"

namespace fulcrum::nn::safetensors_format {

static_assert(std::endian::native == std::endian::little,
              "safetensors stores little-endian data; the reader and writer copy bytes as they are");

inline constexpr const char* kMetadataKey = "__metadata__";

constexpr const char* format_dtype_name(DType dtype) {
  switch (dtype) {
    case DType::f32: return "F32";
    case DType::f64: return "F64";
    case DType::i64: return "I64";
    case DType::u8: return "U8";
  }
  return "?";
}

}  // namespace fulcrum::nn::safetensors_format
