// tests/losses/catalogue_a.cpp — part A of the loss catalogue together (binary, focal,
// class_balanced, margin, regression, contrastive): the nn:: loss modules and functional names,
// empty batches, f64 gradchecks of every reduction, and bad input giving a clear fulcrum::Error.
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

// ============================ modules and functional names ===================================
TEST_CASE("loss modules call their functions; weights are buffers") {
  nn::BCEWithLogitsLoss bce({.weight = WB(), .pos_weight = PW()});
  check_scalar(bce(XB(), YB()), 1.0033063500915744);
  const nn::Module::NamedTensors buffers = bce.named_buffers();
  REQUIRE(buffers.size() == 2);
  CHECK(buffers[0].first == "weight");
  CHECK(buffers[1].first == "pos_weight");
  CHECK(repr(bce) == "BCEWithLogitsLoss()");
  CHECK(bce.parameters().empty());
  nn::BCELoss bce_probs({.reduction = Reduction::sum});
  check_scalar(bce_probs(PB(), YB()), 206.20975217042752);
  nn::MultiLabelSoftMarginLoss mlsm({.weight = W4()});
  check_scalar(mlsm(XB(), YB()), 0.4371965595670415);
  nn::FocalLoss focal({.weight = W()});
  CHECK(focal.named_buffers().size() == 1);
  check_scalar(focal(X(), T()), focal_loss(X(), T(), {.weight = W()}).item());
  nn::SigmoidFocalLoss sigmoid_focal({.reduction = Reduction::mean});
  check_scalar(sigmoid_focal(XB(), YB()), 0.06433081831493355, 1e-10);
  nn::ClassBalancedLoss cb({.samples_per_class = {50, 20, 5}, .beta = 0.99});
  cb.to(f64);
  check_scalar(cb(X(), T()), 2.515810500280061, 1e-6);  // α computed in f32 at construction
  nn::MultiMarginLoss margin({.p = 2});
  check_scalar(margin(X(), T()), 3.3066666666666666);
  nn::HingeEmbeddingLoss hinge;
  check_scalar(hinge(vec({0.3, 2.5}), vec({1.0, -1.0})), 0.15);
  nn::MSELoss mse;
  nn::L1Loss l1({.reduction = Reduction::sum});
  nn::SmoothL1Loss smooth({.beta = 0.75});
  nn::HuberLoss huber({.delta = 0.75});
  const Tensor x = mat({0.5, -1.0, 2.0, 0.1, 3.0, -0.4}, 2);
  const Tensor y = mat({0.0, -0.2, 0.5, 0.1, 1.0, 0.3}, 2);
  check_scalar(mse(x, y), 1.2716666666666667);
  check_scalar(l1(x, y), 5.5);
  check_scalar(smooth(x, y), 0.6113888888888889);
  check_scalar(huber(x, y), 0.4585416666666666);
  nn::ContrastiveLoss contrastive({.convention = ContrastiveConvention::tensorflow_addons});
  check_scalar(contrastive(mat({0.0, 0.0}, 1), mat({3.0, 4.0}, 1), vec({1.0})), 25.0);  // y·||·||² = 25
  check_contains(error_message([&] { (void)focal.forward(X()); }), {"FocalLoss: forward needs"});
  check_contains(error_message([&] { (void)contrastive.forward(X()); }), {"ContrastiveLoss: forward needs two embeddings"});
  // F:: aliases.
  namespace F = nn::functional;
  check_scalar(F::binary_cross_entropy_with_logits(XB(), YB()), 0.4793365832392726);
  check_scalar(F::multi_margin_loss(X(), T()), 1.1333333333333333);
  check_scalar(F::mse_loss(x, y), 1.2716666666666667);
  check_scalar(F::focal_loss(X(), T()), 1.5716880916186853);
  check_scalar(F::contrastive_loss(mat({0.0, 0.0}, 1), mat({3.0, 4.0}, 1), vec({0.0})), 12.5);  // ½·25
}

// ================================= empty batches =============================================
TEST_CASE("losses A: empty batches (mean NaN as PyTorch, sum 0)") {
  const Tensor empty = zeros({0, 4}, {.dtype = f64});
  CHECK(std::isnan(binary_cross_entropy_with_logits(empty, empty).item()));
  check_scalar(binary_cross_entropy_with_logits(empty, empty, {.reduction = Reduction::sum}), 0.0);
  CHECK(std::isnan(multilabel_soft_margin_loss(empty, empty).item()));
  CHECK(std::isnan(sigmoid_focal_loss(empty, empty, {.reduction = Reduction::mean}).item()));
  const Tensor no_targets = zeros({0}, {.dtype = i64});
  CHECK(std::isnan(focal_loss(empty, no_targets).item()));
  check_scalar(focal_loss(empty, no_targets, {.reduction = Reduction::sum}), 0.0);
  CHECK(focal_loss(empty, no_targets, {.reduction = Reduction::none}).shape() == Shape{0});
  CHECK(std::isnan(class_balanced_loss(empty, no_targets, {.samples_per_class = {1, 2, 3, 4}}).item()));
  CHECK(std::isnan(multi_margin_loss(empty, no_targets).item()));
  CHECK(std::isnan(mse_loss(empty, empty).item()));
  CHECK(std::isnan(contrastive_loss(empty, empty, zeros({0}, {.dtype = f64})).item()));
  // Balanced BCE of an empty target: β = 1, still an empty (NaN) mean.
  CHECK(std::isnan(balanced_binary_cross_entropy(empty, empty).item()));
  // A class absent from the batch changes nothing: its weight is simply unused (focal ÷ Σα_y).
  check_scalar(focal_loss(X(), tensor({0, 0, 1, 1}, {.dtype = i64}), {.gamma = 0.0, .weight = W(), .mean = FocalMean::target_weight}),
               cross_entropy(X(), tensor({0, 0, 1, 1}, {.dtype = i64}), {.weight = W()}).item());
}

// =================================== gradchecks ==============================================
TEST_CASE("gradcheck: binary, focal, class-balanced, margin, regression, contrastive (f64, every reduction)") {
  Generator generator(31);
  Tensor logits = uniform({4, 3}, -2.5, 2.5, {.dtype = f64}, &generator).set_requires_grad(true);
  Tensor probs = uniform({4, 3}, 0.05, 0.95, {.dtype = f64}, &generator).set_requires_grad(true);
  Tensor soft = uniform({4, 3}, 0.0, 1.0, {.dtype = f64}, &generator).set_requires_grad(true);
  const Tensor binary = tensor({{1.0, 0.0, 1.0}, {0.0, 0.0, 1.0}, {1.0, 1.0, 0.0}, {0.0, 1.0, 0.0}}, {.dtype = f64});
  const Tensor targets = tensor({2, 0, 1, 1}, {.dtype = i64});
  const Tensor weight = tensor({0.5, 2.0, 1.5}, {.dtype = f64});
  const Tensor row_weight = tensor({{0.5}, {2.0}, {1.0}, {0.3}}, {.dtype = f64});
  Tensor e1 = uniform({4, 3}, -1.0, 1.0, {.dtype = f64}, &generator).set_requires_grad(true);
  Tensor e2 = uniform({4, 3}, -1.0, 1.0, {.dtype = f64}, &generator).set_requires_grad(true);
  const Tensor pairs = tensor({0, 1, 1, 0}, {.dtype = i64});
  using Fn = std::function<Tensor(const std::vector<Tensor>&)>;
  for (const Reduction r : kReductions) {
    run_gradcheck(label("bce_with_logits weight+pos_weight (input, soft target)", r), [&](const std::vector<Tensor>& in) {
      return binary_cross_entropy_with_logits(in[0], in[1], {.weight = row_weight, .pos_weight = weight, .reduction = r});
    }, {logits, soft});
    run_gradcheck(label("binary_cross_entropy weight (input, soft target)", r), [&](const std::vector<Tensor>& in) {
      return binary_cross_entropy(in[0], in[1], {.weight = row_weight, .reduction = r});
    }, {probs, soft});
    run_gradcheck(label("balanced_bce", r), [&](const std::vector<Tensor>& in) {
      return balanced_binary_cross_entropy(in[0], binary, {.reduction = r});
    }, {logits});
    run_gradcheck(label("weighted_bce from probabilities", r), [&](const std::vector<Tensor>& in) {
      return weighted_binary_cross_entropy(in[0], binary, {.beta = 2.5, .from_logits = false, .reduction = r});
    }, {probs});
    run_gradcheck(label("multilabel_soft_margin weight", r), [&](const std::vector<Tensor>& in) {
      return multilabel_soft_margin_loss(in[0], in[1], {.weight = weight, .reduction = r});
    }, {logits, soft});
    for (const double gamma : {0.0, 0.5, 2.0}) {
      run_gradcheck(label("sigmoid_focal_loss", r), [&](const std::vector<Tensor>& in) {
        return sigmoid_focal_loss(in[0], binary, {.gamma = gamma, .reduction = r});
      }, {logits});
      run_gradcheck(label("sigmoid_focal_loss tfa probabilities", r), [&](const std::vector<Tensor>& in) {
        return sigmoid_focal_loss(in[0], binary, {.gamma = gamma, .reduction = r,
                                                  .convention = SigmoidFocalConvention::tensorflow_addons,
                                                  .from_logits = false});
      }, {probs});
      run_gradcheck(label("focal_loss alpha+weight", r), [&](const std::vector<Tensor>& in) {
        return focal_loss(in[0], targets, {.gamma = gamma, .alpha = 0.25, .weight = weight, .reduction = r});
      }, {logits});
      run_gradcheck(label("focal_loss log_probs, target_weight mean", r), [&](const std::vector<Tensor>& in) {
        return focal_loss(log_softmax(in[0], 1), targets, {.gamma = gamma, .weight = weight,
                                                           .input = FocalInput::log_probs, .reduction = r,
                                                           .mean = FocalMean::target_weight});
      }, {logits});
    }
    for (const ClassBalancedType type : {ClassBalancedType::softmax, ClassBalancedType::sigmoid, ClassBalancedType::focal}) {
      run_gradcheck(label("class_balanced_loss", r), [&](const std::vector<Tensor>& in) {
        return class_balanced_loss(in[0], targets, {.samples_per_class = {30, 10, 3}, .beta = 0.9, .type = type,
                                                    .gamma = 0.5, .reduction = r});
      }, {logits});
    }
    for (const int64_t p : {1, 2}) {
      run_gradcheck(label("multi_margin_loss weight", r), [&](const std::vector<Tensor>& in) {
        return multi_margin_loss(in[0], targets, {.p = p, .margin = 0.9, .weight = weight, .reduction = r});
      }, {logits});
    }
    run_gradcheck(label("hinge_embedding_loss", r), [&](const std::vector<Tensor>& in) {
      return hinge_embedding_loss(in[0], binary * 2.0 - 1.0, {.margin = 1.3, .reduction = r});
    }, {logits});
    const std::vector<std::pair<const char*, Fn>> regressions = {
        {"mse_loss", [&](const std::vector<Tensor>& in) { return mse_loss(in[0], in[1], {.reduction = r}); }},
        {"l1_loss", [&](const std::vector<Tensor>& in) { return l1_loss(in[0], in[1], {.reduction = r}); }},
        {"smooth_l1_loss", [&](const std::vector<Tensor>& in) { return smooth_l1_loss(in[0], in[1], {.reduction = r, .beta = 0.6}); }},
        {"huber_loss", [&](const std::vector<Tensor>& in) { return huber_loss(in[0], in[1], {.reduction = r, .delta = 0.6}); }},
    };
    for (const auto& [name, fn] : regressions) run_gradcheck(label(name, r), fn, {logits, soft});
    for (const ContrastiveConvention convention : {ContrastiveConvention::hadsell, ContrastiveConvention::tensorflow_addons}) {
      run_gradcheck(label("contrastive_loss", r), [&](const std::vector<Tensor>& in) {
        return contrastive_loss(in[0], in[1], pairs, {.margin = 2.0, .convention = convention, .reduction = r});
      }, {e1, e2});
    }
  }
  run_gradcheck("l2_penalty + l1_penalty", [&](const std::vector<Tensor>& in) {
    return l2_penalty({in[0], in[1]}) + l1_penalty({in[0]});
  }, {logits, soft});
}

// =================================== bad input ===============================================
TEST_CASE("losses A: bad input gives a clear fulcrum::Error") {
  // Shapes.
  CHECK_ERROR_CONTAINS(binary_cross_entropy_with_logits(XB(), YB().slice(0, 0, 2)),
                   "binary_cross_entropy_with_logits: target must have the input's shape [3, 4], got target [2, 4]");
  CHECK_ERROR_CONTAINS(binary_cross_entropy_with_logits(XB(), YB().to(f32)),
                   "binary_cross_entropy_with_logits: target is f32 but the input is f64");
  CHECK_ERROR_CONTAINS(binary_cross_entropy_with_logits(XB(), YB(), {.pos_weight = vec({1.0, 2.0, 3.0})}),
                   "binary_cross_entropy_with_logits: pos_weight [3] does not broadcast to the input [3, 4]");
  CHECK_ERROR_CONTAINS(binary_cross_entropy_with_logits(XB(), YB(), {.weight = vec({1.0, -2.0, 3.0, 1.0})}),
                   "binary_cross_entropy_with_logits: weight must be >= 0, got -2 at flat position 1");
  CHECK_ERROR_CONTAINS(binary_cross_entropy_with_logits(XB().to(i64), YB()),
                   "binary_cross_entropy_with_logits: input must be floating (f32 or f64), got i64 [3, 4]");
  CHECK_ERROR_CONTAINS(binary_cross_entropy(XB(), YB()),
                   "binary_cross_entropy: input holds probabilities, every element must be in [0, 1]; got -1.2 at flat position 1 of [3, 4]");
  CHECK_ERROR_CONTAINS(binary_cross_entropy(vec({0.5, NAN}), vec({1.0, 0.0})), "got nan at flat position 1");
  CHECK_ERROR_CONTAINS(weighted_binary_cross_entropy(XB(), YB(), {.beta = -1.0}), "weighted_binary_cross_entropy: beta must be finite and >= 0");
  CHECK_ERROR_CONTAINS(balanced_binary_cross_entropy(XB(), YB(), {.beta = 1.5}), "balanced_binary_cross_entropy: beta must be in [0, 1], got 1.5");
  CHECK_ERROR_CONTAINS(multilabel_soft_margin_loss(XB(), YB(), {.weight = W()}),
                   "multilabel_soft_margin_loss: weight must be [C] = [4], one entry per class; got weight [3]");
  CHECK_ERROR_CONTAINS(multilabel_soft_margin_loss(zeros({2, 2, 2}, {.dtype = f64}), zeros({2, 2, 2}, {.dtype = f64})),
                   "multilabel_soft_margin_loss: input must be [N, C] or [C], got [2, 2, 2]");
  // Focal.
  CHECK_ERROR_CONTAINS(focal_loss(X(), tensor({2, 0, 3, 1}, {.dtype = i64})),
                   "focal_loss: target 3 (at position 2) is out of range for C = 3 classes");
  CHECK_ERROR_CONTAINS(focal_loss(X(), tensor({2, 0, -1, 1}, {.dtype = i64})), "focal_loss: target -1");
  CHECK_ERROR_CONTAINS(focal_loss(X(), tensor({2, 0, 1}, {.dtype = i64})), "focal_loss: input [4, 3] needs targets [4], got targets [3]");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T().to(f64)), "focal_loss: targets must be i64 class indices, got f64");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.gamma = -1.0}), "focal_loss: gamma must be finite and >= 0, got -1");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.alpha = -0.5}), "focal_loss: alpha must be finite and >= 0, got -0.5");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.weight = vec({1.0, 1.0})}), "focal_loss: weight must be [C] = [3]", "got weight [2]");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.weight = vec({1.0, -1.0, 1.0})}), "focal_loss: weight must be >= 0, got weight[1] = -1");
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.weight = W().to(f32)}), "focal_loss: weight is f32 but the input is f64");
  CHECK_ERROR_CONTAINS(sigmoid_focal_loss(XB(), YB(), {.gamma = NAN}), "sigmoid_focal_loss: gamma must be finite and >= 0");
  CHECK_ERROR_CONTAINS(sigmoid_focal_loss(XB(), YB(), {.from_logits = false}), "binary_cross_entropy: input holds probabilities");
  CHECK_ERROR_CONTAINS(sigmoid_focal_loss(XB(), zeros({3}, {.dtype = f64})), "sigmoid_focal_loss: target must have the input's shape [3, 4]");
  // Class-balanced.
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), T(), {.samples_per_class = {5, 3}}),
                   "class_balanced_loss: samples_per_class has 2 counts but the input [4, 3] has C = 3 classes");
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), T(), {.samples_per_class = {5, 0, 1}}),
                   "effective_number_class_weights: class 1 has no samples (count 0)");
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), T(), {.samples_per_class = {5, 2, 1}, .beta = 1.0}), "beta must be in [0, 1)");
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), T(), {.weight = vec({1.0, -1.0, 1.0})}), "class_balanced_loss: weight must be >= 0");
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), tensor({0, 5, 1, 2}, {.dtype = i64}), {.weight = W()}),
                   "class_balanced_loss: target 5 (at position 1) is out of range for C = 3");
  CHECK_ERROR_CONTAINS(class_balanced_loss(X(), T(), {.weight = W(), .type = ClassBalancedType::focal, .from_log_probs = true}),
                   "from_log_probs applies to the softmax type only");
  // Margin.
  CHECK_ERROR_CONTAINS(multi_margin_loss(X(), T(), {.p = 3}), "multi_margin_loss: only p = 1 or p = 2 is supported, got p = 3");
  CHECK_ERROR_CONTAINS(multi_margin_loss(X(), tensor({0, 1, 2, 3}, {.dtype = i64})), "multi_margin_loss: target 3 (at position 3)");
  CHECK_ERROR_CONTAINS(multi_margin_loss(X(), T(), {.weight = vec({1.0, 2.0, 3.0, 4.0})}), "multi_margin_loss: weight must be [C] = [3]");
  CHECK_ERROR_CONTAINS(hinge_embedding_loss(vec({1.0, 2.0}), vec({1.0})), "hinge_embedding_loss: target must have the input's shape [2]");
  // Regression.
  CHECK_ERROR_CONTAINS(mse_loss(XB(), XB().slice(1, 0, 3)), "mse_loss: target must have the input's shape [3, 4], got target [3, 3]");
  CHECK_ERROR_CONTAINS(smooth_l1_loss(XB(), XB(), {.beta = -1.0}), "smooth_l1_loss: beta must be finite and >= 0, got -1");
  CHECK_ERROR_CONTAINS(huber_loss(XB(), XB(), {.delta = 0.0}), "huber_loss: delta must be finite and > 0, got 0");
  // Contrastive.
  const Tensor e = zeros({2, 3}, {.dtype = f64});
  CHECK_ERROR_CONTAINS(contrastive_loss(e, zeros({2, 2}, {.dtype = f64}), vec({0.0, 1.0})),
                   "contrastive_loss: x2 must have the input's shape [2, 3], got x2 [2, 2]");
  CHECK_ERROR_CONTAINS(contrastive_loss(e, e, vec({0.0, 1.0, 1.0})), "contrastive_loss: labels must be [N] = [2], one per pair; got labels [3]");
  CHECK_ERROR_CONTAINS(contrastive_loss(e, e, vec({0.0, 2.0})), "contrastive_loss: labels must be 0 or 1, got 2 at position 1");
  CHECK_ERROR_CONTAINS(contrastive_loss(e, e, vec({0.0, 1.0}), {.margin = 0.0}), "contrastive_loss: margin must be finite and > 0, got 0");
  CHECK_ERROR_CONTAINS(contrastive_loss(vec({1.0}), vec({1.0}), vec({0.0})), "contrastive_loss: embeddings must be [N, D], got x1 [1]");
  // Messages end with the source location.
  CHECK_ERROR_CONTAINS(focal_loss(X(), T(), {.gamma = -1.0}), "[losses/focal.cpp:");
}
