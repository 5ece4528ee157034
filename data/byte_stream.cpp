// data/byte_stream.cpp — ByteStream: plain fread for raw files, zlib's inflate for gzip files.
// We drive inflate ourselves (rather than gzread) so that the exact decompressed offset of a
// corrupt byte and the "file cut off" case are both known and can be reported.
#include "data/byte_stream.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/error.hpp"

namespace fulcrum::data {

struct ByteStream::Inflater {
  z_stream stream{};
  std::vector<uint8_t> input = std::vector<uint8_t>(1 << 18);  // compressed bytes from the file
  bool member_open = true;  // inside a gzip member (between its header and its trailer)
};

ByteStream::ByteStream(const std::filesystem::path& path) : path_(path) {
  std::error_code error;
  FULCRUM_CHECK(std::filesystem::is_regular_file(path, error),
                path.string() << ": no such file (or not a regular file)");
  file_size_ = static_cast<int64_t>(std::filesystem::file_size(path, error));
  FULCRUM_CHECK(!error, path.string() << ": cannot read the file size (" << error.message() << ")");
  file_ = std::fopen(path.c_str(), "rb");
  FULCRUM_CHECK(file_ != nullptr, path.string() << ": cannot open the file for reading ("
                                                 << std::strerror(errno) << ")");
  // gzip files begin with the two magic bytes 1f 8b (RFC 1952); anything else is read as is.
  uint8_t magic[2] = {0, 0};
  const size_t peeked = std::fread(magic, 1, 2, file_);
  compressed_ = peeked == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  std::rewind(file_);
  if (!compressed_) return;

  inflater_ = std::make_unique<Inflater>();
  // 16 + MAX_WBITS: expect a gzip header and trailer (zlib checks the trailer's CRC-32 and size).
  const int status = inflateInit2(&inflater_->stream, 16 + MAX_WBITS);
  if (status != Z_OK) {
    std::fclose(file_);
    FULCRUM_FAIL(path.string() << ": cannot start the gzip decompressor (zlib status " << status << ")");
  }
}

ByteStream::~ByteStream() {
  if (inflater_) inflateEnd(&inflater_->stream);
  if (file_) std::fclose(file_);
}

std::string ByteStream::where(int64_t offset) const {
  std::string text = path_.string();
  text.append(": byte ").append(std::to_string(offset));
  if (compressed_) text.append(" of the decompressed data");
  return text;
}

int64_t ByteStream::read(uint8_t* destination, int64_t count) {
  if (count <= 0 || at_end_) return 0;
  int64_t done = 0;
  if (compressed_) {
    done = read_gzip(destination, count);
  } else {
    done = static_cast<int64_t>(std::fread(destination, 1, static_cast<size_t>(count), file_));
    FULCRUM_CHECK(!std::ferror(file_), where(offset_) << ": read error (" << std::strerror(errno) << ")");
  }
  if (done < count) at_end_ = true;
  offset_ += done;
  return done;
}

int64_t ByteStream::read_gzip(uint8_t* destination, int64_t count) {
  z_stream& stream = inflater_->stream;
  int64_t done = 0;
  while (done < count) {
    if (stream.avail_in == 0) {
      const size_t got = std::fread(inflater_->input.data(), 1, inflater_->input.size(), file_);
      FULCRUM_CHECK(!std::ferror(file_), where(offset_ + done) << ": read error (" << std::strerror(errno) << ")");
      if (got == 0) {
        // The compressed bytes ran out: fine between members, a cut-off file inside one.
        truncated_ = inflater_->member_open;
        break;
      }
      stream.next_in = inflater_->input.data();
      stream.avail_in = static_cast<uInt>(got);
    }
    if (!inflater_->member_open) {
      // Bytes after a complete member: gzip allows several members back to back (`cat a.gz b.gz`).
      FULCRUM_CHECK(inflateReset(&stream) == Z_OK, where(offset_ + done) << ": cannot restart the decompressor");
      inflater_->member_open = true;
    }
    // avail_out is 32-bit in zlib: hand it at most 1 GiB at a time.
    const int64_t chunk = std::min<int64_t>(count - done, int64_t{1} << 30);
    stream.next_out = destination + done;
    stream.avail_out = static_cast<uInt>(chunk);
    const uInt input_before = stream.avail_in;
    const int status = inflate(&stream, Z_NO_FLUSH);
    const int64_t produced = chunk - static_cast<int64_t>(stream.avail_out);
    done += produced;
    if (status == Z_STREAM_END) {
      inflater_->member_open = false;
    } else if (status == Z_BUF_ERROR && produced == 0 && stream.avail_in == input_before && stream.avail_in > 0) {
      // zlib promises progress while it has input and output room; never spin if it does not.
      FULCRUM_FAIL(where(offset_ + done) << ": corrupt gzip data (zlib made no progress)");
    } else if (status != Z_OK && status != Z_BUF_ERROR) {
      // Z_DATA_ERROR (bad deflate data, wrong CRC or length in the trailer), Z_MEM_ERROR, …
      FULCRUM_FAIL(where(offset_ + done) << ": corrupt gzip data (zlib: "
                                          << (stream.msg ? stream.msg : "no message") << ", status "
                                          << status << ")");
    }
  }
  return done;
}

}  // namespace fulcrum::data
