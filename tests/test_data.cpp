#include <doctest/doctest.h>
// placeholder: filled by the layers issue
TEST_CASE("test_data placeholder") { CHECK(1 + 1 == 2); }
