// examples/autograd_demo.cpp — the book's first autograd example, line for line:
//   x = [[1, 2], [3, 4]] (requires grad);  y = x + 2;  z = y * y * 3;
//   z.backward(ones_like(x))  →  x.grad = dz/dx = 6 (x + 2) = [[18, 24], [30, 36]].
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 6.
#include <iostream>

#include "fulcrum.hpp"

using namespace fulcrum;

int main() {
  Tensor x = tensor({{1, 2}, {3, 4}}, {.requires_grad = true});
  std::cout << "x = " << x << "\n";

  Tensor y = x + 2.0;
  std::cout << "y = x + 2 = " << y << "\n";

  Tensor z = y * y * 3.0;
  std::cout << "z = y * y * 3 = " << z << "\n";

  // z is not a scalar, so backward needs the vector v in the vector-Jacobian product vᵀ·J.
  z.backward(ones_like(x));
  std::cout << "x.grad = " << x.grad() << "\n";
  return 0;
}
