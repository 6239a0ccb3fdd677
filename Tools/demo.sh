#!/usr/bin/env bash
# Usage: Tools/demo.sh PATH/TO/exam — runs the whole workflow that exists so far on the sample pack, in ./demo/.
# Each capability adds its step below, in workflow order. Outputs stay in demo/ (git-ignored).
set -euo pipefail
EXAM="$1"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEMO="$ROOT/demo"
rm -rf "$DEMO"
mkdir -p "$DEMO"
export EXAM_DB="$DEMO/exam.sqlite"
export EXAM_OPERATOR_NOTE="demo"
step() { printf '\n== %s\n' "$*"; }

step "1. Store: create the exam store"
"$EXAM" init --operator demo

step "Keys: the exam office's signing key"
"$EXAM" keys generate "$DEMO/office"

# (later steps: packs, rooms, audio, scoring, proctoring, records)

# Audio (after the allocation step): needs the exam and the seat plan in the store.
step "Audio: centres upload their batches of recorded answers (simulated with espeak-ng + sox)"
"$ROOT/Tools/make-batches.py" "$EXAM" "$DEMO/uploads" --per-centre 8
while IFS=$'\t' read -r centre batch; do
  # exit 65 means something was refused: expected for the first centre's deliberately broken files
  "$EXAM" audio ingest "$batch" --centre "$centre" --quiet || [ $? -eq 65 ]
done < "$DEMO/uploads/batches.tsv"
step "Audio: a centre uploads the same batch again (nothing is added)"
read -r centre batch < <(tail -1 "$DEMO/uploads/batches.tsv")
"$EXAM" audio ingest "$batch" --centre "$centre" --quiet | head -3

step "Audit trail"
"$EXAM" audit
printf '\nDemo finished. Everything it wrote is in %s\n' "$DEMO"
