// core/cpu/reduce.cpp — fast reductions. The data are brought into one of two layouts:
//   rows:    [outer, R] contiguous, reduce each row (reduced dims trailing — softmax sums,
//            row losses; or anything else after a permute + contiguous copy);
//   columns: [R, inner] contiguous, reduce down each column (reduced dims leading — the bias
//            gradient Σ over the batch), without a copy.
// Rows split across threads; a single long row (a full sum) splits its elements instead, into
// blocks whose size is fixed here — never derived from the thread count — so a sum is the same
// bit for bit on any number of threads (see sum_long_row).
#include <algorithm>
#include <numeric>
#include <vector>

#include "core/cpu/kernels.hpp"
#include "core/cpu/reduce_common.hpp"
#include "core/cpu/strided.hpp"
#include "core/ops.hpp"

namespace fulcrum::cpu {
namespace {

// Σ data[0 .. length) in a fixed grouping: element i goes to partial sum i mod kLanes, and the
// partials are added in lane order at the end. The lanes are independent chains, so the compiler
// can keep them in one vector register without reassociating anything — faster than one chain,
// and (unlike `omp simd reduction`, whose grouping can follow the data's alignment) the same
// grouping wherever the data sit in memory.
template <typename T>
SumAccumulator<T> sum_lanes(const T* data, int64_t length) {
  constexpr int64_t kLanes = 8;
  SumAccumulator<T> lanes[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= length; i += kLanes) {
    for (int64_t lane = 0; lane < kLanes; ++lane) lanes[lane] += data[i + lane];
  }
  for (int64_t lane = 0; i < length; ++i, ++lane) lanes[lane] += data[i];
  SumAccumulator<T> total = 0;
  for (int64_t lane = 0; lane < kLanes; ++lane) total += lanes[lane];
  return total;
}

// A full sum over many elements. An OpenMP `reduction(+)` clause would give each thread one
// contiguous share and add the shares — a grouping, hence a rounding, that changes with the
// thread count (1 and 2 threads trained differently from the same seed). Here the blocks depend
// only on `length`: each block is summed by sum_lanes into its own partial, whichever thread
// runs it, and the partials are added serially in block order.
constexpr int64_t kSumBlock = 8192;
template <typename T>
SumAccumulator<T> sum_long_row(const T* data, int64_t length) {
  const int64_t blocks = (length + kSumBlock - 1) / kSumBlock;
  std::vector<SumAccumulator<T>> partials(static_cast<size_t>(blocks));
#pragma omp parallel for schedule(static) if (length > kParallelGrain)
  for (int64_t b = 0; b < blocks; ++b) {
    partials[b] = sum_lanes(data + b * kSumBlock, std::min(kSumBlock, length - b * kSumBlock));
  }
  SumAccumulator<T> total = 0;
  for (const SumAccumulator<T>& partial : partials) total += partial;
  return total;
}

template <typename T>
void reduce_rows(OpKind op, const T* data, int64_t outer, int64_t length, const Tensor& out) {
  const bool parallel_rows = outer > 1 && outer * length > kParallelGrain;
  if (op == OpKind::sum) {
    auto* target = out.data_ptr<SumOutput<T>>();
    if (outer == 1) {
      target[0] = static_cast<SumOutput<T>>(sum_long_row(data, length));
      return;
    }
    // Each row is summed by one thread, so the split of rows cannot change a result.
#pragma omp parallel for schedule(static) if (parallel_rows)
    for (int64_t o = 0; o < outer; ++o) {
      target[o] = static_cast<SumOutput<T>>(sum_lanes(data + o * length, length));
    }
    return;
  }
  const bool want_max = op == OpKind::max || op == OpKind::argmax;
  const bool want_index = op == OpKind::argmax || op == OpKind::argmin;
#pragma omp parallel for schedule(static) if (parallel_rows)
  for (int64_t o = 0; o < outer; ++o) {
    const T* row = data + o * length;
    int64_t best = 0;
    for (int64_t i = 1; i < length; ++i) {
      if (better(row[i], row[best], want_max)) best = i;
    }
    if (want_index) out.data_ptr<int64_t>()[o] = best;
    else out.data_ptr<T>()[o] = row[best];
  }
}

// out[k] = reduce over r of data[r · inner + k]: sum / max / min only.
template <typename T>
void reduce_columns(OpKind op, const T* data, int64_t length, int64_t inner, const Tensor& out) {
  const bool parallel = length * inner > kParallelGrain && inner >= 64;
  if (op == OpKind::sum) {
    using Acc = SumAccumulator<T>;
    std::vector<Acc> totals(inner, Acc(0));
    Acc* acc = totals.data();
#pragma omp parallel for schedule(static) if (parallel)
    for (int64_t k0 = 0; k0 < inner; k0 += 64) {
      const int64_t k1 = std::min(inner, k0 + 64);
      for (int64_t r = 0; r < length; ++r) {
        const T* row = data + r * inner;
        for (int64_t k = k0; k < k1; ++k) acc[k] += row[k];
      }
    }
    auto* target = out.data_ptr<SumOutput<T>>();
    for (int64_t k = 0; k < inner; ++k) target[k] = static_cast<SumOutput<T>>(acc[k]);
    return;
  }
  const bool want_max = op == OpKind::max;
  T* target = out.data_ptr<T>();
  std::copy(data, data + inner, target);
  for (int64_t r = 1; r < length; ++r) {
    const T* row = data + r * inner;
    for (int64_t k = 0; k < inner; ++k) {
      if (better(row[k], target[k], want_max)) target[k] = row[k];
    }
  }
}

}  // namespace

void reduce(OpKind op, const Tensor& x, const std::vector<int64_t>& dims, const Tensor& out) {
  const int64_t ndim = x.dim();
  const int64_t reduced_count = std::accumulate(dims.begin(), dims.end(), int64_t{1},
                                                [&](int64_t p, int64_t d) { return p * x.size(d); });
  const bool is_arg = op == OpKind::argmax || op == OpKind::argmin;
  // Are the reduced dims a leading or a trailing block?
  bool leading = true, trailing = true;
  for (size_t i = 0; i < dims.size(); ++i) {
    leading = leading && dims[i] == static_cast<int64_t>(i);
    trailing = trailing && dims[i] == ndim - static_cast<int64_t>(dims.size() - i);
  }
  Tensor source = x;
  if (!(x.is_contiguous() && (trailing || (leading && !is_arg)))) {
    // Move kept dims first, reduced dims last, and make that layout contiguous.
    std::vector<int64_t> order;
    for (int64_t d = 0; d < ndim; ++d) {
      if (!std::binary_search(dims.begin(), dims.end(), d)) order.push_back(d);
    }
    order.insert(order.end(), dims.begin(), dims.end());
    Tensor permuted = x.detach().permute(order);
    source = Tensor::empty(permuted.shape(), x.dtype(), x.device());
    copy(permuted, source);
    trailing = true;
  }
  dispatch_all(x.dtype(), op_name(op), [&]<typename T>() {
    const T* data = source.data_ptr<T>();
    if (reduced_count == 0) {  // sum over nothing = 0; max/min/arg of nothing is rejected earlier
      fill(out, 0.0);
    } else if (trailing) {
      reduce_rows<T>(op, data, source.numel() / reduced_count, reduced_count, out);
    } else {
      reduce_columns<T>(op, data, reduced_count, source.numel() / reduced_count, out);
    }
  });
}

}  // namespace fulcrum::cpu
