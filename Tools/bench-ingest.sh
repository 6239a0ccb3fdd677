#!/usr/bin/env bash
# Usage: Tools/bench-ingest.sh [FILES [SECONDS]] — times `exam audio ingest`'s pipeline (decode + resample to 16 kHz +
# FLAC encode + SHA-256 + content store + commit) against sox converting the same files to 16 kHz FLAC, in one run.
# Inputs are made from real speech (../shared/data/formats/jfk-24bit-stereo-44k1.flac) with sox: FILES recordings of
# SECONDS each (default 40 × 60 s), in two seat-machine formats: 48 kHz stereo 16-bit WAV and 44.1 kHz 24-bit stereo FLAC.
# Prints a Markdown table for docs/benchmarks.md. Needs: swift (release build), sox.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FILES="${1:-40}"
SECONDS_EACH="${2:-60}"
SPEECH="${EXAMKIT_SHARED_DATA:-$ROOT/../shared/data}/formats/jfk-24bit-stereo-44k1.flac"
[ -f "$SPEECH" ] || { echo "bench-ingest: $SPEECH is missing (../shared/data)" >&2; exit 1; }
command -v sox >/dev/null || { echo "bench-ingest: sox is missing (Tools/bootstrap installs it)" >&2; exit 1; }

cd "$ROOT"
# ingest-bench lives in the nested package Benchmarks/ (it links the test-support module, which `exam` never does)
(cd Benchmarks && swift build -c release --product ingest-bench 2>&1 | grep -E "error|Compiling|Build" >&2 || true)
BENCH="$(cd Benchmarks && swift build -c release --show-bin-path)/ingest-bench"
WORK="$(mktemp -d /tmp/bench-ingest.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# SECONDS_EACH of speech: the 11 s speech repeated, with a different gain per file so no two files are alike
repeats=$(( (SECONDS_EACH + 10) / 11 ))
sox "$SPEECH" "$WORK/long.wav" repeat "$repeats" trim 0 "$SECONDS_EACH"
mkdir -p "$WORK/wav48k" "$WORK/flac44k"
for i in $(seq 1 "$FILES"); do
  gain=$(awk -v i="$i" 'BEGIN { printf "%.2f", -12 + (i % 10) }')
  sox "$WORK/long.wav" -r 48000 -b 16 "$WORK/wav48k/r$i.wav" gain "$gain"
  sox "$WORK/long.wav" -r 44100 -b 24 "$WORK/flac44k/r$i.flac" gain "$gain"
done

# × real time per core = audio seconds / CPU seconds used (user + system): what one core converts when it is not shared.
# Wall-clock figures (files/s, audio-hours/hour) depend on how busy the machine is and on fsync latency.
printf '| input | tool | jobs | files | audio h | wall s | CPU s | × real time per core (CPU) | files/s (wall) | audio-hours/hour (wall) |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for set in wav48k flac44k; do
  audio=$(awk -v n="$FILES" -v s="$SECONDS_EACH" 'BEGIN { print n * s }')
  for jobs in 1 2; do
    line=$("$BENCH" "$WORK/$set" --jobs "$jobs")
    echo "$line" >&2
    python3 - "$set" "$jobs" "$line" <<'PY'
import json, sys
s, jobs, line = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
print(f"| {s} | exam audio ingest | {jobs} | {line['files']} | {line['audioSeconds']/3600:.2f} | {line['wallSeconds']:.2f} | "
      f"{line['cpuSeconds']:.2f} | {line['realTimePerCPUSecond']:.0f} | {line['filesPerSecond']:.1f} | {line['audioHoursPerHour']:.0f} |")
PY
    rm -rf "$WORK/sox-out"; mkdir -p "$WORK/sox-out"
    # GNU time reports the children's CPU time (xargs waits for every sox)
    timing=$( { /usr/bin/time -f "%e %U %S" sh -c "ls '$WORK/$set' | xargs -P $jobs -I{} sox '$WORK/$set/{}' -r 16000 -c 1 -b 16 '$WORK/sox-out/{}.flac'" ; } 2>&1 | tail -1)
    awk -v s="$set" -v j="$jobs" -v n="$FILES" -v a="$audio" -v t="$timing" 'BEGIN {
      split(t, x, " "); w = x[1]; c = x[2] + x[3]
      printf "| %s | sox (convert only) | %d | %d | %.2f | %.2f | %.2f | %.0f | %.1f | %.0f |\n", s, j, n, a / 3600, w, c, a / c, n / w, a / w }'
  done
done
