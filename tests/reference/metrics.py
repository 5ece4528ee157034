# tests/reference/metrics.py — reference values for tests/test_metrics*.cpp, from sklearn 1.2
# (and numpy where sklearn has no such metric: G-mean, ECE, threshold tuning by brute force).
# Run: /usr/bin/python3 tests/reference/metrics.py ; paste the printed literals into the tests.
# The random cases are drawn from a tiny LCG that the C++ tests re-implement (lcg_values), so
# the inputs need no literals: x ← (1664525·x + 1013904223) mod 2^32, value = (x >> 16) mod m.
import numpy as np
import sklearn
from sklearn import metrics

assert sklearn.__version__.startswith("1.2"), sklearn.__version__


def lcg_values(seed, count, modulus):
    x, out = seed, []
    for _ in range(count):
        x = (1664525 * x + 1013904223) % 2**32
        out.append((x >> 16) % modulus)
    return out


def lit(values):
    return "{" + ", ".join(repr(float(v)) for v in values) + "}"


# ---- multi-class, 7 classes: 4 never predicted, 5 predicted but absent from targets, 6 absent from both.
raw_true = lcg_values(1, 80, 5)                       # classes 0..4
raw_pred = lcg_values(2, 80, 5)
y_true = np.array([t if t < 4 or i % 3 == 0 else 0 for i, t in enumerate(raw_true)])  # class 4 rare
y_pred = np.array([5 if p == 4 else p for p in raw_pred])                              # 4 → 5
y_pred = np.where(np.arange(80) % 4 == 0, y_true, y_pred)                               # some signal
print("// multi-class case: y_true / y_pred are built in the test from lcg_values(1|2, 80, 5)")
print("counts true", np.bincount(y_true, minlength=7), "pred", np.bincount(y_pred, minlength=7))
labels = list(range(7))
for zd in (0, 1):
    p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=zd)
    print(f"zero_division={zd}: precision {lit(p)}\n  recall {lit(r)}\n  f1 {lit(f)}\n  support {list(s)}")
    for avg in ("macro", "weighted", "micro"):
        print(f"  {avg}: P {metrics.precision_score(y_true, y_pred, labels=labels, average=avg, zero_division=zd)!r}"
              f" R {metrics.recall_score(y_true, y_pred, labels=labels, average=avg, zero_division=zd)!r}"
              f" F1 {metrics.f1_score(y_true, y_pred, labels=labels, average=avg, zero_division=zd)!r}")
# NaN mode (sklearn >= 1.3 semantics, by hand): undefined stays NaN, averages skip NaN.
cm = metrics.confusion_matrix(y_true, y_pred, labels=labels)
tp, sup, pred = np.diag(cm).astype(float), cm.sum(1).astype(float), cm.sum(0).astype(float)
with np.errstate(invalid="ignore", divide="ignore"):
    P = np.where(pred > 0, tp / pred, np.nan)
    R = np.where(sup > 0, tp / sup, np.nan)
    # sklearn >= 1.3: F = 2tp / (2tp + fp + fn) = 2tp / (pred + sup), NaN only when both are 0.
    F = np.where(pred + sup > 0, 2 * tp / (pred + sup), np.nan)
print("NaN mode macro P R F1", repr(np.nanmean(P)), repr(np.nanmean(R)), repr(np.nanmean(F)))
ok = ~np.isnan(F)
print("NaN mode weighted F1", repr(np.sum(F[ok] * sup[ok]) / np.sum(sup[ok])))
# macro-F1 over only the classes present somewhere = leaving class 6 out of labels=
print("macro F1 labels=0..5", repr(metrics.f1_score(y_true, y_pred, labels=list(range(6)), average="macro",
                                                    zero_division=0)))
print("balanced accuracy", repr(metrics.balanced_accuracy_score(y_true, y_pred)))
present = sup > 0
print("G-mean (numpy: prod(recall over present classes)^(1/K))", repr(np.prod(R[present]) ** (1 / present.sum())))
print("accuracy", repr(metrics.accuracy_score(y_true, y_pred)))
# The reports use the 6 classes that occur (sklearn prints "micro avg" instead of "accuracy" when
# labels= holds a class absent from both y_true and y_pred; the numbers are the same).
print("classification_report digits=2 (labels 0..5):")
print(metrics.classification_report(y_true, y_pred, labels=list(range(6)), zero_division=0))
names = ["zero", "one", "two", "three", "four", "a long class name"]
print("classification_report digits=3 with names:")
print(metrics.classification_report(y_true, y_pred, labels=list(range(6)), target_names=names, digits=3,
                                    zero_division=0))

# ---- binary with many ties: scores in {0, .1, …, 1}, ~30 % positives.
scores = np.array(lcg_values(3, 200, 11)) / 10.0
y = np.array([1 if (v % 10) < 3 + (s > 0.5) * 3 else 0 for v, s in zip(lcg_values(4, 200, 10), scores)])
print("binary: positives", y.sum(), "of", len(y))
print("roc_auc", repr(metrics.roc_auc_score(y, scores)))
print("average_precision", repr(metrics.average_precision_score(y, scores)))
fpr, tpr, thr = metrics.roc_curve(y, scores)
print("roc fpr", lit(fpr), "\n    tpr", lit(tpr), "\n    thr (first = max+1 in 1.2)", lit(thr))
fpr, tpr, thr = metrics.roc_curve(y, scores, drop_intermediate=False)
print("roc (no drop) points", len(fpr))
prec, rec, thr = metrics.precision_recall_curve(y, scores)
print("pr precision", lit(prec), "\n   recall", lit(rec), "\n   thr", lit(thr))
# trapezoid area under the PR curve, to show AP differs from it
print("PR trapezoid (NOT AP)", repr(metrics.auc(rec, prec)))


def tune(scores, y, criterion):
    best_t, best_v = None, -np.inf
    for t in sorted(set(scores), reverse=True):       # high → low; strict > keeps the highest on ties
        p = (scores >= t).astype(int)
        tn, fp, fn, tp = metrics.confusion_matrix(y, p, labels=[0, 1]).ravel()
        tpr, fpr = tp / (tp + fn), fp / (fp + tn)
        v = {"f1": metrics.f1_score(y, p), "gmean": np.sqrt(tpr * (1 - fpr)), "j": tpr - fpr}[criterion]
        if v > best_v:
            best_t, best_v = t, v
    return best_t, best_v


for c in ("f1", "gmean", "j"):
    print("tune", c, tune(scores, y, c))

# ---- multi-class probabilities with ties: p_c = w_c / Σw, w_c = 1 + value in [0, 5).
w = (np.array(lcg_values(5, 400, 5)) + 1.0).reshape(100, 4)
probs = w / w.sum(axis=1, keepdims=True)
t4 = np.array(lcg_values(6, 100, 4))
t4 = np.where(probs.max(1) > 0.45, probs.argmax(1), t4)   # confident rows are right: bins differ in sign
print("ovr macro AUC", repr(metrics.roc_auc_score(t4, probs, multi_class="ovr", average="macro")))
print("ovr per class", [repr(metrics.roc_auc_score(t4 == c, probs[:, c])) for c in range(4)])


def ece(probs, y, n_bins=15):  # Guo et al. 2017, github.com/gpleiss/temperature_scaling
    conf, pred = probs.max(1), probs.argmax(1)
    acc = (pred == y).astype(float)
    edges = np.linspace(0, 1, n_bins + 1)
    total, counts = 0.0, []
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        counts.append(int(m.sum()))
        if m.any():
            total += m.mean() * abs(acc[m].mean() - conf[m].mean())
    return total, counts


e, counts = ece(probs, t4)
print("ECE 15 bins", repr(e), "counts", counts)
e, counts = ece(probs, t4, 10)
print("ECE 10 bins", repr(e), "counts", counts)

# ---- logit adjustment: z − τ log(n_c / N)
z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
n = np.array([100, 10, 1])
for tau in (1.0, 0.5):
    print("logit_adjust tau", tau, lit((z - tau * np.log(n / n.sum())).ravel()))
