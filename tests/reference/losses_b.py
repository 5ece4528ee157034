#!/usr/bin/python3
"""Reference values for the losses part B tests (the files of tests/losses/ that include losses_b_inputs.hpp), printed by PyTorch 1.13 in
float64. Run: /usr/bin/python3 tests/reference/losses_b.py. Each block re-implements the
reference code named in its comment (kaidic/LDAM-DRW, the official CDB loss, BagofTricks CDT,
mmdetection ghm_loss.py, ShannonAI dice_loss.py) from docs/LOSSES.md's transcription; the printed
literals are pasted into the C++ tests. Python is never a build or test dependency.
"The book": Kumar Abhishek and Dr. Mounir Abdelaziz, Machine Learning for Imbalanced Data
(Packt, 2023), chapter 8 (its notebooks are the "book" reference code)."""
import math

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def show(name, t):
    if isinstance(t, torch.Tensor):
        t = t.detach().tolist()
    elif isinstance(t, np.ndarray):
        t = t.tolist()
    print(f"{name} = {t!r}")


# Shared inputs (mirrored in the C++ test as Z(), Y(), COUNTS).
Z = torch.tensor([[1.2, -0.4, 0.3, 0.8], [-0.7, 0.5, 2.1, -1.3], [0.05, 0.9, -0.6, 0.4],
                  [2.2, -1.1, 0.0, 0.6], [-0.3, -0.8, 0.7, 1.5]])
Y = torch.tensor([0, 2, 1, 0, 3])
COUNTS = np.array([100, 40, 10, 5], dtype=np.float64)

print("# ---- CDT (BagofTricks class_dependent_temperatures_loss.py; book cell 7) ----")
gamma = 0.2
a = torch.tensor((COUNTS.max() / COUNTS) ** gamma)
show("cdt_temperatures", a)
for red in ["none", "sum", "mean"]:
    show(f"cdt_paper_{red}", F.cross_entropy(Z / a, Y, reduction=red))
    show(f"cdt_book_{red}", F.nll_loss(F.log_softmax(Z, 1) / a, Y, reduction=red))
z = Z.clone().requires_grad_(True)
F.cross_entropy(z / a, Y).backward()
show("cdt_paper_grad", z.grad)
z = Z.clone().requires_grad_(True)
F.nll_loss(F.log_softmax(z, 1) / a, Y).backward()
show("cdt_book_grad", z.grad)

print("# ---- CDB (official CIFAR-LT/losses/cdb_loss.py) ----")
def cdb_weights(acc, tau):
    d = 1 - np.asarray(acc, dtype=np.float64)
    if tau == "dynamic":
        bias = (1 - np.min(d)) / (1 - np.max(d) + 0.01)
        tau = 1 / (1 + math.exp(-bias))
    w = d ** tau
    return w / w.sum() * len(w), tau
acc = [0.9, 0.5, 0.75, 0.2]
w_fixed, _ = cdb_weights(acc, 1.5)
w_dyn, tau_dyn = cdb_weights(acc, "dynamic")
show("cdb_weights_tau15", w_fixed)
show("cdb_weights_dynamic", w_dyn)
show("cdb_tau_dynamic", tau_dyn)
w = torch.tensor(w_fixed)
per = F.cross_entropy(Z, Y, weight=w, reduction="none")
show("cdb_none", per)
show("cdb_official_mean", torch.mean(per))
show("cdb_sum", per.sum())
show("cdb_book_mean", F.nll_loss(F.log_softmax(Z, 1), Y, weight=w))
z = Z.clone().requires_grad_(True)
torch.mean(F.cross_entropy(z, Y, weight=w, reduction="none")).backward()
show("cdb_official_grad", z.grad)

print("# ---- LDAM (kaidic/LDAM-DRW losses.py, with torch.where on a bool mask) ----")
m = 1.0 / np.sqrt(np.sqrt(COUNTS))
m = m * (0.5 / np.max(m))
margins = torch.tensor(m)
show("ldam_margins", margins)
C_ = Z.tanh()  # cosine-like logits in [-1, 1]
show("ldam_logits", C_)
def ldam(x, target, weight=None, s=30, reduction="mean"):
    index = torch.zeros_like(x, dtype=torch.bool)
    index.scatter_(1, target.view(-1, 1), True)
    batch_m = torch.matmul(margins[None, :], index.double().transpose(0, 1)).view(-1, 1)
    out = torch.where(index, x - batch_m, x)
    return F.cross_entropy(s * out, target, weight=weight, reduction=reduction)
for red in ["none", "sum", "mean"]:
    show(f"ldam_{red}", ldam(C_, Y, reduction=red))
beta = 0.9999
eff = 1.0 - np.power(beta, COUNTS)
pcw = (1.0 - beta) / eff
pcw = pcw / np.sum(pcw) * len(COUNTS)
show("drw_weights_counts", pcw)
show("ldam_drw_mean", ldam(C_, Y, weight=torch.tensor(pcw)))
show("ldam_drw_s5_mean", ldam(C_, Y, weight=torch.tensor(pcw), s=5))
x = C_.clone().requires_grad_(True)
ldam(x, Y, weight=torch.tensor(pcw)).backward()
show("ldam_drw_grad", x.grad)

print("# ---- DRW on CIFAR-10-LT IF100 (cifar_train.py: idx = epoch // 160, betas [0, 0.9999]) ----")
cifar = np.array([5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50], dtype=np.float64)
for epoch in [0, 159, 160, 199]:
    idx = epoch // 160
    b = [0, 0.9999][idx]
    e = 1.0 - np.power(b, cifar)
    ww = (1.0 - b) / np.array(e)
    ww = ww / np.sum(ww) * len(cifar)
    show(f"drw_cifar_epoch{epoch}", ww)

print("# ---- NormedLinear (kaidic resnet_cifar.py) ----")
xin = torch.tensor([[0.5, -1.0, 2.0], [0.0, 0.3, -0.4]])
Wn = torch.tensor([[0.2, -0.5], [1.0, 0.1], [-0.3, 0.7]])
show("normed_out", F.normalize(xin, dim=1).mm(F.normalize(Wn, dim=0)))

print("# ---- GHM-C (mmdetection ghm_loss.py GHMC, re-implemented) ----")
class GHMC:
    def __init__(self, bins=10, momentum=0, loss_weight=1.0):
        self.bins = bins
        self.momentum = momentum
        self.edges = torch.arange(bins + 1).float() / bins
        self.edges[-1] += 1e-6
        if momentum > 0:
            self.acc_sum = torch.zeros(bins)
        self.loss_weight = loss_weight

    def __call__(self, pred, target, label_weight):
        if pred.dim() != target.dim():
            C = pred.size(-1)
            bin_labels = target.new_full((target.size(0), C), 0)
            inds = torch.nonzero((target >= 0) & (target < C), as_tuple=False).squeeze()
            if inds.numel() > 0:
                bin_labels[inds, target[inds]] = 1
            target = bin_labels
            label_weight = label_weight.view(-1, 1).expand(label_weight.size(0), C)
        target, label_weight = target.double(), label_weight.double()
        edges = self.edges.double() if pred.dtype == torch.float64 else self.edges
        mmt = self.momentum
        weights = torch.zeros_like(pred)
        g = torch.abs(pred.sigmoid().detach() - target)
        valid = label_weight > 0
        tot = max(valid.float().sum().item(), 1.0)
        n = 0
        for i in range(self.bins):
            inds = (g >= edges[i]) & (g < edges[i + 1]) & valid
            num_in_bin = inds.sum().item()
            if num_in_bin > 0:
                if mmt > 0:
                    self.acc_sum[i] = mmt * self.acc_sum[i] + (1 - mmt) * num_in_bin
                    weights[inds] = tot / self.acc_sum[i]
                else:
                    weights[inds] = tot / num_in_bin
                n += 1
        if n > 0:
            weights = weights / n
        loss = F.binary_cross_entropy_with_logits(pred, target, weights, reduction="sum") / tot
        return loss * self.loss_weight, weights
# f64 edges in double: (arange(bins+1) / bins) computed in double, last + 1e-6.
GP = torch.tensor([[2.0, -1.0, 0.5], [-3.0, 0.2, 1.5], [0.0, -0.4, -2.5], [1.0, 3.0, -0.1]])
GT = torch.tensor([0, 2, -1, 5])  # -1 and 5: background rows
GW = torch.tensor([1.0, 1.0, 1.0, 0.0])  # the last row is not valid
def ghm_edges64(h):
    h.edges = torch.arange(h.bins + 1, dtype=torch.float64) / h.bins
    h.edges[-1] += 1e-6
h = GHMC(bins=10, momentum=0)
ghm_edges64(h)
loss, wts = h(GP, GT, GW)
show("ghm_plain_loss", loss)
show("ghm_plain_weights", wts)
p = GP.clone().requires_grad_(True)
h2 = GHMC(bins=10, momentum=0); ghm_edges64(h2)
h2(p, GT, GW)[0].backward()
show("ghm_plain_grad", p.grad)
h = GHMC(bins=4, momentum=0.75, loss_weight=2.0)
ghm_edges64(h)
h.acc_sum = torch.zeros(4, dtype=torch.float64)
l1, w1 = h(GP, GT, GW)
show("ghm_mmt_step1_loss", l1)
show("ghm_mmt_step1_weights", w1)
show("ghm_mmt_step1_acc", h.acc_sum)
GP2 = GP * 0.5 + 0.3
l2, w2 = h(GP2, GT, torch.ones(4))
show("ghm_mmt_step2_loss", l2)
show("ghm_mmt_step2_weights", w2)
show("ghm_mmt_step2_acc", h.acc_sum)

print("# ---- Dice / Tversky (ShannonAI dice_loss.py, re-implemented) ----")
def shannon_compute(flat_input, flat_target, alpha, smooth, square):
    flat_input = ((1 - flat_input) ** alpha) * flat_input
    inter = torch.sum(flat_input * flat_target, -1)
    if not square:
        return 1 - ((2 * inter + smooth) / (flat_input.sum() + flat_target.sum() + smooth))
    return 1 - ((2 * inter + smooth) / (torch.sum(torch.square(flat_input), -1)
                                        + torch.sum(torch.square(flat_target), -1) + smooth))
def shannon_binary(logits, target, alpha, smooth, square):
    return shannon_compute(torch.sigmoid(logits.view(-1)), target.view(-1).double(), alpha, smooth, square)
def shannon_multi(logits, target, alpha, smooth, square):
    C = logits.shape[-1]
    flat_input = torch.softmax(logits, -1)
    flat_target = F.one_hot(target, C).double()
    loss = None
    for c in range(C):
        l = shannon_compute(flat_input[:, c].view(-1, 1), flat_target[:, c].view(-1, 1), alpha, smooth, square)
        loss = l if loss is None else loss + l
    return loss.mean()
BL = torch.tensor([0.3, -1.2, 2.0, 0.1, -0.5, 1.1])
BY = torch.tensor([1, 0, 1, 0, 0, 1])
show("dice_shannon_binary", shannon_binary(BL, BY, 0.0, 1e-4, False))
show("dice_shannon_binary_adjusted_sq", shannon_binary(BL, BY, 0.01, 1.0, True))
show("dice_shannon_multi_sq", shannon_multi(Z, Y, 0.01, 1.0, True))
show("dice_shannon_multi_sq_alpha0", shannon_multi(Z, Y, 0.0, 1e-4, True))
# Set-level multi-class (our default): per class c over the batch, summed over classes.
def dice_set(logits, target, alpha, smooth, square):
    p = torch.softmax(logits, 1)
    y = F.one_hot(target, logits.shape[1]).double()
    p = (1 - p) ** alpha * p
    inter = (p * y).sum(0)
    den = (p * p).sum(0) + (y * y).sum(0) if square else p.sum(0) + y.sum(0)
    return 1 - (2 * inter + smooth) / (den + smooth)
show("dice_set_per_class", dice_set(Z, Y, 0.0, 1e-4, False))
show("dice_set_sum", dice_set(Z, Y, 0.0, 1e-4, False).sum())
show("dice_set_adjusted_sq_mean", dice_set(Z, Y, 0.3, 1.0, True).mean())
def tversky_set(logits, target, a, b, smooth):
    p = torch.softmax(logits, 1)
    y = F.one_hot(target, logits.shape[1]).double()
    tp = (p * y).sum(0); fp = (p * (1 - y)).sum(0); fn = ((1 - p) * y).sum(0)
    return 1 - (tp + smooth) / (tp + a * fp + b * fn + smooth)
show("tversky_set_per_class", tversky_set(Z, Y, 0.3, 0.7, 1e-4))
show("tversky_set_sum", tversky_set(Z, Y, 0.3, 0.7, 1e-4).sum())
def tversky_sample(logits, target, a, b, smooth):
    p = torch.softmax(logits, 1)
    y = F.one_hot(target, logits.shape[1]).double()
    tp = p * y; fp = p * (1 - y); fn = (1 - p) * y
    return 1 - (tp + smooth) / (tp + a * fp + b * fn + smooth)
show("tversky_sample_classmean_none", tversky_sample(Z, Y, 0.3, 0.7, 1.0).mean(1))
pb = torch.sigmoid(BL).view(-1, 1); yb = BY.double().view(-1, 1)
tp = (pb * yb).sum(); fp = (pb * (1 - yb)).sum(); fn = ((1 - pb) * yb).sum()
show("tversky_binary_set", 1 - (tp + 1e-4) / (tp + 0.3 * fp + 0.7 * fn + 1e-4))

print("# ---- MFE / MSFE ----")
P = torch.softmax(Z, 1)
d = F.one_hot(Y, 4).double()
e = 0.5 * ((d - P) ** 2).sum(1)
E = torch.stack([e[Y == c].mean() for c in range(4)])
show("mfe_class_errors", E)
show("mfe_sum", E.sum())
show("msfe_sum", (E ** 2).sum())
Y2 = torch.tensor([0, 2, 1, 0, 0])  # class 3 absent
e2 = 0.5 * ((F.one_hot(Y2, 4).double() - P) ** 2).sum(1)
E2 = torch.stack([e2[Y2 == c].mean() for c in range(3)])
show("mfe_absent_sum", E2.sum())
show("mfe_absent_mean", E2.mean())
show("msfe_absent_sum", (E2 ** 2).sum())
q = P.clone().requires_grad_(True)
e = 0.5 * ((d - q) ** 2).sum(1)
E = torch.stack([e[Y == c].mean() for c in range(4)])
(E ** 2).sum().backward()
show("msfe_grad", q.grad)

print("# ---- cross_entropy: weight + label_smoothing + ignore_index (torch 1.13) ----")
W4 = torch.tensor([0.5, 2.0, 1.0, 0.25])
YI = torch.tensor([0, -100, 1, 3, 3])
for red in ["none", "sum", "mean"]:
    show(f"ce_wsi_{red}", F.cross_entropy(Z, YI, weight=W4, ignore_index=-100, label_smoothing=0.15, reduction=red))
show("ce_wsi_ignore3_mean", F.cross_entropy(Z, Y, weight=W4, ignore_index=3, label_smoothing=0.3))
z = Z.clone().requires_grad_(True)
F.cross_entropy(z, YI, weight=W4, label_smoothing=0.15).backward()
show("ce_wsi_grad", z.grad)
Z3 = Z.view(5, 4, 1).expand(5, 4, 2).clone()
Z3[:, :, 1] = Z.flip(0)
Y3 = torch.tensor([[0, 1], [-100, 2], [1, 1], [3, -100], [3, 0]])
show("ce_wsi_spatial_mean", F.cross_entropy(Z3, Y3, weight=W4, label_smoothing=0.2))
show("ce_wsi_spatial_none", F.cross_entropy(Z3, Y3, weight=W4, label_smoothing=0.2, reduction="none"))
