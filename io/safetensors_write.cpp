// io/safetensors_write.cpp — writing safetensors (format in safetensors.hpp): a
// compact header with "__metadata__" first and the tensors in name order, packed without gaps,
// space-padded to 8 bytes; files are replaced atomically (atomic_file.hpp: unique temporary,
// fsync, rename). Reading: safetensors_read.cpp.
#include "io/atomic_file.hpp"
#include "io/json.hpp"
#include "io/safetensors.hpp"
#include "io/safetensors_format.hpp"

namespace fulcrum::io {
namespace {

using safetensors_format::kMetadataKey;
using safetensors_format::format_dtype_name;

// The header JSON, compact, "__metadata__" first, then the tensors in name order, packed;
// padded with spaces to a multiple of 8 bytes so the data starts 8-byte aligned.
std::string make_header(const NamedTensors& tensors, const SafetensorsMetadata& metadata, const char* op) {
  std::string header = "{";
  if (!metadata.empty()) {
    header.append(json::quote(kMetadataKey)).append(":{");
    bool first = true;
    for (const auto& [key, value] : metadata) {
      FULCRUM_CHECK(json::invalid_utf8_position(key) == std::string::npos &&
                    json::invalid_utf8_position(value) == std::string::npos,
                    op << ": metadata entry " << json::quote(key) << " is not valid UTF-8");
      header.append(first ? "" : ",").append(json::quote(key)).append(":").append(json::quote(value));
      first = false;
    }
    header.append("}");
  }
  uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    FULCRUM_CHECK(name != kMetadataKey, op << ": a tensor cannot be named \"__metadata__\" (reserved)");
    FULCRUM_CHECK(json::invalid_utf8_position(name) == std::string::npos,
                  op << ": tensor name " << json::quote(name) << " is not valid UTF-8");
    FULCRUM_CHECK(tensor.defined(), op << ": tensor '" << name << "' is undefined");
    FULCRUM_CHECK(tensor.device().is_cpu(), op << ": tensor '" << name << "' is on "
                  << tensor.device().str() << "; move it to the cpu first");
    const uint64_t nbytes = static_cast<uint64_t>(tensor.numel() * dtype_size(tensor.dtype()));
    header.append(header.size() > 1 ? "," : "").append(json::quote(name));
    header.append(":{\"dtype\":\"").append(format_dtype_name(tensor.dtype())).append("\",\"shape\":[");
    for (int64_t d = 0; d < tensor.dim(); ++d) {
      header.append(d ? "," : "").append(std::to_string(tensor.size(d)));
    }
    header.append("],\"data_offsets\":[").append(std::to_string(offset)).append(",");
    offset += nbytes;
    header.append(std::to_string(offset)).append("]}");
  }
  header.append("}");
  header.append((8 - header.size() % 8) % 8, ' ');
  FULCRUM_CHECK(header.size() <= safetensors_format::kMaxHeaderBytes,
                op << ": the header would take " << header.size() << " bytes, above the format's limit of "
                   << safetensors_format::kMaxHeaderBytes << " (too many tensors or too much metadata)");
  return header;
}

std::string length_prefix(uint64_t length) {
  std::string bytes(8, '\0');
  for (int k = 0; k < 8; ++k) bytes[k] = static_cast<char>((length >> (8 * k)) & 0xFF);
  return bytes;
}

// Calls write(data, size) for the length, the header and each tensor's bytes, in file order.
template <typename Write>
void write_safetensors(const NamedTensors& tensors, const SafetensorsMetadata& metadata, const char* op,
                       Write&& write) {
  const std::string header = make_header(tensors, metadata, op);
  const std::string prefix = length_prefix(header.size());
  write(prefix.data(), prefix.size());
  write(header.data(), header.size());
  for (const auto& [name, tensor] : tensors) {
    if (tensor.numel() == 0) continue;
    const Tensor dense = tensor.detach().contiguous();
    write(dense.raw_data(), static_cast<size_t>(dense.numel() * dtype_size(dense.dtype())));
  }
}

}  // namespace

std::vector<uint8_t> serialize_safetensors(const NamedTensors& tensors, const SafetensorsMetadata& metadata) {
  std::vector<uint8_t> out;
  write_safetensors(tensors, metadata, "serialize_safetensors", [&](const void* data, size_t size) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    out.insert(out.end(), bytes, bytes + size);
  });
  return out;
}

void save_safetensors(const std::string& path, const NamedTensors& tensors, const SafetensorsMetadata& metadata) {
  write_file_atomically(path, [&](const PutBytes& put) {
    write_safetensors(tensors, metadata, "save_safetensors", put);
  }, "save_safetensors");
}

}  // namespace fulcrum::io
