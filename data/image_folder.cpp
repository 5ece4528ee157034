// data/image_folder.cpp — the ImageFolder listing, decoding in parallel into one [N, C, H, W]
// tensor (HWC from the decoders of image_decode.hpp, transposed to CHW while copying), and the
// cache round trip. This is the one translation unit that compiles stb_image_resize (static, so
// it cannot clash with another copy in the program); stb_image itself is decode_bmp.cpp's.
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_STATIC
#include <stb/stb_image_resize.h>

#include "data/image_folder.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "data/cache.hpp"
#include "data/image_decode.hpp"

namespace fulcrum::data {
namespace {

bool is_image_file(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".png" || extension == ".jpg" || extension == ".jpeg" || extension == ".bmp";
}

// Copies HWC bytes into CHW `out`, resizing first when the sizes differ (only when allowed).
void store(const DecodedImage& pixels, int64_t height, int64_t width, uint8_t* out) {
  const uint8_t* source = pixels.pixels.data();
  std::vector<uint8_t> resized;
  if (pixels.height != height || pixels.width != width) {
    resized.resize(static_cast<size_t>(height * width * pixels.channels));
    stbir_resize_uint8(source, static_cast<int>(pixels.width), static_cast<int>(pixels.height), 0, resized.data(),
                       static_cast<int>(width), static_cast<int>(height), 0, static_cast<int>(pixels.channels));
    source = resized.data();
  }
  const int64_t plane = height * width;
  for (int64_t c = 0; c < pixels.channels; ++c) {
    for (int64_t p = 0; p < plane; ++p) out[c * plane + p] = source[p * pixels.channels + c];
  }
}

std::string size_str(int64_t height, int64_t width) {
  return std::to_string(height).append("x").append(std::to_string(width)).append(" (height x width)");
}

// The entries of `dir`; an unreadable folder is an Error naming it (not a filesystem_error).
std::vector<std::filesystem::path> folder_entries(const std::filesystem::path& dir) {
  std::error_code error;
  std::vector<std::filesystem::path> entries;
  std::filesystem::directory_iterator it(dir, error);
  for (; !error && it != std::filesystem::directory_iterator(); it.increment(error)) entries.push_back(it->path());
  FULCRUM_CHECK(!error, dir.string() << ": list_image_folder: cannot read the folder (" << error.message() << ")");
  return entries;
}

// Appends the image files under `dir`, following symlinked folders. `ancestors` holds the real
// paths of the folders being walked: a symlink back to one of them (a loop) is an Error, where
// std::filesystem's recursive iterator would descend until the path is too long and throw.
void collect_images(const std::filesystem::path& dir, std::vector<std::filesystem::path>& ancestors,
                    std::vector<std::filesystem::path>& files) {
  std::error_code error;
  const std::filesystem::path real = std::filesystem::canonical(dir, error);
  FULCRUM_CHECK(!error, dir.string() << ": list_image_folder: cannot resolve the folder (" << error.message() << ")");
  FULCRUM_CHECK(std::find(ancestors.begin(), ancestors.end(), real) == ancestors.end(),
                dir.string() << ": list_image_folder: symlink loop: this folder is " << real.string()
                             << ", which contains it (expected a tree of class folders)");
  ancestors.push_back(real);
  for (const std::filesystem::path& entry : folder_entries(dir)) {
    const std::filesystem::file_status status = std::filesystem::status(entry, error);  // follows symlinks
    if (status.type() == std::filesystem::file_type::not_found) continue;  // a dangling symlink: no image
    FULCRUM_CHECK(!error, entry.string() << ": list_image_folder: cannot read it (" << error.message() << ")");
    if (std::filesystem::is_directory(status)) {
      collect_images(entry, ancestors, files);
    } else if (std::filesystem::is_regular_file(status) && is_image_file(entry)) {
      files.push_back(entry);
    }
  }
  ancestors.pop_back();
}

struct Geometry {
  int64_t channels, height, width;
};

// Checks row i's pixels against the expected geometry and copies them into their row of `out`;
// returns the failure message ("" when stored).
std::string check_and_store(const DecodedImage& pixels, const ImageFolder& folder, int64_t i, Geometry expected,
                            const ImageFolderOptions& options, uint8_t* out) {
  const std::filesystem::path& file = folder.files[static_cast<size_t>(i)];
  if (pixels.channels != expected.channels) {
    return file.string() + ": has " + std::to_string(pixels.channels) + " channel(s), expected " +
           std::to_string(expected.channels) + " like " + folder.files[0].string() +
           " (channels 0 keeps the stored count; pass 1 or 3 to convert)";
  }
  if (!options.resize && (pixels.height != expected.height || pixels.width != expected.width)) {
    return file.string() + ": image size " + size_str(pixels.height, pixels.width) + ", expected " +
           size_str(expected.height, expected.width) +
           (options.height > 0 ? std::string(" (the requested size)") : " like " + folder.files[0].string()) +
           "; set resize to resize it";
  }
  store(pixels, expected.height, expected.width, out + i * expected.channels * expected.height * expected.width);
  return "";
}

void check_options(const ImageFolderOptions& options) {
  FULCRUM_CHECK(options.channels == 0 || options.channels == 1 || options.channels == 3,
                "load_image_folder: channels must be 0 (as stored), 1 or 3, got " << options.channels);
  FULCRUM_CHECK(options.height >= 0 && options.width >= 0 && (options.height == 0) == (options.width == 0),
                "load_image_folder: height and width must both be 0 (the first image's size) or both positive, got "
                    << options.height << " and " << options.width);
  FULCRUM_CHECK(!options.resize || options.height > 0,
                "load_image_folder: resize needs the target size (height and width > 0)");
}

// Decodes every listed file into folder.images.
void decode_all(ImageFolder& folder, const ImageFolderOptions& options) {
  const int64_t count = static_cast<int64_t>(folder.files.size());
  // The first file fixes what was not given: the size and, for channels 0, the channel count.
  const DecodeOptions decode_options{.channels = options.channels, .max_pixels = options.max_pixels};
  DecodedImage first;
  try {
    first = decode_image_file(folder.files[0], decode_options);
  } catch (const Error& e) {
    FULCRUM_FAIL("load_image_folder: " << e.what());
  }
  const int64_t height = options.height > 0 ? options.height : first.height;
  const int64_t width = options.width > 0 ? options.width : first.width;
  const int64_t channels = first.channels;
  folder.images = Tensor::empty({count, channels, height, width}, DType::u8);
  uint8_t* out = folder.images.data_ptr<uint8_t>();
  std::vector<std::string> failures(static_cast<size_t>(count));

  // Each iteration writes only its own row and its own failure slot, so the result does not
  // depend on the thread count or the schedule. No exception may leave the parallel region (an
  // exception escaping an OpenMP worker calls std::terminate): each one is caught and becomes
  // that row's failure message, and the first failure in file order is thrown after the loop.
#pragma omp parallel for schedule(dynamic, 32)
  for (int64_t i = 0; i < count; ++i) {
    std::string& message = failures[static_cast<size_t>(i)];
    try {
      const DecodedImage pixels = i == 0 ? std::move(first) : decode_image_file(folder.files[static_cast<size_t>(i)], decode_options);
      message = check_and_store(pixels, folder, i, {channels, height, width}, options, out);
    } catch (const Error& e) {
      message = e.what();  // names the file already
    } catch (const std::exception& e) {
      message = folder.files[static_cast<size_t>(i)].string() + ": " + e.what();
    } catch (...) {
      message = folder.files[static_cast<size_t>(i)].string() + ": unknown exception while decoding";
    }
  }
  for (const std::string& message : failures) FULCRUM_CHECK(message.empty(), "load_image_folder: " << message);
}

std::string options_text(const ImageFolderOptions& options) {
  std::string text = detail::decoder_versions();
  text.append(" channels=").append(std::to_string(options.channels));
  text.append(" height=").append(std::to_string(options.height));
  text.append(" width=").append(std::to_string(options.width));
  text.append(" resize=").append(options.resize ? "1" : "0");
  return text;
}

}  // namespace

ImageFolder list_image_folder(const std::filesystem::path& root) {
  std::error_code error;
  FULCRUM_CHECK(std::filesystem::is_directory(root, error),
                root.string() << ": list_image_folder: not a folder (expected root/<class>/<image files>)");
  ImageFolder folder;
  for (const std::filesystem::path& entry : folder_entries(root)) {
    if (std::filesystem::is_directory(entry, error)) folder.classes.push_back(entry.filename().string());
  }
  std::sort(folder.classes.begin(), folder.classes.end());
  FULCRUM_CHECK(!folder.classes.empty(),
                root.string() << ": list_image_folder: no class folders (expected root/<class>/<image files>)");
  std::vector<int64_t> targets;
  for (size_t c = 0; c < folder.classes.size(); ++c) {
    const std::filesystem::path class_dir = root / folder.classes[c];
    std::vector<std::filesystem::path> files;
    std::vector<std::filesystem::path> ancestors;
    collect_images(class_dir, ancestors, files);
    FULCRUM_CHECK(!files.empty(), class_dir.string() << ": list_image_folder: class folder \"" << folder.classes[c]
                                                     << "\" holds no .png/.jpg/.jpeg/.bmp file");
    std::sort(files.begin(), files.end());
    folder.files.insert(folder.files.end(), files.begin(), files.end());
    targets.insert(targets.end(), files.size(), static_cast<int64_t>(c));
  }
  folder.targets = Tensor::empty({static_cast<int64_t>(targets.size())}, DType::i64);
  std::copy(targets.begin(), targets.end(), folder.targets.data_ptr<int64_t>());
  return folder;
}

Tensor decode_image(const std::filesystem::path& file, int64_t channels, int64_t max_pixels) {
  FULCRUM_CHECK(channels == 0 || channels == 1 || channels == 3,
                "decode_image: channels must be 0 (as stored), 1 or 3, got " << channels);
  DecodedImage pixels;
  try {
    pixels = decode_image_file(file, {.channels = channels, .max_pixels = max_pixels});
  } catch (const Error& e) {
    FULCRUM_FAIL("decode_image: " << e.what());
  }
  Tensor out = Tensor::empty({pixels.channels, pixels.height, pixels.width}, DType::u8);
  store(pixels, pixels.height, pixels.width, out.data_ptr<uint8_t>());
  return out;
}

ImageFolder load_image_folder(const std::filesystem::path& root, const ImageFolderOptions& options) {
  check_options(options);
  ImageFolder folder = list_image_folder(root);
  if (options.cache_dir.empty()) {
    decode_all(folder, options);
    return folder;
  }
  const std::string options_key = options_text(options);
  const std::string key = source_fingerprint(root, folder.files, options_key);
  const std::string name = root.filename().empty() ? root.parent_path().filename().string() : root.filename().string();
  const std::filesystem::path cache_file =
      options.cache_dir /
      (name + "-" + fnv1a_hex(std::filesystem::absolute(root).lexically_normal().string() + options_key) +
       ".safetensors");
  CacheLookup lookup = read_cache(cache_file, key);
  if (lookup.state == CacheState::hit) {
    const auto images = lookup.tensors.find("images");
    const auto targets = lookup.tensors.find("targets");
    // The key covers the listing, so the targets must agree; anything else is a corrupt entry.
    if (images != lookup.tensors.end() && targets != lookup.tensors.end() && images->second.dim() == 4 &&
        images->second.size(0) == folder.targets.size(0) &&
        targets->second.to_vector<int64_t>() == folder.targets.to_vector<int64_t>()) {
      folder.images = images->second;
      folder.from_cache = true;
      folder.cache_status = "hit";
      return folder;
    }
    lookup.state = CacheState::corrupt;
    lookup.reason = cache_file.string() + ": the tensors do not match the listing";
  }
  switch (lookup.state) {
    case CacheState::missing: folder.cache_status = "missing"; break;
    case CacheState::stale: folder.cache_status = "stale: " + lookup.reason; break;
    default: folder.cache_status = "corrupt: " + lookup.reason; break;
  }
  decode_all(folder, options);
  // A cache that cannot be written (read-only or full disk) costs the next run a decode; it must
  // not throw away this one, which succeeded.
  try {
    write_cache(cache_file, {{"images", folder.images}, {"targets", folder.targets}}, key);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fulcrum: warning: load_image_folder: the cache was not written: %s\n", e.what());
    folder.cache_status += std::string("; not written: ") + e.what();
  }
  return folder;
}

std::shared_ptr<TensorDataset> image_folder_dataset(const std::filesystem::path& root,
                                                    const ImageFolderOptions& options) {
  ImageFolder folder = load_image_folder(root, options);
  return std::make_shared<TensorDataset>(folder.images, folder.targets);
}

}  // namespace fulcrum::data
