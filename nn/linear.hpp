// nn/linear.hpp — Linear (y = x Wᵀ + b), Flatten, and Embedding (a lookup table of rows).
// Defaults follow PyTorch: Linear's weight and bias ~ U(−1/√in, 1/√in), Embedding's ~ N(0, 1).
// The functional forms are in nn/functional.hpp; the Module base in nn/module.hpp.
#pragma once
#include <optional>

#include "nn/module.hpp"

namespace fulcrum::nn {

struct LinearOptions {
  int64_t in_features = 0;
  int64_t out_features = 0;
  bool bias = true;
};

class Linear : public Module {
public:
  explicit Linear(LinearOptions options);
  Tensor forward(const Tensor& input) override;  // [..., in_features] → [..., out_features]
  std::string extra_repr() const override;
  void reset_parameters();  // kaiming_uniform_(a = √5) for the weight, U(±1/√fan_in) for the bias

  LinearOptions options;
  Tensor weight;  // [out_features, in_features]
  Tensor bias;    // [out_features]; undefined when options.bias is false
};

struct FlattenOptions {
  int64_t start_dim = 1;  // keeps the batch dim, unlike torch.flatten's default 0
  int64_t end_dim = -1;
};

class Flatten : public Module {
public:
  explicit Flatten(FlattenOptions options = {}) : Module("Flatten"), options(options) {}
  Tensor forward(const Tensor& input) override { return input.flatten(options.start_dim, options.end_dim); }
  std::string extra_repr() const override;

  FlattenOptions options;
};

struct EmbeddingOptions {
  int64_t num_embeddings = 0;
  int64_t embedding_dim = 0;
  // The row for this index is initialised to zeros and gets no gradient (negative counts from
  // the end, as in PyTorch).
  std::optional<int64_t> padding_idx = std::nullopt;
};

class Embedding : public Module {
public:
  explicit Embedding(EmbeddingOptions options);
  Tensor forward(const Tensor& indices) override;  // i64 indices [...] → [..., embedding_dim]
  std::string extra_repr() const override;
  void reset_parameters();  // N(0, 1), padding row zeroed

  EmbeddingOptions options;
  Tensor weight;  // [num_embeddings, embedding_dim]
};

}  // namespace fulcrum::nn
