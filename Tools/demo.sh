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

step "Proctoring: seat-machine logs of the sample sitting, incidents, a decision, the report"
PROCTOR_EXAM="${PROCTOR_EXAM:-SH-2026-EL}"
if python3 -c 'import sqlite3, sys; sys.exit(0 if sqlite3.connect(sys.argv[1]).execute("SELECT 1 FROM allocation WHERE examId = ?", (sys.argv[2],)).fetchone() else 1)' "$EXAM_DB" "$PROCTOR_EXAM"; then
  # One room's logs with a few planted incidents, read from the allocation in the store (truth beside them).
  python3 "$ROOT/Tools/make-sitting-logs.py" --db "$EXAM_DB" --exam "$PROCTOR_EXAM" --out "$DEMO/seat-logs" --rooms 1 \
    --rate 0 --plant late-login,no-heartbeat,mic-level-low,item-too-fast,id-fail-then-pass --bad-lines 1 \
    --truth "$DEMO/seat-logs/truth.csv"
  # One planted bad line is reported and skipped: ingest exits 65 after storing the rest.
  "$EXAM" proctor ingest --exam "$PROCTOR_EXAM" "$DEMO"/seat-logs/*.jsonl || [ $? -eq 65 ]
  "$EXAM" proctor scan --exam "$PROCTOR_EXAM"
  "$EXAM" proctor incidents --open
  FIRST_INCIDENT=$("$EXAM" proctor incidents --exam "$PROCTOR_EXAM" --open --json \
    | python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["incident"]["id"])')
  "$EXAM" proctor resolve "$FIRST_INCIDENT" --action confirm --reason "seen on the room camera" --operator demo
  "$EXAM" proctor report --exam "$PROCTOR_EXAM" --out "$DEMO/proctor-report"
  printf 'Proctoring report: %s\n' "$DEMO/proctor-report/index.html"
else
  echo "skipped: exam $PROCTOR_EXAM has no seat allocation in the store yet (the packs and rooms steps make it)"
fi

step "Audit trail"
"$EXAM" audit
printf '\nDemo finished. Everything it wrote is in %s\n' "$DEMO"
