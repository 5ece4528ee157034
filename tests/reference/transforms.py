#!/usr/bin/python3
# tests/reference/transforms.py — prints torchvision 0.14's outputs for the fixed images of
# tests/test_transforms.cpp, as C++ literals pasted into the test's `reference` namespace: the
# deterministic core of every transform (flips, rot90, pad modes, crops, bilinear resize, the
# resized crop of a given box, grayscale, the three ColorJitter blends, Gaussian blur, Normalize)
# and the reprs. Run with Debian's torch 1.13 / torchvision 0.14 (never a build or test dependency):
#   /usr/bin/python3 tests/reference/transforms.py
import torch
import torchvision.transforms as T
import torchvision.transforms.functional as F


def pattern(c, h, w):
    """The f32 test image: flat element k is ((37 k + 11) mod 101) / 100, in [0, 1]."""
    k = torch.arange(c * h * w, dtype=torch.float64)
    return (((37 * k + 11) % 101) / 100).to(torch.float32).reshape(c, h, w)


def pattern_u8(c, h, w):
    """The u8 test image: flat element k is (37 k + 11) mod 256."""
    k = torch.arange(c * h * w)
    return ((37 * k + 11) % 256).to(torch.uint8).reshape(c, h, w)


def index_image(c, h, w):
    """Element k holds k, so a rearrangement prints as the source indices (−1 marks a fill)."""
    return torch.arange(c * h * w, dtype=torch.float32).reshape(c, h, w)


def lit(t):
    values = t.flatten().tolist()
    if t.dtype.is_floating_point:
        return "{" + ", ".join(f"{v:.9g}" for v in values) + "}"
    return "{" + ", ".join(str(v) for v in values) + "}"


def show(name, t):
    print(f"const std::vector<double> {name} = {lit(t)};  // {list(t.shape)}")


def show_repr(name, transform):
    text = repr(transform).replace("\n", "\\n")
    print(f'const char* const {name} = "{text}";')


X = pattern(3, 4, 5)
U = pattern_u8(3, 4, 5)
I = index_image(2, 3, 4)

print("// ---- rearrangements of index_image(2, 3, 4) ----")
show("hflip_index", F.hflip(I))
show("vflip_index", F.vflip(I))
for k in (1, 2, 3, -1):
    show(f"rot90_index_{k if k >= 0 else 'minus1'}", torch.rot90(I, k, dims=[1, 2]))
# fill −1 marks padded positions (constant mode).
for mode in ("constant", "edge", "reflect", "symmetric"):
    show(f"pad_{mode}_index", F.pad(I, [2, 1, 1, 2], fill=-1, padding_mode=mode))
show("crop_inside_index", F.crop(I, 1, 1, 2, 3))
show("crop_outside_index", F.crop(I + 1, -1, 2, 3, 4))  # +1: the zero padding prints as 0
show("center_crop_2x3_index", F.center_crop(I, [2, 3]))
show("center_crop_5x7_index", F.center_crop(I + 1, [5, 7]))  # +1: the zero padding prints as 0

print("// ---- bilinear resize (antialias=False) of pattern(3, 4, 5) ----")
show("resize_3x7", F.resize(X, [3, 7]))
show("resize_7x3", F.resize(X, [7, 3]))
show("resize_smaller_edge_2", F.resize(X, [2]))  # 4×5 → 2×2 (⌊2·5/4⌋ = 2)
show("resize_u8_5x6", F.resize(U, [5, 6]))
show("resized_crop_1_2_3_3_to_4x5", F.resized_crop(X, 1, 2, 3, 3, [4, 5]))

print("// ---- colour on pattern(3, 4, 5) / pattern_u8(3, 4, 5) ----")
show("grayscale", F.rgb_to_grayscale(X))
show("grayscale_u8", F.rgb_to_grayscale(U))
show("brightness_1_3", F.adjust_brightness(X, 1.3))
show("contrast_0_6", F.adjust_contrast(X, 0.6))
show("contrast_1_8_one_channel", F.adjust_contrast(X[:1], 1.8))
show("saturation_1_7", F.adjust_saturation(X, 1.7))
show("saturation_0_3", F.adjust_saturation(X, 0.3))
show("contrast_u8_1_4", F.adjust_contrast(U, 1.4))
show("saturation_u8_0_5", F.adjust_saturation(U, 0.5))
show("blur_3x5_sigma_0_8_1_3", F.gaussian_blur(X, [3, 5], [0.8, 1.3]))
show("blur_u8_3_sigma_1_1", F.gaussian_blur(U, [3, 3], [1.1, 1.1]))
show("normalize", F.normalize(X, [0.5, 0.4, 0.3], [0.2, 0.25, 0.3]))

print("// ---- reprs ----")
show_repr("repr_hflip", T.RandomHorizontalFlip(p=0.3))
show_repr("repr_vflip", T.RandomVerticalFlip())
show_repr("repr_random_crop", T.RandomCrop(32, padding=4))
show_repr("repr_random_crop_list", T.RandomCrop((3, 4), padding=[1, 2]))
show_repr("repr_center_crop", T.CenterCrop((3, 4)))
show_repr("repr_resize", T.Resize([4, 6]))
show_repr("repr_resize_edge", T.Resize(8, max_size=12))
show_repr("repr_random_resized_crop", T.RandomResizedCrop(32))
show_repr("repr_color_jitter", T.ColorJitter(brightness=0.4, saturation=1.5))
show_repr("repr_grayscale", T.Grayscale(3))
show_repr("repr_random_grayscale", T.RandomGrayscale())
show_repr("repr_gaussian_blur", T.GaussianBlur(3))
show_repr("repr_normalize", T.Normalize([0.5, 0.25], [1.0, 2.0]))
show_repr("repr_compose", T.Compose([T.RandomHorizontalFlip(), T.Normalize([0.5], [0.25])]))
show_repr("repr_random_apply", T.RandomApply([T.RandomVerticalFlip(), T.Grayscale()], p=0.25))
