// tests/op_cases.hpp — the gradcheck table: one line per differentiable op (more where an op has
// distinct paths: broadcasting, keepdim, batched). Each line gives the inputs (shape and domain:
// kinks and poles are avoided by the domain, not by luck), the function, and tolerances.
// test_gradcheck.cpp runs every line in f64, and fails if a differentiable op of op_list.def
// has no line here.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "nn/functional.hpp"

namespace fulcrum::testing {

// How to make one input: a real f64 leaf (requires grad unless constant), an i64 index in
// [0, high), or a u8 mask.
struct InputSpec {
  enum Kind { real, constant, index, mask } kind = real;
  Shape shape;
  double low = -1.0, high = 1.0;  // real: uniform in [low, high]; index: [0, high)
  bool away_from_zero = false;    // real: |x| ≥ 0.2 (keeps abs/relu off their kink)
};
inline InputSpec R(Shape shape, double low = -1.0, double high = 1.0) {
  return {InputSpec::real, std::move(shape), low, high, false};
}
inline InputSpec R_nonzero(Shape shape) { return {InputSpec::real, std::move(shape), -1.0, 1.0, true}; }
inline InputSpec C(Shape shape, double low = -1.0, double high = 1.0) {
  return {InputSpec::constant, std::move(shape), low, high, false};
}
inline InputSpec I(Shape shape, int64_t high) { return {InputSpec::index, std::move(shape), 0, double(high), false}; }
inline InputSpec M(Shape shape) { return {InputSpec::mask, std::move(shape), 0, 2, false}; }

using Fn = std::function<Tensor(const std::vector<Tensor>&)>;
struct GradCase {
  OpKind op;
  std::string label;
  std::vector<InputSpec> inputs;
  Fn fn;
  double eps = 1e-6, atol = 1e-5, rtol = 1e-3;
};

using V = const std::vector<Tensor>&;
inline std::vector<GradCase> grad_cases() {
  using K = OpKind;
  return {
      // op               label                     inputs                                  function
      {K::neg,         "neg",                    {R({3, 4})},                            [](V x) { return neg(x[0]); }},
      {K::abs,         "abs",                    {R_nonzero({3, 4})},                    [](V x) { return abs(x[0]); }},
      {K::exp,         "exp",                    {R({3, 4}, -2, 2)},                     [](V x) { return exp(x[0]); }},
      {K::log,         "log",                    {R({3, 4}, 0.5, 2)},                    [](V x) { return log(x[0]); }},
      {K::log1p,       "log1p",                  {R({3, 4}, -0.5, 2)},                   [](V x) { return log1p(x[0]); }},
      {K::sqrt,        "sqrt",                   {R({3, 4}, 0.5, 2)},                    [](V x) { return sqrt(x[0]); }},
      {K::relu,        "relu",                   {R_nonzero({3, 4})},                    [](V x) { return relu(x[0]); }},
      {K::sigmoid,     "sigmoid",                {R({3, 4}, -4, 4)},                     [](V x) { return sigmoid(x[0]); }},
      {K::tanh,        "tanh",                   {R({3, 4}, -2, 2)},                     [](V x) { return tanh(x[0]); }},
      {K::softplus,    "softplus",               {R({3, 4}, -3, 3)},                     [](V x) { return softplus(x[0]); }},
      {K::softplus,    "softplus beta=2",        {R({3, 4}, -3, 3)},                     [](V x) { return softplus(x[0], 2.0, 20.0); }},
      {K::softplus,    "softplus linear branch", {R({3, 4}, 11, 12)},                    [](V x) { return softplus(x[0], 2.0, 20.0); }},
      {K::pow,         "pow 2.5",                {R({3, 4}, 0.5, 2)},                    [](V x) { return pow(x[0], 2.5); }},
      {K::pow,         "pow 3 (negative base)",  {R({3, 4})},                            [](V x) { return pow(x[0], 3.0); }},
      {K::pow,         "pow -1",                 {R({3, 4}, 0.5, 2)},                    [](V x) { return pow(x[0], -1.0); }},
      {K::erf,         "erf",                    {R({3, 4}, -2, 2)},                     [](V x) { return erf(x[0]); }},
      {K::clamp,       "clamp",                  {R({4, 5}, -2, 2)},                     [](V x) { return clamp(x[0], -0.5, 0.7); }},
      {K::clamp,       "clamp_min",              {R({4, 5}, -2, 2)},                     [](V x) { return clamp_min(x[0], 0.3); }},
      {K::add,         "add broadcast",          {R({3, 4}), R({4})},                    [](V x) { return x[0] + x[1]; }},
      {K::add,         "add scalar",             {R({3, 4})},                            [](V x) { return x[0] + 2.0; }},
      {K::sub,         "sub broadcast",          {R({3, 1}), R({1, 4})},                 [](V x) { return x[0] - x[1]; }},
      {K::mul,         "mul broadcast",          {R({2, 3, 4}), R({3, 1})},              [](V x) { return x[0] * x[1]; }},
      {K::mul,         "mul same input",         {R({3, 4})},                            [](V x) { return x[0] * x[0]; }},
      {K::div,         "div broadcast",          {R({3, 4}), R({4}, 0.5, 2)},            [](V x) { return x[0] / x[1]; }},
      {K::div,         "scalar / x",             {R({3, 4}, 0.5, 2)},                    [](V x) { return 1.0 / x[0]; }},
      {K::pow_tensor,  "pow tensor",             {R({3, 4}, 0.5, 2), R({4})},            [](V x) { return pow(x[0], x[1]); }},
      {K::maximum,     "maximum",                {R({3, 4}), R({3, 4})},                 [](V x) { return maximum(x[0], x[1]); }},
      {K::maximum,     "maximum broadcast",      {R({3, 4}), R({1, 4})},                 [](V x) { return maximum(x[0], x[1]); }},
      {K::minimum,     "minimum",                {R({3, 4}), R({3, 4})},                 [](V x) { return minimum(x[0], x[1]); }},
      {K::threshold_backward, "threshold_backward", {R({3, 4}), C({3, 4})},             [](V x) { return threshold_backward(x[0], x[1]); }},
      {K::threshold_backward, "threshold_backward broadcast", {R({1, 4}), C({3, 4})},  [](V x) { return threshold_backward(x[0], x[1]); }},
      {K::threshold_backward, "threshold_backward, self needs grad", {R({3, 4}), R_nonzero({3, 4})}, [](V x) { return threshold_backward(x[0], x[1]); }},
      {K::where,       "where broadcast",        {M({3, 4}), R({3, 4}), R({4})},          [](V x) { return where(x[0], x[1], x[2]); }},
      {K::sum,         "sum all",                {R({3, 4})},                            [](V x) { return sum(x[0]); }},
      {K::sum,         "sum dim 1",              {R({3, 4, 2})},                         [](V x) { return sum(x[0], {1}); }},
      {K::sum,         "sum dims keepdim",       {R({3, 4, 2})},                         [](V x) { return sum(x[0], {0, 2}, true); }},
      {K::max,         "max all",                {R({3, 4})},                            [](V x) { return max(x[0]); }},
      {K::max,         "max dim 0",              {R({3, 4})},                            [](V x) { return max(x[0], {0}); }},
      {K::min,         "min dim -1 keepdim",     {R({3, 4})},                            [](V x) { return min(x[0], {-1}, true); }},
      {K::matmul,      "matmul 2-D",             {R({3, 4}), R({4, 5})},                 [](V x) { return matmul(x[0], x[1]); }},
      {K::matmul,      "matmul batched bcast",   {R({2, 3, 4}), R({4, 5})},              [](V x) { return matmul(x[0], x[1]); }},
      {K::matmul,      "matmul transposed",      {R({4, 3}), R({5, 4})},                 [](V x) { return matmul(x[0].t(), x[1].t()); }},
      {K::matmul,      "matmul vector",          {R({4}), R({4, 3})},                    [](V x) { return matmul(x[0], x[1]); }},
      {K::softmax,     "softmax dim 1",          {R({3, 5}, -3, 3)},                     [](V x) { return softmax(x[0], 1); }},
      {K::softmax,     "softmax dim 0",          {R({3, 5}, -3, 3)},                     [](V x) { return softmax(x[0], 0); }},
      {K::log_softmax, "log_softmax dim -1",     {R({4, 5}, -3, 3)},                     [](V x) { return log_softmax(x[0], -1); }},
      {K::log_softmax, "log_softmax middle dim", {R({2, 3, 4}, -3, 3)},                  [](V x) { return log_softmax(x[0], 1); }},
      {K::index_select,"index_select dim 0",     {R({5, 3}), I({7}, 5)},                 [](V x) { return index_select(x[0], 0, x[1]); }},
      {K::index_select,"index_select dim 1",     {R({3, 5}), I({4}, 5)},                 [](V x) { return index_select(x[0], 1, x[1]); }},
      {K::gather,      "gather dim 1",           {R({3, 4}), I({3, 6}, 4)},              [](V x) { return gather(x[0], 1, x[1]); }},
      {K::scatter_add, "scatter_add dim 1",      {R({3, 4}), I({3, 5}, 4), R({3, 5})},   [](V x) { return scatter_add(x[0], 1, x[1], x[2]); }},
      {K::cat,         "cat dim 0",              {R({2, 3}), R({4, 3})},                 [](V x) { return cat({x[0], x[1]}, 0); }},
      {K::cat,         "cat dim 1, constant",    {R({2, 3}), C({2, 2})},                 [](V x) { return cat({x[0], x[1]}, 1); }},
      {K::reshape,     "reshape",                {R({3, 4})},                            [](V x) { return reshape(x[0], {2, -1}); }},
      {K::permute,     "permute",                {R({2, 3, 4})},                         [](V x) { return permute(x[0], {2, 0, 1}); }},
      {K::slice,       "slice step 2",           {R({5, 4})},                            [](V x) { return slice(x[0], 0, 1, 5, 2); }},
      {K::expand,      "expand",                 {R({3, 1})},                            [](V x) { return expand(x[0], {2, 3, 4}); }},
      {K::contiguous,  "contiguous of transpose",{R({3, 4})},                            [](V x) { return contiguous(x[0].t()); }},
      {K::to_device,   "to ref and back",        {R({3, 4})},                            [](V x) { return to_device(to_device(x[0], Device::ref()) * 3.0, x[0].device()); }},
      {K::to_dtype,    "to f32 and back",        {R({3, 4})},                            [](V x) { return x[0].to(DType::f32).to(DType::f64) * 3.0; }, 1e-3, 1e-4, 1e-3},
      {K::conv2d,      "conv2d",                 {R({2, 3, 6, 5}), R({4, 3, 3, 2}), R({4})},
       [](V x) { return F::conv2d(x[0], x[1], x[2]); }},
      {K::conv2d,      "conv2d stride pad dil",  {R({2, 2, 7, 6}), R({3, 2, 3, 2}), R({3})},
       [](V x) { return F::conv2d(x[0], x[1], x[2], {.stride = {2, 1}, .padding = {1, 2}, .dilation = {2, 1}}); }},
      {K::conv2d,      "conv2d groups, no bias", {R({1, 4, 5, 5}), R({6, 2, 3, 3})},
       [](V x) { return F::conv2d(x[0], x[1], Tensor(), {.groups = 2}); }},
      {K::conv2d,      "conv2d constant input",  {C({2, 1, 6, 6}), R({3, 1, 5, 5}), R({3})},
       [](V x) { return F::conv2d(x[0], x[1], x[2]); }},
      // The fast paths of core/cpu/conv.cpp: "same" width, stride 1 (one copy per im2col row);
      // 16+ input channels per group (dx as a convolution of dy); stride 2; 1×1 kernels (stride 1,
      // one image: the input is the column matrix).
      {K::conv2d,      "conv2d 3x3 pad 1",       {R({2, 3, 6, 5}), R({4, 3, 3, 3}), R({4})},
       [](V x) { return F::conv2d(x[0], x[1], x[2], {.padding = {1, 1}}); }},
      {K::conv2d,      "conv2d 16 ch, dx as conv",{R({2, 16, 5, 4}), R({3, 16, 3, 3}), R({3})},
       [](V x) { return F::conv2d(x[0], x[1], x[2], {.padding = {1, 1}}); }},
      {K::conv2d,      "conv2d 32 ch groups dil",{R({1, 32, 6, 5}), R({4, 16, 3, 3})},
       [](V x) { return F::conv2d(x[0], x[1], Tensor(), {.padding = {1, 1}, .dilation = {2, 1}, .groups = 2}); }},
      {K::conv2d,      "conv2d 3x3 stride 2",    {R({2, 3, 7, 6}), R({4, 3, 3, 3}), R({4})},
       [](V x) { return F::conv2d(x[0], x[1], x[2], {.stride = {2, 2}, .padding = {1, 1}}); }},
      {K::conv2d,      "conv2d 7x7 pad 3 on 2x2",{R({2, 3, 2, 2}), R({2, 3, 7, 7}), R({2})},
       [](V x) { return F::conv2d(x[0], x[1], x[2], {.padding = {3, 3}}); }},
      {K::conv2d,      "conv2d 1x1 stride 2",    {R({2, 4, 5, 6}), R({3, 4, 1, 1})},
       [](V x) { return F::conv2d(x[0], x[1], Tensor(), {.stride = {2, 2}}); }},
      {K::conv2d,      "conv2d 1x1 16 ch",       {R({2, 16, 3, 4}), R({5, 16, 1, 1}), R({5})},
       [](V x) { return F::conv2d(x[0], x[1], x[2]); }},
      {K::conv2d,      "conv2d 1x1, one image",  {R({1, 4, 3, 5}), R({6, 2, 1, 1}), R({6})},
       [](V x) { return F::conv2d(x[0], x[1], x[2], {.groups = 2}); }},
      {K::max_pool2d,  "max_pool2d 2x2",         {R({2, 3, 6, 4})},                      [](V x) { return F::max_pool2d(x[0], {.kernel_size = {2, 2}}); }},
      {K::max_pool2d,  "max_pool2d 3 s2 p1 dil", {R({1, 2, 7, 7})},
       [](V x) { return F::max_pool2d(x[0], {.kernel_size = {3, 3}, .stride = {{2, 2}}, .padding = {1, 1}, .dilation = {1, 2}}); }},
      {K::avg_pool2d,  "avg_pool2d 2x2",         {R({2, 3, 6, 4})},                      [](V x) { return F::avg_pool2d(x[0], {.kernel_size = {2, 2}}); }},
      {K::avg_pool2d,  "avg_pool2d pad ceil",    {R({1, 2, 7, 6})},
       [](V x) { return F::avg_pool2d(x[0], {.kernel_size = {3, 3}, .stride = {{2, 2}}, .padding = {1, 1}, .ceil_mode = true, .count_include_pad = false}); }},
      {K::avg_pool2d,  "adaptive_avg_pool2d",    {R({2, 2, 7, 5})},                      [](V x) { return F::adaptive_avg_pool2d(x[0], {3, 2}); }},
      {K::batch_norm,  "batch_norm train NCHW",  {R({4, 3, 2, 2}), R({3}), R({3})},
       [](V x) { return F::batch_norm(x[0], Tensor(), Tensor(), x[1], x[2], true); }},
      {K::batch_norm,  "batch_norm train NC, no affine", {R({5, 3})},
       [](V x) { return F::batch_norm(x[0], Tensor(), Tensor(), Tensor(), Tensor(), true); }},
      {K::batch_norm,  "batch_norm train NCL, weight only", {R({3, 2, 4}), R({2})},
       [](V x) { return F::batch_norm(x[0], Tensor(), Tensor(), x[1], Tensor(), true); }},
  };
}

// Derived functions: checked the same way, at several seeds (their gradients come from the
// primitives above). Here `op` is the primitive the function is built on, and the test checks that
// the function really records a node of it; the label starts with the function's name, and
// test_gradcheck.cpp fails if a function defined in core/ops_derived.cpp has no row.
inline std::vector<GradCase> derived_grad_cases() {
  using K = OpKind;
  return {
      {K::mul,         "square",           {R({3, 4})},           [](V x) { return square(x[0]); }},
      {K::pow,         "rsqrt",            {R({3, 4}, 0.5, 2)},   [](V x) { return rsqrt(x[0]); }},
      {K::sum,         "mean",             {R({3, 4})},           [](V x) { return mean(x[0], {1}); }},
      {K::sum,         "var unbiased",     {R({3, 4})},           [](V x) { return var(x[0], {1}); }},
      {K::sqrt,        "std population",   {R({3, 4})},           [](V x) { return fulcrum::std(x[0], {0}, 0); }},
      {K::log,         "logsumexp",        {R({3, 4}, -3, 3)},    [](V x) { return logsumexp(x[0], {1}); }},
      {K::permute,     "transpose",        {R({3, 4})},           [](V x) { return transpose(x[0], 0, 1) * 2.0; }},
      {K::slice,       "narrow + select",  {R({4, 5})},           [](V x) { return select(narrow(x[0], 1, 1, 3), 0, 2); }},
      {K::cat,         "stack",            {R({3}), R({3})},      [](V x) { return stack({x[0], x[1]}, 1); }},
      {K::where,       "masked_fill",      {R({3, 4}), M({3, 4})},[](V x) { return masked_fill(x[0], x[1], 0.5); }},
      {K::reshape,     "flatten + squeeze",{R({2, 1, 3})},        [](V x) { return squeeze(x[0], 1).flatten(); }},
      {K::reshape,     "unsqueeze",        {R({2, 3})},           [](V x) { return unsqueeze(x[0], 1) * 2.0; }},
      {K::sum,         "sum_to",           {R({2, 3, 4})},        [](V x) { return sum_to(x[0], {3, 1}); }},
      {K::log_softmax, "cross-entropy",    {R({4, 3}, -2, 2), I({4, 1}, 3)},
       [](V x) { return -mean(gather(log_softmax(x[0], 1), 1, x[1])); }},
      {K::matmul,      "linear",           {R({5, 4}), R({3, 4}), R({3})}, [](V x) { return F::linear(x[0], x[1], x[2]); }},
      {K::mul,         "dropout fixed mask", {R({4, 6})},
       [](V x) { Generator g(3); return F::dropout(x[0], 0.4, true, &g); }},
      {K::mul,         "dropout2d fixed mask", {R({3, 4, 2, 2})},
       [](V x) { Generator g(5); return F::dropout2d(x[0], 0.5, true, &g); }},
      {K::mul,         "batch_norm eval",  {R({4, 3}), C({3}), C({3}, 0.5, 2), R({3}), R({3})},
       [](V x) { return F::batch_norm(x[0], x[1], x[2], x[3], x[4], false); }},
      {K::index_select,"embedding",        {I({2, 3}, 5), R({5, 4})},       [](V x) { return F::embedding(x[0], x[1]); }},
      {K::where,       "leaky_relu",       {R_nonzero({3, 4})},             [](V x) { return F::leaky_relu(x[0], 0.1); }},
      {K::erf,         "gelu exact",       {R({3, 4}, -3, 3)},              [](V x) { return F::gelu(x[0]); }},
      {K::tanh,        "gelu tanh",        {R({3, 4}, -3, 3)},              [](V x) { return F::gelu(x[0], true); }},
      {K::matmul,      "two-layer network",{R({5, 4}), R({4, 3}), R({3})},
       [](V x) { return tanh(matmul(x[0], x[1]) + x[2]).sum(1); }},
  };
}

// The ops without a gradient (comparisons, argmax, argmin): only their values are compared
// across devices (tests/test_parity.cpp). The mask of the eq/ne rows makes some elements equal.
inline std::vector<GradCase> value_cases() {
  using K = OpKind;
  return {
      {K::eq,          "eq with ties",           {C({3, 4}), C({3, 4}), M({3, 4})},      [](V x) { return eq(x[0], where(x[2], x[0], x[1])); }},
      {K::ne,          "ne with ties",           {C({3, 4}), C({3, 4}), M({3, 4})},      [](V x) { return ne(x[0], where(x[2], x[0], x[1])); }},
      {K::lt,          "lt broadcast",           {C({3, 4}), C({4})},                    [](V x) { return lt(x[0], x[1]); }},
      {K::le,          "le scalar",              {C({3, 4})},                            [](V x) { return x[0] <= 0.25; }},
      {K::gt,          "gt broadcast",           {C({3, 1}), C({1, 4})},                 [](V x) { return gt(x[0], x[1]); }},
      {K::ge,          "ge",                     {C({3, 4}), C({3, 4})},                 [](V x) { return ge(x[0], x[1]); }},
      {K::argmax,      "argmax dim 1",           {C({3, 5})},                            [](V x) { return argmax(x[0], 1); }},
      {K::argmax,      "argmax all",             {C({3, 5})},                            [](V x) { return argmax(x[0]); }},
      {K::argmin,      "argmin dim 0 keepdim",   {C({3, 5})},                            [](V x) { return argmin(x[0], 0, true); }},
  };
}

}  // namespace fulcrum::testing
