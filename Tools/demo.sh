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

step "Speech features: a synthetic answer measured against the same sentence read more slowly"
espeak-ng -s 150 -w "$DEMO/answer.wav" "We call it bear. Tom gives up boxing."
espeak-ng -s 120 -w "$DEMO/reference.wav" "We call it bear. Tom gives up boxing."
"$EXAM" audio analyze "$DEMO/answer.wav" --reference "$DEMO/reference.wav" --json

step "Audit trail"
"$EXAM" audit
printf '\nDemo finished. Everything it wrote is in %s\n' "$DEMO"
