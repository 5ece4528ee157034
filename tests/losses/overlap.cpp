// tests/losses/overlap.cpp — Dice, self-adjusting Dice and Tversky (losses/overlap.hpp): ShannonAI
// reference values, set level and per sample; Tversky reduces to Dice and Jaccard.
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

// ============================== Dice / Tversky ==============================

TEST_CASE("Dice: ShannonAI binary (set level) and multi-class squared (per sample) — reference") {
  // Binary: sigmoid, every sample in one set.
  check_scalar(dice_loss(BL(), BY()), 0.3041985239430868, kRtol);
  check_scalar(dice_loss(BL().reshape({6, 1}), BY()), 0.3041985239430868, kRtol);
  check_scalar(dice_loss(BL(), BY(), {.smooth = 1.0, .alpha = 0.01, .square_denominator = true}),
               0.12133988624408176, kRtol);
  // Multi-class --dice_square (MRPC settings: smooth 1, α 0.01): per sample, Σ over classes, mean.
  const DiceLossOptions shannon{.smooth = 1.0, .alpha = 0.01, .square_denominator = true, .set_level = false};
  check_scalar(dice_loss(Z(), Y(), shannon), 0.1551606237164756, kRtol);
  check_scalar(dice_loss(Z(), Y(), {.square_denominator = true, .set_level = false}), 3.068312692040007, kRtol);
  // Per-sample none → [N]; sum = N · mean.
  CHECK(dice_loss(Z(), Y(), {.square_denominator = true, .set_level = false, .reduction = Reduction::none}).shape() ==
        Shape{5});
  check_scalar(dice_loss(Z(), Y(), {.square_denominator = true, .set_level = false, .reduction = Reduction::sum}),
               5.0 * 3.068312692040007, kRtol);
  // Set level (the default): per-class losses, summed (or averaged) over the classes.
  check_close(dice_loss(Z(), Y(), {.reduction = Reduction::none}), V({0.32821383618099087, 0.5002573488003684, 0.35512610916513654, 0.4975753612501398}), kRtol, kAtol);
  check_scalar(dice_loss(Z(), Y()), 1.6811726553966357, kRtol);
  check_scalar(dice_loss(Z(), Y(), {.reduction = Reduction::sum}), 1.6811726553966357, kRtol);
  check_scalar(dice_loss(Z(), Y(), {.smooth = 1.0, .alpha = 0.3, .square_denominator = true,
                                    .class_reduction = ClassReduction::mean}),
               0.18643740794094493, kRtol);
  // The module.
  nn::DiceLoss module(shannon);
  check_scalar(module(Z(), Y()), 0.1551606237164756, kRtol);
  CHECK_ERROR_CONTAINS(module.forward(Z()), "DiceLoss", "targets");
  // with_logits = false takes probabilities as they are.
  check_scalar(dice_loss(softmax(Z(), 1), Y(), {.with_logits = false}), 1.6811726553966357, kRtol);
  // By hand: perfect one-hot probabilities → Dice 0 for every class (set level).
  Tensor perfect = one_hot(Y(), 4).to(f64);
  check_scalar(dice_loss(perfect, Y(), {.with_logits = false}), 0.0, 1e-12);
  // A saturated probability (1 − p = 0) with α > 0 keeps a finite gradient.
  Tensor saturated = leaf(V2({{50.0, -50.0}, {-50.0, 50.0}}));
  dice_loss(saturated, tensor({0, 1}, {.dtype = i64}), {.alpha = 0.5}).backward();
  for (double g : saturated.grad().to_vector<double>()) CHECK(std::isfinite(g));
}

TEST_CASE("Tversky: reference values; α = β = 0.5 is Dice; α = β = 1 is Jaccard") {
  check_close(tversky_loss(Z(), Y(), {.reduction = Reduction::none}), V({0.36353831865495245, 0.5245491944441806, 0.3097782050407871, 0.46810311645154645}), kRtol, kAtol);
  check_scalar(tversky_loss(Z(), Y()), 1.6659688345914665, kRtol);
  check_close(tversky_loss(Z(), Y(), {.smooth = 1.0, .set_level = false, .class_reduction = ClassReduction::mean,
                                       .reduction = Reduction::none}),
              V({0.093062333409387, 0.03724591663327656, 0.09246598812614057, 0.04236205931940698, 0.06846370304444149}), kRtol, kAtol);
  check_scalar(tversky_loss(BL(), BY()), 0.28896313115077243, kRtol);
  check_scalar(nn::TverskyLoss()(Z(), Y()), 1.6659688345914665, kRtol);
  // α = β = 0.5: (TP + s) / (TP + ½FP + ½FN + s) = (2TP + 2s) / (Σp + Σy + 2s) → Dice with 2s.
  for (bool set_level : {true, false}) {
    CAPTURE(set_level);
    check_close(tversky_loss(Z(), Y(), {.alpha = 0.5, .beta = 0.5, .smooth = 0.0, .set_level = set_level,
                                        .reduction = Reduction::none}),
                dice_loss(Z(), Y(), {.smooth = 0.0, .set_level = set_level, .reduction = Reduction::none}), kRtol, kAtol);
    check_close(tversky_loss(Z(), Y(), {.alpha = 0.5, .beta = 0.5, .smooth = 0.3, .set_level = set_level,
                                        .reduction = Reduction::none}),
                dice_loss(Z(), Y(), {.smooth = 0.6, .set_level = set_level, .reduction = Reduction::none}), kRtol, kAtol);
  }
  // α = β = 1, s = 0: 1 − TP / (TP + FP + FN) = 1 − |P∩Y| / |P∪Y| (soft Jaccard), by hand on
  // probabilities p = [0.8, 0.4] for positives y = [1, 0]: TP 0.8, FP 0.4, FN 0.2 → 1 − 0.8/1.4.
  check_scalar(tversky_loss(V({0.8, 0.4}), tensor({1, 0}, {.dtype = i64}),
                            {.alpha = 1.0, .beta = 1.0, .smooth = 0.0, .with_logits = false}),
               1.0 - 0.8 / 1.4, 1e-12);
  // α weighs false positives: raising α raises the loss when there are FP only.
  const Tensor fp_only = V({0.9, 0.6});  // y = [1, 0]: FP = 0.6, FN = 0.1
  const Tensor fp_targets = tensor({1, 0}, {.dtype = i64});
  CHECK(tversky_loss(fp_only, fp_targets, {.alpha = 0.9, .beta = 0.1, .with_logits = false}).item() >
        tversky_loss(fp_only, fp_targets, {.alpha = 0.1, .beta = 0.9, .with_logits = false}).item());
}

}  // TEST_SUITE
