#!/usr/bin/env bash
# Usage: Tools/dsp-bench.sh [.build/release/exam] [REPS] — speed of `exam audio analyze` (file → JSON, every
# feature, one core) side by side with openSMILE and Praat (../shared/peers/peer_bench.py) on the same ~20 minutes
# of speechocean762 audio (16 kHz WAV copies in .build/dsp-bench/wav). Needs $HOME/.peers-venv (see ../shared/peers).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EXAM="$(realpath "${1:-$ROOT/.build/release/exam}")"
REPS="${2:-3}"
PY="$HOME/.peers-venv/bin/python"
DIR="$ROOT/.build/dsp-bench/wav"
mkdir -p "$DIR"
if [ -z "$(ls "$DIR" 2>/dev/null)" ]; then
  "$PY" - "$ROOT/../shared/data/speechocean762/audio" "$DIR" <<'PYEOF'
import glob, os, sys, soundfile as sf
total = 0.0
for p in sorted(glob.glob(os.path.join(sys.argv[1], "*/*.flac"))):
    x, sr = sf.read(p, dtype="int16")
    sf.write(os.path.join(sys.argv[2], os.path.basename(p)[:-5] + ".wav"), x, sr, subtype="PCM_16")
    total += len(x) / sr
    if total >= 1200: break
print(f"prepared {total:.1f} s of audio")
PYEOF
fi
AUDIO=$("$PY" -c "import glob,soundfile as sf,sys; print(round(sum(sf.info(p).duration for p in glob.glob(sys.argv[1]+'/*.wav')),2))" "$DIR")
echo "$(ls "$DIR" | wc -l) files, $AUDIO s of audio; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ExamKit: exam audio analyze --json, one process, pinned to one core (taskset -c 0)"
best=""
for r in $(seq "$REPS"); do
  t=$( { /usr/bin/time -f "%U %S %e %M" taskset -c 0 "$EXAM" audio analyze --json "$DIR"/*.wav > /dev/null; } 2>&1 | tail -1)
  read -r user sys wall rss <<< "$t"
  cpu=$(echo "$user + $sys" | bc -l)
  rtf=$(echo "$AUDIO / $cpu" | bc -l)
  printf "  rep %d: cpu %.2f s, wall %.2f s, %.0f× real time (CPU), peak RSS %d MB\n" "$r" "$cpu" "$wall" "$rtf" $((rss / 1024))
done
echo "Peers (peer_bench.py, same files, same run):"
"$PY" "$ROOT/../shared/peers/peer_bench.py" "$DIR" --reps 1 --peers io_soundfile,webrtcvad,pm_pitch,pm_all,smile_egemaps
