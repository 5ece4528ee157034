// tests/op_registry.hpp — which ops have value tests. OP_VALUE_TEST(kind) opens a doctest
// TEST_CASE and records `kind` at start-up; tests/core/op_list.cpp then fails if any op of op_list.def was
// never recorded, so deleting an op's value test makes the suite fail. The test case also fails
// when its body runs no assertion at all, so emptying a value test is caught too.
#pragma once
#include <doctest/doctest.h>

#include <set>

#include "core/op.hpp"

namespace fulcrum::testing {

inline std::set<OpKind>& value_tested_ops() {
  static std::set<OpKind> ops;
  return ops;
}
// doctest's count of the assertions the running test case has made (defined in test_main.cpp).
int assertions_in_current_test();

struct RegisterValueTest {
  explicit RegisterValueTest(OpKind kind) { value_tested_ops().insert(kind); }
};

}  // namespace fulcrum::testing

#define FULCRUM_CONCAT_INNER(a, b) a##b
#define FULCRUM_CONCAT(a, b) FULCRUM_CONCAT_INNER(a, b)
// The body becomes a function the test case calls between two readings of the assertion count.
#define OP_VALUE_TEST_WITH_BODY(kind, body)                                                          \
  static const ::fulcrum::testing::RegisterValueTest FULCRUM_CONCAT(register_, __LINE__)(          \
      ::fulcrum::OpKind::kind);                                                                    \
  static void body();                                                                              \
  TEST_CASE("value: " #kind) {                                                                     \
    const int assertions_before = ::fulcrum::testing::assertions_in_current_test();                \
    body();                                                                                        \
    CHECK_MESSAGE(::fulcrum::testing::assertions_in_current_test() > assertions_before,           \
                  "the value test of '" #kind "' ran no check");                                   \
  }                                                                                                \
  static void body()
#define OP_VALUE_TEST(kind) OP_VALUE_TEST_WITH_BODY(kind, FULCRUM_CONCAT(value_test_body_, __LINE__))
