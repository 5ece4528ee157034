// io/safetensors_format.hpp — what the safetensors reader and writer share: the
// dtype names of the format, the reserved "__metadata__" key, and the endianness assumption.
// Internal to io/ (users include safetensors.hpp).
#pragma once
#include <bit>
#include <cstdint>

#include "core/dtype.hpp"

namespace fulcrum::io::safetensors_format {

static_assert(std::endian::native == std::endian::little,
              "safetensors stores little-endian data; the reader and writer copy bytes as they are");

inline constexpr const char* kMetadataKey = "__metadata__";
// The format caps the JSON header at 100 MB (safetensors' MAX_HEADER_SIZE = 100_000_000): a reader
// refuses larger headers before parsing them, so a hostile length cannot make it allocate or
// scan gigabytes.
inline constexpr uint64_t kMaxHeaderBytes = 100'000'000;

constexpr const char* format_dtype_name(DType dtype) {
  switch (dtype) {
    case DType::f32: return "F32";
    case DType::f64: return "F64";
    case DType::i64: return "I64";
    case DType::u8: return "U8";
  }
  return "?";
}

}  // namespace fulcrum::io::safetensors_format
