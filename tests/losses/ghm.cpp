// tests/losses/ghm.cpp — GHM-C (losses/ghm.hpp, nn::GHMCLoss): by hand without momentum, and
// with momentum against the reference (first-step inflation, the moving histogram).
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

// ============================== GHM-C ==============================

TEST_CASE("GHM-C: by hand without momentum (and the mmdet re-implementation)") {
  // By hand: one-hot y = [[1,0,0], [0,0,1], [0,0,0], [0,0,0]]; g = |σ(x) − y| on the 9 valid
  // elements: row 0: 0.1192 (bin 1), 0.2689 (bin 2), 0.6225 (bin 6); row 1: 0.0474 (bin 0),
  // 0.5498 (bin 5), 0.1824 (bin 1); row 2: 0.5 (bin 5), 0.4013 (bin 4), 0.0759 (bin 0).
  // tot = 9; 6 non-empty bins; bins 0, 1, 5 hold 2 → w = 9 / 2 / 6 = 0.75; bins 2, 4, 6 hold 1 →
  // w = 9 / 6 = 1.5; row 3 (invalid) → 0. Σ w = 9 = tot (mean weight 1).
  nn::GHMCLoss ghm;
  Tensor pred = leaf(GP());
  Tensor loss = ghm(pred, GT(), GW());
  const Tensor expected_weights = tensor({{0.75, 1.5, 1.5}, {0.75, 0.75, 0.75}, {0.75, 1.5, 0.75}, {0.0, 0.0, 0.0}}, {.dtype = f64});
  check_close(ghm.last_weights(), expected_weights, kRtol, kAtol);
  check_close(ghm.last_weights(), tensor({{0.75, 1.5, 1.5}, {0.75, 0.75, 0.75}, {0.75, 1.5, 0.75}, {0.0, 0.0, 0.0}}, {.dtype = f64}), kRtol, kAtol);  // reference
  CHECK(sum(ghm.last_weights()).item() == doctest::Approx(9.0).epsilon(1e-12));
  check_scalar(loss, 0.4623176894191765, kRtol);  // reference
  loss.backward();
  // dL/dx = w (σ(x) − y) / tot: element [2, 0] = 0.75 · (0.5 − 0) / 9 = 1/24 by hand.
  CHECK(pred.grad().at({2, 0}) == doctest::Approx(1.0 / 24.0).epsilon(1e-12));
  check_close(pred.grad(), tensor({{-0.009933576835176473, 0.04482357022833251, 0.10374322186697575}, {0.0039521560981305645, 0.04581949977603983, -0.015202126983863029}, {0.041666666666666664, 0.066885389981258, 0.0063215150017702955}, {0.0, 0.0, 0.0}}, {.dtype = f64}), kRtol, kAtol);  // reference
  // Reductions: sum = mean · tot; none = w · BCE elementwise.
  nn::GHMCLoss summed({.reduction = Reduction::sum});
  check_scalar(summed(GP(), GT(), GW()), 0.4623176894191765 * 9.0, kRtol);
  nn::GHMCLoss none({.reduction = Reduction::none});
  Tensor elements = none(GP(), GT(), GW());
  CHECK(elements.shape() == Shape{4, 3});
  check_scalar(sum(elements) / 9.0, 0.4623176894191765, kRtol);
  // Floating [N, C] targets and [N, C] label weights give the same as the expanded labels.
  nn::GHMCLoss dense;
  Tensor onehot = tensor({{1.0, 0.0, 0.0}, {0.0, 0.0, 1.0}, {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}}, {.dtype = f64});
  check_scalar(dense(GP(), onehot, expand(GW().reshape({4, 1}), {4, 3}).contiguous()), 0.4623176894191765, kRtol);
  // No label_weight: every element valid; an empty batch → 0 (tot = max(0, 1)).
  check_scalar(nn::GHMCLoss()(zeros({0, 3}, {.dtype = f64}), zeros({0}, {.dtype = i64})), 0.0, kRtol);
  CHECK(nn::repr(ghm) == "GHMCLoss(bins=10, momentum=0, loss_weight=1, reduction=mean)");
}

TEST_CASE("GHM-C: momentum — first-step inflation 1/(1 − α), the moving histogram (reference)") {
  // bins = 4, momentum 0.75, loss_weight 2. Step 1 by hand: the 9 valid g fall in bins
  // [0, 0.25): 4, [0.25, 0.5): 2, [0.5, 0.75]: 3 → S = 0.25 · [4, 2, 3, 0] = [1, 0.5, 0.75, 0];
  // w = tot / S / n = 9 / S / 3 = [3, 6, 4]: 4× the momentum-free 9 / (k · 3) = [0.75, 1.5, 1].
  nn::GHMCLoss ghm({.bins = 4, .momentum = 0.75, .loss_weight = 2.0});
  Tensor first = ghm(GP(), GT(), GW());
  check_close(ghm.acc_sum, V({1.0, 0.5, 0.75, 0.0}), kRtol, kAtol);
  check_close(ghm.last_weights(), tensor({{3.0, 6.0, 4.0}, {3.0, 4.0, 3.0}, {4.0, 6.0, 3.0}, {0.0, 0.0, 0.0}}, {.dtype = f64}), kRtol, kAtol);
  check_scalar(first, 3.597015311260373, kRtol);
  // Step 2 (reference): new predictions, every row valid.
  Tensor second = ghm(GP() * 0.5 + 0.3, GT(), ones({4}, {.dtype = f64}));
  check_close(ghm.acc_sum, V({1.25, 1.125, 2.0625, 0.25}), kRtol, kAtol);
  check_close(ghm.last_weights(), tensor({{2.4000000000000004, 2.6666666666666665, 1.4545454545454546}, {2.4000000000000004, 1.4545454545454546, 2.6666666666666665}, {1.4545454545454546, 1.4545454545454546, 2.6666666666666665}, {1.4545454545454546, 12.0, 1.4545454545454546}}, {.dtype = f64}), kRtol, kAtol);
  check_scalar(second, 5.988984303045573, kRtol);
  // The histogram is a buffer: saved with the module.
  CHECK(ghm.named_buffers().size() == 1);
}

}  // TEST_SUITE
