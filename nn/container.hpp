// nn/container.hpp — Sequential: modules applied in order, registered as children "0", "1", …
// like torch.nn.Sequential, so a state_dict has keys "0.weight", "2.bias".
//   nn::Sequential model(nn::Linear({.in_features = 4, .out_features = 8}), nn::ReLU(),
//                        nn::Linear({.in_features = 8, .out_features = 2}));
#pragma once
#include <concepts>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "nn/module.hpp"

namespace fulcrum::nn {

namespace detail {
template <typename T> struct is_module_pointer : std::false_type {};
template <typename M> struct is_module_pointer<std::shared_ptr<M>> : std::bool_constant<std::derived_from<M, Module>> {};
}  // namespace detail

// A module handed over by value (moved in) or shared through a shared_ptr.
template <typename T>
concept ModuleArgument = (std::derived_from<std::remove_cvref_t<T>, Module> && !std::is_lvalue_reference_v<T>) ||
                         detail::is_module_pointer<std::remove_cvref_t<T>>::value;

class Sequential : public Module {
public:
  Sequential() : Module("Sequential") {}
  template <ModuleArgument... Ms>
    requires(sizeof...(Ms) > 0)
  explicit Sequential(Ms&&... modules) : Module("Sequential") {
    (push_back(std::forward<Ms>(modules)), ...);
  }

  // Appends a module as child str(size()); returns it.
  template <ModuleArgument M> auto push_back(M&& module) {
    auto registered = register_module(std::to_string(modules_.size()), std::forward<M>(module));
    modules_.push_back(registered);
    return registered;
  }

  Tensor forward(const Tensor& input) override;  // input → modules[0] → modules[1] → …
  std::shared_ptr<Module> operator[](int64_t index) const;  // negative counts from the end
  size_t size() const { return modules_.size(); }
  bool empty() const { return modules_.empty(); }

private:
  std::vector<std::shared_ptr<Module>> modules_;
};

}  // namespace fulcrum::nn
