// data/mnist.hpp — the MNIST layout: four IDX files in one folder (train-images-idx3-ubyte,
// train-labels-idx1-ubyte, t10k-…), each raw or .gz. Used for MNIST, Fashion-MNIST (the
// Debian package dataset-fashion-mnist) and anything else shipped the same way. The IDX
// reader itself is idx.hpp; normalisation constants are in transforms.hpp.
#pragma once
#include <filesystem>
#include <memory>

#include "core/tensor.hpp"
#include "data/dataset.hpp"
#include "data/transforms.hpp"

namespace fulcrum::data {

// MNIST, Fashion-MNIST, KMNIST: ten classes; a label outside 0–9 is an Error naming its byte.
inline constexpr int64_t mnist_num_classes = 10;

// Where `apt-get install dataset-fashion-mnist` puts the files (all four gzip'd).
inline constexpr const char* fashion_mnist_default_dir = "/usr/share/datasets/fashion-mnist";

// One split as stored: images u8 [N, H, W] (28 × 28), labels i64 [N].
struct MnistSplit {
  Tensor images;
  Tensor labels;
};

// Reads the train (60,000) or test ("t10k", 10,000) split from `dir`. For each file it takes the
// first that exists of "<name>", "<name>.gz" and the dotted variant "train-images.idx3-ubyte"
// some archives use. Errors name the folder and the names tried, or the file and byte offset
// (also of a label outside 0–9), and say so when the image and label files disagree on N.
MnistSplit load_mnist(const std::filesystem::path& dir, bool train);

// load_mnist + normalize_images: a TensorDataset of inputs [N, 1, 28, 28] f32, targets i64 [N],
// ready for a DataLoader.
std::shared_ptr<TensorDataset> mnist_dataset(const std::filesystem::path& dir, bool train,
                                             const Normalization& normalization = mnist_normalization);

}  // namespace fulcrum::data
