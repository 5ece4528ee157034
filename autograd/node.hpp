// autograd/node.hpp — one recorded op on the tape. A Node knows its op, the edges to the
// nodes (or leaf tensors) that produced its inputs, the tensors it saved for backward, and the
// op's attributes. The backward formulas live in derivatives.cpp; the engine in engine.cpp.
#pragma once
#include <memory>
#include <vector>

#include "core/op.hpp"
#include "core/tensor.hpp"

namespace fulcrum {

// Where the gradient of one input goes: into another node, or into a leaf's .grad.
// Both empty: that input does not need a gradient.
struct Edge {
  std::shared_ptr<Node> node;
  std::shared_ptr<TensorImpl> leaf;
  bool needs_grad() const { return node != nullptr || leaf != nullptr; }
};

// A tensor saved for backward, with the storage version it had when saved.
struct SavedTensor {
  Tensor tensor;
  uint64_t version = 0;
};

struct Node {
  Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  // Frees the chain of nodes only this one keeps alive with a loop, not recursion, so a graph
  // of a million ops does not overflow the stack when it is dropped.
  ~Node();

  OpKind op;
  OpAttrs attrs;
  std::vector<Edge> next;             // one per input, in the op's argument order
  std::vector<Shape> input_shapes;    // for sum_to / zeros in backward
  std::vector<DType> input_dtypes;
  std::vector<Device> input_devices;  // gradients are made on, and must arrive on, these devices
  std::weak_ptr<TensorImpl> output;   // for retain_grad()

  // Saved tensors: access through saved(i), which checks they are still valid.
  void save(const Tensor& tensor);
  const Tensor& saved(size_t index) const;
  size_t saved_count() const { return saved_.size(); }  // for ops that save an optional tensor last
  void release_saved();               // after backward without retain_graph
  bool has_saved() const { return !saved_.empty() || released_; }

  std::string name() const;           // "MulBackward", as PyTorch prints grad_fn
  // True when the output is alive and asked for retain_grad(): the engine then stores its grad.
  bool retain_output_grad() const {
    auto out = output.lock();
    return out && out->retains_grad;
  }

private:
  std::vector<SavedTensor> saved_;
  bool released_ = false;
};

// Grad mode: on by default; NoGradGuard turns recording off for its scope (thread-local).
bool grad_mode_enabled();
class NoGradGuard {
public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

private:
  bool previous_;
};

// True when grad mode is on and any input requires grad: then the op must record a Node.
bool any_requires_grad(std::initializer_list<const Tensor*> inputs);
bool any_requires_grad(const std::vector<Tensor>& inputs);

// Records `op` producing `output` from `inputs`: makes the Node, links edges, sets
// output.grad_fn and requires_grad. Returns the node so the op can save tensors into it.
std::shared_ptr<Node> record(OpKind op, const std::vector<const Tensor*>& inputs, Tensor& output,
                             OpAttrs attrs = {});

}  // namespace fulcrum
