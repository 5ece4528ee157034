// core/cpu/reduce_ref.cpp — reference reductions: for every output element, walk every element
// of the reduced sub-space through its multi-index. argmax/argmin return the row-major index
// inside that sub-space (= the index along dim when one dim is reduced).
#include <algorithm>

#include "core/cpu/kernels.hpp"
#include "core/cpu/reduce_common.hpp"
#include "core/cpu/strided.hpp"

namespace fulcrum::cpu::ref {

// x: any shape; dims: sorted reduced dims; out: x's shape with dims set to 1 (contiguous).
void reduce(OpKind op, const Tensor& x, const std::vector<int64_t>& dims, const Tensor& out) {
  Shape reduced_sizes, reduced_strides;
  for (int64_t d : dims) {
    reduced_sizes.push_back(x.size(d));
    reduced_strides.push_back(x.stride(d));
  }
  const int64_t reduced_count = numel(reduced_sizes);
  // The kept part of x's strides: out's multi-index (reduced dims at 0) through x's strides.
  Shape kept_strides = x.strides();
  for (int64_t d : dims) kept_strides[d] = 0;

  dispatch_all(x.dtype(), op_name(op), [&]<typename T>() {
    const T* data = x.data_ptr<T>();
    for (int64_t o = 0; o < out.numel(); ++o) {
      const int64_t base = strided_offset(o, out.shape(), kept_strides);
      auto element = [&](int64_t r) {
        return data[base + strided_offset(r, reduced_sizes, reduced_strides)];
      };
      if (op == OpKind::sum) {
        SumAccumulator<T> total = 0;
        for (int64_t r = 0; r < reduced_count; ++r) total += element(r);
        out.data_ptr<SumOutput<T>>()[o] = static_cast<SumOutput<T>>(total);
      } else {
        const bool want_max = op == OpKind::max || op == OpKind::argmax;
        int64_t best_index = 0;
        for (int64_t r = 1; r < reduced_count; ++r) {
          if (better(element(r), element(best_index), want_max)) best_index = r;
        }
        if (op == OpKind::max || op == OpKind::min) out.data_ptr<T>()[o] = element(best_index);
        else out.data_ptr<int64_t>()[o] = best_index;
      }
    }
  });
}

}  // namespace fulcrum::cpu::ref
