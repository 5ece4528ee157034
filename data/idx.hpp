// data/idx.hpp — the IDX reader (the MNIST family's file format, LeCun et al.): raw or gzip'd.
// The MNIST layout (four IDX files in one folder) and its Dataset are in mnist.hpp; the byte
// stream with offsets underneath is byte_stream.hpp.
//
// IDX layout: bytes 0–1 are 00 00; byte 2 the element type (0x08 = unsigned byte); byte 3 the
// number of dims d; then d sizes as big-endian u32; then the elements, row-major, nothing after.
#pragma once
#include <filesystem>

#include "core/tensor.hpp"

namespace fulcrum::data {

// Reads an IDX file of unsigned bytes (type 0x08), raw or gzip-compressed (detected by the
// gzip magic 1f 8b, so the file name does not matter), into a u8 tensor of the stored shape:
// images [N, 28, 28], labels [N]. A bad file is an Error naming the file, the byte offset and
// what was expected there:
//   "t10k-labels-idx1-ubyte: byte 8: expected 10000 data bytes (shape [10000]) after the
//    8-byte header, found 9999"
// Offsets in a gzip file count decompressed bytes (the message says so).
Tensor read_idx(const std::filesystem::path& path);

}  // namespace fulcrum::data
