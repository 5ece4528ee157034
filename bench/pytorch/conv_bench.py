"""bench/pytorch/conv_bench.py — the PyTorch side of bench/conv_bench.cpp: F.conv2d forward and
backward (dx, dw, db) on the same shapes, batches and thread count, f32, timed the same way (the
fastest of REPEATS runs after a warm-up, wall clock and process CPU time). One line per shape:
    pytorch conv name=res16 batch=64 threads=1 fwd_ms=… fwd_cpu_ms=… fwd_gflops=… bwd_ms=… …
Usage: python3 conv_bench.py THREADS [BATCH=64] [REPEATS=10]   (Debian's python3-torch)
"""
import sys
import time

import torch
import torch.nn.functional as F

# name, in channels, size, out channels, kernel, stride, pad, resnet (see conv_bench.cpp)
SHAPES = [
    ("stem3to16", 3, 32, 16, 3, 1, 1, True),
    ("res16", 16, 32, 16, 3, 1, 1, True),
    ("down16to32", 16, 32, 32, 3, 2, 1, True),
    ("proj16to32", 16, 32, 32, 1, 2, 0, True),
    ("res32", 32, 16, 32, 3, 1, 1, True),
    ("down32to64", 32, 16, 64, 3, 2, 1, True),
    ("proj32to64", 32, 16, 64, 1, 2, 0, True),
    ("res64", 64, 8, 64, 3, 1, 1, True),
    ("net_conv1", 1, 28, 10, 5, 1, 0, False),
    ("net_conv2", 10, 12, 20, 5, 1, 0, False),
]


def best_time(run, repeats):
    """(wall, process CPU) seconds: the fastest of `repeats` runs after a warm-up, each."""
    run()
    wall = cpu = float("inf")
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        run()
        cpu = min(cpu, time.process_time() - cpu_start)
        wall = min(wall, time.perf_counter() - start)
    return wall, cpu


def bench(name, c, size, o, k, stride, pad, batch, threads, repeats):
    torch.manual_seed(7)
    x = torch.randn(batch, c, size, size, requires_grad=True)
    w = torch.randn(o, c, k, k, requires_grad=True)
    b = torch.randn(o, requires_grad=True)
    forward = best_time(lambda: F.conv2d(x, w, b, stride=stride, padding=pad), repeats)
    y = F.conv2d(x, w, b, stride=stride, padding=pad)
    dy = torch.randn_like(y)
    # The backward alone: autograd.grad on a kept graph computes dx, dw and db.
    backward = best_time(lambda: torch.autograd.grad(y, (x, w, b), dy, retain_graph=True), repeats)
    out = (size + 2 * pad - k) // stride + 1
    flops = 2.0 * batch * o * out * out * c * k * k
    print(f"pytorch conv name={name} batch={batch} threads={threads} fwd_ms={forward[0] * 1e3:.3f} "
          f"fwd_cpu_ms={forward[1] * 1e3:.3f} fwd_gflops={flops / forward[0] * 1e-9:.2f} "
          f"bwd_ms={backward[0] * 1e3:.3f} bwd_cpu_ms={backward[1] * 1e3:.3f} "
          f"bwd_gflops={2 * flops / backward[0] * 1e-9:.2f}", flush=True)


def main():
    threads = int(sys.argv[1])
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    torch.set_num_threads(threads)
    for name, c, size, o, k, stride, pad, resnet in SHAPES:
        bench(name, c, size, o, k, stride, pad, batch, threads, repeats)
        if not resnet and batch != 256:
            bench(name, c, size, o, k, stride, pad, 256, threads, repeats)


if __name__ == "__main__":
    main()
