#!/usr/bin/env bash
# Usage: Tools/bench-packs.sh [PATH/TO/exam] — times `exam pack build/verify/inspect/import` on the sample pack,
# side by side with `zip -X -r` and `unzip -t` on the same folder (median wall time of $N runs, default 15).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EXAM="${1:-$ROOT/.build/release/exam}"
N="${N:-15}"
SAMPLE="$ROOT/ExamPacks/SH-2026-EL"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$EXAM" keys generate "$WORK/k" >/dev/null
"$EXAM" pack build "$SAMPLE" -o "$WORK/p.exampack" --sign "$WORK/k.key" >/dev/null
(cd "$SAMPLE" && zip -X -q -r "$WORK/peer.zip" .)
export EXAM_DB="$WORK/exam.sqlite"
"$EXAM" init >/dev/null
"$EXAM" keys trust "$WORK/k.pub" >/dev/null

# median_ms CMD... — runs CMD $N times, prints the median wall time in milliseconds.
median_ms() {
  local times=()
  for _ in $(seq "$N"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
# peak_kb CMD... — maximum resident set size of one run, KiB.
peak_kb() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }

size=$(du -sb "$SAMPLE" | cut -f1)
files=$(find "$SAMPLE" -type f | wc -l)
echo "sample pack: $files files, $size bytes; median of $N runs"
printf '%-44s %8s %10s\n' "command" "ms" "peak KiB"
row() { printf '%-44s %8s %10s\n' "$1" "$(median_ms "${@:2}")" "$(peak_kb "${@:2}")"; }
row "exam pack build --sign" "$EXAM" pack build "$SAMPLE" -o "$WORK/q.exampack" --sign "$WORK/k.key"
row "peer: zip -X -r (deflate everything)" sh -c "rm -f '$WORK/z.zip'; cd '$SAMPLE' && zip -X -q -r '$WORK/z.zip' ."
row "exam pack verify --pubkey" "$EXAM" pack verify "$WORK/p.exampack" --pubkey "$WORK/k.pub"
row "peer: unzip -t (CRC-32 of every entry)" unzip -tq "$WORK/peer.zip"
row "peer: sha256sum of the folder's files" sh -c "find '$SAMPLE' -type f -exec sha256sum {} +"
row "exam pack inspect" "$EXAM" pack inspect "$WORK/p.exampack" --pubkey "$WORK/k.pub"
row "exam pack import (again: unchanged)" "$EXAM" pack import "$WORK/p.exampack" --pubkey "$WORK/k.pub"
row "exam pack import (first, fresh store)" sh -c "rm -rf '$WORK/f'; mkdir '$WORK/f'; EXAM_DB='$WORK/f/exam.sqlite' '$EXAM' init && EXAM_DB='$WORK/f/exam.sqlite' '$EXAM' keys trust '$WORK/k.pub' && EXAM_DB='$WORK/f/exam.sqlite' '$EXAM' pack import '$WORK/p.exampack' --pubkey '$WORK/k.pub'"
row "  of which: exam init alone" sh -c "rm -rf '$WORK/g'; mkdir '$WORK/g'; EXAM_DB='$WORK/g/exam.sqlite' '$EXAM' init"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
