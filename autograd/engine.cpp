// autograd/engine.cpp — the reverse pass. Three steps:
//   1. collect every node reachable from the root's grad_fn and count, for each, how many
//      edges point at it (its dependencies);
//   2. walk nodes in topological order (a node runs once all gradients flowing into it are in),
//      calling its backward formula (derivatives.cpp) on the summed incoming gradient;
//   3. deliver each input gradient to the next node, or accumulate it into a leaf's .grad.
// Backward formulas run with grad mode off (no graph of the graph: no double backward).
// In anomaly mode (core/anomaly.hpp) every gradient a formula returns is checked for NaN/inf.
#include "autograd/engine.hpp"

#include <optional>
#include <sstream>
#include <unordered_map>

#include "autograd/derivatives.hpp"
#include "autograd/node.hpp"
#include "core/anomaly.hpp"
#include "core/ops.hpp"
#include "core/ops_common.hpp"
#include "core/profiler.hpp"

namespace fulcrum {
namespace {

// .grad += gradient, in place after the first time (so references to .grad stay valid).
void accumulate_into_leaf(TensorImpl& leaf, const Tensor& gradient) {
  FULCRUM_CHECK(gradient.shape() == leaf.shape, "backward: gradient of shape " << shape_str(gradient.shape())
                                                << " for a leaf of shape " << shape_str(leaf.shape));
  if (!leaf.grad.defined()) leaf.grad = gradient.clone();  // own copy: never alias another grad
  else leaf.grad.add_(gradient);
}

// Anomaly mode: the first non-finite gradient `node`'s formula returned is an Error naming the
// node, the forward op that created it (with its input shapes) and where the bad value sits.
void check_gradients(const Node& node, const Tensor& grad_output, const std::vector<Tensor>& grads) {
  for (size_t i = 0; i < node.next.size() && i < grads.size(); ++i) {
    if (!node.next[i].needs_grad()) continue;
    const std::optional<NonFinite> bad = first_non_finite(grads[i]);
    if (!bad) continue;
    std::ostringstream inputs;
    for (size_t k = 0; k < node.input_shapes.size(); ++k) inputs << (k ? ", " : "") << shape_str(node.input_shapes[k]);
    const std::optional<NonFinite> incoming = first_non_finite(grad_output);
    FULCRUM_FAIL("detect_anomaly: " << node.name() << " (the backward of forward op " << op_name(node.op)
                 << " with input shapes " << inputs.str() << ") returned " << describe(*bad, grads[i].shape())
                 << " in the gradient for input " << i << "; the incoming gradient "
                 << shape_str(grad_output.shape()) << " "
                 << (incoming ? "already held " + describe(*incoming, grad_output.shape()) : std::string("was finite")));
  }
}

}  // namespace

void backward(const Tensor& root, const Tensor& gradient_in, bool retain_graph) {
  FULCRUM_CHECK(root.defined(), "backward: the tensor is undefined");
  FULCRUM_CHECK(root.requires_grad(), "backward: the tensor does not require grad and has no grad_fn "
                                      "(did you forget requires_grad on an input, or call it under "
                                      "NoGradGuard?)");
  Tensor gradient = gradient_in;
  if (!gradient.defined()) {
    FULCRUM_CHECK(root.numel() == 1, "backward: grad can be implicitly created only for one-element "
                                     "outputs; this one has shape " << shape_str(root.shape())
                                     << ", so pass a gradient of that shape");
    gradient = ones_like(root);
  }
  FULCRUM_CHECK(gradient.shape() == root.shape() && gradient.dtype() == root.dtype(),
                "backward: gradient " << shape_str(gradient.shape()) << " " << gradient.dtype()
                << " does not match the output " << shape_str(root.shape()) << " " << root.dtype());
  NoGradGuard no_grad;
  // Backward formulas are written with forward ops; in anomaly mode the engine checks the
  // gradients they return (check_gradients) instead of reporting "mul" or "div" as forward ops.
  detail::SuspendForwardChecks gradients_are_checked_below;

  if (!root.grad_fn()) {  // the root is itself a leaf
    accumulate_into_leaf(*root.impl(), gradient);
    return;
  }

  // 1. Dependencies: for each node, the number of edges from other reachable nodes into it.
  std::unordered_map<Node*, int> dependencies;
  std::vector<Node*> stack = {root.grad_fn().get()};
  dependencies[root.grad_fn().get()] = 0;
  while (!stack.empty()) {
    Node* node = stack.back();
    stack.pop_back();
    for (const Edge& edge : node->next) {
      if (!edge.node) continue;
      if (dependencies.find(edge.node.get()) == dependencies.end()) stack.push_back(edge.node.get());
      ++dependencies[edge.node.get()];
    }
  }

  // 2–3. Run nodes whose gradients are complete; keep the incoming sums until then.
  std::unordered_map<Node*, Tensor> pending = {{root.grad_fn().get(), gradient}};
  std::vector<Node*> ready = {root.grad_fn().get()};
  while (!ready.empty()) {
    Node* node = ready.back();
    ready.pop_back();
    Tensor grad_output = std::move(pending[node]);
    pending.erase(node);
    if (node->retain_output_grad()) accumulate_into_leaf(*node->output.lock(), grad_output);

    std::vector<Tensor> grads;
    {
      profiler::Scope scope([&] { return "backward:" + node->name(); });
      detail::IndicesAlreadyChecked checked_in_forward;
      grads = run_backward(*node, grad_output);
      if (is_anomaly_enabled()) [[unlikely]] check_gradients(*node, grad_output, grads);
    }
    if (!retain_graph) node->release_saved();
    for (size_t i = 0; i < node->next.size(); ++i) {
      const Edge& edge = node->next[i];
      if (!edge.needs_grad()) continue;
      const Tensor& g = grads.at(i);
      FULCRUM_CHECK(g.defined() && g.shape() == node->input_shapes[i] && g.device() == node->input_devices[i],
                    "backward of " << node->name() << " returned "
                    << (g.defined() ? shape_str(g.shape()) + " on " + g.device().str() : std::string("nothing"))
                    << " for input " << i << " of shape " << shape_str(node->input_shapes[i]) << " on "
                    << node->input_devices[i].str() << " (internal error)");
      if (edge.leaf) {
        accumulate_into_leaf(*edge.leaf, g);
        continue;
      }
      Node* next = edge.node.get();
      auto it = pending.find(next);
      if (it == pending.end()) pending.emplace(next, g);
      else it->second = it->second + g;
      if (--dependencies[next] == 0) ready.push_back(next);
    }
  }
}

}  // namespace fulcrum
