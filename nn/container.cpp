// nn/container.cpp — Sequential's forward (each child in order) and indexing.
#include "nn/container.hpp"

#include "core/error.hpp"

namespace fulcrum::nn {

Tensor Sequential::forward(const Tensor& input) {
  Tensor x = input;
  for (const auto& module : modules_) x = module->forward(x);
  return x;
}

std::shared_ptr<Module> Sequential::operator[](int64_t index) const {
  const auto count = static_cast<int64_t>(modules_.size());
  FULCRUM_CHECK(index >= -count && index < count,
                "Sequential: index " << index << " is out of range for " << count << " modules");
  return modules_[static_cast<size_t>(index < 0 ? index + count : index)];
}

}  // namespace fulcrum::nn
