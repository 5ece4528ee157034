"""bench/pytorch/resnet_throughput.py — the PyTorch side of bench/compare_pytorch's ResNet rows: the
CIFAR ResNet-32 of He et al. 2016 as in LDAM-DRW (kaidic/LDAM-DRW models/resnet_cifar.py) with
projection shortcuts (option B), the same model as Fulcrum's nn/models/resnet.hpp, trained with
SGD (lr 0.1, momentum 0.9, weight decay 5e-4) and cross-entropy on random [B, 3, 32, 32] images and
random labels, timed exactly like bench/resnet_throughput.cpp: 2 warm-up steps, then STEPS timed
steps. Prints one line:
    pytorch resnet32 train batch=64 samples_per_s=41.2 peak_rss_mib=310.5
Usage: python3 resnet_throughput.py THREADS BATCH [STEPS=10] [DEPTH=32]   (not a dependency)
"""
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False),
                                          nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, depth=32, num_classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.layer1 = self._make_layer(16, 16, n, 1)
        self.layer2 = self._make_layer(16, 32, n, 2)
        self.layer3 = self._make_layer(32, 64, n, 2)
        self.linear = nn.Linear(64, num_classes)
        for m in self.modules():  # LDAM-DRW's _weights_init
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)

    @staticmethod
    def _make_layer(in_planes, planes, blocks, stride):
        return nn.Sequential(*[BasicBlock(in_planes if i == 0 else planes, planes, stride if i == 0 else 1)
                               for i in range(blocks)])

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.linear(out)


def main():
    threads, batch = int(sys.argv[1]), int(sys.argv[2])
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    depth = int(sys.argv[4]) if len(sys.argv) > 4 else 32
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = ResNet(depth)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(batch, 3, 32, 32)
    y = torch.randint(0, 10, (batch,))

    def step():
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()

    for _ in range(2):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB
    print(f"pytorch resnet{depth} train batch={batch} samples_per_s={batch * steps / seconds:.2f} "
          f"peak_rss_mib={rss:.1f}", flush=True)


if __name__ == "__main__":
    main()
