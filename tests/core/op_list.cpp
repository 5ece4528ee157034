// tests/core/op_list.cpp — every primitive of core/op_list.def has an OP_VALUE_TEST in this suite
// (the value tests are tests/core/ops_*.cpp, linked into one executable so the registry sees them all).
// Expected values are written out by hand (with the arithmetic in a comment where it is not
// obvious), never computed by the library; they follow PyTorch. Each primitive of op_list.def has
// at least one OP_VALUE_TEST(kind); core/op_list.cpp fails if one is missing.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "op_registry.hpp"
#include "op_values.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;

// ============================================================================================
// Every primitive has a value test
// ============================================================================================

TEST_CASE("every op in op_list.def has a value test") {
  const auto& tested = fulcrum::testing::value_tested_ops();
  CHECK(tested.size() == kOpInfos.size());
  for (const OpInfo& info : kOpInfos) {
    CHECK_MESSAGE(tested.count(info.kind) == 1, "op '" << std::string(info.name) << "' has no OP_VALUE_TEST in tests/core/ops_*.cpp");
  }
}
