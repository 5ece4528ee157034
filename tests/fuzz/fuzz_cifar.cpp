// tests/fuzz/fuzz_cifar.cpp — libFuzzer harness for read_cifar_binary (data/cifar.hpp), each input
// read as a CIFAR-10 batch (label + 3072 pixels per record) and as a CIFAR-100 batch (2 labels).
#include "data/cifar.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using fulcrum::data::CifarVariant;
  static fulcrum::fuzz::ScratchFile scratch(".bin");
  const auto& path = scratch.write(data, size);
  fulcrum::fuzz::refuse_or_read([&] { fulcrum::data::read_cifar_binary(path, CifarVariant::cifar10); });
  fulcrum::fuzz::refuse_or_read([&] { fulcrum::data::read_cifar_binary(path, CifarVariant::cifar100); });
  return 0;
}
