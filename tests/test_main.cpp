// tests/test_main.cpp — doctest's main for every suite; it also turns on NaN-filling of new
// storage, so an output element a kernel forgets to write fails the value tests.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "core/storage.hpp"

int main(int argc, char** argv) {
  fulcrum::Storage::fill_new_with_nan = true;
  doctest::Context context(argc, argv);
  return context.run();
}
