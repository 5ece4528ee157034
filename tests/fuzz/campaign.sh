#!/usr/bin/env bash
# tests/fuzz/campaign.sh SECONDS [HARNESS…] — fuzzes each harness for SECONDS, one at a time
# (nice 19: it shares the machine), and appends one line per finished harness to
# tests/fuzz/CAMPAIGN.md: date, commit, harness, seconds asked and run, executions, findings.
# Resumable: a harness already listed for this SECONDS with 0 findings is skipped, so after an
# interruption the same command carries on where it stopped (and one with a finding runs again
# after the fix). A finding's input is copied to tests/fuzz/regressions/HARNESS/ (commit it with
# the fix; the replay test then runs it). Build first: tests/fuzz/build.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=$1
shift
harnesses=("$@")
(( ${#harnesses[@]} )) || harnesses=(image safetensors json idx cifar trec csv)
commit=$(git rev-parse --short HEAD)
log=tests/fuzz/CAMPAIGN.md
[[ -f $log ]] || printf '| date (UTC) | commit | harness | seconds asked | seconds run | executions | findings |\n|---|---|---|---|---|---|---|\n' > "$log"
for harness in "${harnesses[@]}"; do
  if grep -qE "\| $harness \| $seconds \| [0-9]+ \| [0-9]+ \| 0 \|\$" "$log"; then echo "campaign: $harness done already"; continue; fi
  echo "campaign: $harness for $seconds s (started $(date -u +%H:%M))"
  rm -f build-fuzz/findings/"$harness"/*
  nice -n 19 tests/fuzz/run.sh "$harness" "$seconds"
  runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "build-fuzz/logs/$harness.log" | grep -oE "[0-9]+$" | tail -1)
  elapsed=$(grep -oE "^Done [0-9]+ runs in [0-9]+ second" "build-fuzz/logs/$harness.log" | grep -oE "in [0-9]+" | grep -oE "[0-9]+")
  findings=()
  for finding in build-fuzz/findings/"$harness"/*; do
    [[ -f $finding ]] || continue
    mkdir -p "tests/fuzz/regressions/$harness"
    cp "$finding" "tests/fuzz/regressions/$harness/"
    findings+=("$(basename "$finding")")
  done
  summary=$(grep -m1 -oE "SUMMARY: .*" "build-fuzz/logs/$harness.log" | cut -c1-120)
  echo "| $(date -u '+%Y-%m-%d %H:%M') | $commit | $harness | $seconds | ${elapsed:-?} | ${runs:-?} | ${#findings[@]}${findings:+: ${findings[*]} ${summary}} |" >> "$log"
  tail -1 "$log"
done
