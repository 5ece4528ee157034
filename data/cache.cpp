// data/cache.cpp — fingerprints (FNV-1a), and the safetensors cache file with its key and CRC-32
// metadata ("fulcrum.cache.key", "fulcrum.cache.crc32.<tensor name>").
#include "data/cache.hpp"

#include <zlib.h>

#include <cstdio>

#include "core/error.hpp"
#include "io/safetensors.hpp"

namespace fulcrum::data {
namespace {

constexpr const char* kKey = "fulcrum.cache.key";
constexpr const char* kFormat = "fulcrum.cache.format";
constexpr const char* kFormatVersion = "1";

struct Fnv1a {
  uint64_t state = 0xcbf29ce484222325ULL;  // offset basis
  void add(const void* data, size_t size) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    for (size_t i = 0; i < size; ++i) state = (state ^ bytes[i]) * 0x100000001b3ULL;  // FNV prime
  }
  void add(const std::string& text) { add(text.data(), text.size() + 1); }  // with its NUL as separator
  void add(int64_t value) { add(&value, sizeof(value)); }
  std::string hex() const {
    char text[17];
    std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(state));
    return text;
  }
};

std::string crc32_hex(const Tensor& tensor) {
  const Tensor dense = tensor.contiguous();
  const auto* bytes = static_cast<const Bytef*>(dense.raw_data());
  uint64_t remaining = static_cast<uint64_t>(dense.numel()) * dtype_size(dense.dtype());
  uLong crc = crc32(0L, Z_NULL, 0);
  while (remaining > 0) {  // crc32 takes a 32-bit length
    const uInt chunk = static_cast<uInt>(std::min<uint64_t>(remaining, uint64_t{1} << 30));
    crc = crc32(crc, bytes, chunk);
    bytes += chunk;
    remaining -= chunk;
  }
  char text[9];
  std::snprintf(text, sizeof(text), "%08lx", static_cast<unsigned long>(crc));
  return text;
}

}  // namespace

std::string fnv1a_hex(const std::string& text) {
  Fnv1a hash;
  hash.add(text);
  return hash.hex();
}

std::string source_fingerprint(const std::filesystem::path& root, const std::vector<std::filesystem::path>& files,
                               const std::string& options) {
  Fnv1a hash;
  std::error_code error;
  for (const std::filesystem::path& file : files) {
    const auto size = std::filesystem::file_size(file, error);
    FULCRUM_CHECK(!error, file.string() << ": cannot read the file size (" << error.message() << ")");
    const auto time = std::filesystem::last_write_time(file, error);
    FULCRUM_CHECK(!error, file.string() << ": cannot read the modification time (" << error.message() << ")");
    hash.add(file.lexically_relative(root).generic_string());
    hash.add(static_cast<int64_t>(size));
    hash.add(static_cast<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count()));
  }
  hash.add(options);
  return hash.hex();
}

CacheLookup read_cache(const std::filesystem::path& file, const std::string& key) {
  CacheLookup lookup;
  std::error_code error;
  if (!std::filesystem::exists(file, error)) return lookup;  // missing
  io::SafetensorsContents contents;
  try {
    contents = io::load_safetensors_with_metadata(file.string());
  } catch (const Error& e) {
    lookup.state = CacheState::corrupt;
    lookup.reason = e.what();
    return lookup;
  }
  const auto format = contents.metadata.find(kFormat);
  const auto stored_key = contents.metadata.find(kKey);
  if (format == contents.metadata.end() || format->second != kFormatVersion || stored_key == contents.metadata.end()) {
    lookup.state = CacheState::corrupt;
    lookup.reason = file.string() + ": not a fulcrum cache file (no " + kFormat + " " + kFormatVersion + " / " + kKey +
                    " in the metadata)";
    return lookup;
  }
  if (stored_key->second != key) {
    lookup.state = CacheState::stale;
    lookup.reason = std::string("the source or the options changed (key ").append(stored_key->second)
                        .append(", now ").append(key).append(")");
    return lookup;
  }
  for (const auto& [name, tensor] : contents.tensors) {
    const auto stored = contents.metadata.find(std::string("fulcrum.cache.crc32.").append(name));
    const std::string actual = crc32_hex(tensor);
    if (stored == contents.metadata.end() || stored->second != actual) {
      lookup.state = CacheState::corrupt;
      lookup.reason = file.string() + ": tensor \"" + name + "\" has CRC-32 " + actual + ", the file recorded " +
                      (stored == contents.metadata.end() ? std::string("none") : stored->second);
      return lookup;
    }
  }
  lookup.state = CacheState::hit;
  lookup.tensors = std::move(contents.tensors);
  return lookup;
}

void write_cache(const std::filesystem::path& file, const io::NamedTensors& tensors, const std::string& key) {
  io::SafetensorsMetadata metadata = {{kFormat, kFormatVersion}, {kKey, key}};
  for (const auto& [name, tensor] : tensors) metadata[std::string("fulcrum.cache.crc32.").append(name)] = crc32_hex(tensor);
  std::error_code error;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), error);
  FULCRUM_CHECK(!error, "write_cache: cannot create the folder " << file.parent_path().string() << " ("
                                                                   << error.message() << ")");
  io::save_safetensors(file.string(), tensors, metadata);
}

}  // namespace fulcrum::data
