// autograd/node.cpp — recording: grad mode, record() (which makes a Node and links its edges),
// and saved-tensor checks (freed after backward; modified in place since saved).
#include "autograd/node.hpp"

#include <cctype>

namespace fulcrum {

namespace {
thread_local bool grad_mode = true;
}  // namespace

bool grad_mode_enabled() { return grad_mode; }
NoGradGuard::NoGradGuard() : previous_(grad_mode) { grad_mode = false; }
NoGradGuard::~NoGradGuard() { grad_mode = previous_; }

bool any_requires_grad(std::initializer_list<const Tensor*> inputs) {
  if (!grad_mode) return false;
  for (const Tensor* t : inputs) {
    if (t->defined() && t->requires_grad()) return true;
  }
  return false;
}
bool any_requires_grad(const std::vector<Tensor>& inputs) {
  if (!grad_mode) return false;
  for (const Tensor& t : inputs) {
    if (t.defined() && t.requires_grad()) return true;
  }
  return false;
}

std::shared_ptr<Node> record(OpKind op, const std::vector<const Tensor*>& inputs, Tensor& output,
                             OpAttrs attrs) {
  auto node = std::make_shared<Node>();
  node->op = op;
  node->attrs = std::move(attrs);
  for (const Tensor* input : inputs) {
    Edge edge;
    if (!input->defined()) {  // an optional input that was not given (a conv without bias)
      node->next.push_back(edge);
      node->input_shapes.emplace_back();
      node->input_dtypes.push_back(DType::f32);
      node->input_devices.push_back(output.device());
      continue;
    }
    if (input->requires_grad()) {
      if (input->grad_fn()) edge.node = input->grad_fn();
      else edge.leaf = input->impl_ptr();
    }
    node->next.push_back(edge);
    node->input_shapes.push_back(input->shape());
    node->input_dtypes.push_back(input->dtype());
    node->input_devices.push_back(input->device());
  }
  TensorImpl* out = output.impl();
  out->grad_fn = node;
  out->requires_grad = true;
  node->output = output.impl_ptr();
  return node;
}

Node::~Node() {
  std::vector<std::shared_ptr<Node>> orphans;
  auto adopt = [&](std::vector<Edge>& edges) {
    for (Edge& edge : edges) {
      if (edge.node && edge.node.use_count() == 1) orphans.push_back(std::move(edge.node));
    }
  };
  adopt(next);
  while (!orphans.empty()) {
    std::shared_ptr<Node> node = std::move(orphans.back());
    orphans.pop_back();
    adopt(node->next);  // take its children before it dies, so its destructor has nothing to free
  }
}

// Saved tensors are detached aliases: they share storage (and so the version counter) but not
// history, so saving an op's own output does not make a reference cycle.
void Node::save(const Tensor& tensor) {
  saved_.push_back({tensor.detach(), tensor.storage()->version});
}

const Tensor& Node::saved(size_t index) const {
  FULCRUM_CHECK(!released_, "backward: trying to backward through the graph a second time (the saved "
                            "tensors of " << name() << " were freed); pass retain_graph = true to "
                            "the first backward if you need to call it twice");
  const SavedTensor& s = saved_.at(index);
  FULCRUM_CHECK(s.tensor.storage()->version == s.version,
                "backward: a tensor saved by " << name() << " (shape " << shape_str(s.tensor.shape())
                << ") was modified in place after it was saved (version " << s.version << " → "
                << s.tensor.storage()->version << "); the gradient would be wrong");
  return s.tensor;
}

void Node::release_saved() {
  if (saved_.empty()) return;  // nothing to free: a second backward through it stays valid
  saved_.clear();
  released_ = true;
}

// "log_softmax" → "LogSoftmaxBackward", like PyTorch's grad_fn names.
std::string Node::name() const {
  std::string result;
  bool upper = true;
  for (const char* c = op_name(op); *c; ++c) {
    if (*c == '_') { upper = true; continue; }
    result += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(*c))) : *c;
    upper = false;
  }
  return result + "Backward";
}

std::string grad_fn_name(const Node& node) { return node.name(); }  // declared in core/op.hpp

}  // namespace fulcrum
