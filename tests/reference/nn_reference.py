# tests/reference/nn_reference.py — generated the PyTorch literals pasted into tests/nn/*.cpp
# (module reprs, parameter names and counts, batch-norm running statistics, init gains).
# Run with Debian's python3-torch: /usr/bin/python3 tests/reference/nn_reference.py
# torch is never a build or test dependency; this script only documents where the numbers came from.
# "The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced
# Data (Packt, 2023), chapters 6 and 8 (its MNIST Net).
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):  # the book's MNIST model
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)


net = Net()
print("== Net repr"); print(repr(net))
print("== Net names", [n for n, _ in net.named_parameters()])
print("== Net count", sum(p.numel() for p in net.parameters()))
print("== state_dict keys", sorted(net.state_dict().keys()))

seq = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1, groups=1, bias=False), nn.BatchNorm2d(8),
                    nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.25),
                    nn.Linear(8, 4), nn.LeakyReLU(0.2), nn.GELU(approximate='tanh'), nn.LogSoftmax(dim=1))
print("== Sequential repr"); print(repr(seq))
print("== Sequential keys", list(seq.state_dict().keys()))
print("== misc reprs")
for m in [nn.Conv2d(4, 6, (3, 5), stride=(2, 1), padding=(1, 2), dilation=2, groups=2),
          nn.AvgPool2d(3, stride=2, padding=1), nn.AdaptiveAvgPool2d((2, 3)), nn.AdaptiveAvgPool2d(1),
          nn.BatchNorm1d(5, eps=1e-3, momentum=None, affine=False), nn.Embedding(10, 3, padding_idx=-1),
          nn.Softmax(dim=-1), nn.Sigmoid(), nn.Tanh(), nn.Dropout2d(0.1), nn.Sequential()]:
    print(repr(m))

print("== BatchNorm1d running stats, momentum 0.1")
bn = nn.BatchNorm1d(2)
x = torch.tensor([[1., 2.], [3., 6.], [5., 10.], [7., 14.]], dtype=torch.float64)
bn = bn.double()
y = bn(x)
print(y.detach().numpy().tolist())
print(bn.running_mean.tolist(), bn.running_var.tolist(), bn.num_batches_tracked.item())
bn(x)
print(bn.running_mean.tolist(), bn.running_var.tolist(), bn.num_batches_tracked.item())
bn.eval()
print(bn(x).detach().numpy().tolist())
cum = nn.BatchNorm1d(2, momentum=None).double()
cum(x); cum(x * 2)
print("cumulative", cum.running_mean.tolist(), cum.running_var.tolist())

print("== gains", nn.init.calculate_gain('tanh'), nn.init.calculate_gain('relu'),
      nn.init.calculate_gain('leaky_relu'), nn.init.calculate_gain('leaky_relu', 0.2),
      nn.init.calculate_gain('selu'), nn.init.calculate_gain('leaky_relu', math.sqrt(5)))
print("== fans", nn.init._calculate_fan_in_and_fan_out(torch.empty(10, 3, 5, 5)),
      nn.init._calculate_fan_in_and_fan_out(torch.empty(50, 320)))

# GELU literals of tests/nn/layers.cpp's activation case: exact (x·Φ(x)) and tanh approximation, f64.
v = torch.tensor([-1.0, 0.0, 1.0, 2.0], dtype=torch.float64)
print("== gelu", [repr(x) for x in F.gelu(v).tolist()])
print("== gelu tanh", [repr(x) for x in F.gelu(v, approximate='tanh').tolist()])
