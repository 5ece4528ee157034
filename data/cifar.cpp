// data/cifar.cpp — the CIFAR binary reader: the size check settles truncation before anything is
// allocated, then each record's label bytes are checked and its 3072 pixels copied into row i.
#include "data/cifar.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "data/byte_stream.hpp"

namespace fulcrum::data {
namespace {

constexpr int64_t kPixels = 3 * 32 * 32;

struct VariantInfo {
  int64_t label_bytes;
  int64_t fine_classes;
  const char* name;
};

VariantInfo info(CifarVariant variant) {
  return variant == CifarVariant::cifar10 ? VariantInfo{1, 10, "CIFAR-10"} : VariantInfo{2, 100, "CIFAR-100"};
}

}  // namespace

CifarSplit read_cifar_binary(const std::filesystem::path& path, CifarVariant variant) {
  const VariantInfo v = info(variant);
  const int64_t record = v.label_bytes + kPixels;
  ByteStream stream(path);
  FULCRUM_CHECK(!stream.compressed(), path.string() << ": is gzip-compressed; a " << v.name
                                                    << " binary batch is a plain file (unpack the .tar.gz first)");
  const int64_t size = stream.file_size();
  FULCRUM_CHECK(size > 0, stream.where(0) << ": empty file, expected " << v.name << " records of " << record
                                          << " bytes (" << v.label_bytes << " label byte(s) + 3072 pixels)");
  const int64_t whole = size / record;
  const int64_t left = size % record;
  FULCRUM_CHECK(left == 0, stream.where(whole * record)
                               << ": record " << whole + 1 << " is cut off after " << left << " of its " << record
                               << " bytes (file size " << size << " is not a multiple of " << record << ": "
                               << v.label_bytes << " label byte(s) + 3072 pixels per " << v.name
                               << " record; truncated file, or the wrong variant?)");

  CifarSplit out;
  out.images = Tensor::empty({whole, 3, 32, 32}, DType::u8);
  out.labels = Tensor::empty({whole}, DType::i64);
  if (variant == CifarVariant::cifar100) out.coarse_labels = Tensor::empty({whole}, DType::i64);
  uint8_t* pixels = out.images.data_ptr<uint8_t>();
  int64_t* labels = out.labels.data_ptr<int64_t>();
  std::vector<uint8_t> buffer(static_cast<size_t>(record));
  for (int64_t i = 0; i < whole; ++i) {
    const int64_t start = stream.offset();
    FULCRUM_CHECK(stream.read(buffer.data(), record) == record,
                  stream.where(start) << ": record " << i + 1 << " could not be read in full (file changed?)");
    if (variant == CifarVariant::cifar100) {
      FULCRUM_CHECK(buffer[0] < 20, stream.where(start) << ": record " << i + 1 << " has coarse label "
                                                        << int(buffer[0]) << ", expected 0–19");
      out.coarse_labels.data_ptr<int64_t>()[i] = buffer[0];
    }
    const uint8_t label = buffer[static_cast<size_t>(v.label_bytes - 1)];
    FULCRUM_CHECK(label < v.fine_classes, stream.where(start + v.label_bytes - 1)
                                              << ": record " << i + 1 << " has label " << int(label)
                                              << ", expected 0–" << v.fine_classes - 1 << " (" << v.name << ")");
    labels[i] = label;
    std::memcpy(pixels + i * kPixels, buffer.data() + v.label_bytes, kPixels);
  }
  return out;
}

namespace {

CifarSplit load_files(const std::filesystem::path& dir, const std::vector<std::string>& names, CifarVariant variant) {
  std::error_code error;
  std::vector<std::string> missing;
  for (const std::string& name : names) {
    if (!std::filesystem::is_regular_file(dir / name, error)) missing.push_back(name);
  }
  if (!missing.empty()) {
    std::ostringstream text;
    text << dir.string() << ": missing " << info(variant).name << " file(s)";
    for (const std::string& name : missing) text << " " << name;
    text << " (the split needs";
    for (const std::string& name : names) text << " " << name;
    text << ")";
    FULCRUM_FAIL(text.str());
  }
  if (names.size() == 1) return read_cifar_binary(dir / names[0], variant);
  std::vector<Tensor> images, labels;
  for (const std::string& name : names) {
    CifarSplit part = read_cifar_binary(dir / name, variant);
    images.push_back(part.images);
    labels.push_back(part.labels);
  }
  return CifarSplit{cat(images, 0), cat(labels, 0), Tensor()};
}

}  // namespace

CifarSplit load_cifar10(const std::filesystem::path& dir, bool train) {
  if (!train) return load_files(dir, {"test_batch.bin"}, CifarVariant::cifar10);
  std::vector<std::string> names;
  for (int i = 1; i <= 5; ++i) names.push_back(std::string("data_batch_").append(std::to_string(i)).append(".bin"));
  return load_files(dir, names, CifarVariant::cifar10);
}

CifarSplit load_cifar100(const std::filesystem::path& dir, bool train) {
  return load_files(dir, {train ? "train.bin" : "test.bin"}, CifarVariant::cifar100);
}

std::shared_ptr<TensorDataset> cifar10_dataset(const std::filesystem::path& dir, bool train,
                                               const Normalization& normalization) {
  CifarSplit split = load_cifar10(dir, train);
  return std::make_shared<TensorDataset>(normalize_images(split.images, normalization), split.labels);
}

}  // namespace fulcrum::data
