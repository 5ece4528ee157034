// tests/losses/contrastive.cpp — contrastive_loss (losses/contrastive.hpp): Hadsell and tfa
// conventions, formula values.
// Where the numbers come from: the literals marked "PyTorch" were printed by PyTorch 1.13 /
// torchvision 0.14 (float64) running tests/reference/losses_a.py on the same fixed inputs; those
// marked "formula" by the same script evaluating the reference code's formula in numpy/torch
// (richardaecn's class-balanced loss, tfa's focal code, Hadsell / tfa contrastive, the multi-class
// focal definition); "tfa docstring" is the vector printed in tfa's SigmoidFocalCrossEntropy
// docstring. Hand-derived cases work their arithmetic out in comments. Gradients: f64 gradchecks.
// The fixed inputs (X, T, W, XB, YB, …) are in losses_a_inputs.hpp.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "losses/binary.hpp"
#include "losses/class_balanced.hpp"
#include "losses/contrastive.hpp"
#include "losses/focal.hpp"
#include "losses/margin.hpp"
#include "losses/regression.hpp"
#include "tests/test_support.hpp"
#include "losses_a_inputs.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;
using namespace fulcrum::testing::losses_a;

// =================================== contrastive =============================================
TEST_CASE("contrastive_loss: Hadsell and tfa conventions (formula values)") {
  const Tensor e1 = mat({0.1, 0.2, -0.3, 1.0, 0.0, 0.5, 0.3, 0.3, 0.3, -0.2, 0.4, 0.1}, 4);
  const Tensor e2 = mat({0.4, -0.1, 0.0, 0.2, 0.1, 0.6, 0.3, 0.3, 0.3, 0.0, 0.1, 0.2}, 4);
  const Tensor y = tensor({0, 1, 1, 1}, {.dtype = i64});
  const Tensor hadsell = vec({0.135, 0.017596159536288496, 0.49999900000049996, 0.19583426132176954});
  check_close(contrastive_loss(e1, e2, y, {.reduction = Reduction::none}), hadsell, 1e-10);
  check_scalar(contrastive_loss(e1, e2, y), 0.2121073552146395, 1e-10);
  check_scalar(contrastive_loss(e1, e2, y.to(f64), {.margin = 0.5, .reduction = Reduction::sum}), 0.2679166306616348, 1e-10);
  check_close(contrastive_loss(e1, e2, y, {.convention = ContrastiveConvention::tensorflow_addons, .reduction = Reduction::none}),
              vec({0.2307695154577491, 0.6600000000000001, 0.0, 0.14000000000000004}), 1e-10);
  // Identical embeddings of a dissimilar pair: finite gradient (ε inside the sqrt), zero there.
  Tensor a = e1.clone().set_requires_grad(true);
  contrastive_loss(a, e2, y).backward();
  for (double g : a.grad().to_vector<double>()) CHECK(std::isfinite(g));
  CHECK(a.grad().at({2, 0}) == 0.0);
}
