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

step "Rooms: import the sample roster and centres, allocate seats for SH-2026-EL, write the plans"
"$EXAM" candidates import "$ROOT/ExamPacks/sample-sitting/roster.csv"
"$EXAM" centres import "$ROOT/ExamPacks/sample-sitting/centres.yaml"
"$EXAM" allocate --exam SH-2026-EL --seed 1
"$EXAM" allocate export --exam SH-2026-EL --format all --out "$DEMO/plans"
"$EXAM" allocate show --exam SH-2026-EL --candidate 2026010001

step "Audit trail"
"$EXAM" audit
printf '\nDemo finished. Everything it wrote is in %s\n' "$DEMO"
