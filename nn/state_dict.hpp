// nn/state_dict.hpp — StateDict: named tensors (parameters and buffers, "conv1.weight" …), the
// currency between Module::state_dict() / load_state_dict() and the safetensors files in
// nn/serialization/. Sorted by name (a std::map), which is also the order files list them in.
#pragma once
#include <map>
#include <string>

#include "core/tensor.hpp"

namespace fulcrum::nn {

using StateDict = std::map<std::string, Tensor>;

}  // namespace fulcrum::nn
