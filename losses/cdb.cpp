// losses/cdb.cpp — cdb_loss, ClassDifficultyUpdater and nn::CDBLoss (cdb.hpp).
#include "losses/cdb.hpp"

#include <cmath>
#include <limits>
#include <utility>

#include "autograd/node.hpp"
#include "core/class_labels.hpp"
#include "core/error.hpp"
#include "core/ops.hpp"
#include "losses/cross_entropy.hpp"
#include "losses/loss_checks.hpp"

namespace fulcrum {

Tensor cdb_loss(const Tensor& logits, const Tensor& targets, const Tensor& weight, CdbLossOptions options) {
  constexpr const char* loss = "cdb_loss";
  loss_checks::check_scores(loss, "logits", logits);
  const std::vector<int64_t> classes = loss_checks::check_class_targets(loss, logits, targets);
  const std::vector<double> w = loss_checks::check_class_vector(loss, "weight", weight, logits, logits.size(1),
                                                                loss_checks::Sign::non_negative);
  // l_n = w_{y_n}·CE_n: PyTorch's weighted cross_entropy with reduction 'none'.
  Tensor losses = cross_entropy(logits, targets, {.weight = weight.detach(), .reduction = Reduction::none});
  if (options.reduction == Reduction::none) return losses;
  Tensor total = sum(losses);
  if (options.reduction == Reduction::sum) return total;
  if (classes.empty()) return total / 0.0;  // NaN: the mean of an empty batch
  double denominator = static_cast<double>(classes.size());
  if (options.normalization == CdbNormalization::total_weight) {
    double target_weight = 0.0;
    for (int64_t c : classes) target_weight += w[static_cast<size_t>(c)];
    denominator = target_weight;
  }
  // Σ w_{y_n} = 0: every l_n is 0 (and so is its gradient); divide by 1 to return that 0.
  if (denominator == 0.0) denominator = 1.0;
  return total / denominator;
}

ClassDifficultyUpdater::ClassDifficultyUpdater(int64_t num_classes, ClassDifficultyUpdaterOptions options)
    : options_(options), last_tau_(options.tau) {
  FULCRUM_CHECK(num_classes >= 1, "ClassDifficultyUpdater: num_classes must be >= 1, got " << num_classes);
  FULCRUM_CHECK(std::isfinite(options.tau) && options.tau >= 0.0,
                "ClassDifficultyUpdater: tau must be finite and >= 0, got " << options.tau);
  FULCRUM_CHECK(is_floating(options.dtype), "ClassDifficultyUpdater: dtype must be f32 or f64, got " << options.dtype);
  difficulty_.assign(static_cast<size_t>(num_classes), 1.0);  // epoch 0: d = 1 → uniform weights
  weights_.assign(static_cast<size_t>(num_classes), 1.0);
}

Tensor ClassDifficultyUpdater::update(const std::vector<double>& accuracy) {
  constexpr const char* who = "ClassDifficultyUpdater::update";
  FULCRUM_CHECK(accuracy.size() == difficulty_.size(), who << ": expected " << difficulty_.size()
                                                           << " per-class accuracies, got " << accuracy.size());
  for (size_t c = 0; c < accuracy.size(); ++c) {
    FULCRUM_CHECK(std::isnan(accuracy[c]) || (accuracy[c] >= 0.0 && accuracy[c] <= 1.0),
                  who << ": accuracy[" << c << "] = " << accuracy[c] << " is outside [0, 1] (NaN marks a class "
                      << "absent from validation)");
  }
  for (size_t c = 0; c < accuracy.size(); ++c) {
    if (!std::isnan(accuracy[c])) difficulty_[c] = 1.0 - accuracy[c];  // absent: keep the previous d_c
  }
  double tau = options_.tau;
  if (options_.dynamic_tau) {
    double low = difficulty_[0], high = difficulty_[0];
    for (double d : difficulty_) {
      low = std::min(low, d);
      high = std::max(high, d);
    }
    const double ratio = (1.0 - low) / (1.0 - high + 0.01);
    tau = 1.0 / (1.0 + std::exp(-ratio));  // the official sigmoid
  }
  last_tau_ = tau;
  double total = 0.0;
  for (size_t c = 0; c < difficulty_.size(); ++c) {
    weights_[c] = std::pow(difficulty_[c], tau);  // pow(0, 0) = 1
    total += weights_[c];
  }
  const double classes = static_cast<double>(difficulty_.size());
  for (double& w : weights_) w = total > 0.0 ? w / total * classes : 1.0;  // all-zero guard: uniform
  ++updates_;
  return weights();
}

Tensor ClassDifficultyUpdater::update_from_predictions(const Tensor& predictions, const Tensor& labels) {
  constexpr const char* who = "ClassDifficultyUpdater::update_from_predictions";
  FULCRUM_CHECK(predictions.defined() && labels.defined(), who << ": predictions and labels must be defined");
  FULCRUM_CHECK(predictions.dtype() == DType::i64 && labels.dtype() == DType::i64,
                who << ": predictions and labels must be i64 class indices, got " << predictions.dtype() << " and "
                    << labels.dtype());
  FULCRUM_CHECK(predictions.dim() == 1 && predictions.shape() == labels.shape(),
                who << ": predictions and labels must be [M] of the same length, got "
                    << shape_str(predictions.shape()) << " and " << shape_str(labels.shape()));
  const int64_t classes = num_classes();
  const std::vector<int64_t> predicted = predictions.to_vector<int64_t>();
  const std::vector<int64_t> truth = labels.to_vector<int64_t>();
  std::vector<double> correct(static_cast<size_t>(classes), 0.0), count(static_cast<size_t>(classes), 0.0);
  check_class_labels(truth, classes, who, "label");
  check_class_labels(predicted, classes, who, "prediction");
  for (size_t i = 0; i < truth.size(); ++i) {
    count[static_cast<size_t>(truth[i])] += 1.0;
    if (predicted[i] == truth[i]) correct[static_cast<size_t>(truth[i])] += 1.0;
  }
  std::vector<double> accuracy(static_cast<size_t>(classes));
  for (size_t c = 0; c < accuracy.size(); ++c) {
    accuracy[c] = count[c] > 0.0 ? correct[c] / count[c] : std::numeric_limits<double>::quiet_NaN();
  }
  return update(accuracy);
}

Tensor ClassDifficultyUpdater::weights() const {
  return from_vector(weights_, {num_classes()}, {.dtype = options_.dtype});
}

namespace nn {

CDBLoss::CDBLoss(Tensor weight_, CdbLossOptions options_) : Module("CDBLoss"), options(options_) {
  FULCRUM_CHECK(weight_.defined() && weight_.dim() == 1,
                "CDBLoss: weight must be a defined [C] tensor, got "
                    << (weight_.defined() ? shape_str(weight_.shape()) : std::string("undefined")));
  weight = register_buffer("weight", weight_.detach());
}
Tensor CDBLoss::forward(const Tensor& logits, const Tensor& targets) {
  return cdb_loss(logits, targets, weight, options);
}
Tensor CDBLoss::forward(const Tensor&) {
  FULCRUM_FAIL("CDBLoss: forward needs the logits and the targets: loss(logits, targets)");
}
void CDBLoss::set_weight(const Tensor& new_weight) {
  FULCRUM_CHECK(new_weight.defined() && new_weight.shape() == weight.shape(),
                "CDBLoss::set_weight: expected a weight " << shape_str(weight.shape()) << ", got "
                    << (new_weight.defined() ? shape_str(new_weight.shape()) : std::string("undefined")));
  NoGradGuard guard;
  weight.copy_(new_weight.detach());
}
std::string CDBLoss::extra_repr() const {
  std::string out = "classes=";
  out.append(std::to_string(weight.numel()))
      .append(", normalization=")
      .append(options.normalization == CdbNormalization::batch_size ? "batch_size" : "total_weight")
      .append(", reduction=")
      .append(reduction_name(options.reduction));
  return out;
}

}  // namespace nn
}  // namespace fulcrum
