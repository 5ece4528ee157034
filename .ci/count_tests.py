# .ci/count_tests.py — CI's closing line, from doctest's own per-test-case counts.
# For each build dir given: the suites meson registered (`meson introspect --tests`) must each
# appear once in that run's meson-logs/testlog.json with doctest's summary line
#   [doctest] test cases: N | P passed | F failed | S skipped
# in its output. A registered suite that did not run, ran twice, or printed no summary (a crash, an
# abort from a sanitizer) counts as one failure; so does a suite meson marked failed while doctest
# counted no failure (a leak reported at exit). Skipped test cases are listed with the reason each
# suite printed ("SKIPPED: ..."). Prints one plain line "N passed, N failed, N skipped" last and
# exits 1 when anything failed.
# Usage: python3 .ci/count_tests.py BUILD_DIR [BUILD_DIR ...]
import json
import re
import subprocess
import sys

SUMMARY = re.compile(r"\[doctest\] test cases:\s*(\d+) \|\s*(\d+) passed \|\s*(\d+) failed \|\s*(\d+) skipped")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# The fuzz corpus replays (tests/fuzz/replay_main.cpp) are not doctest suites: each counts as one
# test case, passed when it replayed at least one input and ended with this line.
REPLAY = re.compile(r"^replay: (\d+) inputs, no finding$", re.M)


def registered_suites(build_dir):
    tests = json.loads(subprocess.run(["meson", "introspect", build_dir, "--tests"], check=True,
                                      capture_output=True, text=True).stdout)
    return sorted(test["name"] for test in tests)


def count(build_dir):
    """(passed, failed, skipped, problems, skip reasons) of one build dir's run; every problem
    (a suite missing, doubled, unregistered or without a summary) is also counted as failed."""
    passed = failed = skipped = 0
    problems, reasons = [], []
    runs = {}
    with open(f"{build_dir}/meson-logs/testlog.json") as log:
        for line in log:
            entry = json.loads(line)
            runs.setdefault(entry["name"], []).append(entry)
    expected = registered_suites(build_dir)
    if not expected:
        problems.append("no suite is registered")
    for name in sorted(set(runs) - set(expected)):
        problems.append(f"{name}: ran but is not registered")
    for name in expected:
        entries = runs.get(name, [])
        if len(entries) != 1:
            problems.append(f"{name}: ran {len(entries)} times, expected once")
            continue
        entry = entries[0]
        output = ANSI.sub("", (entry.get("stdout") or "") + (entry.get("stderr") or ""))
        summaries = SUMMARY.findall(output)
        if name.startswith("fuzz_replay_"):
            replays = REPLAY.findall(output)
            if len(replays) == 1 and int(replays[0]) > 0 and entry["result"] == "OK":
                passed += 1
            else:
                problems.append(f"{name}: no 'replay: N inputs, no finding' line with N > 0 (meson: {entry['result']})")
            continue
        if len(summaries) != 1:
            problems.append(f"{name}: no doctest summary in its output (meson: {entry['result']})")
            continue
        total, ok, bad, skip = map(int, summaries[0])
        passed += ok
        failed += bad
        skipped += skip
        if entry["result"] not in ("OK", "EXPECTEDFAIL") and bad == 0:
            problems.append(f"{name}: meson says {entry['result']} though doctest counted no failed test case")
        reasons += [f"{name}: {line.strip()}" for line in output.splitlines() if line.startswith("SKIPPED")]
    failed += len(problems)  # each problem counts as one failed test case
    print(f"{build_dir}: {len(expected)} suites; test cases {passed} passed, {failed} failed, {skipped} skipped")
    return passed, failed, skipped, problems, reasons


def main(build_dirs):
    passed = failed = skipped = 0
    for build_dir in build_dirs:
        p, f, s, problems, reasons = count(build_dir)
        passed, failed, skipped = passed + p, failed + f, skipped + s
        for problem in problems:
            print(f"  problem: {problem}")
        for reason in reasons:
            print(f"  skipped: {reason}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python3 .ci/count_tests.py BUILD_DIR [BUILD_DIR ...]")
    sys.exit(main(sys.argv[1:]))
