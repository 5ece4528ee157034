// core/storage.hpp — a reference-counted block of bytes on one device, shared by a tensor and
// all its views. `version` counts in-place writes, so autograd can refuse to use a saved tensor
// that was modified after it was saved (PyTorch's version counter).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/device.hpp"

namespace fulcrum {

struct Storage {
  void* data = nullptr;
  int64_t nbytes = 0;
  Device device;
  uint64_t version = 0;
  std::shared_ptr<void> owner;  // frees `data`; null for borrowed memory

  // Tests set this so that fresh storage is filled with 0xFF bytes (NaN in f32/f64, −1 in i64):
  // an element a kernel forgets to write then shows up in the value tests.
  static inline bool fill_new_with_nan = false;

  // Allocates nbytes, 64-byte aligned, uninitialised (or NaN-filled, see above).
  static std::shared_ptr<Storage> allocate(int64_t nbytes, Device device);
};

}  // namespace fulcrum
