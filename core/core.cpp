// core/core.cpp — the small pieces of the core: Error construction, Shape helpers, Storage
// allocation and the Philox generator. The Tensor handle is in tensor.cpp, printing in print.cpp.
#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "core/backend.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/shape.hpp"
#include "core/storage.hpp"

namespace fulcrum {

// ---- Error ----
namespace detail {
[[noreturn]] void throw_error(const char* file, int line, const std::string& message) {
  // Keep the path from the project root: ".../fulcrum/core/ops.cpp" → "core/ops.cpp".
  std::string path = file;
  for (const char* room : {"core/", "autograd/", "nn/", "losses/", "data/", "cuda/", "metrics/",
                           "examples/", "tests/", "bench/"}) {
    size_t at = path.rfind(room);
    if (at != std::string::npos) { path = path.substr(at); break; }
  }
  throw Error(message + " [" + path + ":" + std::to_string(line) + "]");
}
}  // namespace detail

// ---- Shape ----
int64_t numel(const Shape& shape) {
  int64_t count = 1;
  for (int64_t size : shape) count *= size;
  return count;
}

Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size());
  int64_t stride = 1;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    strides[d] = stride;
    stride *= std::max<int64_t>(shape[d], 1);
  }
  return strides;
}

std::string shape_str(const Shape& shape) {
  std::string text = "[";
  for (size_t d = 0; d < shape.size(); ++d) {
    if (d) text += ", ";
    text += std::to_string(shape[d]);
  }
  return text + "]";
}

// NumPy: align trailing dims; sizes must be equal or one of them 1.
Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b) {
  const size_t ndim = std::max(a.size(), b.size());
  Shape result(ndim);
  for (size_t i = 0; i < ndim; ++i) {
    const int64_t size_a = i < ndim - a.size() ? 1 : a[i - (ndim - a.size())];
    const int64_t size_b = i < ndim - b.size() ? 1 : b[i - (ndim - b.size())];
    FULCRUM_CHECK(size_a == size_b || size_a == 1 || size_b == 1,
                  op << ": shapes " << shape_str(a) << " and " << shape_str(b)
                     << " cannot broadcast (dim " << i << ": " << size_a << " vs " << size_b
                     << "; sizes must match or one must be 1)");
    result[i] = size_a == 1 ? size_b : size_a;
  }
  return result;
}

int64_t normalize_dim(const char* op, int64_t dim, int64_t ndim) {
  const int64_t rank = std::max<int64_t>(ndim, 1);  // a 0-d tensor accepts dim 0 and -1
  FULCRUM_CHECK(dim >= -rank && dim < rank, op << ": dim " << dim << " out of range for a tensor with "
                                               << ndim << " dims (expected " << -rank << " ≤ dim < "
                                               << rank << ")");
  return dim < 0 ? dim + rank : dim;
}

std::vector<int64_t> normalize_dims(const char* op, const std::vector<int64_t>& dims, int64_t ndim) {
  std::vector<int64_t> result;
  if (dims.empty()) {
    for (int64_t d = 0; d < ndim; ++d) result.push_back(d);
    return result;
  }
  for (int64_t dim : dims) {
    int64_t d = normalize_dim(op, dim, ndim);
    for (int64_t seen : result) {
      FULCRUM_CHECK(seen != d, op << ": dim " << d << " appears more than once in the dim list");
    }
    result.push_back(d);
  }
  std::sort(result.begin(), result.end());
  return result;
}

// ---- Device ----
Device Device::parse(const std::string& text) {
  if (text == "cpu") return cpu();
  if (text == "ref") return ref();
  if (text == "cuda") return cuda(0);
  if (text.rfind("cuda:", 0) == 0 && text.size() > 5 && text.size() <= 8 &&
      text.find_first_not_of("0123456789", 5) == std::string::npos) {
    return cuda(std::stoi(text.substr(5)));
  }
  FULCRUM_FAIL("device: \"" << (text.size() > 40 ? text.substr(0, 40) + "…" : text)
               << "\" is not a device; expected \"cpu\", \"ref\", \"cuda\" or \"cuda:N\"");
}

// ---- Storage ----
std::shared_ptr<Storage> Storage::allocate(int64_t nbytes, Device device) {
  FULCRUM_CHECK(nbytes >= 0, "allocate: negative size " << nbytes);
  return backend_for(device).allocate(nbytes, device);
}

std::shared_ptr<Storage> allocate_host(int64_t nbytes, Device device) {
  FULCRUM_CHECK(device.is_host(), "allocate_host: " << device.str() << " is not a host device");
  FULCRUM_CHECK(nbytes >= 0, "allocate: negative size " << nbytes);
  auto storage = std::make_shared<Storage>();
  const size_t rounded = (static_cast<size_t>(nbytes) + 63) / 64 * 64;
  void* data = std::aligned_alloc(64, std::max<size_t>(rounded, 64));
  FULCRUM_CHECK(data != nullptr, "allocate: out of memory asking for " << nbytes << " bytes");
  if (Storage::fill_new_with_nan) std::memset(data, 0xFF, rounded);
  storage->data = data;
  storage->nbytes = nbytes;
  storage->device = device;
  storage->owner = std::shared_ptr<void>(data, std::free);
  return storage;
}

// ---- Philox4x32-10 ----
// Ten rounds of: multiply two counter words by fixed constants, mix the 32-bit halves of the
// products with the other words and the key; bump the key by the Weyl constants each round.
std::array<uint32_t, 4> philox4x32(uint64_t counter_low, uint64_t counter_high, uint64_t key) {
  constexpr uint32_t kMul0 = 0xD2511F53, kMul1 = 0xCD9E8D57;
  constexpr uint32_t kWeyl0 = 0x9E3779B9, kWeyl1 = 0xBB67AE85;
  uint32_t c[4] = {static_cast<uint32_t>(counter_low), static_cast<uint32_t>(counter_low >> 32),
                   static_cast<uint32_t>(counter_high), static_cast<uint32_t>(counter_high >> 32)};
  uint32_t k[2] = {static_cast<uint32_t>(key), static_cast<uint32_t>(key >> 32)};
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = static_cast<uint64_t>(kMul0) * c[0];
    const uint64_t p1 = static_cast<uint64_t>(kMul1) * c[2];
    const uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
    const uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
    c[0] = hi1 ^ c[1] ^ k[0];
    c[1] = lo1;
    c[2] = hi0 ^ c[3] ^ k[1];
    c[3] = lo0;
    k[0] += kWeyl0;
    k[1] += kWeyl1;
  }
  return {c[0], c[1], c[2], c[3]};
}

double Generator::uniform() {
  auto words = block(reserve_blocks(1));
  return uniform_double(words[0], words[1]);
}

uint64_t Generator::random_below(uint64_t bound) {
  auto words = block(reserve_blocks(1));
  const uint64_t bits = (static_cast<uint64_t>(words[0]) << 32) | words[1];
  return static_cast<uint64_t>((static_cast<unsigned __int128>(bits) * bound) >> 64);
}

Generator& default_generator() {
  static Generator generator(0);
  return generator;
}
void manual_seed(uint64_t seed) { default_generator().manual_seed(seed); }

}  // namespace fulcrum
