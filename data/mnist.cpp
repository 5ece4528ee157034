// data/mnist.cpp — finding the four MNIST-layout files in a folder, reading them with read_idx,
// and checking that images and labels belong together (3-D images, 1-D labels, equal N).
#include "data/mnist.hpp"

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/shape.hpp"
#include "data/idx.hpp"

namespace fulcrum::data {
namespace {

// The first existing file among the names MNIST-layout archives use for one part,
// e.g. split "train", part "images", idx "idx3": train-images-idx3-ubyte[.gz],
// train-images.idx3-ubyte[.gz].
std::filesystem::path find_part(const std::filesystem::path& dir, const std::string& split, const std::string& part,
                                const std::string& idx) {
  std::string dashed = split;
  dashed.append("-").append(part).append("-").append(idx).append("-ubyte");
  std::string dotted = split;
  dotted.append("-").append(part).append(".").append(idx).append("-ubyte");
  std::string tried;
  for (const std::string& name : {dashed, dashed + ".gz", dotted, dotted + ".gz"}) {
    const std::filesystem::path candidate = dir / name;
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error)) return candidate;
    tried.append(tried.empty() ? "" : ", ").append(name);
  }
  FULCRUM_FAIL("load_mnist: no " << split << " " << part << " file in " << dir.string() << " (looked for " << tried
                                 << ")");
}

// Every label must name one of the 10 classes: a corrupt byte (200) would otherwise load and
// fail much later, in a loss, with a message about a target index instead of this file.
void check_labels(const Tensor& labels, const std::filesystem::path& path) {
  const uint8_t* label = labels.data_ptr<uint8_t>();
  const bool gzip = path.extension() == ".gz";
  for (int64_t i = 0; i < labels.numel(); ++i) {
    FULCRUM_CHECK(label[i] < mnist_num_classes,
                  path.string() << ": byte " << 8 + i << (gzip ? " of the decompressed data" : "") << ": label "
                                << int{label[i]} << " of example " << i << " is out of range, expected 0 to "
                                << mnist_num_classes - 1 << " (the MNIST layout has " << mnist_num_classes
                                << " classes)");
  }
}

}  // namespace

MnistSplit load_mnist(const std::filesystem::path& dir, bool train) {
  const std::string split = train ? "train" : "t10k";
  const std::filesystem::path images_path = find_part(dir, split, "images", "idx3");
  const std::filesystem::path labels_path = find_part(dir, split, "labels", "idx1");
  Tensor images = read_idx(images_path);
  Tensor labels = read_idx(labels_path);
  FULCRUM_CHECK(images.dim() == 3, images_path.string() << ": expected images [N, H, W] (an idx3 file), found shape "
                                                        << shape_str(images.shape()));
  FULCRUM_CHECK(labels.dim() == 1, labels_path.string() << ": expected labels [N] (an idx1 file), found shape "
                                                        << shape_str(labels.shape()));
  FULCRUM_CHECK(images.size(0) == labels.size(0), "load_mnist: " << images_path.string() << " holds "
                                                                  << images.size(0) << " images but "
                                                                  << labels_path.string() << " holds "
                                                                  << labels.size(0) << " labels");
  check_labels(labels, labels_path);
  return {images, labels.to(DType::i64)};
}

std::shared_ptr<TensorDataset> mnist_dataset(const std::filesystem::path& dir, bool train,
                                             const Normalization& normalization) {
  MnistSplit split = load_mnist(dir, train);
  return std::make_shared<TensorDataset>(normalize_images(split.images, normalization), split.labels);
}

}  // namespace fulcrum::data
