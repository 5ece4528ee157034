#!/usr/bin/env bash
# .ci/check_resume.sh BUILD_DIR DATA_DIR — a study program killed with SIGKILL in the middle of a
# run and started again with the same command ends with exactly the result files of a run that
# was never interrupted (issue 9: "training that resumes"). Experiment 8 (DRW) is used because
# it trains in two stages with two optimisers: the kill lands in stage 2, after its first epoch's
# checkpoint, so the restart restores stage 1 at once and resumes stage 2. Compared: the summary
# and the confusion matrix byte for byte, the epoch log but for its seconds column. Runs in ~10 s.
set -euo pipefail
build=$(realpath "$1")
data=$(realpath "$2")
program="$build/examples/exp08_drw"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# exec: in the background the subshell becomes the program, so $! is the process that kill -9 hits.
run() { OMP_NUM_THREADS=1 exec "$program" --quick --epochs 6 --variant drw --seed 3 --data "$data" --out "$1"; }

(run "$work/whole") > "$work/whole.log"

# The same command, killed once stage 2 (epochs 4-6) has saved its first checkpoint.
run "$work/killed" > "$work/killed-1.log" &
pid=$!
for _ in $(seq 1 600); do
  [[ -f $work/killed/drw.checkpoint-2.safetensors ]] && break
  kill -0 "$pid" 2> /dev/null || break
  sleep 0.02
done
if ! kill -9 "$pid" 2> /dev/null; then
  echo "check_resume: the run ended before it could be killed (no stage-2 checkpoint seen)" >&2
  exit 1
fi
wait "$pid" || true
[[ -f $work/killed/drw.checkpoint-2.safetensors ]] || { echo "check_resume: no checkpoint after the kill" >&2; exit 1; }
epochs_before=$(($(wc -l < "$work/killed/drw.epochs.csv") - 1))

(run "$work/killed") > "$work/killed-2.log"
grep -q "resumed from .*drw.checkpoint-1.safetensors after epoch 3" "$work/killed-2.log" ||
  { echo "check_resume: the restart did not resume stage 1" >&2; cat "$work/killed-2.log" >&2; exit 1; }
grep -q "resumed from .*drw.checkpoint-2.safetensors after epoch [4-6]" "$work/killed-2.log" ||
  { echo "check_resume: the restart did not resume stage 2" >&2; cat "$work/killed-2.log" >&2; exit 1; }
cmp "$work/whole/drw.summary.csv" "$work/killed/drw.summary.csv"
cmp "$work/whole/drw.confusion.csv" "$work/killed/drw.confusion.csv"
cmp "$work/whole/drw.status" "$work/killed/drw.status"
diff <(cut -d, -f1,2,4- "$work/whole/drw.epochs.csv") <(cut -d, -f1,2,4- "$work/killed/drw.epochs.csv")
# The closing tables agree too, and the checkpoints are gone once the program finished.
diff <(sed -n '/^per-class/,$p' "$work/whole.log") <(sed -n '/^per-class/,$p' "$work/killed-2.log")
if compgen -G "$work/killed/*.safetensors" > /dev/null; then echo "check_resume: checkpoints left behind" >&2; exit 1; fi
echo "check_resume: killed after epoch $epochs_before of 6, restarted: the same summary, confusion matrix and epoch log"
