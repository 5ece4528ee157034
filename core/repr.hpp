// core/repr.hpp — numbers printed as Python prints them, for the reprs that mirror PyTorch's: the
// module reprs of nn/ (Linear(…, bias=True), Dropout(p=0.5)) and the transform reprs of data/
// (Normalize(mean=[0.1307], …), as torchvision prints them). It sits in core/ because both rooms
// use it and data/ must not include nn/. Tensor printing itself is core/print.cpp.
#pragma once
#include <string>

namespace fulcrum::detail {

// Python's repr of a float: 1e-05, 0.1, 1.0, 300.0, 1.5e+16, nan, inf.
std::string repr_number(double value);

}  // namespace fulcrum::detail
