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

step "Packs: inspect the paper, then import it (twice: the second changes nothing)"
"$EXAM" pack inspect "$PACK" --pubkey "$DEMO/office.pub"
"$EXAM" pack import "$PACK" --pubkey "$DEMO/office.pub" --operator demo
"$EXAM" pack import "$PACK" --pubkey "$DEMO/office.pub" --operator demo

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
