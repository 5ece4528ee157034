// data/cache.hpp — a cache for decoded data sets, so a folder of JPEGs is decoded once, not on
// every run: the tensors go to one safetensors file (io/safetensors.hpp), whose
// metadata holds the key of the source they were decoded from and a CRC-32 of every tensor.
// The key is a fingerprint of the source files (name, size, modification time) and of the decode
// options, so touching, replacing, adding or removing a file, or asking for other options, makes
// the entry stale. A file that fails to parse or whose checksums disagree is corrupt: it is
// reported and rebuilt, never trusted. Writes are atomic (temp file, fsync, rename). The image
// folder reader (image_folder.hpp) is the user.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/safetensors.hpp"

namespace fulcrum::data {

// 16 hex digits: FNV-1a (64-bit) over, for each file in the given order, its path relative to
// `root`, its size in bytes and its modification time in ns, then over `options`. Errors name a
// file that cannot be stat'ed.
std::string source_fingerprint(const std::filesystem::path& root, const std::vector<std::filesystem::path>& files,
                               const std::string& options);

// 16 hex digits: FNV-1a over a string (used for cache file names).
std::string fnv1a_hex(const std::string& text);

enum class CacheState { hit, missing, stale, corrupt };

struct CacheLookup {
  CacheState state = CacheState::missing;
  std::string reason;      // for stale / corrupt: what disagreed or failed to parse
  io::NamedTensors tensors;  // filled on a hit only
};

// Reads `file` and accepts it only if its key equals `key` and every tensor's CRC-32 matches.
CacheLookup read_cache(const std::filesystem::path& file, const std::string& key);

// Writes `tensors` with `key` and their CRC-32s to `file` atomically (creating its folder).
void write_cache(const std::filesystem::path& file, const io::NamedTensors& tensors, const std::string& key);

}  // namespace fulcrum::data
