// tests/core/tensor_print.cpp — PyTorch-style printing of tensors (core/print.cpp): widths, decimals,
// suffixes, summarising, wrapping, scientific notation, empty tensors.
// Every expected value here is derived by hand, never computed by the library.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "core/ops.hpp"
#include "tests/core/tensor_support.hpp"

using namespace fulcrum;

using namespace fulcrum::testing::tensor_tests;

// ---- printing -------------------------------------------------------------------------------
TEST_CASE("printing: whole-number floats, 2-D") {
  CHECK(tensor({{18, 24}, {30, 36}}).str() == "tensor([[18., 24.],\n        [30., 36.]])");
  CHECK(tensor({-1, 2}).str() == "tensor([-1.,  2.])");
  CHECK(zeros({2}).str() == "tensor([0., 0.])");
}

TEST_CASE("printing: floats with decimals use 4 decimals and one common width") {
  CHECK(tensor({1.5, -0.25, 3.14159}).str() == "tensor([ 1.5000, -0.2500,  3.1416])");
  CHECK(tensor({{0.5, 12.25}, {-3.125, 0}}).str() ==
        "tensor([[ 0.5000, 12.2500],\n        [-3.1250,  0.0000]])");
  // Small magnitudes switch to scientific notation.
  CHECK(tensor({1e-5, 1}).str() == "tensor([1.0000e-05, 1.0000e+00])");
}

TEST_CASE("printing: integers, dtype and requires_grad suffixes, 0-d, 3-D") {
  CHECK(tensor({1, 2, 3}, {.dtype = DType::i64}).str() == "tensor([1, 2, 3])");
  CHECK(tensor({-10, 5}, {.dtype = DType::i64}).str() == "tensor([-10,   5])");
  CHECK(tensor({1.5, 2}, {.dtype = DType::f64}).str() == "tensor([1.5000, 2.0000], dtype=f64)");
  CHECK(tensor({1, 2}, {.requires_grad = true}).str() == "tensor([1., 2.], requires_grad=True)");
  CHECK(scalar_tensor(3.5).str() == "tensor(3.5000)");
  CHECK(scalar_tensor(-2).str() == "tensor(-2.)");
  CHECK(scalar_tensor(7, {.dtype = DType::i64}).str() == "tensor(7)");
  CHECK(tensor({{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}, {.dtype = DType::i64}).str() ==
        "tensor([[[1, 2],\n         [3, 4]],\n\n        [[5, 6],\n         [7, 8]]])");
  // A view prints its own elements.
  CHECK(tensor({{1, 2}, {3, 4}}, {.dtype = DType::i64}).t().str() == "tensor([[1, 3],\n        [2, 4]])");
  CHECK(Tensor().str() == "tensor(undefined)");
}

TEST_CASE("printing: large tensors are summarised like PyTorch") {
  // torch.arange(2000) → tensor([   0,    1,    2,  ..., 1997, 1998, 1999])
  CHECK(arange(2000).str() == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])");
  // torch.zeros(100, 100)
  CHECK(zeros({100, 100}).str() ==
        "tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n"
        "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
        "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
        "        ...,\n"
        "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
        "        [0., 0., 0.,  ..., 0., 0., 0.],\n"
        "        [0., 0., 0.,  ..., 0., 0., 0.]])");
  // 1000 elements is not summarised (PyTorch's threshold is "more than 1000").
  const std::string full = arange(1000).str();
  CHECK(full.find("...") == std::string::npos);
  CHECK(full.find(" 500,") != std::string::npos);
}

TEST_CASE("printing: long rows wrap at 80 columns like PyTorch") {
  // torch.arange(30)
  CHECK(arange(30).str() ==
        "tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
        "        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])");
}

TEST_CASE("printing: whole numbers spanning more than 1000x use scientific notation like PyTorch") {
  // torch.tensor([1., 2000.]) → tensor([1.0000e+00, 2.0000e+03])
  CHECK(tensor({1, 2000}).str() == "tensor([1.0000e+00, 2.0000e+03])");
}

TEST_CASE("printing: empty tensors like PyTorch") {
  CHECK(zeros({0}).str() == "tensor([])");
  // torch.zeros(2, 0) → tensor([], size=(2, 0))
  CHECK(zeros({2, 0}).str() == "tensor([], size=(2, 0))");
}
