// data/cifar.hpp — the CIFAR-10 / CIFAR-100 binary versions (Krizhevsky 2009, "binary version"
// of https://www.cs.toronto.edu/~kriz/cifar.html). CIFAR as JPEG folders is image_folder.hpp.
//
// Layout: a file is records back to back, nothing else. CIFAR-10 record = 1 label byte (0–9) +
// 3072 pixel bytes; CIFAR-100 record = 1 coarse label byte (0–19) + 1 fine label byte (0–99) +
// 3072 pixel bytes. The pixels are planar: 1024 red, then 1024 green, then 1024 blue, each 32×32
// row-major — exactly the [3, 32, 32] layout of a CHW tensor, so a record is copied as is.
// Files: CIFAR-10 data_batch_1.bin … data_batch_5.bin (10,000 records each) and test_batch.bin;
// CIFAR-100 train.bin (50,000) and test.bin (10,000).
#pragma once
#include <array>
#include <filesystem>
#include <memory>

#include "core/tensor.hpp"
#include "data/dataset.hpp"
#include "data/transforms.hpp"

namespace fulcrum::data {

// torchvision's CIFAR10.classes, in label order.
inline constexpr std::array<const char*, 10> cifar10_classes = {
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};

enum class CifarVariant { cifar10, cifar100 };

// Images u8 [N, 3, 32, 32]; labels i64 [N] (CIFAR-100: the fine label, as torchvision's
// CIFAR100 gives); coarse_labels i64 [N] for CIFAR-100 only (undefined for CIFAR-10).
struct CifarSplit {
  Tensor images;
  Tensor labels;
  Tensor coarse_labels;
};

// One binary batch file. Errors name the file and byte offset: a size that is not a whole number
// of records ("data_batch_1.bin: byte 30730: record 11 is cut off after 2 of its 3073 bytes
// …"), an empty file, a label out of range ("byte 3073: record 2 has label 12, expected 0–9").
CifarSplit read_cifar_binary(const std::filesystem::path& path, CifarVariant variant = CifarVariant::cifar10);

// The train (data_batch_1–5.bin, concatenated in that order) or test (test_batch.bin) split of
// the CIFAR-10 binary folder `dir` (the archive's "cifar-10-batches-bin"); CIFAR-100: train.bin /
// test.bin. A missing file is an Error naming the folder and every file it needs.
CifarSplit load_cifar10(const std::filesystem::path& dir, bool train);
CifarSplit load_cifar100(const std::filesystem::path& dir, bool train);

// load_cifar10 + normalize_images: inputs f32 [N, 3, 32, 32], targets i64 [N].
std::shared_ptr<TensorDataset> cifar10_dataset(const std::filesystem::path& dir, bool train,
                                               const Normalization& normalization);

}  // namespace fulcrum::data
