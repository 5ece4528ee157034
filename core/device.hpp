// core/device.hpp — where a tensor's storage lives and which Backend runs its ops:
//   "cpu"     host memory, the fast kernels (core/cpu/: OpenBLAS, OpenMP);
//   "ref"     host memory, the reference kernels (cpu::ref, one element at a time): the oracle
//             that every other device is checked against (tests/test_parity.cpp);
//   "cuda:N"  GPU N, when a CUDA backend is registered (core/backend.hpp: the registry).
// Host-memory devices can read each other's storage; moving between them is a plain copy.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>

namespace fulcrum {

enum class DeviceType : uint8_t { cpu, ref, cuda };

struct Device {
  DeviceType type = DeviceType::cpu;
  int index = 0;

  static Device cpu() { return {DeviceType::cpu, 0}; }
  static Device ref() { return {DeviceType::ref, 0}; }
  static Device cuda(int index = 0) { return {DeviceType::cuda, index}; }
  // "cpu", "ref", "cuda" (= cuda:0) or "cuda:N": PyTorch's spellings. An Error names the text.
  static Device parse(const std::string& text);
  Device() = default;
  Device(DeviceType type_, int index_) : type(type_), index(index_) {}
  // So that x.to("ref") and Module::to("cuda:0") read as in PyTorch.
  Device(const char* text) : Device(parse(text)) {}          // NOLINT(google-explicit-constructor)
  Device(const std::string& text) : Device(parse(text)) {}   // NOLINT(google-explicit-constructor)

  bool is_cpu() const { return type == DeviceType::cpu; }
  // Storage in host memory (cpu and ref): data_ptr may be read directly.
  bool is_host() const { return type == DeviceType::cpu || type == DeviceType::ref; }
  bool operator==(const Device&) const = default;
  std::string str() const {
    switch (type) {
      case DeviceType::cpu: return "cpu";
      case DeviceType::ref: return "ref";
      case DeviceType::cuda: return "cuda:" + std::to_string(index);
    }
    return "?";
  }
};
inline std::ostream& operator<<(std::ostream& os, const Device& device) { return os << device.str(); }

}  // namespace fulcrum
