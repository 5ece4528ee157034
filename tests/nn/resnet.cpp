// tests/nn/resnet.cpp — the CIFAR ResNet (nn/models/resnet.hpp): output shape, parameter counts
// computed by hand (both shortcuts), PyTorch's state-dict names, LDAM-DRW's initialisation, the
// padding shortcut's values, f64 logits equal to PyTorch's on fixed weights, a check of backward
// against central differences on ResNet-8, and the errors a user can cause. PyTorch literals come
// from tests/reference/resnet_reference.py.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "fulcrum.hpp"
#include "tests/nn/nn_support.hpp"

using namespace fulcrum;
using namespace fulcrum::testing::nn_tests;
using nn::models::ResNet;
using nn::models::Shortcut;

TEST_CASE("ResNet: [N, 3, 32, 32] → [N, num_classes], in train and eval mode, Linear or NormedLinear head") {
  manual_seed(1);
  ResNet model = nn::models::resnet20(10);
  const Tensor x = randn({2, 3, 32, 32});
  CHECK(model(x).shape() == Shape{2, 10});
  model.eval();
  CHECK(model(x).shape() == Shape{2, 10});
  ResNet cosine = nn::models::resnet8(7, /*normed_linear=*/true);
  const Tensor logits = cosine(x);
  CHECK(logits.shape() == Shape{2, 7});
  CHECK(max(abs(logits)).item() <= 1.0 + 1e-6);  // cosines
  // Any image size: the stride-2 stages give ⌈H/4⌉ and global pooling absorbs it.
  CHECK(model(randn({3, 3, 9, 13})).shape() == Shape{3, 10});
}

// Parameters (weights + BN weight/bias; running stats are buffers), per stage of n blocks:
//   stem       conv 3·16·9 = 432, BN 2·16 = 32                                         464
//   layer1     per block 2 convs 16·16·9 + 2 BN 2·16 = 4608 + 64                       4,672 · n
//   layer2     first: 16·32·9 + 32·32·9 + 2·64 = 4608 + 9216 + 128 = 13,952;
//              the others: 2·9216 + 128 = 18,560                                       13,952 + 18,560 · (n − 1)
//   layer3     first: 32·64·9 + 64·64·9 + 2·128 = 18,432 + 36,864 + 256 = 55,552;
//              the others: 2·36,864 + 256 = 73,984                                     55,552 + 73,984 · (n − 1)
//   linear     64·10 + 10                                                              650
//   projection shortcuts (option B): 16·32 + 2·32 = 576 and 32·64 + 2·64 = 2176         2,752
// ResNet-20 (n = 3): 464 + 14,016 + 51,072 + 203,520 + 650 = 269,722 (+ 2,752 = 272,474)
// ResNet-32 (n = 5): 464 + 23,360 + 88,192 + 351,488 + 650 = 464,154 (+ 2,752 = 466,906)
// The padding counts are the "0.27M / 0.46M" of He et al. and of kaidic's table; all four agree
// with the same models built in PyTorch 1.13 (tests/reference/resnet_reference.py, "== count").
TEST_CASE("ResNet: parameter counts of ResNet-20 and ResNet-32, with either shortcut") {
  CHECK(nn::parameter_count(ResNet({.depth = 20, .shortcut = Shortcut::padding})) == 269722);
  CHECK(nn::parameter_count(ResNet({.depth = 20, .shortcut = Shortcut::projection})) == 272474);
  CHECK(nn::parameter_count(ResNet({.depth = 32, .shortcut = Shortcut::padding})) == 464154);
  CHECK(nn::parameter_count(nn::models::resnet32(10)) == 466906);  // projection, the default
  CHECK(nn::parameter_count(nn::models::resnet32(100)) == 466906 + 90 * 65);
  CHECK(nn::parameter_count(nn::models::resnet32(10, /*normed_linear=*/true)) == 466906 - 10);  // no bias
}

TEST_CASE("ResNet: state_dict names are PyTorch's (ResNet-8 with projections, as torch lists them)") {
  // torch's state_dict() order; Fulcrum's StateDict is a std::map, so the keys are compared sorted,
  // and the parameters (named_parameters, registration order) in torch's order.
  const std::vector<std::string> bn = {"weight", "bias", "running_mean", "running_var", "num_batches_tracked"};
  std::vector<std::string> expected;
  auto add_bn = [&](const std::string& prefix) {
    for (const auto& name : bn) expected.push_back(prefix + "." + name);
  };
  expected.push_back("conv1.weight");
  add_bn("bn1");
  for (const std::string layer : {"layer1.0", "layer2.0", "layer3.0"}) {
    expected.push_back(layer + ".conv1.weight");
    add_bn(layer + ".bn1");
    expected.push_back(layer + ".conv2.weight");
    add_bn(layer + ".bn2");
    if (layer != "layer1.0") {
      expected.push_back(layer + ".shortcut.0.weight");
      add_bn(layer + ".shortcut.1");
    }
  }
  expected.push_back("linear.weight");
  expected.push_back("linear.bias");
  ResNet model = nn::models::resnet8();
  std::vector<std::string> parameter_names;
  for (const auto& name : expected) {
    if (!name.ends_with("running_mean") && !name.ends_with("running_var") && !name.ends_with("num_batches_tracked")) {
      parameter_names.push_back(name);
    }
  }
  CHECK(names_of(model.named_parameters()) == parameter_names);
  std::vector<std::string> names;
  for (const auto& [name, tensor] : model.state_dict()) names.push_back(name);
  std::sort(expected.begin(), expected.end());
  CHECK(names == expected);  // 56 keys
  CHECK(nn::models::resnet32().state_dict().size() == 200);
  ResNet padded({.depth = 8, .shortcut = Shortcut::padding});
  CHECK(padded.state_dict().size() == 44);  // no shortcut entries at all
}

TEST_CASE("ResNet: LDAM-DRW's initialisation, kaiming_normal_ (fan_in, gain √2) on conv and linear weights") {
  manual_seed(3);
  ResNet model = nn::models::resnet32();
  // layer3.1.conv1: 64·64·9 = 36,864 weights with std √(2 / (64·9)) = 0.0589.
  const Tensor w = model.layer3->named_parameters()[0].second;
  REQUIRE(w.shape() == Shape{64, 32, 3, 3});  // layer3.0.conv1: fan_in 32·9, std √(2/288) = 0.0833
  const Tensor conv = std::dynamic_pointer_cast<nn::models::BasicBlock>((*model.layer3)[1])->conv1->weight;
  auto std_of = [](const Tensor& t) { return std::sqrt(mean(t * t).item()); };
  CHECK(std_of(conv) == doctest::Approx(std::sqrt(2.0 / 576)).epsilon(0.03));
  CHECK(std_of(w) == doctest::Approx(std::sqrt(2.0 / 288)).epsilon(0.05));
  // linear: 640 weights, std √(2/64) = 0.177 (loose: few samples); bias keeps U(±1/8).
  auto* linear = dynamic_cast<nn::Linear*>(model.linear.get());
  REQUIRE(linear != nullptr);
  CHECK(std_of(linear->weight) == doctest::Approx(std::sqrt(2.0 / 64)).epsilon(0.15));
  CHECK(max(abs(linear->bias)).item() <= 0.125);
  CHECK(model.bn1->weight.at({0}) == 1.0);
}

TEST_CASE("ResNet: the padding shortcut is x[:, :, ::2, ::2] between zero channels") {
  // A block 1 → 2 channels would pad 0 before and 1 after; with 2 → 4: one zero channel each side.
  nn::models::BasicBlock block(2, 4, 2, Shortcut::padding);
  CHECK(block.shortcut->empty());
  // Zero the residual branch (bn2's weight and bias 0): the block is relu(shortcut(x)).
  {
    NoGradGuard guard;
    block.bn2->weight.fill_(0.0);
    block.bn2->bias.fill_(0.0);
  }
  const Tensor x = arange(32.0, {.dtype = DType::f32}).reshape({1, 2, 4, 4});
  const Tensor y = block(x);
  REQUIRE(y.shape() == Shape{1, 4, 2, 2});
  const std::vector<double> expected = {0, 0, 0, 0, 0, 2, 8, 10, 16, 18, 24, 26, 0, 0, 0, 0};
  for (int64_t i = 0; i < 16; ++i) CHECK(y.flatten().at({i}) == expected[static_cast<size_t>(i)]);
}

TEST_CASE("ResNet-8 in f64 gives PyTorch's logits on the same weights (train, then eval), both shortcuts") {
  // Parameter k (named_parameters order, the same as torch's), element i: 0.5·sin(0.37·i + 1.3·k);
  // x[i] = cos(0.11·i). Literals: tests/reference/resnet_reference.py ("== ResNet-8 B/A train/eval").
  const std::vector<double> projection_train = {2.142359798773477, -0.8217765388119714, -2.9884630159177745,
                                                2.7017148574393692, 0.6882951892657365, -3.1921023568317497};
  const std::vector<double> projection_eval = {-10.827313119487627, -13.758766724311595, 6.933744895338237,
                                               -14.506508299147473, -17.185115509882902, 9.805822045525783};
  const std::vector<double> padding_train = {0.2890847774769222, 7.304963898312767, 0.9096479078202537,
                                             -0.40984298359445076, 6.383266896530704, 1.3914587568651657};
  const std::vector<double> padding_eval = {-4.72900243366709, 1.9134974997730865, 4.657709792330784,
                                            -7.364466242103891, -1.058662262290599, 6.593045306609221};
  for (Shortcut shortcut : {Shortcut::projection, Shortcut::padding}) {
    const bool projection = shortcut == Shortcut::projection;
    INFO("shortcut = " << (projection ? "projection" : "padding"));
    ResNet model({.depth = 8, .num_classes = 3, .shortcut = shortcut});
    model.to(DType::f64);
    {
      NoGradGuard guard;
      int64_t k = 0;
      for (const Tensor& parameter : model.parameters()) {
        double* data = parameter.data_ptr<double>();
        for (int64_t i = 0; i < parameter.numel(); ++i) data[i] = 0.5 * std::sin(0.37 * static_cast<double>(i) + 1.3 * static_cast<double>(k));
        ++k;
      }
    }
    std::vector<double> values(2 * 3 * 8 * 8);
    for (size_t i = 0; i < values.size(); ++i) values[i] = std::cos(0.11 * static_cast<double>(i));
    const Tensor x = from_vector(values, {2, 3, 8, 8}, {.dtype = DType::f64});
    for (bool training : {true, false}) {
      model.train(training);  // eval uses the running stats the training forward left
      const Tensor logits = model(x).flatten();
      const std::vector<double>& expected =
          training ? (projection ? projection_train : padding_train) : (projection ? projection_eval : padding_eval);
      for (int64_t i = 0; i < 6; ++i) {
        CHECK(logits.at({i}) == doctest::Approx(expected[static_cast<size_t>(i)]).epsilon(1e-9));
      }
    }
  }
}

namespace {

// L(model) = Σ v·model(x) for a fixed v: the scalar whose gradient both sides compute.
double projected_output(ResNet& model, const Tensor& x, const Tensor& v) {
  NoGradGuard guard;
  return sum(model(x) * v).item();
}

// Compares t.grad() at the first, middle and last element of t with central differences of L,
// moving that element of t (a parameter or the input, f64, contiguous) by ±eps in place.
void check_against_central_differences(ResNet& model, const Tensor& x, const Tensor& v, const std::string& name,
                                       const Tensor& t) {
  REQUIRE(t.grad().defined());
  double* data = t.data_ptr<double>();
  const Tensor grad = t.grad().contiguous();
  const double eps = 1e-6;
  for (int64_t index : {int64_t{0}, t.numel() / 2, t.numel() - 1}) {
    const double saved = data[index];
    data[index] = saved + eps;
    const double plus = projected_output(model, x, v);
    data[index] = saved - eps;
    const double minus = projected_output(model, x, v);
    data[index] = saved;
    const double numeric = (plus - minus) / (2 * eps);
    const double analytic = grad.data_ptr<double>()[index];
    INFO(name << "[" << index << "]: numeric " << numeric << ", analytic " << analytic);
    CHECK(std::abs(numeric - analytic) <= 1e-6 + 1e-4 * std::abs(numeric));
  }
}

}  // namespace

// A full gradcheck of ResNet-8 (78k parameters, two forwards each) would take minutes, so three
// elements of parameters at every depth and of the input are checked: enough to catch a missing
// or wrong backward anywhere on the path (each element's gradient flows through every later layer).
TEST_CASE("ResNet-8 in f64 (train mode, both shortcuts): backward agrees with central differences") {
  for (Shortcut shortcut : {Shortcut::projection, Shortcut::padding}) {
    INFO("shortcut = " << (shortcut == Shortcut::projection ? "projection" : "padding"));
    manual_seed(5);
    ResNet model({.depth = 8, .num_classes = 3, .shortcut = shortcut});
    model.to(DType::f64);
    Tensor x = f64_randn({2, 3, 8, 8}, 7);
    x.set_requires_grad(true);
    const Tensor v = f64_randn({2, 3}, 8);
    sum(model(x) * v).backward();
    // The stem, a block of each stage, BN weight and bias, a projection, the head.
    std::vector<std::string> checked = {"conv1.weight", "layer1.0.conv2.weight", "layer2.0.bn1.weight",
                                        "layer3.0.conv1.weight", "layer3.0.bn2.bias", "linear.weight"};
    if (shortcut == Shortcut::projection) checked.push_back("layer2.0.shortcut.0.weight");
    int64_t found = 0;
    for (const auto& [name, parameter] : model.named_parameters()) {
      if (std::find(checked.begin(), checked.end(), name) == checked.end()) continue;
      ++found;
      check_against_central_differences(model, x, v, name, parameter);
    }
    CHECK(found == static_cast<int64_t>(checked.size()));
    check_against_central_differences(model, x, v, "input", x);
  }
}

TEST_CASE("ResNet: bad options and bad input are clear errors") {
  CHECK(contains(error_of([] { ResNet({.depth = 30}); }), "depth must be 6n + 2"));
  CHECK(contains(error_of([] { ResNet({.num_classes = 0}); }), "num_classes must be"));
  ResNet model = nn::models::resnet8();
  const std::string wrong_channels = error_of([&] { model(randn({2, 1, 32, 32})); });
  CHECK(contains(wrong_channels, "ResNet: expected input [N, 3, H, W]"));
  CHECK(contains(wrong_channels, "got [2, 1, 32, 32]"));
  CHECK(contains(error_of([&] { model(randn({3, 32, 32})); }), "got [3, 32, 32]"));
}
