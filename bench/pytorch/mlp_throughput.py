"""bench/pytorch/mlp_throughput.py — the PyTorch side of bench/compare_pytorch's MLP rows: the book's
fraud-style tabular model (docs/REPRODUCTION.md, experiment 19), Linear(30 → 16, He-uniform) → ReLU
→ Dropout(0.5) → Linear(16 → 1), trained with Adam (lr 1e-3) and BCE with logits on random features
[B, 30] and random 0/1 labels, timed exactly like bench/mlp_throughput.cpp: 10 warm-up steps, then
STEPS timed steps. Prints one line:
    pytorch mlp train batch=256 samples_per_s=812345.0 peak_rss_mib=250.1
Usage: python3 mlp_throughput.py THREADS BATCH [STEPS=200]   (not a dependency)
"""
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def main():
    threads, batch = int(sys.argv[1]), int(sys.argv[2])
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 1))
    nn.init.kaiming_uniform_(model[0].weight, nonlinearity="relu")
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, 30)
    y = torch.randint(0, 2, (batch,)).float()

    def step():
        optimizer.zero_grad()
        F.binary_cross_entropy_with_logits(model(x).squeeze(1), y).backward()
        optimizer.step()

    for _ in range(10):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB
    print(f"pytorch mlp train batch={batch} samples_per_s={batch * steps / seconds:.1f} peak_rss_mib={rss:.1f}",
          flush=True)


if __name__ == "__main__":
    main()
