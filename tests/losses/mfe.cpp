// tests/losses/mfe.cpp — MFE and MSFE (losses/mfe.hpp): the paper's toy example and reference values.
// Where the numbers come from: literals marked "reference" were printed by PyTorch 1.13 (float64)
// running tests/reference/losses_b.py, which re-implements each reference code (kaidic/LDAM-DRW
// losses.py and cifar_train.py, the official CDB cdb_loss.py, BagofTricks' CDT, mmdetection's
// ghm_loss.py GHMC, ShannonAI's dice_loss.py) on the fixed inputs Z, Y of losses_b_inputs.hpp;
// re-run it to regenerate them. Cases marked "by hand" work their arithmetic out in the comment.
// Gradients: the reference's autograd values and f64 gradchecks. Tolerances: kRtol, kAtol there.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "losses/cdb.hpp"
#include "losses/cdt.hpp"
#include "losses/ghm.hpp"
#include "losses/ldam.hpp"
#include "losses/mfe.hpp"
#include "losses/overlap.hpp"
#include "losses/schedules.hpp"
#include "nn/normed_linear.hpp"
#include "tests/test_support.hpp"
#include "losses_b_inputs.hpp"

using namespace fulcrum;
using namespace fulcrum::testing;
using namespace fulcrum::testing::losses_b;

TEST_SUITE("losses_b") {

// ============================== MFE / MSFE ==============================
TEST_CASE("MFE / MSFE: the paper's toy example (MSE 0.09, MFE 0.544, MSFE 0.252) and reference values") {
  // 90 negatives (class 0) of which 4 are misclassified, 10 positives of which 5 are; outputs
  // are the one-hot predictions over 2 units, so a mistake costs ½(1 + 1) = 1:
  // MSE = 9/100, FPE = 4/90, FNE = 5/10, MFE = 0.5444…, MSFE = (4/90)² + 0.25 = 0.25198.
  std::vector<int64_t> labels, predicted;
  for (int i = 0; i < 90; ++i) {
    labels.push_back(0);
    predicted.push_back(i < 4 ? 1 : 0);
  }
  for (int i = 0; i < 10; ++i) {
    labels.push_back(1);
    predicted.push_back(i < 5 ? 0 : 1);
  }
  Tensor targets = from_data(labels, {100});
  Tensor outputs = one_hot(from_data(predicted, {100}), 2).to(f64);
  Tensor mse = sum(0.5 * square(one_hot(targets, 2).to(f64) - outputs)) / 100.0;
  CHECK(mse.item() == doctest::Approx(0.09).epsilon(1e-12));
  check_scalar(mfe_loss(outputs, targets), 4.0 / 90.0 + 0.5, 1e-12);
  CHECK(mfe_loss(outputs, targets).item() == doctest::Approx(0.544).epsilon(1e-3));
  check_scalar(msfe_loss(outputs, targets), (4.0 / 90.0) * (4.0 / 90.0) + 0.25, 1e-12);
  CHECK(msfe_loss(outputs, targets).item() == doctest::Approx(0.252).epsilon(1e-3));
  check_close(mfe_loss(outputs, targets, {.reduction = Reduction::none}), V({4.0 / 90.0, 0.5}), kRtol, kAtol);
  check_scalar(mfe_loss(outputs, targets, {.reduction = Reduction::mean}), (4.0 / 90.0 + 0.5) / 2.0, 1e-12);

  // reference: on softmax(Z), every class present; then class 3 absent (skipped).
  Tensor p = softmax(Z(), 1);
  check_close(mfe_loss(p, Y(), {.reduction = Reduction::none}), V({0.13452138583329723, 0.2140186629800864, 0.039658083745008246, 0.1275717121515782}), kRtol, kAtol);
  check_scalar(mfe_loss(p, Y()), 0.5157698447099701, kRtol);
  check_scalar(msfe_loss(p, Y()), 0.08174729669790584, kRtol);
  check_scalar(nn::MFELoss()(p, Y()), 0.5157698447099701, kRtol);
  nn::MFELoss msfe(/*squared=*/true);
  check_scalar(msfe(p, Y()), 0.08174729669790584, kRtol);
  CHECK_ERROR_CONTAINS(msfe.forward(p), "MSFELoss", "targets");
  Tensor absent = tensor({0, 2, 1, 0, 0}, {.dtype = i64});
  check_scalar(mfe_loss(p, absent), 0.548127689562412, kRtol);
  check_scalar(mfe_loss(p, absent, {.reduction = Reduction::mean}), 0.18270922985413732, kRtol);  // ÷ 3 present classes
  check_scalar(msfe_loss(p, absent), 0.13407810944789503, kRtol);
  CHECK(mfe_loss(p, absent, {.reduction = Reduction::none}).at({3}) == 0.0);
  Tensor q = leaf(p);
  msfe_loss(q, Y()).backward();
  check_close(q.grad(), tensor({{-0.07548935183640317, 0.011918362114115028, 0.024000633975912698, 0.03957035574637544}, {0.0037213919420944867, 0.01235545636308333, -0.018119191505465815, 0.002042343200288001}, {0.08105600549741757, -0.23839489786844403, 0.04231494535104453, 0.11502394701998192}, {-0.03484511441694539, 0.0036763766045807378, 0.011044445686713004, 0.02012429212565163}, {0.0245934174375594, 0.014916661702991088, 0.06685183972022553, -0.10636191886077602}}, {.dtype = f64}), kRtol, kAtol);
  // Empty batch: sum 0, mean NaN (0/0, no class present).
  check_scalar(mfe_loss(zeros({0, 3}, {.dtype = f64}), zeros({0}, {.dtype = i64})), 0.0, kRtol);
  CHECK(std::isnan(mfe_loss(zeros({0, 3}, {.dtype = f64}), zeros({0}, {.dtype = i64}), {.reduction = Reduction::mean}).item()));
}

}  // TEST_SUITE
