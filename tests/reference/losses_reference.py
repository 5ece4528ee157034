#!/usr/bin/python3
# tests/reference/losses_reference.py — prints PyTorch's values for the fixed inputs of
# tests/losses/cross_entropy.cpp and binary.cpp (nll_loss, cross_entropy: every reduction, class weights, ignore_index,
# label smoothing with and without weights, [N, C, d] and [N, C, d1, d2] inputs, probability
# targets, one sample, and two gradients). The printed literals are pasted into the test; torch is
# never a build or test dependency. Run with Debian's python3-torch (1.13):
#   /usr/bin/python3 tests/reference/losses_reference.py
import math

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def lit(t):
    """A tensor as a C++ initializer list ({...}), 17 significant digits; a 0-d tensor as a number."""
    if t.dim() == 0:
        return repr(float(t))
    return "{" + ", ".join(lit(row) for row in t) + "}"


def show(name, t):
    print(f"{name:28s} {lit(t)}")


# The inputs, copied literally into the test.
X = torch.tensor([[1.5, -0.3, 0.2], [-1.0, 2.0, 0.5], [0.1, 0.1, -2.0], [3.0, -1.5, 0.7]])
T = torch.tensor([2, 0, 1, 2])
T_IGNORED = torch.tensor([2, -100, 1, 0])
W = torch.tensor([0.2, 1.0, 3.0])
P = torch.tensor([[-0.5, -1.2, -2.0], [-0.1, -3.0, -0.7], [-1.5, -0.25, -0.9], [-2.2, -0.6, -0.05]])
Q = torch.tensor([[0.7, 0.2, 0.1], [0.0, 1.0, 0.0], [0.3, 0.3, 0.4], [0.25, 0.5, 0.25]])
X3 = torch.tensor([[[0.2, -1.0], [1.1, 0.4], [-0.5, 2.0]], [[1.3, 0.0], [-0.7, 0.9], [0.6, -1.2]]])
T3 = torch.tensor([[0, 2], [1, -100]])
# The 4-D input by a formula the test repeats: X4.flatten()[k] = sin(0.7 k + 0.3).
X4 = torch.sin(0.7 * torch.arange(24.0) + 0.3).reshape(2, 3, 2, 2)
T4 = torch.tensor([[[0, 1], [2, -100]], [[2, 2], [1, 0]]])

REDUCTIONS = ["none", "sum", "mean"]

print("# nll_loss on P (arbitrary log-probabilities), targets T")
for r in REDUCTIONS:
    show(f"nll {r}", F.nll_loss(P, T, reduction=r))
for r in REDUCTIONS:
    show(f"nll weighted {r}", F.nll_loss(P, T, weight=W, reduction=r))
for r in REDUCTIONS:
    show(f"nll weighted ignored {r}", F.nll_loss(P, T_IGNORED, weight=W, reduction=r))
show("nll ignore_index=2 mean", F.nll_loss(P, T, ignore_index=2))

print("# cross_entropy on X, targets T")
for r in REDUCTIONS:
    show(f"ce {r}", F.cross_entropy(X, T, reduction=r))
for r in REDUCTIONS:
    show(f"ce weighted {r}", F.cross_entropy(X, T, weight=W, reduction=r))
for r in REDUCTIONS:
    show(f"ce ignored {r}", F.cross_entropy(X, T_IGNORED, reduction=r))
show("ce weighted ignored mean", F.cross_entropy(X, T_IGNORED, weight=W))
for r in REDUCTIONS:
    show(f"ce smooth0.1 {r}", F.cross_entropy(X, T, label_smoothing=0.1, reduction=r))
for r in REDUCTIONS:
    show(f"ce smooth0.1 weighted {r}", F.cross_entropy(X, T, weight=W, label_smoothing=0.1, reduction=r))
for r in REDUCTIONS:
    show(f"ce smooth0.25 w ignored {r}",
         F.cross_entropy(X, T_IGNORED, weight=W, label_smoothing=0.25, reduction=r))
show("ce smooth0.1 ignored mean", F.cross_entropy(X, T_IGNORED, label_smoothing=0.1))
show("ce one sample none", F.cross_entropy(X[0], torch.tensor(2), reduction="none"))

print("# spatial")
for r in REDUCTIONS:
    show(f"ce3 {r}", F.cross_entropy(X3, T3, reduction=r))
show("ce3 weighted mean", F.cross_entropy(X3, T3, weight=W))
show("ce3 smooth0.2 weighted mean", F.cross_entropy(X3, T3, weight=W, label_smoothing=0.2))
show("nll3 weighted none", F.nll_loss(X3, T3, weight=W, reduction="none"))
for r in REDUCTIONS:
    show(f"ce4 weighted {r}", F.cross_entropy(X4, T4, weight=W, reduction=r))
show("ce4 smooth0.1 mean", F.cross_entropy(X4, T4, label_smoothing=0.1))

print("# probability targets Q")
for r in REDUCTIONS:
    show(f"soft {r}", F.cross_entropy(X, Q, reduction=r))
for r in REDUCTIONS:
    show(f"soft weighted {r}", F.cross_entropy(X, Q, weight=W, reduction=r))
show("soft smooth0.2 weighted mean", F.cross_entropy(X, Q, weight=W, label_smoothing=0.2))

print("# gradients")
x = X.clone().requires_grad_(True)
F.cross_entropy(x, T_IGNORED, weight=W, label_smoothing=0.25).backward()
show("grad ce smooth0.25 w ignored", x.grad)
x3 = X3.clone().requires_grad_(True)
F.cross_entropy(x3, T3, weight=W, reduction="sum").backward()
show("grad ce3 weighted sum", x3.grad)

print("# hand-derived case, for the record")
H = torch.tensor([[0.0, 0.0], [math.log(3.0), 0.0]])
print("hand mean", float(F.cross_entropy(H, torch.tensor([0, 1]))), 1.5 * math.log(2))
print("hand weighted", float(F.cross_entropy(H, torch.tensor([0, 1]), weight=torch.tensor([1.0, 3.0]))),
      7 * math.log(2) / 4)
print("hand smooth0.5", float(F.cross_entropy(H, torch.tensor([0, 1]), label_smoothing=0.5, reduction="sum")),
      3 * math.log(2) - math.log(3) / 4)

print("# edge cases")
show("all ignored mean", F.cross_entropy(X, torch.full((4,), -100)))
show("all ignored sum", F.cross_entropy(X, torch.full((4,), -100), reduction="sum"))
show("empty mean", F.cross_entropy(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long)))
show("empty sum", F.cross_entropy(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long), reduction="sum"))
show("zero target weights mean", F.nll_loss(P, torch.zeros(4, dtype=torch.long), weight=torch.tensor([0.0, 1.0, 1.0])))
