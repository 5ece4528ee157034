// core/cpu/host_memory.hpp — the memory half of a Backend whose device is host memory (cpu and
// ref): storage from allocate_host, copies to and from the host as memcpy.
#pragma once
#include <cstring>

#include "core/backend.hpp"

namespace fulcrum::cpu {

struct HostMemoryBackend : Backend {
  std::shared_ptr<Storage> allocate(int64_t nbytes, Device device) override { return allocate_host(nbytes, device); }
  void copy_to_host(const void* src, void* host_dst, int64_t nbytes) override {
    if (nbytes > 0) std::memcpy(host_dst, src, static_cast<size_t>(nbytes));
  }
  void copy_from_host(const void* host_src, void* dst, int64_t nbytes) override {
    if (nbytes > 0) std::memcpy(dst, host_src, static_cast<size_t>(nbytes));
  }
};

}  // namespace fulcrum::cpu
