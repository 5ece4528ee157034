"""Reference values for the losses part A tests (the files of tests/losses/ that include losses_a_inputs.hpp), printed by PyTorch 1.13 /
torchvision 0.14 in float64 on fixed inputs, or by plain numpy transcriptions of the reference
code where no library has the loss (class-balanced: richardaecn's formulas; contrastive: Hadsell
and tfa formulas; tfa focal: its docstring code). Run: /usr/bin/python3 tests/reference/losses_a.py
and paste the literals. Python is never needed to build or run the tests."""
import numpy as np
import torch
import torch.nn.functional as F
import torchvision

torch.set_printoptions(precision=17)
d = torch.float64


def show(name, t):
    t = torch.as_tensor(t)
    if t.dim() == 0:
        print(f"{name}: {t.item()!r}")
    else:
        print(f"{name}: {t.flatten().tolist()!r}  shape {list(t.shape)}")


X = torch.tensor([[1.5, -0.3, 0.2], [-1.0, 2.0, 0.5], [0.1, 0.1, -2.0], [3.0, -1.5, 0.7]], dtype=d)
T = torch.tensor([2, 0, 1, 2])
W = torch.tensor([0.2, 1.0, 3.0], dtype=d)
XB = torch.tensor([[0.8, -1.2, 2.5, 0.0], [-0.4, 0.3, -3.0, 1.7], [4.0, -0.9, 0.6, -2.2]], dtype=d)
YB = torch.tensor([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.3]], dtype=d)
WB = torch.tensor([[0.5], [2.0], [1.0]], dtype=d)  # per-row weight, broadcast
PW = torch.tensor([1.0, 3.0, 0.5, 2.0], dtype=d)
W4 = torch.tensor([0.5, 1.0, 2.0, 0.25], dtype=d)
PB = torch.tensor([[0.0, 0.2, 1.0, 0.5], [0.9, 0.35, 0.01, 0.7], [1.0, 0.0, 0.6, 0.45]], dtype=d)

print("# ---- binary ----")
for r in ["none", "sum", "mean"]:
    show(f"bce_logits {r}", F.binary_cross_entropy_with_logits(XB, YB, reduction=r))
show("bce_logits weight+pos_weight none", F.binary_cross_entropy_with_logits(XB, YB, weight=WB, pos_weight=PW, reduction="none"))
show("bce_logits weight+pos_weight mean", F.binary_cross_entropy_with_logits(XB, YB, weight=WB, pos_weight=PW))
x = XB.clone().requires_grad_()
F.binary_cross_entropy_with_logits(x, YB, weight=WB, pos_weight=PW).backward()
show("bce_logits weight+pos_weight mean grad", x.grad)
show("bce_logits large |x|", F.binary_cross_entropy_with_logits(torch.tensor([800.0, -800.0, 40.0, -40.0], dtype=d), torch.tensor([0.0, 1.0, 1.0, 0.0], dtype=d), reduction="none"))
for r in ["none", "sum", "mean"]:
    show(f"bce probs {r}", F.binary_cross_entropy(PB, YB, reduction=r))
show("bce probs weight sum", F.binary_cross_entropy(PB, YB, weight=WB, reduction="sum"))
show("weighted bce beta=3 (= pos_weight 3) mean", F.binary_cross_entropy_with_logits(XB, YB, pos_weight=torch.full((4,), 3.0, dtype=d)))
beta = 1 - YB.mean()
p = torch.sigmoid(XB)
show("balanced bce auto beta none", -(beta * YB * torch.log(p) + (1 - beta) * (1 - YB) * torch.log(1 - p)))
print("balanced beta", beta.item())
for r in ["none", "sum", "mean"]:
    show(f"multilabel_soft_margin {r}", F.multilabel_soft_margin_loss(XB, YB, reduction=r))
show("multilabel_soft_margin weight none", F.multilabel_soft_margin_loss(XB, YB, weight=W4, reduction="none"))
show("multilabel_soft_margin weight mean", F.multilabel_soft_margin_loss(XB, YB, weight=W4))

print("# ---- sigmoid focal (torchvision 0.14) ----")
sfl = torchvision.ops.sigmoid_focal_loss
show("sfl default none", sfl(XB, YB))
for r in ["sum", "mean"]:
    show(f"sfl default {r}", sfl(XB, YB, reduction=r))
show("sfl alpha=-1 gamma=0.5 none", sfl(XB, YB, alpha=-1, gamma=0.5))
show("sfl alpha=0.6 gamma=0 mean", sfl(XB, YB, alpha=0.6, gamma=0.0, reduction="mean"))
x = XB.clone().requires_grad_()
sfl(x, YB, reduction="mean").backward()
show("sfl default mean grad", x.grad)

print("# ---- tfa focal (its code in numpy, float64) ----")
def tfa_focal(y, pred, alpha=0.25, gamma=2.0, from_logits=False):
    y = np.asarray(y, float); pred = np.asarray(pred, float)
    if from_logits:
        ce = np.maximum(pred, 0) - pred * y + np.log1p(np.exp(-np.abs(pred)))
        prob = 1 / (1 + np.exp(-pred))
    else:
        eps = 1e-7
        o = np.clip(pred, eps, 1 - eps)
        ce = -(y * np.log(o + eps) + (1 - y) * np.log(1 - o + eps))
        prob = pred
    p_t = y * prob + (1 - y) * (1 - prob)
    af = 1.0; mf = 1.0
    if alpha:
        af = y * alpha + (1 - y) * (1 - alpha)
    if gamma:
        mf = (1 - p_t) ** gamma
    return np.sum(af * mf * ce, axis=-1)
show("tfa docstring", tfa_focal([[1.0], [1.0], [0.0]], [[0.97], [0.91], [0.03]]))
show("tfa alpha=0 gamma=2 logits", tfa_focal(YB.numpy(), XB.numpy(), alpha=0.0, from_logits=True))

print("# ---- multi-class focal (direct formula) ----")
def focal(logp, t, gamma, alpha=1.0, w=None):
    lpt = logp.gather(1, t[:, None])[:, 0]
    pt = lpt.exp()
    a = alpha * (w[t] if w is not None else torch.ones_like(pt))
    return -a * (1 - pt) ** gamma * lpt, a
L, A = focal(F.log_softmax(X, 1), T, 2.0)
show("focal g2 none", L); show("focal g2 mean", L.mean())
L, A = focal(F.log_softmax(X, 1), T, 0.5, 0.25, W)
show("focal g0.5 a0.25 W none", L); show("focal g0.5 a0.25 W mean/N", L.mean()); show("focal ... mean/sum alpha", L.sum() / A.sum())
x = X.clone().requires_grad_()
L, A = focal(F.log_softmax(x, 1), T, 2.0, 1.0, W); L.mean().backward()
show("focal g2 W mean grad", x.grad)

print("# ---- class-balanced (richardaecn formulas) ----")
counts = np.array([50, 20, 5]); b = 0.99
alpha = (1 - b) / (1 - b ** counts); alpha = alpha / alpha.sum() * 3
show("cb alpha", torch.tensor(alpha))
a = torch.tensor(alpha)[T]
oh = F.one_hot(T, 3).to(d)
soft = -F.log_softmax(X, 1).gather(1, T[:, None])[:, 0] * a
sig = F.binary_cross_entropy_with_logits(X, oh, reduction="none").sum(1) * a
g = 1.0
mod = torch.exp(-g * oh * X - g * torch.log1p(torch.exp(-X)))
foc = (mod * F.binary_cross_entropy_with_logits(X, oh, reduction="none")).sum(1) * a
for name, l in [("softmax", soft), ("sigmoid", sig), ("focal g1", foc)]:
    show(f"cb {name} none", l); show(f"cb {name} mean/N", l.sum() / 4); show(f"cb {name} mean/sum a", l.sum() / a.sum())
mod2 = torch.exp(-2 * oh * X - 2 * torch.log1p(torch.exp(-X)))
show("cb focal g2 mean/N", ((mod2 * F.binary_cross_entropy_with_logits(X, oh, reduction="none")).sum(1) * a).sum() / 4)

print("# ---- margin ----")
for pp in [1, 2]:
    for r in ["none", "sum", "mean"]:
        show(f"multi_margin p={pp} {r}", F.multi_margin_loss(X, T, p=pp, reduction=r))
    show(f"multi_margin p={pp} margin=0.7 W none", F.multi_margin_loss(X, T, p=pp, margin=0.7, weight=W, reduction="none"))
x = X.clone().requires_grad_()
F.multi_margin_loss(x, T, p=2, margin=0.7, weight=W).backward()
show("multi_margin p=2 margin=0.7 W mean grad", x.grad)
HX = torch.tensor([0.3, 1.7, -0.2, 0.9, 2.5, 0.0], dtype=d)
HY = torch.tensor([1.0, -1.0, -1.0, 1.0, -1.0, -1.0], dtype=d)
for r in ["none", "sum", "mean"]:
    show(f"hinge_embedding {r}", F.hinge_embedding_loss(HX, HY, reduction=r))
show("hinge_embedding margin=2 none", F.hinge_embedding_loss(HX, HY, margin=2.0, reduction="none"))

print("# ---- regression ----")
RX = torch.tensor([[0.5, -1.0, 2.0], [0.1, 3.0, -0.4]], dtype=d)
RY = torch.tensor([[0.0, -0.2, 0.5], [0.1, 1.0, 0.3]], dtype=d)
for r in ["none", "sum", "mean"]:
    show(f"mse {r}", F.mse_loss(RX, RY, reduction=r))
    show(f"l1 {r}", F.l1_loss(RX, RY, reduction=r))
    show(f"smooth_l1 beta=1 {r}", F.smooth_l1_loss(RX, RY, reduction=r))
    show(f"smooth_l1 beta=0.75 {r}", F.smooth_l1_loss(RX, RY, beta=0.75, reduction=r))
    show(f"huber delta=0.75 {r}", F.huber_loss(RX, RY, delta=0.75, reduction=r))

print("# ---- contrastive (formulas) ----")
E1 = np.array([[0.1, 0.2, -0.3], [1.0, 0.0, 0.5], [0.3, 0.3, 0.3], [-0.2, 0.4, 0.1]])
E2 = np.array([[0.4, -0.1, 0.0], [0.2, 0.1, 0.6], [0.3, 0.3, 0.3], [0.0, 0.1, 0.2]])
Yc = np.array([0.0, 1.0, 1.0, 1.0])
S = ((E1 - E2) ** 2).sum(1); D = np.sqrt(S + 1e-12)
had = 0.5 * ((1 - Yc) * S + Yc * np.maximum(0, 1.0 - D) ** 2)
show("contrastive hadsell none", torch.tensor(had)); show("contrastive hadsell mean", torch.tensor(had.mean()))
had2 = 0.5 * ((1 - Yc) * S + Yc * np.maximum(0, 0.5 - D) ** 2)
show("contrastive hadsell m=0.5 sum", torch.tensor(had2.sum()))
tf = Yc * S + (1 - Yc) * np.maximum(0, 1.0 - D) ** 2
show("contrastive tfa none", torch.tensor(tf))
