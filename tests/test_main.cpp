// tests/test_main.cpp — doctest's main for every suite; it also turns on NaN-filling of new
// storage, so an output element a kernel forgets to write fails the value tests, and it exposes
// doctest's assertion count of the running test case (op_registry.hpp uses it).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "core/storage.hpp"

namespace fulcrum::testing {

// doctest counts every assertion of the running test case in its context state, which only this
// translation unit (the one that holds doctest's implementation) can see.
int assertions_in_current_test() { return doctest::detail::g_cs->numAssertsCurrentTest_atomic; }

}  // namespace fulcrum::testing

int main(int argc, char** argv) {
  fulcrum::Storage::fill_new_with_nan = true;
  doctest::Context context(argc, argv);
  return context.run();
}
