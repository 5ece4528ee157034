// tests/test_gradcheck.cpp — runs every line of tests/op_cases.hpp through gradcheck (f64,
// central differences, random projection), checks that every differentiable op of
// op_list.def has a line, and checks that gradcheck itself catches a wrong gradient.
#include <doctest/doctest.h>

#include <set>

#include "fulcrum.hpp"
#include "tests/op_cases.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

namespace {

Tensor make_input(const InputSpec& spec, Generator& generator) {
  switch (spec.kind) {
    case InputSpec::index:
      return randint(0, static_cast<int64_t>(spec.high), spec.shape, {.dtype = DType::i64}, &generator);
    case InputSpec::mask:
      return randint(0, 2, spec.shape, {.dtype = DType::u8}, &generator);
    default: break;
  }
  Tensor x = uniform(spec.shape, spec.low, spec.high, {.dtype = DType::f64}, &generator);
  if (spec.away_from_zero) {  // map [-1, 1] to ±[0.2, 1]
    x = where(x >= 0.0, x * 0.8 + 0.2, x * 0.8 - 0.2);
  }
  if (spec.kind == InputSpec::real) x.set_requires_grad(true);
  return x;
}

void run_case(const GradCase& c, uint64_t seed) {
  Generator generator(seed);
  std::vector<Tensor> inputs;
  for (const InputSpec& spec : c.inputs) inputs.push_back(make_input(spec, generator));
  GradcheckResult result =
      gradcheck(c.fn, inputs, {.eps = c.eps, .atol = c.atol, .rtol = c.rtol, .name = c.label});
  INFO(result.message);
  CHECK_MESSAGE(result.ok, c.label);
}

}  // namespace

TEST_CASE("gradcheck: every differentiable op has a case") {
  std::set<OpKind> covered;
  for (const GradCase& c : grad_cases()) covered.insert(c.op);
  for (const OpInfo& info : kOpInfos) {
    if (!info.differentiable) continue;
    CHECK_MESSAGE(covered.count(info.kind) == 1, "no gradcheck case for op '" << info.name
                                                 << "' in tests/op_cases.hpp");
  }
}

TEST_CASE("gradcheck: primitive ops") {
  for (const GradCase& c : grad_cases()) {
    SUBCASE(c.label.c_str()) {
      run_case(c, 42);
      run_case(c, 7);  // a second draw of inputs
    }
  }
}

TEST_CASE("gradcheck: derived ops and small compositions") {
  for (const GradCase& c : derived_grad_cases()) {
    SUBCASE(c.label.c_str()) { run_case(c, 42); }
  }
}

TEST_CASE("gradcheck catches a wrong gradient and says where") {
  // f(x) = x · detach(x): the true derivative is 2x, autograd sees only x.
  Tensor x = tensor({0.5, -1.0, 2.0}, {.dtype = DType::f64, .requires_grad = true});
  GradcheckResult result = gradcheck([](V v) { return v[0] * v[0].detach(); }, {x}, {.name = "bad"});
  CHECK_FALSE(result.ok);
  CHECK(result.message.find("gradcheck failed for bad") != std::string::npos);
  CHECK(result.message.find("input 0") != std::string::npos);
  CHECK(result.message.find("numeric") != std::string::npos);
  CHECK(result.message.find("analytic") != std::string::npos);
  // The error is of the projected gradient v_i·x_i (v random), far above the tolerance.
  CHECK(result.max_abs_error > 1e-3);
}

TEST_CASE("gradcheck per-element mode checks each output separately") {
  Tensor x = tensor({{0.3, -0.2}, {0.9, 0.4}}, {.dtype = DType::f64, .requires_grad = true});
  GradcheckOptions options;
  options.per_element = true;
  CHECK(gradcheck([](V v) { return softmax(v[0], 1); }, {x}, options).ok);
  GradcheckResult bad = gradcheck([](V v) { return v[0] * v[0].detach(); }, {x}, options);
  CHECK_FALSE(bad.ok);
  CHECK(bad.message.find("output element [0, 0]") != std::string::npos);
}

TEST_CASE("gradcheck rejects f32 inputs and inputs without requires_grad") {
  Tensor x32 = tensor({1.0, 2.0}, {.requires_grad = true});
  CHECK_THROWS_AS(gradcheck([](V v) { return v[0] * 2.0; }, {x32}), Error);
  Tensor x64 = tensor({1.0, 2.0}, {.dtype = DType::f64});
  CHECK_THROWS_AS(gradcheck([](V v) { return v[0] * 2.0; }, {x64}), Error);
}
