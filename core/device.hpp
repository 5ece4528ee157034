// core/device.hpp — where a tensor's storage lives. Only `cpu` is usable until the CUDA backend
// lands; `cuda:N` can be named (so errors can name it) but allocating there is an Error for now.
#pragma once
#include <ostream>
#include <string>

namespace fulcrum {

enum class DeviceType : uint8_t { cpu, cuda };

struct Device {
  DeviceType type = DeviceType::cpu;
  int index = 0;

  static Device cpu() { return {DeviceType::cpu, 0}; }
  static Device cuda(int index = 0) { return {DeviceType::cuda, index}; }
  bool is_cpu() const { return type == DeviceType::cpu; }
  bool operator==(const Device&) const = default;
  std::string str() const {
    return type == DeviceType::cpu ? "cpu" : "cuda:" + std::to_string(index);
  }
};
inline std::ostream& operator<<(std::ostream& os, const Device& device) { return os << device.str(); }

}  // namespace fulcrum
