// data/image_folder.hpp — torchvision's ImageFolder layout, decoded eagerly into one tensor:
// root/<class>/**/<file>.{png,jpg,jpeg,bmp} (extensions case-insensitive, other files ignored),
// class index = position of the folder name among the sorted sub-folder names of root, files in
// sorted path order. Decoding (image_decode.hpp: libjpeg-turbo, libpng, stb_image for BMP) runs
// in parallel (OpenMP), with an optional cache of the decoded tensor (cache.hpp). CIFAR's binary
// batches are cifar.hpp.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "data/dataset.hpp"
#include "data/image_decode.hpp"

namespace fulcrum::data {

struct ImageFolderOptions {
  // 3: RGB (torchvision's default loader converts every image to RGB), 1: grey (ITU-R 601 luma
  // weights 77/150/29 / 256, as stb_image; a colour JPEG gives its Y plane), 0: as stored, and
  // every file must agree.
  int64_t channels = 3;
  // An image with more pixels (width · height, read from its header before decoding) is an
  // Error naming the file and its size: PIL's decompression-bomb limit (image_decode.hpp).
  int64_t max_pixels = default_max_pixels;
  // The size every image must have. 0 × 0: the size of the first file (in sorted order).
  int64_t height = 0;
  int64_t width = 0;
  // false: an image of another size is an Error naming the file and both sizes. true: resize it
  // to height × width (both must then be given) with stb_image_resize (v0.97, default filters:
  // Mitchell when shrinking, Catmull-Rom when enlarging; not torchvision's bilinear).
  bool resize = false;
  // Non-empty: keep the decoded tensor in <cache_dir>/<root name>-<hash>.safetensors and reuse it
  // while the files and these options are unchanged (pass root's parent to keep it next to the
  // source). Empty: decode every time.
  std::filesystem::path cache_dir{};
};

// images u8 [N, C, H, W]; targets i64 [N]; classes = sorted folder names; files[i] is the
// source of row i. from_cache says whether the rows came from the cache; cache_status says what
// happened ("hit", "missing", "stale: …", "corrupt: …", or "off"), followed by "; not written: …"
// when the new cache file could not be written (a warning on stderr too; the decode is kept).
struct ImageFolder {
  Tensor images;
  Tensor targets;
  std::vector<std::string> classes;
  std::vector<std::filesystem::path> files;
  bool from_cache = false;
  std::string cache_status = "off";
};

// The listing only (no decoding): classes and the sorted image files with their targets. Symlinked
// folders are followed. Errors: root not a folder, no class folders, a class folder without
// images, an unreadable folder, a symlink loop.
ImageFolder list_image_folder(const std::filesystem::path& root);

// Lists and decodes root (or reads the cache). A file that cannot be decoded is an Error naming
// it and the decoder's reason; so is a channel count or size that does not fit the options.
ImageFolder load_image_folder(const std::filesystem::path& root, const ImageFolderOptions& options = {});

// Decodes one file into u8 [C, H, W] with the same channel and max_pixels rules (no size rule).
Tensor decode_image(const std::filesystem::path& file, int64_t channels = 3, int64_t max_pixels = default_max_pixels);

// load_image_folder as a TensorDataset of the raw u8 images (normalise with transforms.hpp).
std::shared_ptr<TensorDataset> image_folder_dataset(const std::filesystem::path& root,
                                                    const ImageFolderOptions& options = {});

}  // namespace fulcrum::data
