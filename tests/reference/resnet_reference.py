# tests/reference/resnet_reference.py — generated the PyTorch literals of tests/nn/resnet.cpp: the
# CIFAR ResNet of kaidic/LDAM-DRW (models/resnet_cifar.py) with option A (padding) or B (projection)
# shortcuts — parameter counts, state_dict keys, and the f64 logits of ResNet-8 with deterministic
# weights (parameter k, element i: 0.5·sin(0.37·i + 1.3·k), in named_parameters order) on the input
# x[i] = cos(0.11·i), in train mode, then in eval mode after that one training forward.
# Run with Debian's python3-torch: /usr/bin/python3 tests/reference/resnet_reference.py
# torch is never a build or test dependency; this script only documents where the numbers came from.
import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride, option):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        self.pad = None
        if stride != 1 or in_planes != planes:
            if option == 'A':  # kaidic's LambdaLayer
                self.pad = lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4), "constant", 0)
            else:
                self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False),
                                              nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (self.pad(x) if self.pad else self.shortcut(x)))


class ResNet(nn.Module):
    def __init__(self, depth, num_classes, option):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        make = lambda i, p, s: nn.Sequential(*[BasicBlock(i if k == 0 else p, p, s if k == 0 else 1, option)
                                               for k in range(n)])
        self.layer1, self.layer2, self.layer3 = make(16, 16, 1), make(16, 32, 2), make(32, 64, 2)
        self.linear = nn.Linear(64, num_classes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        return self.linear(F.avg_pool2d(out, out.size()[3]).flatten(1))


for depth in (8, 20, 32):
    for option in 'AB':
        m = ResNet(depth, 10, option)
        print("== count", depth, option, sum(p.numel() for p in m.parameters()), "keys", len(m.state_dict()))
print("== ResNet-8 B keys", list(ResNet(8, 10, 'B').state_dict().keys()))

torch.set_printoptions(precision=17)
for option in 'BA':
    m = ResNet(8, 3, option).double()
    with torch.no_grad():
        for k, (name, p) in enumerate(m.named_parameters()):
            i = torch.arange(p.numel(), dtype=torch.float64)
            p.copy_((0.5 * torch.sin(0.37 * i + 1.3 * k)).reshape(p.shape))
    x = torch.cos(0.11 * torch.arange(2 * 3 * 8 * 8, dtype=torch.float64)).reshape(2, 3, 8, 8)
    print("== ResNet-8", option, "train", [repr(v) for v in m(x).flatten().tolist()])
    m.eval()
    print("== ResNet-8", option, "eval", [repr(v) for v in m(x).flatten().tolist()])
