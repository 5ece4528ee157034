// data/transforms.cpp — normalize_images: a u8 pixel has only 256 values, so each channel gets
// a 256-entry table of its normalised floats and the pass over the images is one lookup per
// pixel (parallel over images with OpenMP). Then the per-example Normalize, Compose, RandomApply,
// classes_below, and the shared helpers of transforms_util.hpp.
#include "data/transforms.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/error.hpp"
#include "data/transforms_util.hpp"

namespace fulcrum::data {

Tensor normalize_images(const Tensor& images, const Normalization& normalization) {
  FULCRUM_CHECK(images.defined(), "normalize_images: the images tensor is undefined");
  FULCRUM_CHECK(images.dtype() == DType::u8, "normalize_images: expected u8 pixels, got "
                                                 << dtype_name(images.dtype()) << " " << shape_str(images.shape()));
  FULCRUM_CHECK(images.dim() == 3 || images.dim() == 4,
                "normalize_images: expected images [N, H, W] or [N, C, H, W], got " << shape_str(images.shape()));
  const Tensor source = images.dim() == 3 ? images.unsqueeze(1).contiguous() : images.contiguous();
  const int64_t channels = source.size(1);
  const auto check_values = [&](const char* name, const std::vector<double>& values) {
    FULCRUM_CHECK(values.size() == 1 || static_cast<int64_t>(values.size()) == channels,
                  "normalize_images: " << name << " has " << values.size() << " values for images with "
                                       << channels << " channels (expected 1 or " << channels << ")");
  };
  check_values("mean", normalization.mean);
  check_values("std", normalization.std);

  // table[c][x] = (float(x) / 255 − mean_c) / std_c, each step rounded to float as in PyTorch.
  std::vector<std::array<float, 256>> table(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    const auto& means = normalization.mean;
    const auto& stds = normalization.std;
    const auto mean = static_cast<float>(means.size() == 1 ? means[0] : means[c]);
    const auto std = static_cast<float>(stds.size() == 1 ? stds[0] : stds[c]);
    FULCRUM_CHECK(std::isfinite(std) && std > 0.0f,
                  "normalize_images: std of channel " << c << " must be positive, got " << std);
    for (int x = 0; x < 256; ++x) table[c][x] = (static_cast<float>(x) / 255.0f - mean) / std;
  }

  Tensor out = Tensor::empty(source.shape(), DType::f32);
  const uint8_t* pixels = source.data_ptr<uint8_t>();
  float* values = out.data_ptr<float>();
  const int64_t planes = source.size(0) * channels;  // one H×W plane per (image, channel)
  const int64_t plane_size = source.numel() / std::max<int64_t>(planes, 1);
#pragma omp parallel for schedule(static) if (source.numel() > (1 << 16))
  for (int64_t plane = 0; plane < planes; ++plane) {
    const std::array<float, 256>& lookup = table[static_cast<size_t>(plane % channels)];
    const uint8_t* from = pixels + plane * plane_size;
    float* to = values + plane * plane_size;
    for (int64_t i = 0; i < plane_size; ++i) to[i] = lookup[from[i]];
  }
  return out;
}

namespace detail {

Tensor image_argument(const Tensor& image, const char* who, bool allow_u8) {
  FULCRUM_CHECK(image.defined(), who << ": the image tensor is undefined");
  FULCRUM_CHECK(image.dim() == 3, who << ": expected an image [C, H, W], got " << shape_str(image.shape())
                                      << " (rank " << image.dim() << ")");
  FULCRUM_CHECK(image.dtype() == DType::f32 || (allow_u8 && image.dtype() == DType::u8),
                who << ": expected an f32" << (allow_u8 ? " or u8" : "") << " image, got "
                    << dtype_name(image.dtype()) << " " << shape_str(image.shape()));
  FULCRUM_CHECK(image.numel() > 0, who << ": the image " << shape_str(image.shape()) << " is empty");
  return image.contiguous();
}

void check_probability(double p, const char* who) {
  FULCRUM_CHECK(p >= 0.0 && p <= 1.0, who << ": p must be a probability in [0, 1], got " << p);
}

std::array<int64_t, 2> size_pair(const std::vector<int64_t>& size, const char* who) {
  FULCRUM_CHECK(size.size() == 1 || size.size() == 2,
                who << ": size must have 1 value (a square) or 2 (height, width), got " << size.size());
  for (int64_t value : size) FULCRUM_CHECK(value >= 1, who << ": size values must be ≥ 1, got " << repr_list(size));
  return {size[0], size.back()};
}

template <typename T> std::string join(const std::vector<T>& values, const char* open, const char* close) {
  std::string out = open;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.append(", ");
    if constexpr (std::is_floating_point_v<T>) {
      out.append(repr_number(values[i]));
    } else {
      out.append(std::to_string(values[i]));
    }
  }
  return out.append(close);
}
std::string repr_tuple(const std::vector<int64_t>& values) { return join(values, "(", ")"); }
std::string repr_list(const std::vector<int64_t>& values) { return join(values, "[", "]"); }
std::string repr_list(const std::vector<double>& values) { return join(values, "[", "]"); }

}  // namespace detail

// ---- Normalize, Compose, RandomApply ----

Tensor normalize(const Tensor& image, const std::vector<double>& mean, const std::vector<double>& std) {
  const Tensor source = detail::image_argument(image, "normalize", false);
  const int64_t channels = source.size(0), pixels = source.size(1) * source.size(2);
  for (auto [name, values] : {std::pair{"mean", &mean}, std::pair{"std", &std}})
    FULCRUM_CHECK(values->size() == 1 || static_cast<int64_t>(values->size()) == channels,
                  "normalize: " << name << " has " << values->size() << " values for an image "
                                << shape_str(source.shape()) << " (expected 1 or " << channels << ")");
  Tensor out = Tensor::empty(source.shape(), DType::f32);
  const float* in = source.data_ptr<float>();
  float* to = out.data_ptr<float>();
  for (int64_t c = 0; c < channels; ++c) {
    const auto m = static_cast<float>(mean.size() == 1 ? mean[0] : mean[c]);
    const auto s = static_cast<float>(std.size() == 1 ? std[0] : std[c]);
    FULCRUM_CHECK(s != 0.0f && std::isfinite(s), "normalize: std of channel " << c << " is " << s
                                                     << " after rounding to float; it must be finite and non-zero");
    for (int64_t k = 0; k < pixels; ++k) to[c * pixels + k] = (in[c * pixels + k] - m) / s;
  }
  return out;
}

Normalize::Normalize(Normalization options) : options_(std::move(options)) {
  FULCRUM_CHECK(!options_.mean.empty() && !options_.std.empty(), "Normalize: mean and std need at least one value");
}
Tensor Normalize::operator()(const Tensor& input, Generator&) const {
  return normalize(input, options_.mean, options_.std);
}
std::string Normalize::repr() const {
  return std::string("Normalize(mean=").append(detail::repr_list(options_.mean)).append(", std=")
      .append(detail::repr_list(options_.std)).append(")");
}

namespace {
void check_transforms(const Compose::List& transforms, const char* who) {
  for (size_t i = 0; i < transforms.size(); ++i)
    FULCRUM_CHECK(transforms[i] != nullptr, who << ": transform " << i << " is null");
}
// "\n    " before each line of a nested repr, as torchvision's f"\n    {t}" (which indents only the
// first line of a multi-line repr).
void append_indented(std::string& out, const std::string& repr) { out.append("\n    ").append(repr); }
}  // namespace

Compose::Compose(List transforms) : transforms_(std::move(transforms)) { check_transforms(transforms_, "Compose"); }
Tensor Compose::operator()(const Tensor& input, Generator& generator) const {
  Tensor out = input;
  for (const auto& transform : transforms_) out = (*transform)(out, generator);
  return out;
}
std::string Compose::repr() const {
  std::string out = "Compose(";
  for (const auto& transform : transforms_) append_indented(out, transform->repr());
  return out.append("\n)");
}

RandomApply::RandomApply(Compose::List transforms, double p) : transforms_(std::move(transforms)), p_(p) {
  check_transforms(transforms_, "RandomApply");
  detail::check_probability(p_, "RandomApply");
}
Tensor RandomApply::operator()(const Tensor& input, Generator& generator) const {
  if (!(generator.uniform() < p_)) return input;
  Tensor out = input;
  for (const auto& transform : transforms_) out = (*transform)(out, generator);
  return out;
}
std::string RandomApply::repr() const {
  std::string out = std::string("RandomApply(\n    p=").append(detail::repr_number(p_));
  for (const auto& transform : transforms_) append_indented(out, transform->repr());
  return out.append("\n)");
}

std::vector<int64_t> classes_below(const std::vector<int64_t>& counts, double fraction_of_max) {
  FULCRUM_CHECK(!counts.empty(), "classes_below: counts is empty");
  FULCRUM_CHECK(fraction_of_max > 0.0 && fraction_of_max <= 1.0,
                "classes_below: fraction_of_max must be in (0, 1], got " << fraction_of_max);
  for (size_t c = 0; c < counts.size(); ++c)
    FULCRUM_CHECK(counts[c] >= 0, "classes_below: counts[" << c << "] = " << counts[c] << " is negative");
  const auto largest = static_cast<double>(*std::max_element(counts.begin(), counts.end()));
  std::vector<int64_t> classes;
  for (size_t c = 0; c < counts.size(); ++c)
    if (static_cast<double>(counts[c]) < fraction_of_max * largest) classes.push_back(static_cast<int64_t>(c));
  return classes;
}

}  // namespace fulcrum::data
