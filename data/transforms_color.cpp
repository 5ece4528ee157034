// data/transforms_color.cpp — grayscale, the three blends of ColorJitter, the separable Gaussian
// blur and additive noise. Arithmetic is in float, step by step as torchvision's tensor code
// does it (the blend factor rounded to float, the grayscale weights applied left to right).
#include "data/transforms_color.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "data/transforms_util.hpp"

namespace fulcrum::data {

namespace {

void check_channels(const Tensor& image, const char* who) {
  FULCRUM_CHECK(image.size(0) == 1 || image.size(0) == 3,
                who << ": expected an image with 1 or 3 channels, got " << shape_str(image.shape()));
}

void check_factor(double factor, const char* who) {
  FULCRUM_CHECK(std::isfinite(factor) && factor >= 0, who << ": the factor must be ≥ 0, got " << factor);
}

// out = clamp(f·image + (1 − f)·reference, 0, bound), stored back in T (u8: truncated, like torch's
// .to(uint8)). reference(c, k) gives the reference value of channel c, pixel k as float.
template <typename T, typename Reference>
Tensor blend(const Tensor& image, double factor, Reference reference) {
  const int64_t channels = image.size(0), pixels = image.size(1) * image.size(2);
  const auto ratio = static_cast<float>(factor), complement = static_cast<float>(1.0 - factor);
  const float bound = std::is_same_v<T, uint8_t> ? 255.0f : 1.0f;
  Tensor out = Tensor::empty(image.shape(), image.dtype());
  const T* in = image.data_ptr<T>();
  T* to = out.data_ptr<T>();
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t k = 0; k < pixels; ++k) {
      const float value = ratio * static_cast<float>(in[c * pixels + k]) + complement * reference(c, k);
      to[c * pixels + k] = static_cast<T>(std::clamp(value, 0.0f, bound));
    }
  }
  return out;
}

// The normalised 1-D Gaussian kernel in float, as torchvision's _get_gaussian_kernel1d.
std::vector<float> gaussian_kernel(int64_t size, double sigma) {
  std::vector<float> kernel(static_cast<size_t>(size));
  const auto half = static_cast<float>(static_cast<double>(size - 1) * 0.5);
  const auto s = static_cast<float>(sigma);
  float total = 0.0f;
  for (int64_t i = 0; i < size; ++i) {
    const float x = (-half + static_cast<float>(i)) / s;
    kernel[i] = std::exp(-0.5f * x * x);
    total += kernel[i];
  }
  for (float& value : kernel) value /= total;
  return kernel;
}

// Reflect index (no edge repeat) of position p in [−pad, n + pad); pad < n is checked before.
int64_t reflect(int64_t p, int64_t n) { return p < 0 ? -p : (p >= n ? 2 * (n - 1) - p : p); }

}  // namespace

Tensor rgb_to_grayscale(const Tensor& image, int64_t num_output_channels) {
  const Tensor source = detail::image_argument(image, "rgb_to_grayscale", true);
  check_channels(source, "rgb_to_grayscale");
  FULCRUM_CHECK(num_output_channels == 1 || num_output_channels == 3,
                "rgb_to_grayscale: num_output_channels must be 1 or 3, got " << num_output_channels);
  Tensor luma = source.size(0) == 1 ? source : Tensor::empty({1, source.size(1), source.size(2)}, source.dtype());
  if (source.size(0) == 3) {
    const int64_t pixels = source.size(1) * source.size(2);
    detail::dispatch_image(source.dtype(), [&]<typename T>() {
      const T* in = source.data_ptr<T>();
      T* to = luma.data_ptr<T>();
      for (int64_t k = 0; k < pixels; ++k) {
        const float value = 0.2989f * static_cast<float>(in[k]) + 0.587f * static_cast<float>(in[pixels + k]) +
                            0.114f * static_cast<float>(in[2 * pixels + k]);
        to[k] = static_cast<T>(value);
      }
    });
  }
  return num_output_channels == 1 ? luma : cat({luma, luma, luma}, 0);
}

Tensor adjust_brightness(const Tensor& image, double brightness_factor) {
  const Tensor source = detail::image_argument(image, "adjust_brightness", true);
  check_factor(brightness_factor, "adjust_brightness");
  Tensor out;
  detail::dispatch_image(source.dtype(), [&]<typename T>() {
    out = blend<T>(source, brightness_factor, [](int64_t, int64_t) { return 0.0f; });
  });
  return out;
}

Tensor adjust_contrast(const Tensor& image, double contrast_factor) {
  const Tensor source = detail::image_argument(image, "adjust_contrast", true);
  check_channels(source, "adjust_contrast");
  check_factor(contrast_factor, "adjust_contrast");
  const Tensor luma = rgb_to_grayscale(source);
  Tensor out;
  detail::dispatch_image(source.dtype(), [&]<typename T>() {
    const T* values = luma.data_ptr<T>();
    double total = 0.0;
    for (int64_t k = 0; k < luma.numel(); ++k) total += static_cast<double>(values[k]);
    const auto mean = static_cast<float>(total / static_cast<double>(luma.numel()));
    out = blend<T>(source, contrast_factor, [mean](int64_t, int64_t) { return mean; });
  });
  return out;
}

Tensor adjust_saturation(const Tensor& image, double saturation_factor) {
  const Tensor source = detail::image_argument(image, "adjust_saturation", true);
  check_channels(source, "adjust_saturation");
  check_factor(saturation_factor, "adjust_saturation");
  if (source.size(0) == 1) return source;  // as torchvision (and PIL)
  const Tensor luma = rgb_to_grayscale(source);
  Tensor out;
  detail::dispatch_image(source.dtype(), [&]<typename T>() {
    const T* gray = luma.data_ptr<T>();
    out = blend<T>(source, saturation_factor, [gray](int64_t, int64_t k) { return static_cast<float>(gray[k]); });
  });
  return out;
}

Tensor gaussian_blur(const Tensor& image, const std::vector<int64_t>& kernel_size, const std::vector<double>& sigma) {
  const Tensor source = detail::image_argument(image, "gaussian_blur", true);
  FULCRUM_CHECK(kernel_size.size() == 1 || kernel_size.size() == 2,
                "gaussian_blur: kernel_size must have 1 or 2 values (kx, ky), got " << kernel_size.size());
  for (int64_t k : kernel_size)
    FULCRUM_CHECK(k >= 1 && k % 2 == 1, "gaussian_blur: kernel sizes must be odd and positive, got "
                                            << detail::repr_list(kernel_size));
  FULCRUM_CHECK(sigma.size() == 1 || sigma.size() == 2,
                "gaussian_blur: sigma must have 1 or 2 values (sx, sy), got " << sigma.size());
  for (double s : sigma)
    FULCRUM_CHECK(std::isfinite(s) && s > 0, "gaussian_blur: sigma must be > 0, got " << detail::repr_list(sigma));
  const int64_t size_x = kernel_size[0], size_y = kernel_size.back();
  const int64_t channels = source.size(0), height = source.size(1), width = source.size(2);
  FULCRUM_CHECK(size_x / 2 < width && size_y / 2 < height,
                "gaussian_blur: kernel " << size_x << " × " << size_y << " (x × y) needs reflect padding ("
                                         << size_x / 2 << ", " << size_y / 2 << ") smaller than the image's width "
                                         << "and height, got " << shape_str(source.shape()));
  const std::vector<float> kernel_x = gaussian_kernel(size_x, sigma[0]);
  const std::vector<float> kernel_y = gaussian_kernel(size_y, sigma.back());
  // Pass 1 along rows, pass 2 along columns: out[i, j] = Σ_a g_y[a] Σ_b g_x[b] in[i+a−ry, j+b−rx],
  // indices reflected at the borders.
  std::vector<float> rows(static_cast<size_t>(height * width));
  Tensor out = Tensor::empty(source.shape(), source.dtype());
  detail::dispatch_image(source.dtype(), [&]<typename T>() {
    for (int64_t c = 0; c < channels; ++c) {
      const T* plane = source.data_ptr<T>() + c * height * width;
      for (int64_t i = 0; i < height; ++i) {
        for (int64_t j = 0; j < width; ++j) {
          float total = 0.0f;
          for (int64_t b = 0; b < size_x; ++b)
            total += kernel_x[b] * static_cast<float>(plane[i * width + reflect(j + b - size_x / 2, width)]);
          rows[i * width + j] = total;
        }
      }
      T* to = out.data_ptr<T>() + c * height * width;
      for (int64_t i = 0; i < height; ++i) {
        for (int64_t j = 0; j < width; ++j) {
          float total = 0.0f;
          for (int64_t a = 0; a < size_y; ++a) total += kernel_y[a] * rows[reflect(i + a - size_y / 2, height) * width + j];
          if constexpr (std::is_same_v<T, uint8_t>) {
            to[i * width + j] = detail::round_to_u8(total);
          } else {
            to[i * width + j] = total;
          }
        }
      }
    }
  });
  return out;
}

// ---- transforms ----

ColorJitter::ColorJitter(ColorJitterOptions options) : options_(options) {
  for (auto [name, value] : {std::pair{"brightness", options_.brightness}, std::pair{"contrast", options_.contrast},
                             std::pair{"saturation", options_.saturation}})
    FULCRUM_CHECK(std::isfinite(value) && value >= 0, "ColorJitter: " << name << " must be ≥ 0, got " << value);
}

ColorJitterParams ColorJitter::get_params(Generator& generator) const {
  static constexpr std::array<std::array<int, 3>, 6> orders = {
      {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}};
  ColorJitterParams params{.order = orders[generator.random_below(6)]};
  const auto factor = [&](double value) -> std::optional<double> {
    if (value == 0.0) return std::nullopt;
    const double low = std::max(0.0, 1.0 - value), high = 1.0 + value;
    return low + (high - low) * generator.uniform();
  };
  params.brightness = factor(options_.brightness);
  params.contrast = factor(options_.contrast);
  params.saturation = factor(options_.saturation);
  return params;
}

Tensor ColorJitter::operator()(const Tensor& input, Generator& generator) const {
  Tensor image = detail::image_argument(input, "ColorJitter", true);
  const ColorJitterParams params = get_params(generator);
  for (int step : params.order) {
    if (step == 0 && params.brightness) image = adjust_brightness(image, *params.brightness);
    if (step == 1 && params.contrast) image = adjust_contrast(image, *params.contrast);
    if (step == 2 && params.saturation) image = adjust_saturation(image, *params.saturation);
  }
  return image;
}

std::string ColorJitter::repr() const {
  const auto range = [](double value) -> std::string {
    if (value == 0.0) return "None";
    return std::string("[").append(detail::repr_number(std::max(0.0, 1.0 - value))).append(", ")
        .append(detail::repr_number(1.0 + value)).append("]");
  };
  return std::string("ColorJitter(brightness=").append(range(options_.brightness))
      .append(", contrast=").append(range(options_.contrast))
      .append(", saturation=").append(range(options_.saturation)).append(", hue=None)");
}

Grayscale::Grayscale(GrayscaleOptions options) : options_(options) {
  FULCRUM_CHECK(options_.num_output_channels == 1 || options_.num_output_channels == 3,
                "Grayscale: num_output_channels must be 1 or 3, got " << options_.num_output_channels);
}
Tensor Grayscale::operator()(const Tensor& input, Generator&) const {
  return rgb_to_grayscale(input, options_.num_output_channels);
}
std::string Grayscale::repr() const {
  return std::string("Grayscale(num_output_channels=").append(std::to_string(options_.num_output_channels)).append(")");
}

RandomGrayscale::RandomGrayscale(RandomGrayscaleOptions options) : options_(options) {
  detail::check_probability(options_.p, "RandomGrayscale");
}
Tensor RandomGrayscale::operator()(const Tensor& input, Generator& generator) const {
  const Tensor image = detail::image_argument(input, "RandomGrayscale", true);
  check_channels(image, "RandomGrayscale");
  return generator.uniform() < options_.p ? rgb_to_grayscale(image, image.size(0)) : image;
}
std::string RandomGrayscale::repr() const {
  return std::string("RandomGrayscale(p=").append(detail::repr_number(options_.p)).append(")");
}

GaussianBlur::GaussianBlur(GaussianBlurOptions options) : options_(std::move(options)) {
  FULCRUM_CHECK(options_.kernel_size.size() == 1 || options_.kernel_size.size() == 2,
                "GaussianBlur: kernel_size must have 1 or 2 values (kx, ky), got " << options_.kernel_size.size());
  for (int64_t k : options_.kernel_size)
    FULCRUM_CHECK(k >= 1 && k % 2 == 1, "GaussianBlur: kernel sizes must be odd and positive, got "
                                            << detail::repr_list(options_.kernel_size));
  const auto [low, high] = options_.sigma;
  FULCRUM_CHECK(low > 0 && low <= high && std::isfinite(high),
                "GaussianBlur: sigma must be (min, max) with 0 < min ≤ max, got (" << low << ", " << high << ")");
}
Tensor GaussianBlur::operator()(const Tensor& input, Generator& generator) const {
  const double sigma = options_.sigma[0] + (options_.sigma[1] - options_.sigma[0]) * generator.uniform();
  return gaussian_blur(input, options_.kernel_size, {sigma, sigma});
}
std::string GaussianBlur::repr() const {
  const std::vector<int64_t>& k = options_.kernel_size;
  return std::string("GaussianBlur(kernel_size=").append(detail::repr_tuple({k[0], k.back()}))
      .append(", sigma=(").append(detail::repr_number(options_.sigma[0])).append(", ")
      .append(detail::repr_number(options_.sigma[1])).append("))");
}

GaussianNoise::GaussianNoise(GaussianNoiseOptions options) : options_(options) {
  FULCRUM_CHECK(std::isfinite(options_.mean) && std::isfinite(options_.sigma) && options_.sigma >= 0,
                "GaussianNoise: needs a finite mean and sigma ≥ 0, got mean " << options_.mean << ", sigma "
                                                                              << options_.sigma);
}
Tensor GaussianNoise::operator()(const Tensor& input, Generator& generator) const {
  const Tensor image = detail::image_argument(input, "GaussianNoise", false);
  const Tensor noisy = image + normal(image.shape(), options_.mean, options_.sigma, {}, &generator);
  return options_.clip ? clamp(noisy, 0.0, 1.0) : noisy;
}
std::string GaussianNoise::repr() const {
  return std::string("GaussianNoise(mean=").append(detail::repr_number(options_.mean))
      .append(", sigma=").append(detail::repr_number(options_.sigma))
      .append(", clip=").append(options_.clip ? "True" : "False").append(")");
}

}  // namespace fulcrum::data
