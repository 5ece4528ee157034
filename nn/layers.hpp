// nn/layers.hpp — every layer in one include: Linear, Flatten, Embedding (linear.hpp), Conv2d
// (conv.hpp), MaxPool2d, AvgPool2d, AdaptiveAvgPool2d (pooling.hpp), Dropout, Dropout2d
// (dropout.hpp), BatchNorm1d/2d (normalization.hpp), activations (activation.hpp), Sequential
// (container.hpp), NormedLinear (normed_linear.hpp). Each takes an options struct:
// Conv2d({.in_channels = 1, .out_channels = 10, .kernel_size = 5}). The Module base is nn/module.hpp; the initialisers nn/init.hpp.
#pragma once
#include "nn/activation.hpp"
#include "nn/container.hpp"
#include "nn/conv.hpp"
#include "nn/dropout.hpp"
#include "nn/linear.hpp"
#include "nn/module.hpp"
#include "nn/normalization.hpp"
#include "nn/normed_linear.hpp"
#include "nn/pooling.hpp"
