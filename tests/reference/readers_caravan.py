# tests/reference/readers_caravan.py — reference numbers for tests/test_readers.cpp's Caravan case,
# computed independently of Fulcrum with Python's csv module: rows per split, feature count, class
# counts of the CARAVAN label (classes in sorted order: "0", "1"), the sum of the training features
# and the first feature of the first training row.
# Run: /usr/bin/python3 tests/reference/readers_caravan.py [path/to/shared/data/tabular/caravan.csv]
import collections
import csv
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/tabular/caravan.csv"

with open(path, newline="") as f:
    rows = list(csv.DictReader(f))
header = list(rows[0].keys())
features = [name for name in header if name not in ("split", "CARAVAN")]
for split in ("train", "test"):
    part = [row for row in rows if row["split"] == split]
    counts = collections.Counter(row["CARAVAN"] for row in part)
    print(split, "shape", [len(part), len(features)], "class counts", [counts[c] for c in sorted(counts)])
train = [row for row in rows if row["split"] == "train"]
print("first feature", features[0], "first value", float(train[0][features[0]]))
print("train feature sum", sum(float(row[name]) for row in train for name in features))
