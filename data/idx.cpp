// data/idx.cpp — read_idx: the header checks in file order (magic, type, dims, sizes), a size
// check before any large allocation (a corrupt header must not ask for terabytes), then the
// payload straight into the tensor's storage, then a check that nothing follows it.
#include "data/idx.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/shape.hpp"
#include "data/byte_stream.hpp"

namespace fulcrum::data {
namespace {

std::string hex_byte(uint8_t value) {
  char text[8];
  std::snprintf(text, sizeof(text), "0x%02x", value);
  return text;
}

// The element types the IDX format defines; only 0x08 is read (every MNIST-family file is u8).
const char* idx_type_name(uint8_t code) {
  switch (code) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "short, 2 bytes";
    case 0x0C: return "int, 4 bytes";
    case 0x0D: return "float, 4 bytes";
    case 0x0E: return "double, 8 bytes";
    default: return nullptr;
  }
}

// Deflate cannot expand data by more than about 1032:1, so a gzip file of M bytes holds at
// most ~1032·M bytes: a header promising more is corrupt, and we can say so before allocating.
constexpr int64_t kMaxDeflateRatio = 1032;

void check_header_start(ByteStream& stream, const uint8_t (&start)[4], int64_t got) {
  FULCRUM_CHECK(got == 4, stream.where(got) << ": expected the 4-byte IDX magic (00 00 <type> <dims>), "
                                            << "but the file ends after " << got << " bytes");
  FULCRUM_CHECK(start[0] == 0 && start[1] == 0,
                stream.where(0) << ": expected the IDX magic 00 00, found " << hex_byte(start[0]) << " "
                                << hex_byte(start[1]) << " (not an IDX file?)");
  const char* type = idx_type_name(start[2]);
  FULCRUM_CHECK(type != nullptr, stream.where(2) << ": expected an IDX element type (0x08 = unsigned byte), found "
                                                 << hex_byte(start[2]));
  FULCRUM_CHECK(start[2] == 0x08, stream.where(2) << ": IDX element type " << hex_byte(start[2]) << " (" << type
                                                  << ") is not supported; only 0x08 (unsigned byte) is");
  FULCRUM_CHECK(start[3] >= 1, stream.where(3) << ": expected at least 1 dimension, found 0");
}

// The d big-endian u32 sizes after the first 4 bytes.
Shape read_sizes(ByteStream& stream, int64_t dims) {
  std::vector<uint8_t> bytes(static_cast<size_t>(4 * dims));
  const int64_t got = stream.read(bytes.data(), 4 * dims);
  FULCRUM_CHECK(got == 4 * dims, stream.where(4 + got) << ": expected " << dims << " dimension sizes (4 bytes each, "
                                                       << "big-endian) from byte 4 on, but the file ends");
  Shape shape(static_cast<size_t>(dims));
  for (int64_t d = 0; d < dims; ++d) {
    const uint8_t* b = &bytes[static_cast<size_t>(4 * d)];
    shape[d] = (int64_t{b[0]} << 24) | (int64_t{b[1]} << 16) | (int64_t{b[2]} << 8) | int64_t{b[3]};
  }
  return shape;
}

// The number of payload bytes the sizes promise, or an Error if it overflows int64. The product
// of the non-zero sizes must fit too: a tensor's strides multiply them even when another size
// is 0 (found by tests/fuzz: [0, 16712704, 15728640, 620756992, 0] overflowed the strides).
int64_t payload_bytes(const ByteStream& stream, const Shape& shape) {
  int64_t product = 1, nonzero_product = 1;
  for (int64_t size : shape) {
    const int64_t factor = std::max<int64_t>(size, 1);
    FULCRUM_CHECK(nonzero_product <= std::numeric_limits<int64_t>::max() / factor,
                  stream.where(4) << ": the dimension sizes " << shape_str(shape)
                                  << " multiply to more than 2^63 elements");
    nonzero_product *= factor;
    product *= size;
  }
  return product;
}

}  // namespace

Tensor read_idx(const std::filesystem::path& path) {
  ByteStream stream(path);
  uint8_t start[4] = {0, 0, 0, 0};
  check_header_start(stream, start, stream.read(start, 4));
  const Shape shape = read_sizes(stream, start[3]);
  const int64_t header = stream.offset();
  const int64_t expected = payload_bytes(stream, shape);

  auto size_message = [&](int64_t found) {
    std::ostringstream text;
    text << stream.where(header) << ": expected " << expected << " data bytes (shape " << shape_str(shape)
         << ") after the " << header << "-byte header, found " << found;
    return text.str();
  };
  if (!stream.compressed()) {
    // The file size settles it before we allocate.
    FULCRUM_CHECK(stream.file_size() - header == expected, size_message(stream.file_size() - header));
  } else {
    FULCRUM_CHECK(expected <= kMaxDeflateRatio * stream.file_size() + 1024,
                  stream.where(header) << ": the header promises " << expected << " data bytes (shape "
                                       << shape_str(shape) << "), more than a gzip file of "
                                       << stream.file_size() << " bytes can hold");
  }

  Tensor out = Tensor::empty(shape, DType::u8);
  const int64_t got = stream.read(out.data_ptr<uint8_t>(), expected);
  FULCRUM_CHECK(got == expected, size_message(got) << (stream.truncated() ? " (the gzip file is cut off)" : ""));

  // Nothing may follow the payload. For gzip this read also makes zlib check the trailer
  // (CRC-32 and length), so a flipped bit in the data is caught here at the latest.
  uint8_t extra[4096];
  int64_t trailing = 0;
  while (const int64_t n = stream.read(extra, sizeof(extra))) trailing += n;
  FULCRUM_CHECK(trailing == 0, size_message(expected + trailing));
  FULCRUM_CHECK(!stream.truncated(), stream.where(stream.offset())
                                         << ": the gzip file is cut off after the data (its trailer is missing)");
  return out;
}

}  // namespace fulcrum::data
