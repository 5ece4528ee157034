// nn/init.hpp — parameter initialisers in torch.nn.init's names and formulas. Each fills a
// tensor in place (under NoGradGuard, so it works on parameters) from `generator`, the default
// one when null, and returns it. Fans follow torch.nn.init._calculate_fan_in_and_fan_out:
// weight [out, in, k...] → fan_in = in·Πk, fan_out = out·Πk.
#pragma once
#include <optional>
#include <string>
#include <utility>

#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace fulcrum::nn::init {

// The recommended gain for a nonlinearity: linear / conv* / sigmoid → 1, tanh → 5/3,
// relu → √2, leaky_relu → √(2 / (1 + slope²)) (slope = param, 0.01 when absent), selu → 3/4.
double calculate_gain(const std::string& nonlinearity, std::optional<double> param = std::nullopt);
// {fan_in, fan_out} of a tensor with at least 2 dims.
std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& tensor);

const Tensor& uniform_(const Tensor& tensor, double low = 0.0, double high = 1.0, Generator* generator = nullptr);
const Tensor& normal_(const Tensor& tensor, double mean = 0.0, double std = 1.0, Generator* generator = nullptr);
const Tensor& constant_(const Tensor& tensor, double value);
const Tensor& zeros_(const Tensor& tensor);
const Tensor& ones_(const Tensor& tensor);

// Glorot: std = gain·√(2 / (fan_in + fan_out)); uniform bound = √3·std.
const Tensor& xavier_uniform_(const Tensor& tensor, double gain = 1.0, Generator* generator = nullptr);
const Tensor& xavier_normal_(const Tensor& tensor, double gain = 1.0, Generator* generator = nullptr);

struct KaimingOptions {
  double a = 0.0;                           // negative slope of the leaky_relu that follows
  std::string mode = "fan_in";              // "fan_in" keeps forward variance, "fan_out" backward
  std::string nonlinearity = "leaky_relu";  // with a = 0 this is relu's gain √2
};
// He: std = gain / √fan with gain = calculate_gain(nonlinearity, a); uniform bound = √3·std.
// Linear/Conv2d use kaiming_uniform_ with a = √5, i.e. the bound 1/√fan_in.
const Tensor& kaiming_uniform_(const Tensor& tensor, KaimingOptions options = {}, Generator* generator = nullptr);
const Tensor& kaiming_normal_(const Tensor& tensor, KaimingOptions options = {}, Generator* generator = nullptr);

}  // namespace fulcrum::nn::init
