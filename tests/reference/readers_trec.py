# tests/reference/readers_trec.py — reference numbers for tests/test_readers.cpp's TREC case,
# computed independently of Fulcrum: Python's own Latin-1 decoding, a regex tokenizer and
# torchtext's vocabulary rule (sort by (-count, token), specials <pad>=0, <unk>=1 first).
# Run: /usr/bin/python3 tests/reference/readers_trec.py [path/to/shared/data/trec]
import collections
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/trec"


def read(name):
    rows = []
    with open(f"{root}/{name}", encoding="latin-1") as f:
        for line in f:
            label, question = line.rstrip("\n").split(" ", 1)
            rows.append((label, question))
    return rows


def tokenize(text):
    # ASCII letters/digits and every non-ASCII character are word characters.
    return [t.lower() for t in re.findall(r"[A-Za-z0-9\u0080-\uffff]+", text)]


train, test = read("train_5500.label"), read("TREC_10.label")
print("sizes", len(train), len(test))
print("train coarse", sorted(collections.Counter(l.split(":")[0] for l, _ in train).items()))
print("test coarse", sorted(collections.Counter(l.split(":")[0] for l, _ in test).items()))
print("test fine distinct", len({l for l, _ in test}))
counts = collections.Counter(t for _, q in train for t in tokenize(q))
for min_freq in (1, 2):
    kept = sorted(((t, c) for t, c in counts.items() if c >= min_freq), key=lambda x: (-x[1], x[0]))
    itos = ["<pad>", "<unk>"] + [t for t, _ in kept]
    print(f"min_freq {min_freq}: size {len(itos)}, first {itos[:12]}")
    stoi = {t: i for i, t in enumerate(itos)}
    for label, question in test[:2]:
        ids = [stoi.get(t, 1) for t in tokenize(question)][:12]
        ids += [0] * (12 - len(ids))
        print("  test", label, repr(question), ids)
print("train line 66 tokens", tokenize(train[65][1]))
