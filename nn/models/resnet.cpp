// nn/models/resnet.cpp — the CIFAR ResNet (resnet.hpp): BasicBlock, the three stages, the head and
// LDAM-DRW's initialisation.
#include "nn/models/resnet.hpp"

#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/functional.hpp"
#include "nn/init.hpp"
#include "nn/linear.hpp"
#include "nn/normed_linear.hpp"

namespace fulcrum::nn::models {

namespace {

Conv2d conv3x3(int64_t in_planes, int64_t planes, int64_t stride) {
  return Conv2d({.in_channels = in_planes, .out_channels = planes, .kernel_size = 3, .stride = stride,
                 .padding = 1, .bias = false});
}

// Option A: x[:, :, ::stride, ::stride], then (planes − in_planes) / 2 zero channels before and
// after — kaidic's F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4)) when planes
// = 2·in_planes. Zeros carry no gradient; the slice's backward scatters dy back to the kept pixels.
Tensor subsample_and_pad(const Tensor& x, int64_t stride, int64_t planes) {
  Tensor kept = slice(slice(x, 2, 0, x.size(2), stride), 3, 0, x.size(3), stride);
  const int64_t before = (planes - x.size(1)) / 2, after = planes - x.size(1) - before;
  const TensorOptions like = {.dtype = x.dtype(), .device = x.device()};
  return cat({zeros({kept.size(0), before, kept.size(2), kept.size(3)}, like), kept,
              zeros({kept.size(0), after, kept.size(2), kept.size(3)}, like)}, 1);
}

// n BasicBlocks; the first has the stage's stride and takes in_planes channels.
Sequential make_layer(int64_t in_planes, int64_t planes, int64_t blocks, int64_t stride, Shortcut shortcut) {
  Sequential layer;
  for (int64_t i = 0; i < blocks; ++i) {
    layer.push_back(BasicBlock(i == 0 ? in_planes : planes, planes, i == 0 ? stride : 1, shortcut));
  }
  return layer;
}

}  // namespace

BasicBlock::BasicBlock(int64_t in_planes, int64_t planes, int64_t stride, Shortcut shortcut_kind)
    : Module("BasicBlock"), planes_(planes), stride_(stride) {
  conv1 = register_module("conv1", conv3x3(in_planes, planes, stride));
  bn1 = register_module("bn1", BatchNorm2d({.num_features = planes}));
  conv2 = register_module("conv2", conv3x3(planes, planes, 1));
  bn2 = register_module("bn2", BatchNorm2d({.num_features = planes}));
  shortcut = register_module("shortcut", Sequential());
  if (stride == 1 && in_planes == planes) return;  // identity
  if (shortcut_kind == Shortcut::projection) {
    shortcut->push_back(Conv2d({.in_channels = in_planes, .out_channels = planes, .kernel_size = 1,
                                .stride = stride, .bias = false}));
    shortcut->push_back(BatchNorm2d({.num_features = planes}));
  } else {
    FULCRUM_CHECK(planes >= in_planes, "BasicBlock: the padding shortcut cannot reduce channels ("
                                           << in_planes << " → " << planes << "); use Shortcut::projection");
    pad_channels_ = true;
  }
}

Tensor BasicBlock::forward(const Tensor& x) {
  Tensor out = relu((*bn1)((*conv1)(x)));
  out = (*bn2)((*conv2)(out));
  const Tensor identity = pad_channels_ ? subsample_and_pad(x, stride_, planes_)
                          : shortcut->empty() ? x
                                              : (*shortcut)(x);
  return relu(out + identity);
}

ResNet::ResNet(ResNetOptions options_) : Module("ResNet"), options(options_) {
  const ResNetOptions& o = options;
  FULCRUM_CHECK(o.depth >= 8 && (o.depth - 2) % 6 == 0,
                "ResNet: depth must be 6n + 2 with n ≥ 1 (8, 20, 32, 44, 56, 110), got " << o.depth);
  FULCRUM_CHECK(o.num_classes >= 1, "ResNet: num_classes must be ≥ 1, got " << o.num_classes);
  FULCRUM_CHECK(o.in_channels >= 1, "ResNet: in_channels must be ≥ 1, got " << o.in_channels);
  const int64_t blocks = (o.depth - 2) / 6;
  conv1 = register_module("conv1", conv3x3(o.in_channels, 16, 1));
  bn1 = register_module("bn1", BatchNorm2d({.num_features = 16}));
  layer1 = register_module("layer1", make_layer(16, 16, blocks, 1, o.shortcut));
  layer2 = register_module("layer2", make_layer(16, 32, blocks, 2, o.shortcut));
  layer3 = register_module("layer3", make_layer(32, 64, blocks, 2, o.shortcut));
  if (o.normed_linear) {
    linear = register_module("linear", NormedLinear({.in_features = 64, .out_features = o.num_classes}));
  } else {
    linear = register_module("linear", Linear({.in_features = 64, .out_features = o.num_classes}));
  }
  // LDAM-DRW's self.apply(_weights_init): init.kaiming_normal_(m.weight) on Conv2d and Linear.
  apply([](Module& module) {
    if (auto* conv = dynamic_cast<Conv2d*>(&module)) init::kaiming_normal_(conv->weight);
    if (auto* fc = dynamic_cast<Linear*>(&module)) init::kaiming_normal_(fc->weight);
  });
}

Tensor ResNet::forward(const Tensor& x) {
  FULCRUM_CHECK(x.defined(), "ResNet: the input tensor is undefined");
  FULCRUM_CHECK(x.dim() == 4 && x.size(1) == options.in_channels,
                "ResNet: expected input [N, " << options.in_channels << ", H, W] (images, NCHW), got "
                                              << shape_str(x.shape()));
  Tensor out = relu((*bn1)((*conv1)(x)));                       // [N, 16, H, W]
  out = (*layer3)((*layer2)((*layer1)(out)));                   // [N, 64, ⌈H/4⌉, ⌈W/4⌉]
  out = F::adaptive_avg_pool2d(out, {1, 1}).flatten(1);         // [N, 64]
  return (*linear)(out);                                        // [N, num_classes]
}

std::string ResNet::extra_repr() const {
  std::ostringstream out;
  out << "depth=" << options.depth << ", num_classes=" << options.num_classes
      << ", shortcut=" << (options.shortcut == Shortcut::projection ? "projection" : "padding");
  return out.str();
}

ResNet resnet8(int64_t num_classes, bool normed_linear) {
  return ResNet({.depth = 8, .num_classes = num_classes, .normed_linear = normed_linear});
}
ResNet resnet20(int64_t num_classes, bool normed_linear) {
  return ResNet({.depth = 20, .num_classes = num_classes, .normed_linear = normed_linear});
}
ResNet resnet32(int64_t num_classes, bool normed_linear) {
  return ResNet({.depth = 32, .num_classes = num_classes, .normed_linear = normed_linear});
}

}  // namespace fulcrum::nn::models
