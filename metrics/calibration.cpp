// metrics/calibration.cpp — logit adjustment, reliability bins and ECE (see the header).
#include "metrics/calibration.hpp"

#include <cmath>

#include "core/ops.hpp"
#include "metrics/input.hpp"

namespace fulcrum::metrics {

namespace {
// The edges of numpy.linspace(0, 1, B + 1), which Guo et al.'s code uses: b · (1/B), last = 1.
double bin_edge(int64_t b, int64_t bins) { return b == bins ? 1.0 : static_cast<double>(b) * (1.0 / static_cast<double>(bins)); }
}  // namespace

Tensor logit_adjust(const Tensor& logits, const std::vector<int64_t>& class_counts, double tau) {
  FULCRUM_CHECK(logits.defined() && is_floating(logits.dtype()) && (logits.dim() == 1 || logits.dim() == 2),
                "logit_adjust: logits must be a floating [N, C] or [C] tensor, got "
                    << (logits.defined() ? shape_str(logits.shape()) : std::string("undefined")));
  const int64_t classes = logits.size(logits.dim() - 1);
  FULCRUM_CHECK(static_cast<int64_t>(class_counts.size()) == classes,
                "logit_adjust: logits " << shape_str(logits.shape()) << " have " << classes << " classes but "
                                        << class_counts.size() << " class counts were given");
  FULCRUM_CHECK(std::isfinite(tau), "logit_adjust: tau must be finite, got " << tau);
  double total = 0;
  for (size_t c = 0; c < class_counts.size(); ++c) {
    FULCRUM_CHECK(class_counts[c] > 0, "logit_adjust: class " << c << " has training count " << class_counts[c]
                                                              << "; every count must be > 0 (log prior of 0 is -inf)");
    total += static_cast<double>(class_counts[c]);
  }
  std::vector<double> offsets(classes);  // τ · log π_c
  for (int64_t c = 0; c < classes; ++c) offsets[c] = tau * std::log(static_cast<double>(class_counts[c]) / total);
  // [N, C] − [C] broadcasts over the rows.
  return sub(logits, from_data(offsets, {classes}).to(logits.dtype()));
}

CalibrationBins calibration_bins(const Tensor& probabilities, const Tensor& targets, CalibrationOptions options) {
  const char* function = "calibration_bins";
  FULCRUM_CHECK(options.n_bins >= 1, function << ": n_bins must be ≥ 1, got " << options.n_bins);
  const std::vector<int64_t> labels = detail::check_probabilities_and_targets(probabilities, targets, function);
  const int64_t n = probabilities.size(0), classes = probabilities.size(1);
  const std::vector<double> values = probabilities.to_vector<double>();
  const int64_t bins = options.n_bins;
  CalibrationBins result{std::vector<int64_t>(bins, 0), std::vector<double>(bins, 0.0), std::vector<double>(bins, 0.0)};
  for (int64_t i = 0; i < n; ++i) {
    int64_t prediction = 0;
    for (int64_t c = 0; c < classes; ++c) {
      const double p = values[i * classes + c];
      FULCRUM_CHECK(p >= 0 && p <= 1, function << ": probabilities[" << i << ", " << c << "] = " << p
                                               << " is not in [0, 1] (NaN included)");
      if (p > values[i * classes + prediction]) prediction = c;
    }
    const double confidence = values[i * classes + prediction];
    // Right-closed bins: the b with edge_b < conf ≤ edge_{b+1}; conf = 0 → bin 0. ceil(conf·B) − 1
    // is that b up to rounding; the two loops settle values on an edge exactly as the comparisons do.
    int64_t bin = static_cast<int64_t>(std::ceil(confidence * static_cast<double>(bins))) - 1;
    bin = bin < 0 ? 0 : (bin >= bins ? bins - 1 : bin);
    while (bin > 0 && confidence <= bin_edge(bin, bins)) --bin;
    while (bin + 1 < bins && confidence > bin_edge(bin + 1, bins)) ++bin;
    ++result.count[bin];
    result.accuracy[bin] += prediction == labels[i] ? 1.0 : 0.0;
    result.confidence[bin] += confidence;
  }
  for (int64_t b = 0; b < bins; ++b) {
    const double count = static_cast<double>(result.count[b]);
    result.accuracy[b] = count > 0 ? result.accuracy[b] / count : NAN;
    result.confidence[b] = count > 0 ? result.confidence[b] / count : NAN;
  }
  return result;
}

double expected_calibration_error(const Tensor& probabilities, const Tensor& targets, CalibrationOptions options) {
  const CalibrationBins bins = calibration_bins(probabilities, targets, options);
  double total = 0, error = 0;
  for (int64_t count : bins.count) total += static_cast<double>(count);
  for (size_t b = 0; b < bins.count.size(); ++b)
    if (bins.count[b] > 0)
      error += static_cast<double>(bins.count[b]) / total * std::abs(bins.accuracy[b] - bins.confidence[b]);
  return error;
}

}  // namespace fulcrum::metrics
