// io/safetensors_read.cpp — reading safetensors (format in safetensors.hpp).
// Checks, in file order: the 8-byte length, the header's bounds, UTF-8 and JSON syntax
// (json.cpp), the schema of every entry, then that the tensors' byte ranges tile the data
// section exactly: no overlap, no hole, nothing after the last one. Files are mapped (mmap) and
// copied out tensor by tensor, releasing the pages already copied. Writing: safetensors_write.cpp.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>

#include "io/json.hpp"
#include "io/safetensors.hpp"
#include "io/safetensors_format.hpp"

namespace fulcrum::io {

using safetensors_format::kMetadataKey;
using safetensors_format::format_dtype_name;

// Every reading error: "<op>: '<file>': byte <offset>: <what was expected there>".
#define FAIL_AT(context, byte, message_stream) \
  FULCRUM_FAIL((context) << ": byte " << (byte) << ": " << message_stream)


namespace {

// A non-negative integer literal (no sign, fraction or exponent) that fits in u64.
uint64_t as_uint(const json::Value& value, const std::string& context, const char* what,
                 const std::string& name) {
  bool ok = value.kind == json::Value::Kind::number && !value.text.empty();
  uint64_t result = 0;
  for (size_t k = 0; ok && k < value.text.size(); ++k) {
    const char c = value.text[k];
    ok = c >= '0' && c <= '9' &&
         result <= (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(c - '0')) / 10;
    result = result * 10 + static_cast<uint64_t>(c - '0');
  }
  if (!ok) {
    FAIL_AT(context, value.offset, "expected a non-negative integer for " << what << " of tensor "
            << json::quote(name) << ", got "
            << (value.kind == json::Value::Kind::number ? value.text : json::kind_name(value.kind)));
  }
  return result;
}

struct Entry {
  std::string name;
  DType dtype = DType::f32;
  Shape shape = {};
  uint64_t begin = 0, end = 0;
  uint64_t offsets_byte = 0;  // where its data_offsets are written, for messages
};

DType parse_dtype(const json::Value& value, const std::string& context, const std::string& name) {
  if (value.kind != json::Value::Kind::string) {
    FAIL_AT(context, value.offset, "expected a string dtype for tensor " << json::quote(name) << ", got "
            << json::kind_name(value.kind));
  }
  const std::string& text = value.text;
  if (text == "F32") return DType::f32;
  if (text == "F64") return DType::f64;
  if (text == "I64") return DType::i64;
  if (text == "U8") return DType::u8;
  static const char* const kOtherDtypes[] = {"BOOL", "I8", "I16", "U16", "F16", "BF16", "I32",
                                             "U32", "U64", "F8_E4M3", "F8_E5M2"};
  const bool known = std::find_if(std::begin(kOtherDtypes), std::end(kOtherDtypes),
                                  [&](const char* other) { return text == other; }) != std::end(kOtherDtypes);
  FAIL_AT(context, value.offset, (known ? "dtype " : "unknown dtype ") << json::quote(text)
          << " of tensor " << json::quote(name)
          << (known ? " is not supported by Fulcrum (expected F32, F64, I64 or U8)"
                    : " (expected F32, F64, I64 or U8)"));
}

// The product of the sizes, or nullopt when it exceeds `limit` (so no overflow is possible).
std::optional<uint64_t> bounded_numel(const Shape& shape, uint64_t limit) {
  uint64_t numel = 1;
  bool over = false;
  for (int64_t size : shape) {
    const auto s = static_cast<uint64_t>(size);
    if (s == 0) return 0;
    if (over || numel > limit / s) over = true;
    else numel *= s;
  }
  if (over) return std::nullopt;
  return numel;
}

Entry parse_entry(const std::string& name, const json::Value& value, const std::string& context,
                  uint64_t data_size) {
  const std::string quoted = json::quote(name);
  if (value.kind != json::Value::Kind::object) {
    FAIL_AT(context, value.offset, "expected an object {dtype, shape, data_offsets} for tensor " << quoted
            << ", got " << json::kind_name(value.kind));
  }
  static const char* const kFields[3] = {"dtype", "shape", "data_offsets"};
  const json::Value* fields[3] = {nullptr, nullptr, nullptr};
  for (const auto& [key, field] : value.members) {
    const auto* known = std::find_if(std::begin(kFields), std::end(kFields),
                                     [&](const char* f) { return key == f; });
    if (known == std::end(kFields)) {
      FAIL_AT(context, field.offset, "unexpected key " << json::quote(key) << " in tensor " << quoted
              << " (expected dtype, shape, data_offsets)");
    }
    fields[known - std::begin(kFields)] = &field;
  }
  for (int k = 0; k < 3; ++k) {
    if (fields[k] == nullptr) FAIL_AT(context, value.offset, "tensor " << quoted << " has no \"" << kFields[k] << "\"");
  }
  Entry entry{.name = name, .dtype = parse_dtype(*fields[0], context, name)};

  const json::Value& shape = *fields[1];
  if (shape.kind != json::Value::Kind::array) {
    FAIL_AT(context, shape.offset, "expected an array of sizes for the shape of tensor " << quoted);
  }
  for (const json::Value& size : shape.items) {
    const uint64_t s = as_uint(size, context, "a size in the shape", name);
    if (s > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      FAIL_AT(context, size.offset, "size " << s << " in the shape of tensor " << quoted << " is too large");
    }
    entry.shape.push_back(static_cast<int64_t>(s));
  }

  const json::Value& offsets = *fields[2];
  entry.offsets_byte = offsets.offset;
  if (offsets.kind != json::Value::Kind::array || offsets.items.size() != 2) {
    FAIL_AT(context, offsets.offset, "expected data_offsets [begin, end] for tensor " << quoted);
  }
  entry.begin = as_uint(offsets.items[0], context, "the begin offset", name);
  entry.end = as_uint(offsets.items[1], context, "the end offset", name);
  if (entry.begin > entry.end) {
    FAIL_AT(context, offsets.offset, "data_offsets of tensor " << quoted << " run backwards: begin "
            << entry.begin << " > end " << entry.end);
  }
  if (entry.end > data_size) {
    FAIL_AT(context, offsets.offset, "data_offsets of tensor " << quoted << " end at " << entry.end
            << " but the data section has only " << data_size << " bytes");
  }
  // end − begin = numel · element size; numel is capped at the data size, so it cannot overflow.
  const uint64_t element = static_cast<uint64_t>(dtype_size(entry.dtype));
  const std::optional<uint64_t> numel = bounded_numel(entry.shape, data_size);
  if (!numel || entry.end - entry.begin != *numel * element) {
    std::ostringstream needs;
    if (numel) needs << *numel * element << " bytes";
    else needs << "more bytes than the file holds";
    FAIL_AT(context, offsets.offset, "data_offsets [" << entry.begin << ", " << entry.end << "] of tensor "
            << quoted << " hold " << entry.end - entry.begin << " bytes, but shape "
            << shape_str(entry.shape) << " of " << format_dtype_name(entry.dtype) << " needs " << needs.str());
  }
  return entry;
}

SafetensorsMetadata parse_metadata(const json::Value& value, const std::string& context) {
  if (value.kind != json::Value::Kind::object) {
    FAIL_AT(context, value.offset, "expected an object of strings for \"__metadata__\", got "
            << json::kind_name(value.kind));
  }
  SafetensorsMetadata metadata;
  for (const auto& [key, item] : value.members) {
    if (item.kind != json::Value::Kind::string) {
      FAIL_AT(context, item.offset, "expected a string value for metadata key " << json::quote(key)
              << ", got " << json::kind_name(item.kind));
    }
    metadata[key] = item.text;
  }
  return metadata;
}

// The byte ranges, in data order, must tile [0, data_size): each begins where the last ended.
void check_tiling(std::vector<Entry>& entries, uint64_t data_start, uint64_t data_size,
                  const std::string& context) {
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t expected = 0;
  const Entry* previous = nullptr;
  for (const Entry& entry : entries) {
    if (entry.begin < expected) {
      FAIL_AT(context, entry.offsets_byte, "data of tensor " << json::quote(entry.name) << " ["
              << entry.begin << ", " << entry.end << ") overlaps tensor " << json::quote(previous->name)
              << " [" << previous->begin << ", " << previous->end << ")");
    }
    if (entry.begin > expected) {
      FAIL_AT(context, data_start + expected, "data bytes [" << expected << ", " << entry.begin
              << ") belong to no tensor (expected tensor " << json::quote(entry.name) << " to start at "
              << expected << ")");
    }
    expected = entry.end;
    previous = &entry;
  }
  if (expected != data_size) {
    FAIL_AT(context, data_start + expected, data_size - expected
            << " trailing bytes after the last tensor's data (expected the file to end at byte "
            << data_start + expected << ")");
  }
}

// Called with n after the bytes [0, n) of the file have been copied out and will not be read again.
using ReleaseBefore = std::function<void(uint64_t end)>;

// Copies `size` bytes at `offset` into `destination` in 16 MB steps, releasing each step's
// source pages right after, so a mapped file never holds a whole tensor twice.
void copy_out(uint8_t* destination, const uint8_t* bytes, uint64_t offset, uint64_t size,
              const ReleaseBefore& release) {
  constexpr uint64_t kStep = uint64_t{16} << 20;
  for (uint64_t done = 0; done < size;) {
    const uint64_t n = std::min(kStep, size - done);
    std::memcpy(destination + done, bytes + offset + done, n);
    done += n;
    if (release) release(offset + done);
  }
}

SafetensorsContents parse_safetensors(const uint8_t* bytes, uint64_t size, const std::string& context,
                                      const ReleaseBefore& release = {}) {
  if (size < 8) {
    FAIL_AT(context, 0, "expected an 8-byte little-endian header length, but the file has only "
            << size << " bytes");
  }
  uint64_t header_length = 0;
  for (int k = 7; k >= 0; --k) header_length = (header_length << 8) | bytes[k];
  if (header_length > safetensors_format::kMaxHeaderBytes) {
    FAIL_AT(context, 0, "header length " << header_length << " exceeds the format's limit of "
            << safetensors_format::kMaxHeaderBytes << " bytes (100 MB); refusing to parse it");
  }
  if (header_length > size - 8) {
    FAIL_AT(context, 0, "header length " << header_length << " runs past the end of the file ("
            << size << " bytes, so at most " << size - 8 << " are left for the header)");
  }
  const std::string_view header(reinterpret_cast<const char*>(bytes) + 8, header_length);
  const size_t bad_utf8 = json::invalid_utf8_position(header);
  if (bad_utf8 != std::string_view::npos) {
    FAIL_AT(context, 8 + bad_utf8, "expected UTF-8 text in the header, got byte 0x" << std::hex
            << static_cast<int>(static_cast<uint8_t>(header[bad_utf8])));
  }
  const json::Value root = json::parse(header, context, 8);
  if (root.kind != json::Value::Kind::object) {
    FAIL_AT(context, root.offset, "expected the header to be a JSON object, got " << json::kind_name(root.kind));
  }

  const uint64_t data_start = 8 + header_length;
  const uint64_t data_size = size - data_start;
  SafetensorsContents contents;
  std::vector<Entry> entries;
  for (const auto& [name, value] : root.members) {
    if (name == kMetadataKey) {
      contents.metadata = parse_metadata(value, context);
    } else {
      entries.push_back(parse_entry(name, value, context, data_size));
    }
  }
  check_tiling(entries, data_start, data_size, context);  // also sorts them in data order
  if (release) release(data_start);                       // the header is parsed
  for (const Entry& entry : entries) {
    Tensor tensor = Tensor::empty(entry.shape, entry.dtype);
    copy_out(static_cast<uint8_t*>(tensor.raw_data()), bytes, data_start + entry.begin, entry.end - entry.begin,
             release);
    contents.tensors.emplace(entry.name, std::move(tensor));
  }
  return contents;
}

// A read-only private mapping of a whole file, unmapped on scope exit. Files are replaced by
// rename (atomic_file.hpp), never rewritten in place, so the mapped inode keeps its bytes while
// we read it. (Truncating a file while it is mapped would make a read fault with SIGBUS.)
struct MappedFile {
  const uint8_t* bytes = nullptr;
  uint64_t size = 0;
  uint64_t released = 0;  // pages [0, released) were handed back with MADV_DONTNEED

  MappedFile(const std::string& path, const std::string& context) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    FULCRUM_CHECK(fd >= 0, context << ": cannot open the file: " << std::strerror(errno));
    struct stat status {};
    const int stat_result = ::fstat(fd, &status);
    const int stat_errno = errno;
    if (stat_result != 0 || !S_ISREG(status.st_mode)) {
      ::close(fd);
      FULCRUM_CHECK(stat_result == 0, context << ": cannot stat the file: " << std::strerror(stat_errno));
      FULCRUM_FAIL(context << (S_ISDIR(status.st_mode) ? ": is a directory, expected a file"
                                                        : ": is not a regular file"));
    }
    size = static_cast<uint64_t>(status.st_size);
    if (size > 0) {  // mmap refuses a length of 0; an empty file is reported by the parser
      void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      const int map_errno = errno;
      ::close(fd);
      FULCRUM_CHECK(address != MAP_FAILED, context << ": cannot map the file (" << size << " bytes): "
                                                   << std::strerror(map_errno));
      bytes = static_cast<const uint8_t*>(address);
      ::madvise(const_cast<uint8_t*>(bytes), size, MADV_SEQUENTIAL);  // a hint: read ahead
    } else {
      ::close(fd);
    }
  }
  ~MappedFile() {
    if (bytes) ::munmap(const_cast<uint8_t*>(bytes), size);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Drops the whole pages below `end` from this process (they stay in the page cache): the
  // mapped copy and the tensors' copy of the same bytes are never both resident.
  void release_before(uint64_t end) {
    const auto page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    const uint64_t upto = end / page * page;
    if (upto <= released) return;
    ::madvise(const_cast<uint8_t*>(bytes) + released, upto - released, MADV_DONTNEED);
    released = upto;
  }
};

}  // namespace

SafetensorsContents deserialize_safetensors(const std::vector<uint8_t>& bytes, const std::string& source) {
  std::string context = "deserialize_safetensors: ";
  return parse_safetensors(bytes.data(), bytes.size(), context.append(source));
}

SafetensorsContents load_safetensors_with_metadata(const std::string& path) {
  std::string context = "load_safetensors: '";
  context.append(path).append("'");
  MappedFile file(path, context);
  return parse_safetensors(file.bytes, file.size, context,
                           [&](uint64_t end) { file.release_before(end); });
}

NamedTensors load_safetensors(const std::string& path) { return load_safetensors_with_metadata(path).tensors; }

}  // namespace fulcrum::io
