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

step "2. Packs: validate the sample pack, build it signed, verify it"
SAMPLE="$ROOT/ExamPacks/SH-2026-EL"
PACK="$DEMO/SH-2026-EL.exampack"
"$EXAM" pack validate "$SAMPLE"
"$EXAM" pack build "$SAMPLE" -o "$PACK" --sign "$DEMO/office.key"
"$EXAM" pack verify "$PACK" --pubkey "$DEMO/office.pub"

step "Packs: flip one byte in a copy; verify must refuse it and name the altered file"
cp "$PACK" "$DEMO/tampered.exampack"
offset=$(( $(stat -c %s "$PACK") / 2 ))
byte=$(od -An -tu1 -j "$offset" -N1 "$PACK" | tr -d ' ')
printf "$(printf '\\%03o' $(( byte ^ 1 )))" | dd of="$DEMO/tampered.exampack" bs=1 seek="$offset" conv=notrunc status=none
if "$EXAM" pack verify "$DEMO/tampered.exampack" --pubkey "$DEMO/office.pub"; then
  echo "demo: the tampered pack was accepted" >&2
  exit 1
fi
echo "(refused, as it must be)"

step "Packs: an encrypted build (content key kept apart) checked with its key"
"$EXAM" pack build "$SAMPLE" -o "$DEMO/SH-2026-EL-sealed.exampack" --sign "$DEMO/office.key" --encrypt
"$EXAM" pack verify "$DEMO/SH-2026-EL-sealed.exampack" --pubkey "$DEMO/office.pub" --key "$DEMO/SH-2026-EL-sealed.key"

step "Packs: a pack signed by a key the store does not trust is refused before anything is extracted"
"$EXAM" keys generate "$DEMO/forger"
"$EXAM" pack build "$SAMPLE" -o "$DEMO/forged.exampack" --sign "$DEMO/forger.key"
if "$EXAM" pack import "$DEMO/forged.exampack" --operator demo; then
  echo "demo: a pack signed by an untrusted key was imported" >&2
  exit 1
fi
echo "(refused, as it must be)"

step "Packs: trust the office's key in the store, inspect the paper, then import it (twice: the second changes nothing)"
"$EXAM" keys trust "$DEMO/office.pub" --label "exam office" --operator demo
"$EXAM" keys list
"$EXAM" pack inspect "$PACK" --pubkey "$DEMO/office.pub"
"$EXAM" pack import "$PACK" --operator demo
"$EXAM" pack import "$PACK" --pubkey "$DEMO/office.pub" --operator demo

step "Rooms: import the sample roster and centres, allocate seats for SH-2026-EL, write the plans"
"$EXAM" candidates import "$ROOT/ExamPacks/sample-sitting/roster.csv"
"$EXAM" centres import "$ROOT/ExamPacks/sample-sitting/centres.yaml"
"$EXAM" allocate --exam SH-2026-EL --seed 1 --exact
"$EXAM" allocate export --exam SH-2026-EL --format all --out "$DEMO/plans"
"$EXAM" allocate show --exam SH-2026-EL --candidate 2026010001

# Audio (after the allocation step): needs the exam and the seat plan in the store.
step "Audio: centres upload their batches of recorded answers (simulated with espeak-ng + sox)"
"$ROOT/Tools/make-batches.py" "$EXAM" "$DEMO/uploads" --per-centre 8 --pack "$ROOT/ExamPacks/SH-2026-EL"
while IFS=$'\t' read -r centre batch; do
  # exit 65 means something was refused: expected for the first centre's deliberately broken files
  "$EXAM" audio ingest "$batch" --centre "$centre" --quiet || [ $? -eq 65 ]
done < "$DEMO/uploads/batches.tsv"
step "Audio: a centre uploads the same batch again (nothing is added)"
read -r centre batch < <(tail -1 "$DEMO/uploads/batches.tsv")
"$EXAM" audio ingest "$batch" --centre "$centre" --quiet | head -3

step "Speech features: a synthetic answer measured against the same sentence read more slowly"
espeak-ng -s 150 -w "$DEMO/answer.wav" "We call it bear. Tom gives up boxing."
espeak-ng -s 120 -w "$DEMO/reference.wav" "We call it bear. Tom gives up boxing."
"$EXAM" audio analyze "$DEMO/answer.wav" --reference "$DEMO/reference.wav" --json
step "Pronunciation: the same answer aligned with its prompt by the English acoustic model (GOP per word and phone; each phone's log posterior among all phones, the phone its frames fit best, how a classifier trained on learners hears it, how a classifier over an English speech encoder hears it, and the mark experts would give it)"
"$EXAM" audio analyze "$DEMO/answer.wav" --text "We call it bear. Tom gives up boxing." --phones --json \
  | python3 -c 'import json, sys
p = json.loads(sys.stdin.readline())["pronunciation"]
print("missing:", p["missing"], p.get("missingReason")) if p.get("missing") else None
for k in ("pron_mean_gop", "pron_lpp_mean", "pron_share_misheard", "pron_share_low_phones", "pron_completeness", "pron_learner_lpp_mean", "pron_encoder_lpp_mean", "pron_mark_mean", "pron_word_mark_min"): print(k, round(p["values"].get(k, float("nan")), 3))
phones = p.get("phones") or []
for i, w in enumerate(p.get("words") or []):
  heard = " ".join(f["phone"] if f.get("likeliestPhone") in (None, f["phone"]) else "%s>%s" % (f["phone"], f["likeliestPhone"]) for f in phones if f["wordIndex"] == i)
  marks = " ".join("%s %.1f" % (f["phone"], f["mark"]) for f in phones if f["wordIndex"] == i and f.get("mark") is not None)
  print("  %-8s %5.2f s  mean GOP %6.2f  mark %s  phones %s%s  marks %s" % (w["text"], w["startSeconds"], w["meanGOP"], "%.2f" % w["mark"] if w.get("mark") is not None else "-", heard, "" if w["isAdequate"] else "  (not found)", marks))'

step "Proctoring: seat-machine logs of the sample sitting, incidents, a decision, the report (before results: a login counts as sitting)"
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
    | python3 -c 'import json, sys; print(json.loads(sys.stdin.read().splitlines()[0])["incident"]["id"])')
  "$EXAM" proctor resolve "$FIRST_INCIDENT" --action confirm --reason "seen on the room camera" --operator demo
  "$EXAM" proctor report --exam "$PROCTOR_EXAM" --out "$DEMO/proctor-report"
  printf 'Proctoring report: %s\n' "$DEMO/proctor-report/index.html"
else
  echo "skipped: exam $PROCTOR_EXAM has no seat allocation in the store yet (the packs and rooms steps make it)"
fi

step "Scoring: the committed model (timing, pauses, pitch and, for read-aloud answers, pronunciation), every answer scored"
# Made with `exam score calibrate` on speechocean762 (ExamPacks/models/README.md says how to remake it).
MODEL="$ROOT/ExamPacks/models/speechocean-ridge.json"
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
# Desk accounts for the same raters (first passwords in a file only the operator can read); `exam serve` then
# serves /login, /mark, /arbitrate and /marking to them.
"$EXAM" raters import "$ROOT/Tools/demo-raters.csv" --arbiter R05 --passwords-out "$DEMO/marking/first-passwords.csv" --operator demo
"$EXAM" raters list
step "Results: finalise (refuses while any answer lacks a final mark) and export"
"$EXAM" results finalise --operator demo
"$EXAM" results export --format csv --out "$DEMO/results.csv"
"$EXAM" results export --format json --out "$DEMO/results.json"
else
  echo "(marking and results skipped: the store does not hold exactly one exam)"
fi

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
