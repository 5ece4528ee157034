#!/usr/bin/env bash
# tests/fuzz/run.sh HARNESS SECONDS — fuzzes one harness (idx, cifar, csv, trec, image,
# safetensors, json) for SECONDS with the build-fuzz/ fuzzer (tests/fuzz/build.sh). The inputs it
# grows go to build-fuzz/corpus/HARNESS (not committed; the seeds in tests/fuzz/corpus/HARNESS are
# only read), a crashing / leaking / slow input to build-fuzz/findings/HARNESS/. The log is
# build-fuzz/logs/HARNESS.log; the last line printed is "Done N runs in S second(s)" or the finding.
set -euo pipefail
cd "$(dirname "$0")/../.."
harness=$1
seconds=$2
fuzzer=build-fuzz/tests/fuzz/fuzz_$harness
[[ -x $fuzzer ]] || { echo "run.sh: $fuzzer missing: run tests/fuzz/build.sh first" >&2; exit 2; }
mkdir -p "build-fuzz/corpus/$harness" "build-fuzz/findings/$harness" build-fuzz/logs
# -timeout: an input taking over 10 s is a finding; -rss_limit_mb: so is using over 2 GB.
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="build-fuzz/findings/$harness/" \
  "build-fuzz/corpus/$harness" "tests/fuzz/corpus/$harness" > "build-fuzz/logs/$harness.log" 2>&1 || status=$?
grep -E "^Done [0-9]+ runs|ERROR: |SUMMARY: " "build-fuzz/logs/$harness.log" | tail -3
exit $status
