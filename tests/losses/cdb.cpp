// tests/losses/cdb.cpp — CDB (losses/cdb.hpp): cdb_loss with both reductions (reference values),
// ClassDifficultyUpdater, zero-weight and empty batches.
// Where the numbers come from: literals marked "reference" were printed by PyTorch 1.13 (float64)
// running tests/reference/losses_b.py, which re-implements each reference code (kaidic/LDAM-DRW
// losses.py and cifar_train.py, the official CDB cdb_loss.py, BagofTricks' CDT, mmdetection's
// ghm_loss.py GHMC, ShannonAI's dice_loss.py) on the fixed inputs Z, Y of losses_b_inputs.hpp;
// re-run it to regenerate them. Cases marked "by hand" work their arithmetic out in the comment.
// Gradients: the reference's autograd values and f64 gradchecks. Tolerances: kRtol, kAtol there.
// "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
// Data (Packt, 2023), chapter 8.
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

// ============================== CDB ==============================
TEST_CASE("CDB: official (÷N) and book (÷Σw) reductions (reference values)") {
  // reference: weights from the official compute_weights(acc = [0.9, 0.5, 0.75, 0.2], τ = 1.5),
  // then torch.mean(CrossEntropyLoss(weight, reduction='none')) and NLLLoss(weight) (book).
  ClassDifficultyUpdater updater(4, {.tau = 1.5, .dtype = f64});
  Tensor w = updater.update({0.9, 0.5, 0.75, 0.2});
  check_close(w, V({0.1031975663758448, 1.1537838676446783, 0.40792419841759703, 2.33509436756188}), kRtol, kAtol);
  check_close(cdb_loss(Z(), Y(), w, {.reduction = Reduction::none}), V({0.08499794730276658, 0.10579277862526498, 0.9392609027352887, 0.03093817014607601, 1.2594261698802929}), kRtol, kAtol);
  check_scalar(cdb_loss(Z(), Y(), w, {.reduction = Reduction::sum}), 2.420415968689689, kRtol);
  check_scalar(cdb_loss(Z(), Y(), w), 0.48408319373793784, kRtol);
  check_scalar(cdb_loss(Z(), Y(), w, {.normalization = CdbNormalization::total_weight}), 0.5898853100625923, kRtol);
  // The book's 1/C-scaled weights give the same ÷Σw loss (scale cancels), not the same ÷N loss.
  check_scalar(cdb_loss(Z(), Y(), w / 16.0, {.normalization = CdbNormalization::total_weight}), 0.5898853100625923, kRtol);
  check_scalar(cdb_loss(Z(), Y(), w / 16.0), 0.48408319373793784 / 16.0, kRtol);
  Tensor z = leaf(Z());
  cdb_loss(z, Y(), w).backward();
  check_close(z.grad(), tensor({{-0.011582273478004017, 0.0018286251776902208, 0.0036823989025223645, 0.00607124939779143}, {0.003827834533653368, 0.012708858212617904, -0.018637452879382788, 0.0021007601331115185}, {0.04369764310103204, -0.12851972041102055, 0.022812170035303926, 0.062009907274684584}, {-0.0053462592369852785, 0.0005640636488000183, 0.0016945408490682684, 0.0030876547391169885}, {0.04501621054462945, 0.027303711879396918, 0.1223667471095527, -0.19468666953357908}}, {.dtype = f64}), kRtol, kAtol);
  // Module with set_weight.
  nn::CDBLoss module(ones({4}, {.dtype = f64}));
  check_scalar(module(Z(), Y()), cross_entropy(Z(), Y()).item(), kRtol);
  module.set_weight(w);
  check_scalar(module(Z(), Y()), 0.48408319373793784, kRtol);
  CHECK(nn::repr(module) == "CDBLoss(classes=4, normalization=batch_size, reduction=mean)");
  CHECK_ERROR_CONTAINS(module.set_weight(ones({3}, {.dtype = f64})), "CDBLoss::set_weight", "[4]", "[3]");
}

TEST_CASE("ClassDifficultyUpdater: epoch 0 uniform, dynamic τ, absent and perfect classes") {
  ClassDifficultyUpdater updater(4, {.tau = 1.5, .dynamic_tau = true, .dtype = f64});
  check_close(updater.weights(), ones({4}, {.dtype = f64}), kRtol, kAtol);  // epoch 0: d = 1 → uniform
  CHECK(updater.updates() == 0);
  // reference: tau='dynamic' → τ = sigmoid((1 − min d) / (1 − max d + 0.01)).
  check_close(updater.update({0.9, 0.5, 0.75, 0.2}), V({0.24785727534795016, 1.2125001971886225, 0.611982328185618, 1.9276601992778093}), kRtol, kAtol);
  CHECK(updater.last_tau() == doctest::Approx(0.9864230830562556).epsilon(1e-12));

  // By hand, τ = 1: class 1 absent (NaN) keeps its previous d = 1 − 0.5; class 3 perfect → 0.
  // d = [0.5, 0.5, 0.25, 0], w ∝ d, Σ = 1.25 → w = d / 1.25 · 4 = [1.6, 1.6, 0.8, 0].
  ClassDifficultyUpdater fixed(4, {.tau = 1.0, .dtype = f64});
  fixed.update({0.9, 0.5, 0.75, 0.2});
  check_close(fixed.update({0.5, kNaN, 0.75, 1.0}), V({1.6, 1.6, 0.8, 0.0}), kRtol, kAtol);
  // A class never seen on validation keeps d = 1 from epoch 0: d = [0.5, 1] → w = [2/3, 4/3].
  ClassDifficultyUpdater fresh(2, {.tau = 1.0, .dtype = f64});
  check_close(fresh.update({0.5, kNaN}), V({2.0 / 3.0, 4.0 / 3.0}), kRtol, kAtol);
  // Every class perfect: Σ d^τ = 0, the guard gives uniform weights instead of 0/0.
  check_close(fresh.update({1.0, 1.0}), V({1.0, 1.0}), kRtol, kAtol);
  // τ = 0: 0^0 = 1 → uniform.
  ClassDifficultyUpdater flat(3, {.tau = 0.0, .dtype = f64});
  check_close(flat.update({1.0, 0.3, 0.0}), V({1.0, 1.0, 1.0}), kRtol, kAtol);
  // From predictions: class 2 has no validation sample → NaN → keeps d = 1.
  // class 0: 1/2 correct, class 1: 2/2 → d = [0.5, 0, 1] (τ = 1) → w = [1, 0, 2].
  ClassDifficultyUpdater counted(3, {.tau = 1.0, .dtype = f64});
  check_close(counted.update_from_predictions(tensor({0, 1, 1, 1}, {.dtype = i64}), tensor({0, 0, 1, 1}, {.dtype = i64})),
              V({1.0, 0.0, 2.0}), kRtol, kAtol);
  // f32 by default.
  CHECK(ClassDifficultyUpdater(2).weights().dtype() == f32);
}

TEST_CASE("CDB: a batch of zero-weight classes gives 0 (not NaN), an empty batch NaN for the mean") {
  Tensor w = V({0.0, 2.0, 0.0, 2.0});
  Tensor targets = tensor({0, 2, 0}, {.dtype = i64});
  Tensor z = leaf(Z().slice(0, 0, 3));
  Tensor loss = cdb_loss(z, targets, w, {.normalization = CdbNormalization::total_weight});
  check_scalar(loss, 0.0, kRtol);
  loss.backward();
  check_close(z.grad(), zeros({3, 4}, {.dtype = f64}), kRtol, kAtol);
  check_scalar(cdb_loss(Z().slice(0, 0, 3), targets, w), 0.0, kRtol);
  Tensor empty_logits = zeros({0, 4}, {.dtype = f64});
  Tensor empty_targets = zeros({0}, {.dtype = i64});
  CHECK(std::isnan(cdb_loss(empty_logits, empty_targets, w).item()));
  check_scalar(cdb_loss(empty_logits, empty_targets, w, {.reduction = Reduction::sum}), 0.0, kRtol);
}

}  // TEST_SUITE
