// tests/test_gradcheck.cpp — runs every line of tests/op_cases.hpp through gradcheck (f64,
// central differences, random projection), checks that each line's function records a node of the
// op it is tagged with, that every differentiable op of op_list.def and every function of
// core/ops_derived.cpp has a line, and that gradcheck itself catches a wrong or missing gradient.
#include <doctest/doctest.h>

#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "autograd/node.hpp"
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

// The ops of every node reachable from y's grad_fn: what the function really recorded.
std::set<OpKind> recorded_ops(const Tensor& y) {
  std::set<OpKind> ops;
  std::set<const Node*> seen;
  std::vector<std::shared_ptr<Node>> pending;
  if (y.grad_fn()) pending.push_back(y.grad_fn());
  while (!pending.empty()) {
    const std::shared_ptr<Node> node = pending.back();
    pending.pop_back();
    if (!seen.insert(node.get()).second) continue;
    ops.insert(node->op);
    for (const Edge& edge : node->next) {
      if (edge.node) pending.push_back(edge.node);
    }
  }
  return ops;
}

std::string names(const std::set<OpKind>& ops) {
  std::string text;
  for (OpKind op : ops) text.append(text.empty() ? "" : ", ").append(op_name(op));
  return text.empty() ? "nothing" : text;
}

void run_case(const GradCase& c, uint64_t seed) {
  Generator generator(seed);
  std::vector<Tensor> inputs;
  for (const InputSpec& spec : c.inputs) inputs.push_back(make_input(spec, generator));
  // The row's tag is a claim about the function: it must record a node of that op, or the
  // coverage rule above would count an op as checked by a row that never runs it.
  const std::set<OpKind> ops = recorded_ops(c.fn(inputs));
  // (doctest prints a const char* as a pointer: the names go through std::string.)
  CHECK_MESSAGE(ops.count(c.op) == 1,
                c.label << " is tagged " << std::string(op_name(c.op)) << " but records " << names(ops));
  GradcheckResult result =
      gradcheck(c.fn, inputs, {.eps = c.eps, .atol = c.atol, .rtol = c.rtol, .name = c.label});
  INFO(result.message);
  CHECK_MESSAGE(result.ok, c.label);
}

// The names of the functions core/ops_derived.cpp defines (lines "Tensor name(").
std::set<std::string> derived_functions() {
  std::ifstream file(FULCRUM_SOURCE_ROOT "/core/ops_derived.cpp");
  REQUIRE_MESSAGE(file.good(), "cannot read " FULCRUM_SOURCE_ROOT "/core/ops_derived.cpp");
  std::set<std::string> functions;
  const std::regex definition(R"(^Tensor ([a-z_0-9]+)\()");
  std::string line;
  std::smatch match;
  while (std::getline(file, line)) {
    if (std::regex_search(line, match, definition)) functions.insert(match[1]);
  }
  return functions;
}

// The words of a label ("narrow + select" → narrow, select).
std::set<std::string> words(const std::string& label) {
  std::set<std::string> result;
  std::string word;
  for (char ch : label + " ") {
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') {
      word += ch;
    } else if (!word.empty()) {
      result.insert(word);
      word.clear();
    }
  }
  return result;
}

}  // namespace

TEST_CASE("gradcheck: every differentiable op has a case") {
  std::set<OpKind> covered;
  for (const GradCase& c : grad_cases()) covered.insert(c.op);
  for (const OpInfo& info : kOpInfos) {
    if (!info.differentiable) continue;
    CHECK_MESSAGE(covered.count(info.kind) == 1, "no gradcheck case for op '" << std::string(info.name)
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

TEST_CASE("gradcheck: every function of core/ops_derived.cpp has a derived case") {
  std::set<std::string> covered;
  for (const GradCase& c : derived_grad_cases()) {
    for (const std::string& word : words(c.label)) covered.insert(word);
  }
  // one_hot returns i64 labels: there is no gradient to check.
  const std::set<std::string> not_differentiable = {"one_hot"};
  const std::set<std::string> functions = derived_functions();
  CHECK(functions.size() >= 15);  // the parse found the file's functions, not nothing
  for (const std::string& function : functions) {
    if (not_differentiable.count(function)) continue;
    CHECK_MESSAGE(covered.count(function) == 1, "no derived gradcheck case for '" << function
                                                << "' (core/ops_derived.cpp) in tests/op_cases.hpp");
  }
}

TEST_CASE("gradcheck: derived ops and small compositions") {
  for (const GradCase& c : derived_grad_cases()) {
    SUBCASE(c.label.c_str()) {
      for (uint64_t seed : {42, 7, 2026}) run_case(c, seed);
    }
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

TEST_CASE("gradcheck fails, and says so, when the function never reaches an input") {
  // f(x, y) = 2x ignores y: its true gradient for y is 0, but a row that claims to check y's
  // gradient while the function drops it must not pass.
  Tensor x = tensor({0.5, -1.0}, {.dtype = DType::f64, .requires_grad = true});
  Tensor y = tensor({1.5, 2.0}, {.dtype = DType::f64, .requires_grad = true});
  GradcheckResult result = gradcheck([](V v) { return v[0] * 2.0; }, {x, y}, {.name = "ignores y"});
  CHECK_FALSE(result.ok);
  CHECK(result.message.find("gradcheck failed for ignores y: input 1") != std::string::npos);
  CHECK(result.message.find("never reaches it") != std::string::npos);
  // A detached input is not reached either.
  CHECK_FALSE(gradcheck([](V v) { return v[0] * v[1].detach(); }, {x, y}).ok);
  // Reached with a zero gradient (y · 0) is fine: the graph holds it.
  CHECK(gradcheck([](V v) { return v[0] * 2.0 + v[1] * 0.0; }, {x, y}).ok);
}

TEST_CASE("recorded_ops sees the ops of the whole graph") {
  Tensor x = tensor({0.5, -1.0}, {.dtype = DType::f64, .requires_grad = true});
  CHECK(recorded_ops(exp(x) * 2.0) == std::set<OpKind>{OpKind::exp, OpKind::mul});
  CHECK(recorded_ops(x.detach() * 2.0).empty());
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
