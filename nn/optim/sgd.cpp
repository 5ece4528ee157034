// nn/optim/sgd.cpp — the SGD update in PyTorch's exact order of operations (torch.optim.SGD),
// written with Tensor ops so it runs on every device; in place, under NoGradGuard.
#include "nn/optim/sgd.hpp"

#include "core/ops.hpp"

namespace fulcrum::optim {

SGD::SGD(std::vector<Tensor> params, SGDOptions options) : SGD({{std::move(params), options}}) {}

SGD::SGD(std::vector<ParamGroup<SGDOptions>> groups) {
  FULCRUM_CHECK(!groups.empty(), "SGD: optimizer got an empty list of parameter groups");
  init(std::move(groups));
}

void SGD::validate(const SGDOptions& o) const {
  FULCRUM_CHECK(o.lr >= 0.0, "SGD: invalid learning rate " << o.lr << " (expected ≥ 0)");
  FULCRUM_CHECK(o.momentum >= 0.0, "SGD: invalid momentum " << o.momentum << " (expected ≥ 0)");
  FULCRUM_CHECK(o.weight_decay >= 0.0,
                "SGD: invalid weight_decay " << o.weight_decay << " (expected ≥ 0)");
  FULCRUM_CHECK(!o.nesterov || (o.momentum > 0.0 && o.dampening == 0.0),
                "SGD: Nesterov momentum requires momentum > 0 and zero dampening, got momentum "
                << o.momentum << " and dampening " << o.dampening);
}

// For each parameter θ with a gradient:
//   g   = grad + wd·θ                          (weight decay as an L2 term)
//   buf = g on the first step, else μ·buf + (1 − dampening)·g
//   g   = nesterov ? g + μ·buf : buf           (when μ ≠ 0)
//   θ  −= lr·g
void SGD::step() {
  for_each_param_with_grad([&](size_t group, const Tensor& param, Tensor d_p, ParamState& state) {
    const SGDOptions& o = options(group);
    if (o.maximize) d_p = neg(d_p);
    if (o.weight_decay != 0.0) d_p = add(d_p, param.detach(), o.weight_decay);
    if (o.momentum != 0.0) {
      auto it = state.buffers.find("momentum_buffer");
      if (it == state.buffers.end()) {
        it = state.buffers.emplace("momentum_buffer", clone(d_p)).first;
      } else {
        it->second.mul_(o.momentum).add_(d_p, 1.0 - o.dampening);
      }
      d_p = o.nesterov ? add(d_p, it->second, o.momentum) : it->second;
    }
    param.add_(d_p, -o.lr);
  });
}

}  // namespace fulcrum::optim
