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

step "Scoring: a model (calibrated on speechocean762 when ../shared is present, else the committed one), then score every answer"
MODEL="$ROOT/ExamPacks/models/speechocean-ridge.json"
SO="$ROOT/../shared/data/speechocean762/scores.csv"
if [ -f "$SO" ]; then
  "$EXAM" score calibrate --manifest "$SO" --human "$SO" -o "$DEMO/model.json" --quiet
  MODEL="$DEMO/model.json"
fi
"$EXAM" score run --model "$MODEL" --operator demo

if "$EXAM" marking status >/dev/null 2>&1; then  # exactly one exam in the store (else name it with --exam)
step "Marking: two raters per open or low-confidence answer (never from the candidate's school), simulated marks, arbitration"
"$EXAM" marking export --raters "$ROOT/Tools/demo-raters.csv" --out "$DEMO/marking" --operator demo
python3 "$ROOT/Tools/simulate-rater-marks.py" "$DEMO"/marking/rater-*.csv
"$EXAM" marking import "$DEMO"/marking/rater-*.csv --operator demo
"$EXAM" marking arbitrate --queue-out "$DEMO/marking/arbitration.csv"
python3 "$ROOT/Tools/simulate-rater-marks.py" --arbiters R05,R06,R01 "$DEMO/marking/arbitration.csv"
"$EXAM" marking arbitrate --file "$DEMO/marking/arbitration.csv" --operator demo
"$EXAM" marking status

step "Results: finalise (refuses while any answer lacks a final mark) and export"
"$EXAM" results finalise --operator demo
"$EXAM" results export --format csv --out "$DEMO/results.csv"
"$EXAM" results export --format json --out "$DEMO/results.json"
else
  echo "(marking and results skipped: the store does not hold exactly one exam)"
fi


step "Audit trail"
"$EXAM" audit
printf '\nDemo finished. Everything it wrote is in %s\n' "$DEMO"
