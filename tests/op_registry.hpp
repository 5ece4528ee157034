// tests/op_registry.hpp — which ops have value tests. OP_VALUE_TEST(kind) opens a doctest
// TEST_CASE and records `kind` at start-up; test_ops.cpp then fails if any op of op_list.def was
// never recorded, so deleting an op's value test makes the suite fail.
#pragma once
#include <doctest/doctest.h>

#include <set>

#include "core/op.hpp"

namespace fulcrum::testing {

inline std::set<OpKind>& value_tested_ops() {
  static std::set<OpKind> ops;
  return ops;
}
struct RegisterValueTest {
  explicit RegisterValueTest(OpKind kind) { value_tested_ops().insert(kind); }
};

}  // namespace fulcrum::testing

#define FULCRUM_CONCAT_INNER(a, b) a##b
#define FULCRUM_CONCAT(a, b) FULCRUM_CONCAT_INNER(a, b)
#define OP_VALUE_TEST(kind)                                                          \
  static const ::fulcrum::testing::RegisterValueTest FULCRUM_CONCAT(register_, __LINE__)( \
      ::fulcrum::OpKind::kind);                                                      \
  TEST_CASE("value: " #kind)
