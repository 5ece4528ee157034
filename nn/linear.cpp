// nn/linear.cpp — Linear, Flatten and Embedding: shape checks that name the layer, PyTorch's
// default initialisation, and forwards to F::linear / flatten / F::embedding.
#include "nn/linear.hpp"

#include <cmath>

#include "autograd/node.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/functional.hpp"
#include "nn/init.hpp"
#include "nn/options.hpp"

namespace fulcrum::nn {

Linear::Linear(LinearOptions options_) : Module("Linear"), options(options_) {
  FULCRUM_CHECK(options.in_features >= 1 && options.out_features >= 1,
                "Linear: in_features and out_features must be ≥ 1, got in_features = "
                    << options.in_features << ", out_features = " << options.out_features);
  weight = register_parameter("weight", empty({options.out_features, options.in_features}));
  if (options.bias) bias = register_parameter("bias", empty({options.out_features}));
  reset_parameters();
}

void Linear::reset_parameters() {
  // kaiming_uniform_ with a = √5: gain = √(2 / (1 + 5)) = √(1/3), bound = √3 · gain / √fan_in
  // = 1/√fan_in. The bias uses the same bound (PyTorch's reset_parameters).
  init::kaiming_uniform_(weight, {.a = std::sqrt(5.0)});
  if (bias.defined()) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(options.in_features));
    init::uniform_(bias, -bound, bound);
  }
}

Tensor Linear::forward(const Tensor& input) {
  FULCRUM_CHECK(input.defined(), "Linear: the input tensor is undefined");
  FULCRUM_CHECK(input.dim() >= 1 && input.size(-1) == options.in_features,
                "Linear(" << extra_repr() << "): expected input [..., " << options.in_features << "], got "
                          << shape_str(input.shape()));
  return F::linear(input, weight, bias);
}

std::string Linear::extra_repr() const {
  std::string out = "in_features=";
  out.append(std::to_string(options.in_features)).append(", out_features=");
  out.append(std::to_string(options.out_features)).append(", bias=").append(detail::repr_bool(options.bias));
  return out;
}

std::string Flatten::extra_repr() const {
  std::string out = "start_dim=";
  out.append(std::to_string(options.start_dim)).append(", end_dim=").append(std::to_string(options.end_dim));
  return out;
}

Embedding::Embedding(EmbeddingOptions options_) : Module("Embedding"), options(options_) {
  FULCRUM_CHECK(options.num_embeddings >= 1 && options.embedding_dim >= 1,
                "Embedding: num_embeddings and embedding_dim must be ≥ 1, got "
                    << options.num_embeddings << " and " << options.embedding_dim);
  if (options.padding_idx) {
    int64_t& index = *options.padding_idx;
    FULCRUM_CHECK(index >= -options.num_embeddings && index < options.num_embeddings,
                  "Embedding: padding_idx " << index << " must be within num_embeddings " << options.num_embeddings);
    if (index < 0) index += options.num_embeddings;  // stored non-negative, as PyTorch does
  }
  weight = register_parameter("weight", empty({options.num_embeddings, options.embedding_dim}));
  reset_parameters();
}

void Embedding::reset_parameters() {
  init::normal_(weight);
  if (options.padding_idx) init::zeros_(weight.select(0, *options.padding_idx));
}

Tensor Embedding::forward(const Tensor& indices) {
  FULCRUM_CHECK(indices.defined(), "Embedding: the indices tensor is undefined");
  FULCRUM_CHECK(indices.dtype() == DType::i64, "Embedding(" << extra_repr() << "): indices must be i64, got "
                                                            << indices.dtype());
  Tensor out = F::embedding(indices, weight);
  if (!options.padding_idx) return out;
  // Rows looked up at padding_idx come from a detached copy of the weight: same values, but
  // where() sends their gradient nowhere, so the padding row never trains (PyTorch's rule).
  Tensor is_padding = (indices == static_cast<double>(*options.padding_idx)).unsqueeze(-1);
  return where(is_padding, out.detach(), out);
}

std::string Embedding::extra_repr() const {
  std::string out = std::to_string(options.num_embeddings);
  out.append(", ").append(std::to_string(options.embedding_dim));
  if (options.padding_idx) out.append(", padding_idx=").append(std::to_string(*options.padding_idx));
  return out;
}

}  // namespace fulcrum::nn
