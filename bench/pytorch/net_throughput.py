"""bench/pytorch/net_throughput.py — the PyTorch side of bench/compare_pytorch: the book's Net,
trained with SGD (lr 0.01, momentum 0.5) and nll_loss on random 28×28 inputs, timed exactly like
bench/net_throughput.cpp: warm-up steps, then timed steps; training at batch 64 and 256, and
inference (eval, no_grad) at batch 1000. Prints one line per measurement, and the run's peak
resident memory:
    pytorch train batch=64 samples_per_s=7512.3
    pytorch peak_rss_mib=290.4
Usage: python3 net_throughput.py THREADS [STEPS]   (Debian's python3-torch; not a dependency)
"The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced Data
(Packt, 2023), whose Net is that of chapters 6 and 8.
"""
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.flatten(1)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        return F.log_softmax(self.fc2(x), dim=1)


def time_steps(step, steps, warmup=10):
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return time.perf_counter() - start


def main():
    threads = int(sys.argv[1])
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Net()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
    for batch in (64, 256):
        x = torch.randn(batch, 1, 28, 28)
        y = torch.randint(0, 10, (batch,))
        model.train()

        def step():
            optimizer.zero_grad()
            loss = F.nll_loss(model(x), y)
            loss.backward()
            optimizer.step()

        n = steps if batch == 64 else max(steps // 4, 10)
        seconds = time_steps(step, n)
        print(f"pytorch train batch={batch} samples_per_s={batch * n / seconds:.1f}", flush=True)
    model.eval()
    x = torch.randn(1000, 1, 28, 28)
    with torch.no_grad():
        n = max(steps // 10, 5)
        seconds = time_steps(lambda: model(x), n, warmup=2)
    print(f"pytorch infer batch=1000 samples_per_s={1000 * n / seconds:.1f}", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB, of the whole run
    print(f"pytorch peak_rss_mib={rss:.1f}", flush=True)


if __name__ == "__main__":
    main()
