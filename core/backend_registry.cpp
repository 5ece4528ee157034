// core/backend_registry.cpp — which Backend runs the ops of a device: a table indexed by the
// device type, holding the built-in cpu and ref backends from the start and whatever a CUDA
// build registers. Anomaly mode (core/anomaly.hpp) hands out the same backend wrapped in checks.
#include <array>
#include <sstream>

#include "core/anomaly.hpp"
#include "core/backend.hpp"
#include "core/error.hpp"

namespace fulcrum {
namespace {

constexpr size_t kDeviceTypes = 3;  // cpu, ref, cuda (core/device.hpp)

std::array<Backend*, kDeviceTypes>& registry() {
  static std::array<Backend*, kDeviceTypes> backends = {&cpu_backend(), &ref_backend(), nullptr};
  return backends;
}

}  // namespace

void register_backend(DeviceType type, Backend* backend) {
  registry().at(static_cast<size_t>(type)) = backend;
}

std::vector<Device> available_devices() {
  std::vector<Device> devices;
  for (size_t t = 0; t < kDeviceTypes; ++t) {
    if (registry()[t] != nullptr) devices.emplace_back(static_cast<DeviceType>(t), 0);
  }
  return devices;
}

Backend& backend_for(Device device) {
  Backend* backend = registry()[static_cast<size_t>(device.type)];
  if (backend == nullptr) [[unlikely]] {
    std::ostringstream known;
    for (const Device& d : available_devices()) known << (known.tellp() > 0 ? ", " : "") << d.str();
    FULCRUM_FAIL("device " << device.str() << ": no backend for it in this build (available: " << known.str()
                           << (device.type == DeviceType::cuda ? "; build with -Dcuda=enabled on a machine with CUDA" : "")
                           << ")");
  }
  // Anomaly mode: one relaxed load and a branch per op call when the mode is off.
  if (is_anomaly_enabled()) [[unlikely]] return detail::anomaly_checking_backend(*backend);
  return *backend;
}

}  // namespace fulcrum
