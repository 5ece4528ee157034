// core/shape.hpp — Shape (a list of sizes, row-major, PyTorch order), strides, element counts,
// NumPy broadcasting and dim normalisation (negative dims count from the end). Pure functions on
// small vectors; the Tensor that uses them is in tensor.hpp.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace fulcrum {

using Shape = std::vector<int64_t>;

int64_t numel(const Shape& shape);
Shape contiguous_strides(const Shape& shape);
std::string shape_str(const Shape& shape);  // "[4, 3]"

// The broadcast shape of a and b under NumPy rules, or an Error:
// "add: shapes [4, 3] and [2, 3] cannot broadcast (dim 0: 4 vs 2)".
Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b);

// Maps dim in [-ndim, ndim) to [0, ndim); an Error names the op, the dim and the rank.
int64_t normalize_dim(const char* op, int64_t dim, int64_t ndim);
// Normalises a list of dims; empty means "all dims". Duplicates are an Error.
std::vector<int64_t> normalize_dims(const char* op, const std::vector<int64_t>& dims, int64_t ndim);

}  // namespace fulcrum
