#!/usr/bin/env python3
"""Checks a report written by `reproduce`: every experiment of `reproduce --list` has its section
with the best- and last-epoch tables and no "No finished run", every image the report links is a
non-empty PNG, the experiment-4 ratio plot is there, and results.csv has rows of every experiment.
Usage: check_study_report.py OUT_DIR EXPERIMENT_NUMBER...   (exit 1 with the reasons otherwise)"""
import csv, os, re, sys

out_dir, numbers = sys.argv[1], [int(n) for n in sys.argv[2:]]
problems = []
report = open(os.path.join(out_dir, "report.md"), encoding="utf-8").read()
sections = re.split(r"^## ", report, flags=re.M)[1:]
by_number = {int(re.match(r"Experiment (\d+)", s).group(1)): s for s in sections if s.startswith("Experiment ")}
for n in numbers:
    section = by_number.get(n)
    if section is None:
        problems.append(f"experiment {n}: no section")
        continue
    if "No finished run" in section:
        problems.append(f"experiment {n}: no finished run")
    for table in ("**Best epoch**", "**Last epoch**"):
        if table not in section:
            problems.append(f"experiment {n}: no {table} table")
    images = re.findall(r"!\[[^]]*\]\(([^)]+)\)", section)
    expected = {f"exp{n:02d}_classes.png", f"exp{n:02d}_epochs.png", f"exp{n:02d}_confusion.png"}
    if n == 4:
        expected.add("exp04_ratio.png")
    for missing in sorted(expected - set(images)):
        problems.append(f"experiment {n}: plot {missing} not in the report")
    for image in images:
        path = os.path.join(out_dir, image)
        if not os.path.isfile(path) or os.path.getsize(path) < 1000 or open(path, "rb").read(8) != b"\x89PNG\r\n\x1a\n":
            problems.append(f"experiment {n}: {image} is not a PNG of at least 1 kB")
rows = list(csv.DictReader(open(os.path.join(out_dir, "results.csv"))))
for n in numbers:
    if not any(int(r["experiment"]) == n for r in rows):
        problems.append(f"experiment {n}: no row in results.csv")
for p in problems:
    print("check_study_report:", p, file=sys.stderr)
print(f"check_study_report: {len(numbers)} experiments, {len(rows)} rows in results.csv, {len(problems)} problems")
sys.exit(1 if problems else 0)
