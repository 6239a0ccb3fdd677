#!/usr/bin/env bash
# Usage: Tools/allocate-store.sh EXAM_BINARY STORE.sqlite — creates an exam store holding the sample exam
# (ExamPacks/SH-2026-EL, signed with a key made beside the store), ready for `exam candidates import`,
# `exam centres import` and `exam allocate --exam SH-2026-EL`. Used by bench-allocate.sh and sweep-allocate.sh.
set -euo pipefail
EXAM="$1"
STORE="$2"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$(dirname "$STORE")"
export EXAM_DB="$STORE" EXAM_OPERATOR_NOTE="${EXAM_OPERATOR_NOTE:-bench}"
"$EXAM" init --operator bench > /dev/null
"$EXAM" keys generate "$DIR/office" > /dev/null
"$EXAM" pack build "$ROOT/ExamPacks/SH-2026-EL" -o "$DIR/exam.exampack" --sign "$DIR/office.key" > /dev/null
"$EXAM" keys trust "$DIR/office.pub" --operator bench > /dev/null
"$EXAM" pack import "$DIR/exam.exampack" --pubkey "$DIR/office.pub" --operator bench > /dev/null
