// tests/losses/ldam.cpp — LDAM (losses/ldam.hpp) with DRW weights and the scale s (reference
// values), and its classifier nn::NormedLinear (nn/normed_linear.hpp): outputs, init, repr, gradcheck.
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

// ============================== LDAM + NormedLinear ==============================
TEST_CASE("LDAM: kaidic values, DRW weights, the scale s (reference values)") {
  // reference: kaidic LDAMLoss(cls_num_list = [100, 40, 10, 5], max_m = 0.5, s = 30) on tanh(Z).
  Tensor logits = tensor({{0.8336546070121552, -0.3799489622552249, 0.2913126124515909, 0.664036770267849}, {-0.6043677771171635, 0.46211715726000974, 0.9704519366134539, -0.8617231593133063}, {0.04995837495787998, 0.7162978701990245, -0.5370495669980353, 0.3799489622552249}, {0.9757431300314515, -0.8004990217606297, 0.0, 0.5370495669980353}, {-0.2913126124515909, -0.664036770267849, 0.6043677771171635, 0.9051482536448664}}, {.dtype = f64});
  check_close(ldam_loss(logits, Y(), MARGINS(), {.reduction = Reduction::none}), V({2.130928696220198, 0.06915707177456847, 0.26998437750902626, 0.0023137127300523535, 5.979119965426442}), kRtol, kAtol);
  check_scalar(ldam_loss(logits, Y(), MARGINS(), {.reduction = Reduction::sum}), 8.451503823660286, kRtol);
  check_scalar(ldam_loss(logits, Y(), MARGINS()), 1.6903007647320571, kRtol);
  check_scalar(ldam_loss(logits, Y(), MARGINS(), {.weight = DRW_WEIGHTS()}), 3.5662382039388953, kRtol);
  check_scalar(ldam_loss(logits, Y(), MARGINS(), {.s = 5.0, .weight = DRW_WEIGHTS()}), 0.9971590362170812, kRtol);
  Tensor x = leaf(logits);
  ldam_loss(x, Y(), MARGINS(), {.weight = DRW_WEIGHTS()}).backward();
  check_close(x.grad(), tensor({{-0.7696043778360238, 1.9246164646340005e-14, 1.0717663834315326e-05, 0.7695936601721701}, {7.396983240966553e-15, 0.5809119302624826, -0.5809119302624907, 3.281058422233491e-18}, {2.5847086366087325e-05, -0.5150224072927041, 5.812758678620857e-13, 0.5149965602057569}, {-0.0020181998626154396, 7.555530921502943e-21, 2.0315813853160215e-10, 0.0020181996594572224}, {3.709827504719501e-11, 5.166451614217494e-16, 17.339047602889835, -17.339047602926932}}, {.dtype = f64}), 1e-9, 1e-12);
  // By hand: zero margins, s = 1 is plain cross-entropy.
  check_scalar(ldam_loss(logits, Y(), zeros({4}, {.dtype = f64}), {.s = 1.0}), cross_entropy(logits, Y()).item(), kRtol);
  // Module: the weight buffer starts at ones (= unweighted) and DRW swaps it in.
  nn::LDAMLoss module(MARGINS());
  check_scalar(module(logits, Y()), 1.6903007647320571, kRtol);
  module.set_weight(DRW_WEIGHTS());
  check_scalar(module(logits, Y()), 3.5662382039388953, kRtol);
  CHECK(nn::repr(module) == "LDAMLoss(classes=4, s=30, reduction=mean)");
  CHECK(module.named_buffers().size() == 2);
  CHECK_ERROR_CONTAINS(module.set_weight(ones({5}, {.dtype = f64})), "LDAMLoss::set_weight", "[4]", "[5]");
}

TEST_CASE("NormedLinear: cosine outputs (reference), init, repr, gradcheck") {
  nn::NormedLinear layer({.in_features = 3, .out_features = 2});
  CHECK(layer.weight.shape() == Shape{3, 2});
  CHECK(nn::repr(layer) == "NormedLinear(in_features=3, out_features=2)");
  // kaidic's init: U(−1, 1) then renorm to 1e-5 and ×1e5 → every column of norm ≈ 1.
  Tensor norms = sqrt(sum(layer.weight * layer.weight, {0}));
  check_close(norms, ones({2}), 1e-4, 1e-4);
  {
    NoGradGuard guard;
    layer.weight.copy_(tensor({{0.2, -0.5}, {1.0, 0.1}, {-0.3, 0.7}}));
  }
  Tensor x = tensor({{0.5, -1.0, 2.0}, {0.0, 0.3, -0.4}});
  // reference: F.normalize(x, dim=1).mm(F.normalize(W, dim=0)).
  check_close(layer(x), tensor({{-0.6158463695989178, 0.5291502622129182}, {0.7902055294422217, -0.5773502691896258}}), 1e-6, 1e-7);
  // Outputs are cosines: scaling the input or a column leaves them unchanged.
  check_close(layer(x * 7.0), layer(x), 1e-6, 1e-7);
  // A zero input row gives 0 (the norm is clamped at 1e-12), not NaN.
  check_close(layer(zeros({1, 3})), zeros({1, 2}), kRtol, kAtol);
  CHECK_ERROR_CONTAINS(layer(zeros({2, 4})), "NormedLinear", "[N, 3]", "[2, 4]");
  CHECK_ERROR_CONTAINS(nn::NormedLinear({.in_features = 0, .out_features = 2}), "NormedLinear", "in_features = 0");

  Generator generator(7);
  Tensor input = uniform({4, 3}, -1.0, 1.0, {.dtype = f64}, &generator).set_requires_grad(true);
  Tensor weight = uniform({3, 5}, -1.0, 1.0, {.dtype = f64}, &generator).set_requires_grad(true);
  run_gradcheck("normalize(x) @ normalize(W)", [](const std::vector<Tensor>& in) {
    return matmul(F::normalize(in[0], 1), F::normalize(in[1], 0));
  }, {input, weight});
  nn::NormedLinear f64_layer({.in_features = 3, .out_features = 5}, &generator);
  f64_layer.to(f64);
  run_gradcheck("NormedLinear module input", [&](const std::vector<Tensor>& in) { return f64_layer(in[0]); }, {input});
}

}  // TEST_SUITE
