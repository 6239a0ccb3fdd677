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

# Records (last step: runs after scoring's `exam results finalise` when that step exists, and without it too).
step "Records: comprehensive quality evaluation records (综合素质评价) — import, sync results, check, signed export"
RECORDS="$ROOT/ExamPacks/sample-sitting/records.csv"
# The sample roster (candidate,name,national_id,…), when the rooms step put one under ExamPacks/: entries keyed by its IDs.
for f in $(find "$ROOT/ExamPacks" -name '*.csv' ! -name records.csv 2>/dev/null | sort); do
  head -1 "$f" | grep -q "national_id" && head -1 "$f" | grep -q "candidate" || continue
  python3 "$ROOT/Tools/make-sample-records.py" --roster "$f" --out "$DEMO/records.csv"
  RECORDS="$DEMO/records.csv"
  break
done
"$EXAM" records import "$RECORDS" --operator demo
"$EXAM" records sync --all --operator demo
"$EXAM" records check --summary-only
EXPORT_OUT="$("$EXAM" records export --format json,csv,html --out "$DEMO/records-export" --sign "$DEMO/office.key" --operator demo --quiet)"
echo "$EXPORT_OUT"
"$EXAM" records verify "$DEMO/records-export" --pubkey "$DEMO/office.pub"
RECORD_PAGE="$(echo "$EXPORT_OUT" | sed -n "s/^one student's record: //p")"
printf "One student's printable record (open in a browser, print on A4): %s\n" "$RECORD_PAGE"

step "Audit trail"
"$EXAM" audit
printf '\nDemo finished. Everything it wrote is in %s\n' "$DEMO"
