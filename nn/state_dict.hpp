// nn/state_dict.hpp — StateDict: named tensors (parameters and buffers, "conv1.weight" …), the
// currency between Module::state_dict() / load_state_dict() and the safetensors files in
// io/. Sorted by name (a std::map), which is also the order files list them in.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace fulcrum::nn {

using StateDict = std::map<std::string, Tensor>;

// What Module::load_state_dict(state, strict = false) skipped (PyTorch's _IncompatibleKeys):
// keys the module has but `state` lacks (left unchanged), and keys of `state` the module does not
// have (ignored). Both sorted by name; both empty after a strict load.
struct IncompatibleKeys {
  std::vector<std::string> missing_keys;
  std::vector<std::string> unexpected_keys;
};

}  // namespace fulcrum::nn
