// data/byte_stream.hpp — ByteStream: a file read front to back as bytes, decompressed on the fly
// with zlib when it starts with the gzip magic 1f 8b, and otherwise read as is. It counts the
// (decompressed) bytes it has handed out, so readers can name the byte offset of a bad field.
// The format readers built on it are in idx.hpp (IDX) and, later, the other readers of data/.
#pragma once
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fulcrum::data {

class ByteStream {
public:
  // Opens `path`; an Error names the file when it is missing or unreadable.
  explicit ByteStream(const std::filesystem::path& path);
  ~ByteStream();
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  // Reads up to `count` bytes into `destination` and returns how many were read: fewer than
  // `count` only at the end of the data (or where a gzip file is cut off, see truncated()).
  // Corrupt gzip data is an Error naming the file and the decompressed offset.
  int64_t read(uint8_t* destination, int64_t count);

  // Bytes of (decompressed) data read so far: the offset of the next byte.
  int64_t offset() const { return offset_; }
  bool compressed() const { return compressed_; }
  // True once the compressed data ended in the middle of a gzip member (a cut-off download).
  bool truncated() const { return truncated_; }
  // The size of the file on disk (compressed size for gzip files).
  int64_t file_size() const { return file_size_; }

  // "data/x.gz: byte 16 of the decompressed data" or "data/x: byte 16": the prefix of every
  // message about a position in this stream.
  std::string where(int64_t offset) const;
  const std::filesystem::path& path() const { return path_; }

private:
  int64_t read_gzip(uint8_t* destination, int64_t count);

  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  int64_t file_size_ = 0;
  int64_t offset_ = 0;
  bool compressed_ = false;
  bool truncated_ = false;
  bool at_end_ = false;
  // zlib state (a z_stream), kept opaque so users of this header need no zlib.h.
  struct Inflater;
  std::unique_ptr<Inflater> inflater_;
};

}  // namespace fulcrum::data
