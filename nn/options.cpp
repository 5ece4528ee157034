// nn/options.cpp — IntOrPair printing. (The number formatting of module reprs, Python's float
// repr, is core/repr.cpp: data/'s transform reprs use it too.)
#include "nn/options.hpp"

#include <string>

namespace fulcrum::nn {

std::string IntOrPair::str() const {
  std::string out = "(";
  out.append(std::to_string(height)).append(", ").append(std::to_string(width)).append(")");
  return out;
}

}  // namespace fulcrum::nn
