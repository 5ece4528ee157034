#!/usr/bin/env python3
# tests/reference/optim_reference.py — generates the reference values pasted into
# tests/test_optim.cpp, with PyTorch (Debian's python3-torch 1.13.1: run with /usr/bin/python3).
# A tiny problem in f64: loss = Σ (tanh(x θ1ᵀ + θ2) − y)², θ3 never used (its grad stays None),
# five steps of zero_grad → backward → step per optimiser configuration; prints θ1, θ2 after
# steps 1 and 5 as C++ initialisers. Also prints the scheduler lr sequences the tests derive by hand.
import math
import torch

torch.set_default_dtype(torch.float64)
X = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [0.5, -1.5]])
Y = torch.tensor([[0.5, -0.5], [0.1, 0.2], [-0.3, 0.8]])


def params(dtype=torch.float64):
    t1 = torch.tensor([[0.5, -1.0], [1.5, 0.25]], dtype=dtype, requires_grad=True)
    t2 = torch.tensor([0.3, -0.7], dtype=dtype, requires_grad=True)
    t3 = torch.tensor([1.0, 2.0, 3.0], dtype=dtype, requires_grad=True)
    return t1, t2, t3


def loss_fn(t1, t2):
    x, y = X.to(t1.dtype), Y.to(t1.dtype)
    return ((torch.tanh(x @ t1.t() + t2) - y) ** 2).sum()


def run(name, make_opt, dtype=torch.float64, steps=5):
    t1, t2, t3 = params(dtype)
    opt = make_opt(t1, t2, t3)
    out = []
    for step in range(1, steps + 1):
        opt.zero_grad()
        loss_fn(t1, t2).backward()
        opt.step()
        if step in (1, steps):
            values = t1.detach().flatten().tolist() + t2.detach().tolist()
            out.append("{" + ", ".join(repr(v) for v in values) + "}")
    assert t3.grad is None and torch.equal(t3, torch.tensor([1.0, 2.0, 3.0], dtype=dtype))
    print(f"// {name}\n{{{', '.join(out)}}},")


SGD, Adam, AdamW = torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW
run("sgd_plain", lambda a, b, c: SGD([a, b, c], lr=0.1))
run("sgd_momentum_dampening_wd",
    lambda a, b, c: SGD([a, b, c], lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01))
run("sgd_nesterov_wd", lambda a, b, c: SGD([a, b, c], lr=0.1, momentum=0.9, nesterov=True,
                                            weight_decay=0.05))
run("sgd_maximize", lambda a, b, c: SGD([a, b, c], lr=0.05, momentum=0.5, maximize=True))
run("sgd_groups", lambda a, b, c: SGD([{"params": [a], "lr": 0.1, "momentum": 0.5},
                                       {"params": [b, c], "lr": 0.01, "momentum": 0.9}]))
run("adam_wd", lambda a, b, c: Adam([a, b, c], lr=0.05, weight_decay=0.1))
run("adam_amsgrad", lambda a, b, c: Adam([a, b, c], lr=0.05, betas=(0.8, 0.9), amsgrad=True))
run("adamw", lambda a, b, c: AdamW([a, b, c], lr=0.05, weight_decay=0.1))
run("adamw_amsgrad_groups", lambda a, b, c: AdamW([{"params": [a], "lr": 0.05, "amsgrad": True},
                                                   {"params": [b, c], "lr": 0.02, "weight_decay": 0.5}]))
run("adam_f32", lambda a, b, c: Adam([a, b, c], lr=0.05), dtype=torch.float32)

# Schedulers (the tests derive these by hand; printed here as a cross-check).
def lrs(make, epochs, lr=0.1):
    p = torch.zeros(1, requires_grad=True)
    opt = SGD([p], lr=lr)
    sched = make(opt)
    seq = [opt.param_groups[0]["lr"]]
    for _ in range(epochs):
        opt.step()
        sched.step()
        seq.append(opt.param_groups[0]["lr"])
    return seq

lr_s = torch.optim.lr_scheduler
print("// StepLR(3, 0.5)", lrs(lambda o: lr_s.StepLR(o, 3, 0.5), 7))
print("// MultiStepLR([2, 5], 0.1)", lrs(lambda o: lr_s.MultiStepLR(o, [2, 5], 0.1), 6))
print("// Cosine(4, 0.01)", lrs(lambda o: lr_s.CosineAnnealingLR(o, 4, 0.01), 5))
print("// LinearLR(0.25, 1, 3)", lrs(lambda o: lr_s.LinearLR(o, 0.25, 1.0, 3), 5))
print("// Sequential(Linear(0.5, total 2), Cosine(4)) @ 2",
      lrs(lambda o: lr_s.SequentialLR(o, [lr_s.LinearLR(o, 0.5, 1.0, 2),
                                          lr_s.CosineAnnealingLR(o, 4)], [2]), 7, lr=0.2))
