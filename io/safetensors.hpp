// io/safetensors.hpp — named tensors in the safetensors format (Hugging Face's, read by
// safetensors.torch.load_file), so weights move to and from PyTorch. Reading validates everything
// and names the file, the byte offset and what was expected there. It is tensor I/O, not a part of
// nn/: model checkpoints (nn/training_checkpoint.hpp) and the decoded-data cache (data/cache.hpp)
// both use it, and data/ must not depend on nn/. Implementation: safetensors_read.cpp,
// safetensors_write.cpp; the JSON reader: json.hpp; atomic writes: atomic_file.hpp.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::io {

// Tensors by name, sorted (the order files list them in). The same type as nn::StateDict, so a
// model's state_dict() is saved and loaded as is.
using NamedTensors = std::map<std::string, Tensor>;

// The layout: [u64 little-endian N] [N bytes of JSON header, space-padded] [raw data, little-endian]
//   header: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, …,
//            "__metadata__": {"key": "value"}}   (offsets relative to the end of the header)
using SafetensorsMetadata = std::map<std::string, std::string>;

// Writes `tensors` (any layout: views are written contiguously) through write_file_atomically
// (atomic_file.hpp): a unique temporary next to `path`, fsync, rename. A crash, kill -9 or a
// second writer never leaves a half-written checkpoint; dead saves' temporaries are swept.
// Dtypes f32/f64/i64/u8 are written as F32/F64/I64/U8, in name order, without gaps.
void save_safetensors(const std::string& path, const NamedTensors& tensors,
                      const SafetensorsMetadata& metadata = {});

// Reads a whole file into fresh, contiguous CPU tensors (requires_grad false). The file is
// mapped (mmap), not read into a buffer: each tensor is copied out of the mapping and the pages
// already copied are dropped as it goes, so the peak memory is about one file size, not two.
// A header above the format's 100 MB cap is refused before it is parsed.
NamedTensors load_safetensors(const std::string& path);

struct SafetensorsContents {
  NamedTensors tensors;
  SafetensorsMetadata metadata;
};
SafetensorsContents load_safetensors_with_metadata(const std::string& path);

// The same, in memory (safetensors.torch.save / load). `source` names the bytes in errors.
std::vector<uint8_t> serialize_safetensors(const NamedTensors& tensors, const SafetensorsMetadata& metadata = {});
SafetensorsContents deserialize_safetensors(const std::vector<uint8_t>& bytes,
                                            const std::string& source = "<memory>");

}  // namespace fulcrum::io

// Checkpoints are the common use (nn::save_safetensors(path, model.state_dict()), as in
// PyTorch's torch.save next to its nn), so the names are also reachable from nn.
namespace fulcrum::nn {
using io::deserialize_safetensors;
using io::load_safetensors;
using io::load_safetensors_with_metadata;
using io::SafetensorsContents;
using io::SafetensorsMetadata;
using io::save_safetensors;
using io::serialize_safetensors;
}  // namespace fulcrum::nn
