// tests/losses/cdt.cpp — CDT (losses/cdt.hpp): cdt_loss (paper form, logits) and cdt_nll_loss
// (book form, log-probs): reference values, by-hand identities, nn::CDTLoss.
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

// ============================== CDT ==============================
TEST_CASE("CDT: paper form on logits and book form on log-probs (reference values, every reduction)") {
  // reference: F.cross_entropy(Z / a, Y) and F.nll_loss(F.log_softmax(Z, 1) / a, Y).
  check_close(cdt_loss(Z(), Y(), TEMPERATURES(), {.reduction = Reduction::none}), V({0.7164921183120068, 0.5099306761838653, 0.8794210113405396, 0.26941849295976217, 0.8032153859660158}), kRtol, kAtol);
  check_scalar(cdt_loss(Z(), Y(), TEMPERATURES(), {.reduction = Reduction::sum}), 3.17847768476219, kRtol);
  check_scalar(cdt_loss(Z(), Y(), TEMPERATURES()), 0.635695536952438, kRtol);
  check_close(cdt_nll_loss(log_softmax(Z(), 1), Y(), TEMPERATURES(), {.reduction = Reduction::none}), V({0.8236429432182989, 0.16363513350155462, 0.6777566397732518, 0.29979554007503834, 0.29625267326609944}), kRtol, kAtol);
  check_scalar(cdt_nll_loss(log_softmax(Z(), 1), Y(), TEMPERATURES(), {.reduction = Reduction::sum}), 2.261082929834243, kRtol);
  check_scalar(cdt_nll_loss(log_softmax(Z(), 1), Y(), TEMPERATURES()), 0.4522165859668486, kRtol);
  // The two forms are not equivalent (docs/LOSSES.md §7).
  const double paper_form = cdt_loss(Z(), Y(), TEMPERATURES()).item<double>();
  const double book_form = cdt_nll_loss(log_softmax(Z(), 1), Y(), TEMPERATURES()).item<double>();
  CHECK(std::abs(paper_form - book_form) > 0.1);

  Tensor z = leaf(Z());
  cdt_loss(z, Y(), TEMPERATURES()).backward();
  check_close(z.grad(), tensor({{-0.10230745528193856, 0.017558634424078134, 0.022434398605429673, 0.025080809973759624}, {0.015853277589961186, 0.040301743227469794, -0.05040879637817971, 0.008586278957606584}, {0.04124782848247069, -0.0974048729057235, 0.01695405508486757, 0.02684726953522997}, {-0.047235293203847985, 0.00563970748087241, 0.010680096349599814, 0.012927031471692392}, {0.029112905769707847, 0.01680843528683964, 0.038564597624676795, -0.06065300863959536}}, {.dtype = f64}), kRtol, kAtol);
  Tensor w = leaf(Z());
  cdt_nll_loss(log_softmax(w, 1), Y(), TEMPERATURES()).backward();
  check_close(w.grad(), tensor({{-0.11223397881129735, 0.01771965407624421, 0.035683001371477056, 0.05883132336357606}, {0.005920708606727561, 0.019657444839788096, -0.028827507223809782, 0.003249353777294135}, {0.031531566647689004, -0.0927379108368145, 0.016460921203084553, 0.044745422986040936}, {-0.05180605923897701, 0.005465861924938253, 0.01642035668648195, 0.029919840627556777}, {0.010589086548379123, 0.0064226056499425655, 0.028784121544439083, -0.045795813742760774}}, {.dtype = f64}), kRtol, kAtol);
}

TEST_CASE("CDT: by hand — unit temperatures are cross_entropy; the book form is CE × 1/a_y") {
  // a = 1: z / a = z, so both forms are ordinary cross-entropy.
  Tensor ones4 = ones({4}, {.dtype = f64});
  check_close(cdt_loss(Z(), Y(), ones4, {.reduction = Reduction::none}),
              cross_entropy(Z(), Y(), {.reduction = Reduction::none}), kRtol, kAtol);
  // Book form: l_n = CE_n / a_{y_n}, and the mean divides by N (not by Σ 1/a_y).
  Tensor ce = cross_entropy(Z(), Y(), {.reduction = Reduction::none});
  const std::vector<double> a = TEMPERATURES().to_vector<double>();
  const std::vector<int64_t> y = Y().to_vector<int64_t>();
  double expected = 0.0;
  for (size_t n = 0; n < y.size(); ++n) expected += ce.at({static_cast<int64_t>(n)}) / a[static_cast<size_t>(y[n])];
  check_scalar(cdt_nll_loss(log_softmax(Z(), 1), Y(), TEMPERATURES()), expected / 5.0, kRtol);
  // Paper form, one sample z = [ln 2, 0] with a = [1, 2], y = 1 (hand): z / a = [ln 2, 0],
  // softmax = [2/3, 1/3] → loss = ln 3.
  check_scalar(cdt_loss(V2({{std::log(2.0), 0.0}}), tensor({1}, {.dtype = i64}), V({1.0, 2.0})),
               std::log(3.0), kRtol);
  // The temperatures get no gradient.
  Tensor t = leaf(TEMPERATURES());
  Tensor z = leaf(Z());
  cdt_loss(z, Y(), t).backward();
  CHECK_FALSE(t.grad().defined());
}

TEST_CASE("CDT: nn::CDTLoss (both forms), repr") {
  nn::CDTLoss paper(TEMPERATURES());
  nn::CDTLoss book(TEMPERATURES(), nn::CdtInput::log_probs, {.reduction = Reduction::sum});
  check_scalar(paper(Z(), Y()), 0.635695536952438, kRtol);
  check_scalar(book(log_softmax(Z(), 1), Y()), 2.261082929834243, kRtol);
  CHECK(nn::repr(book) == "CDTLoss(classes=4, input=log_probs, reduction=sum)");
  CHECK(paper.named_buffers().size() == 1);
  CHECK(paper.parameters().empty());
  CHECK_ERROR_CONTAINS(paper.forward(Z()), "CDTLoss", "targets");
}

}  // TEST_SUITE
