// tests/nn/state_dict.cpp — Module::state_dict and load_state_dict: keys, detached tensors sharing
// storage, round trip, and every load error listed at once with the model left unchanged.
// PyTorch literals come from tests/reference/nn_reference.py; the rest is derived here.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "fulcrum.hpp"
#include "nn/functional.hpp"
#include "tests/test_support.hpp"
#include "tests/nn/nn_support.hpp"

using namespace fulcrum;
using fulcrum::testing::check_close_within;

using namespace fulcrum::testing::nn_tests;

// ---------------------------------------------------------------- state_dict / load_state_dict

TEST_CASE("state_dict: keys, detached tensors sharing storage, round trip") {
  manual_seed(1);
  Net net;
  nn::StateDict state = net.state_dict();
  std::vector<std::string> keys;
  for (const auto& entry : state) keys.push_back(entry.first);
  CHECK(keys == std::vector<std::string>{"conv1.bias", "conv1.weight", "conv2.bias", "conv2.weight", "fc1.bias",
                                         "fc1.weight", "fc2.bias", "fc2.weight"});
  CHECK(!state["fc1.weight"].requires_grad());
  CHECK(state["fc1.weight"].storage() == net.fc1->weight.storage());  // like PyTorch: a view, not a copy

  const nn::StateDict snapshot = nn::clone_state_dict(state);
  CHECK(snapshot.at("fc1.weight").storage() != net.fc1->weight.storage());
  Net other;  // different random weights
  CHECK(!equal(other.fc1->weight, net.fc1->weight));
  other.load_state_dict(snapshot);
  for (const auto& [key, value] : other.state_dict()) {
    INFO(key);
    CHECK(equal(value, snapshot.at(key)));
  }
  // load_state_dict copies values: the model does not alias the dict afterwards.
  { NoGradGuard no_grad; snapshot.at("fc2.bias").fill_(7.0); }
  CHECK(other.fc2->bias.at({0}) != 7.0);
  CHECK(other.fc2->bias.requires_grad());

  // Buffers are saved too (BatchNorm: running stats and the i64 batch counter).
  nn::Sequential seq(nn::Linear({.in_features = 2, .out_features = 2}), nn::BatchNorm1d({.num_features = 2}));
  std::vector<std::string> seq_keys;
  for (const auto& entry : seq.state_dict()) seq_keys.push_back(entry.first);
  CHECK(seq_keys == std::vector<std::string>{"0.bias", "0.weight", "1.bias", "1.num_batches_tracked",
                                             "1.running_mean", "1.running_var", "1.weight"});
  CHECK(seq.state_dict().at("1.num_batches_tracked").dtype() == DType::i64);
}

TEST_CASE("load_state_dict: every error is listed and leaves the model unchanged") {
  manual_seed(2);
  Net net;
  const nn::StateDict before = nn::clone_state_dict(net.state_dict());
  auto unchanged = [&] {
    for (const auto& [key, value] : net.state_dict()) {
      INFO(key);
      CHECK(equal(value, before.at(key)));
    }
  };
  // A full set of new values, so a partial load would show.
  nn::StateDict fresh = nn::clone_state_dict(before);
  for (auto& [key, value] : fresh) {
    NoGradGuard no_grad;
    value.fill_(0.25);
  }

  nn::StateDict missing = fresh;
  missing.erase("fc2.bias");
  missing.erase("conv1.weight");
  std::string message = error_of([&] { net.load_state_dict(missing); });
  CHECK(contains(message, "Net.load_state_dict: error(s) in loading the state dict; nothing was changed."));
  CHECK(contains(message, "missing keys: conv1.weight, fc2.bias"));
  CHECK(!contains(message, "unexpected"));
  unchanged();

  nn::StateDict unexpected = fresh;
  unexpected["fc3.weight"] = zeros({2, 2});
  message = error_of([&] { net.load_state_dict(unexpected); });
  CHECK(contains(message, "unexpected keys: fc3.weight"));
  CHECK(!contains(message, "missing"));
  unchanged();

  nn::StateDict wrong_shape = fresh;
  wrong_shape["fc1.weight"] = zeros({50, 321});
  wrong_shape["conv2.bias"] = zeros({20}, {.dtype = DType::f64});
  message = error_of([&] { net.load_state_dict(wrong_shape); });
  CHECK(contains(message, "size mismatch for fc1.weight: expected [50, 320], got [50, 321]"));
  CHECK(contains(message, "dtype mismatch for conv2.bias: expected f32, got f64"));
  unchanged();
  // A shape mismatch is an error even when not strict.
  CHECK(contains(error_of([&] { net.load_state_dict(wrong_shape, false); }), "size mismatch for fc1.weight"));
  unchanged();

  // Everything at once: all three kinds are listed in one message.
  nn::StateDict all = missing;
  all["extra"] = zeros({1});
  all["fc1.weight"] = zeros({1});
  message = error_of([&] { net.load_state_dict(all); });
  CHECK((contains(message, "missing keys: conv1.weight, fc2.bias") && contains(message, "unexpected keys: extra") &&
         contains(message, "size mismatch for fc1.weight: expected [50, 320], got [1]")));
  unchanged();

  // strict = false loads what matches and ignores missing and unexpected keys.
  nn::StateDict partial = missing;
  partial["fc3.weight"] = zeros({2, 2});
  net.load_state_dict(partial, false);
  CHECK(net.fc1->weight.at({3, 7}) == 0.25);
  CHECK(equal(net.fc2->bias, before.at("fc2.bias")));      // missing: untouched
  CHECK(equal(net.conv1->weight, before.at("conv1.weight")));
}
