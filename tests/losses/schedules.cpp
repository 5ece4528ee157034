// tests/losses/schedules.cpp — DrwSchedule (losses/schedules.hpp): kaidic cifar_train.py on
// CIFAR-10-LT IF100, general schedules.
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

// ============================== DRW ==============================
TEST_CASE("DrwSchedule: kaidic cifar_train.py on CIFAR-10-LT IF100, general schedules") {
  const std::vector<int64_t> cifar = {5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50};
  DrwSchedule schedule(cifar, {.dtype = f64});  // default: β 0 until epoch 160, then 0.9999
  // reference: idx = epoch // 160, betas = [0, 0.9999], CB weights normalised to Σ = C.
  check_close(schedule.weights(0), ones({10}, {.dtype = f64}), kRtol, kAtol);
  check_close(schedule.weights(159), ones({10}, {.dtype = f64}), kRtol, kAtol);
  check_close(schedule.weights(160), V({0.05061136121639197, 0.07689979460472779, 0.12113387289908695, 0.195036665722908, 0.31880537306899903, 0.5245898532697771, 0.8683489410056546, 1.442627270007165, 2.409223051159344, 3.9927238170459454}), kRtol, kAtol);
  check_close(schedule.weights(199), V({0.05061136121639197, 0.07689979460472779, 0.12113387289908695, 0.195036665722908, 0.31880537306899903, 0.5245898532697771, 0.8683489410056546, 1.442627270007165, 2.409223051159344, 3.9927238170459454}), kRtol, kAtol);
  CHECK(schedule.beta(159) == 0.0);
  CHECK(schedule.beta(160) == 0.9999);
  CHECK(schedule.beta(10000) == 0.9999);  // the last β holds (kaidic would index past its list)
  CHECK(sum(schedule.weights(170)).item() == doctest::Approx(10.0).epsilon(1e-12));
  CHECK(schedule.weights(0).dtype() == f64);
  // two_stage and a three-stage schedule; ones before the switch, CB weights after.
  DrwSchedule two = DrwSchedule::two_stage({100, 40, 10, 5}, 3, 0.0, 0.9999, f64);
  check_close(two.weights(2), ones({4}, {.dtype = f64}), kRtol, kAtol);
  check_close(two.weights(3), DRW_WEIGHTS(), kRtol, kAtol);
  DrwSchedule three({100, 40, 10, 5}, {.betas = {{0, 0.0}, {5, 0.9}, {8, 0.9999}}, .dtype = f64});
  CHECK(three.beta(4) == 0.0);
  CHECK(three.beta(5) == 0.9);
  CHECK(three.beta(7) == 0.9);
  check_close(three.weights(9), DRW_WEIGHTS(), kRtol, kAtol);
  // By hand, β = 0.9 with counts [1, 2]: w ∝ [0.1 / 0.1, 0.1 / 0.19] = [1, 10/19] → ×2 / (29/19)
  // = [38/29, 20/29].
  check_close(DrwSchedule({1, 2}, {.betas = {{0, 0.9}}, .dtype = f64}).weights(0), V({38.0 / 29.0, 20.0 / 29.0}), kRtol, kAtol);
  CHECK(schedule.weights(0).dtype() == f64);
  CHECK(DrwSchedule({3, 4}).weights(0).dtype() == f32);

  CHECK_ERROR_CONTAINS(DrwSchedule({10, 0}), "DrwSchedule", "class 1", "count 0");
  CHECK_ERROR_CONTAINS(DrwSchedule({}), "DrwSchedule", "none");
  CHECK_ERROR_CONTAINS(DrwSchedule({1, 2}, {.betas = {{1, 0.0}}}), "DrwSchedule", "epoch 0", "got 1");
  CHECK_ERROR_CONTAINS(DrwSchedule({1, 2}, {.betas = {{0, 0.0}, {0, 0.9}}}), "DrwSchedule", "increase");
  CHECK_ERROR_CONTAINS(DrwSchedule({1, 2}, {.betas = {{0, 1.0}}}), "DrwSchedule", "[0, 1)", "1");
  CHECK_ERROR_CONTAINS(DrwSchedule({1, 2}, {.betas = {{0, -0.5}}}), "DrwSchedule", "-0.5");
  CHECK_ERROR_CONTAINS(schedule.weights(-1), "DrwSchedule", "epoch", "-1");
}

}  // TEST_SUITE
