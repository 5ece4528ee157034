// core/cpu/elementwise_ref.cpp — reference element-wise kernels: for every output element,
// find each input's element through its multi-index and strides, apply the op. Slow and
// obviously right; the fast versions in elementwise.cpp are tested against these.
#include "core/cpu/kernels.hpp"
#include "core/cpu/scalar_ops.hpp"
#include "core/cpu/strided.hpp"

namespace fulcrum::cpu::ref {

// x, out: same shape; element i of out (row-major) = f(element i of x).
void unary(OpKind op, const Tensor& x, const Tensor& out, const OpAttrs& attrs) {
  dispatch_all(x.dtype(), op_name(op), [&]<typename T>() {
    const T* source = x.data_ptr<T>();
    T* target = out.data_ptr<T>();
    apply_unary<T>(op, attrs, [&](auto f) {
      for (int64_t i = 0; i < out.numel(); ++i) {
        target[strided_offset(i, out.shape(), out.strides())] =
            f(source[strided_offset(i, x.shape(), x.strides())]);
      }
    });
  });
}

// a, b expanded to out's shape; out has a's dtype, or u8 for comparisons.
void binary(OpKind op, const Tensor& a, const Tensor& b, const Tensor& out) {
  dispatch_all(a.dtype(), op_name(op), [&]<typename T>() {
    const T* left = a.data_ptr<T>();
    const T* right = b.data_ptr<T>();
    auto loop = [&](auto f) {
      using Out = decltype(f(T{}, T{}));
      Out* target = out.data_ptr<Out>();
      for (int64_t i = 0; i < out.numel(); ++i) {
        target[strided_offset(i, out.shape(), out.strides())] =
            f(left[strided_offset(i, a.shape(), a.strides())],
              right[strided_offset(i, b.shape(), b.strides())]);
      }
    };
    if (is_comparison(op)) apply_comparison<T>(op, loop);
    else apply_arithmetic<T>(op, loop);
  });
}

void where(const Tensor& condition, const Tensor& a, const Tensor& b, const Tensor& out) {
  dispatch_all(a.dtype(), "where", [&]<typename T>() {
    const uint8_t* mask = condition.data_ptr<uint8_t>();
    const T* left = a.data_ptr<T>();
    const T* right = b.data_ptr<T>();
    T* target = out.data_ptr<T>();
    for (int64_t i = 0; i < out.numel(); ++i) {
      bool take_left = mask[strided_offset(i, condition.shape(), condition.strides())] != 0;
      target[strided_offset(i, out.shape(), out.strides())] =
          take_left ? left[strided_offset(i, a.shape(), a.strides())]
                    : right[strided_offset(i, b.shape(), b.strides())];
    }
  });
}

// dst[i] = convert(src[i]) for any pair of dtypes.
void copy(const Tensor& src, const Tensor& dst) {
  dispatch_all(src.dtype(), "copy", [&]<typename S>() {
    dispatch_all(dst.dtype(), "copy", [&]<typename D>() {
      const S* source = src.data_ptr<S>();
      D* target = dst.data_ptr<D>();
      for (int64_t i = 0; i < dst.numel(); ++i) {
        target[strided_offset(i, dst.shape(), dst.strides())] =
            static_cast<D>(source[strided_offset(i, src.shape(), src.strides())]);
      }
    });
  });
}

}  // namespace fulcrum::cpu::ref
