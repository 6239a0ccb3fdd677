#!/usr/bin/env bash
# Usage: [ROSTER=N] Tools/bench-serve.sh [BATCHES [ANSWERS [SECONDS [CLIENTS]]]] — `exam serve` against `exam audio
# ingest` on the same batches, on this machine (defaults: 50 batches of 20 spoken answers of up to 30 s, 50
# concurrent clients). Builds `exam` in release (.build-release), makes the city of Tools/make-city.py (its 300
# centres, the first ROSTER (default 3,000) of its 100,000 candidates: the allocation fills centre-sessions in turn,
# so 3,000 make 25 of them; ROSTER=100000 makes about 900) with the sample pack, takes the first BATCHES
# centre-sessions of the allocation (fewer if there are fewer; the table says how many) and writes one zip per batch
# (the first ANSWERS spoken answers of its candidates; 16 kHz WAV speech-like audio made with sox, each answer cut
# to its item's window). Then (1) ingests every zip with `exam audio ingest` one after another into one store, and
# (2) serves a copy of the same store with `exam serve` and uploads every zip with CLIENTS concurrent `exam upload`
# processes. Prints a Markdown table for docs/benchmarks.md: wall time, files/s, audio-hours/hour, peak RSS, and
# the p50/p99 time from an upload's last byte to its report (from the store's timestamps: 1 s resolution).
# SERVE_DB=postgres://… (an empty database) adds (3): the same set-up in that database, with the shared store in the
# work folder, and the same uploads to `exam serve` on it; INGEST_WORKERS=N (with SERVE_DB) adds (4): the uploads again,
# into a second database (SERVE_DB's name + "_q", made here), to `exam serve --ingest-workers` with N `exam audio ingest
# --worker` processes on this machine taking the finished uploads from the queue.
# Needs: swift, python3, sox, /usr/bin/time (Tools/bootstrap); psql for SERVE_DB. Talks only to 127.0.0.1.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BATCHES="${1:-50}"
ANSWERS="${2:-20}"
SECONDS_EACH="${3:-30}"
CLIENTS="${4:-50}"
cd "$ROOT"
if [ -z "${EXAM_BIN:-}" ]; then  # EXAM_BIN=path/to/exam skips the release build (e.g. to try the script on a debug build)
  swift build -c release --product exam --scratch-path .build-release 2>&1 | grep -E "error|Build" >&2 || true
fi
EXAM="${EXAM_BIN:-$ROOT/.build-release/release/exam}"
WORK="$(mktemp -d /tmp/bench-serve.XXXXXX)"
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

# The store: sample pack, city roster and centres, allocation.
export EXAM_DB="$WORK/prepared/exam.sqlite"
mkdir -p "$WORK/city" "$WORK/prepared"
python3 Tools/make-city.py "$WORK/city" >/dev/null
"$EXAM" init --quiet >/dev/null
"$EXAM" keys generate "$WORK/office" >/dev/null
"$EXAM" pack build ExamPacks/SH-2026-EL -o "$WORK/pack.exampack" --sign "$WORK/office.key" >/dev/null
"$EXAM" keys trust "$WORK/office.pub" --quiet >/dev/null
"$EXAM" pack import "$WORK/pack.exampack" --pubkey "$WORK/office.pub" --quiet >/dev/null
head -n "$(( ${ROSTER:-3000} + 1 ))" "$WORK/city/roster.csv" > "$WORK/city/roster-part.csv"
"$EXAM" candidates import "$WORK/city/roster-part.csv" --quiet >/dev/null
"$EXAM" centres import "$WORK/city/centres.yaml" --quiet >/dev/null
"$EXAM" allocate --exam SH-2026-EL --seed 1 --quiet >/dev/null
"$EXAM" audio expected --json > "$WORK/expected.jsonl"

# The batches: one zip per centre-session, stored entries, manifest with each file's SHA-256.
python3 - "$WORK" "$BATCHES" "$ANSWERS" "$SECONDS_EACH" <<'PY'
import collections, hashlib, json, os, subprocess, sys, zipfile
work, batches, answers, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
groups = collections.OrderedDict()
for line in open(os.path.join(work, "expected.jsonl")):
    row = json.loads(line)
    if row["spoken"]:
        groups.setdefault((row["centre"], row["session"]), []).append(row)
audio = os.path.join(work, "audio"); os.makedirs(audio, exist_ok=True)
def clip(length):
    path = os.path.join(audio, f"{length:.1f}.wav")
    if not os.path.exists(path):  # tone bursts with room noise: speech-like for the level checks
        subprocess.run(["sox", "-R", "-n", "-r", "16000", "-b", "16", "-c", "1", path, "synth", f"{length}", "sine", "220",
                        "tremolo", "1.6", "90", "synth", f"{length}", "pinknoise", "mix", "vol", "0.4"], check=True)
    return path
with open(os.path.join(work, "batches.tsv"), "w") as out:
    for (centre, session), rows in list(groups.items())[:batches]:
        name = os.path.join(work, "zips", f"{centre}-{session}.zip"); os.makedirs(os.path.dirname(name), exist_ok=True)
        manifest = ["candidate,item,file,seat,recorded_at,sha256"]
        with zipfile.ZipFile(name, "w", zipfile.ZIP_STORED) as z:
            for row in rows[:answers]:
                length = min(seconds, (row.get("maxSeconds") or seconds) - 0.5)
                length = max(length, (row.get("minSeconds") or 0) + 0.5)
                data = open(clip(length), "rb").read()
                file = f"{row['candidate']}/{row['item']}.wav"
                z.writestr(file, data)
                manifest.append(f"{row['candidate']},{row['item']},{file},{row['seat']},2026-06-14T09:05:00+08:00,{hashlib.sha256(data).hexdigest()}")
            z.writestr("manifest.csv", "\n".join(manifest) + "\n")
        out.write(f"{centre}\t{session}\t{name}\n")
PY
FILES=$(python3 -c "import zipfile,sys; print(sum(len(zipfile.ZipFile(l.split('\t')[2].strip()).namelist()) - 1 for l in open(sys.argv[1])))" "$WORK/batches.tsv")
AUDIO_S=$(python3 - "$WORK/batches.tsv" <<'PY'
import sys, wave, zipfile, io
total = 0.0
for line in open(sys.argv[1]):
    z = zipfile.ZipFile(line.split("\t")[2].strip())
    for n in z.namelist():
        if n.endswith(".wav"):
            w = wave.open(io.BytesIO(z.read(n))); total += w.getnframes() / w.getframerate()
print(f"{total:.0f}")
PY
)
cp -r "$WORK/prepared" "$WORK/cli"; cp -r "$WORK/prepared" "$WORK/served"

# (1) exam audio ingest, batch after batch
start=$(date +%s.%N); peak_cli=0
while IFS=$'\t' read -r centre session zip; do
  /usr/bin/time -f "%M" -o "$WORK/rss.txt" "$EXAM" audio ingest "$zip" --centre "$centre" --session "$session" \
    --db "$WORK/cli/exam.sqlite" --quiet >/dev/null || [ $? -eq 65 ]
  rss=$(tail -1 "$WORK/rss.txt"); [ "$rss" -gt "$peak_cli" ] && peak_cli=$rss
done < "$WORK/batches.tsv"
cli_s=$(echo "$(date +%s.%N) - $start" | bc)

# (2) exam serve + CLIENTS concurrent exam upload, over the store $EXAM_DB (tokens in $1); sets served_s, peak_server
serve_and_upload() {
  local tokens="$1"
  mkdir -p "$tokens"
  cut -f1 "$WORK/batches.tsv" | sort -u | while read -r centre; do
    "$EXAM" centres tokens issue --centre "$centre" --out "$tokens/$centre" --quiet >/dev/null
  done
  PORT=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
  "$EXAM" serve --listen "127.0.0.1:$PORT" --quiet ${SERVE_FLAGS:-} > "$tokens/serve.log" 2>&1 &
  SERVER_PID=$!
  until grep -q "listening on" "$tokens/serve.log"; do sleep 0.2; done
  start=$(date +%s.%N)
  export EXAM PORT TOKENS="$tokens"
  awk -F'\t' '{ print $3, $1, $2 }' "$WORK/batches.tsv" | xargs -P "$CLIENTS" -L 1 sh -c \
    '"$EXAM" upload "$1" --server "http://127.0.0.1:$PORT" --token-file "$TOKENS/$2" --session "$3" --cache "$TOKENS/cache-$2-$3" \
       --quiet > /dev/null; rc=$?; [ $rc -eq 0 ] || [ $rc -eq 65 ]' _
  served_s=$(echo "$(date +%s.%N) - $start" | bc)
  peak_server=$(awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status")
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
}
export EXAM_DB="$WORK/served/exam.sqlite"
serve_and_upload "$WORK/tokens"
sqlite_served_s=$served_s; sqlite_peak_server=$peak_server

# The sitting of the prepared store, set up again by the same commands in the PostgreSQL store $EXAM_DB.
set_up_sitting() {
  "$EXAM" init --quiet >/dev/null
  "$EXAM" keys trust "$WORK/office.pub" --quiet >/dev/null
  "$EXAM" pack import "$WORK/pack.exampack" --pubkey "$WORK/office.pub" --quiet >/dev/null
  "$EXAM" candidates import "$WORK/city/roster-part.csv" --quiet >/dev/null
  "$EXAM" centres import "$WORK/city/centres.yaml" --quiet >/dev/null
  "$EXAM" allocate --exam SH-2026-EL --seed 1 --quiet >/dev/null
}

# (3) the same on PostgreSQL: the set-up of the sitting in $SERVE_DB, then the same uploads
pg_served_s=0; pg_peak_server=0
if [ -n "${SERVE_DB:-}" ]; then
  export EXAM_DB="$SERVE_DB" EXAM_STORE="$WORK/pg-store"
  set_up_sitting
  serve_and_upload "$WORK/pg-tokens"
  pg_served_s=$served_s; pg_peak_server=$peak_server
fi

# (4) the same on PostgreSQL, ingested by INGEST_WORKERS queue workers
q_served_s=0; q_peak_server=0; Q_DB=""
if [ -n "${SERVE_DB:-}" ] && [ "${INGEST_WORKERS:-0}" -gt 0 ]; then
  Q_DB="${SERVE_DB}_q"
  psql -X -q -d "$SERVE_DB" -c "CREATE DATABASE $(basename "$Q_DB")" >/dev/null
  export EXAM_DB="$Q_DB" EXAM_STORE="$WORK/q-store"
  set_up_sitting
  WORKER_PIDS=()
  for i in $(seq "$INGEST_WORKERS"); do
    "$EXAM" audio ingest --worker --jobs 2 --quiet > "$WORK/ingest-worker-$i.log" 2>&1 &
    WORKER_PIDS+=($!)
  done
  SERVE_FLAGS=--ingest-workers serve_and_upload "$WORK/q-tokens"
  kill -TERM "${WORKER_PIDS[@]}"; wait "${WORKER_PIDS[@]}" || true
  q_served_s=$served_s; q_peak_server=$peak_server
fi

python3 - "$WORK" "$FILES" "$AUDIO_S" "$cli_s" "$sqlite_served_s" "$peak_cli" "$sqlite_peak_server" "$(wc -l < "$WORK/batches.tsv")" "$CLIENTS" "$pg_served_s" "$pg_peak_server" "${SERVE_DB:-}" "$q_served_s" "$q_peak_server" "$Q_DB" "${INGEST_WORKERS:-0}" <<'PY'
import sqlite3, subprocess, sys
from datetime import datetime
work, files, audio, cli_s, served_s, rss_cli, rss_srv, batches, clients, pg_s, rss_pg, pg_url, q_s, rss_q, q_url, workers = sys.argv[1:]
files, audio, cli_s, served_s, pg_s = int(files), float(audio), float(cli_s), float(served_s), float(pg_s)
def counts(db):
    c = sqlite3.connect(db)
    return c.execute("SELECT COUNT(*) FROM recording").fetchone()[0]
rec_cli, rec_srv = counts(f"{work}/cli/exam.sqlite"), counts(f"{work}/served/exam.sqlite")
parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
c = sqlite3.connect(f"{work}/served/exam.sqlite")
lat = sorted(parse(f) - parse(r) for r, f in c.execute("SELECT receivedAt, finishedAt FROM upload WHERE state = 'done'"))
done = len(lat)
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")
print("| path | batches | files | audio h | wall s | files/s | audio-hours/hour | peak RSS MB | recordings stored | last byte → report p50 / p99 s |")
print("|---|---|---|---|---|---|---|---|---|---|")
print(f"| exam audio ingest, one batch after another | {batches} | {files} | {audio/3600:.2f} | {cli_s:.1f} | {files/cli_s:.1f} | {audio/cli_s:.0f} | {int(rss_cli)/1024:.0f} (per process) | {rec_cli} | — |")
print(f"| exam serve + {clients} concurrent exam upload | {batches} ({done} reports) | {files} | {audio/3600:.2f} | {served_s:.1f} | {files/served_s:.1f} | {audio/served_s:.0f} | {int(rss_srv)/1024:.0f} (server) | {rec_srv} | {p(0.5):.0f} / {p(0.99):.0f} |")
if pg_url:
    psql = lambda q: subprocess.run(["psql", "-X", "-At", "-F", "\t", "-d", pg_url, "-c", q], check=True, capture_output=True, text=True).stdout.split("\n")
    rec_pg = int(psql("SELECT COUNT(*) FROM recording")[0])
    lat = sorted(parse(f) - parse(r) for r, f in (l.split("\t") for l in psql("SELECT received_at, finished_at FROM upload WHERE state = 'done'") if l))
    print(f"| exam serve on PostgreSQL + {clients} concurrent exam upload | {batches} ({len(lat)} reports) | {files} | {audio/3600:.2f} | {pg_s:.1f} | {files/pg_s:.1f} | {audio/pg_s:.0f} | {int(rss_pg)/1024:.0f} (server) | {rec_pg} | {p(0.5):.0f} / {p(0.99):.0f} |")
if q_url:
    q_s = float(q_s)
    psql = lambda q: subprocess.run(["psql", "-X", "-At", "-F", "\t", "-d", q_url, "-c", q], check=True, capture_output=True, text=True).stdout.split("\n")
    rec_q = int(psql("SELECT COUNT(*) FROM recording")[0])
    lat = sorted(parse(f) - parse(r) for r, f in (l.split("\t") for l in psql("SELECT received_at, finished_at FROM upload WHERE state = 'done'") if l))
    print(f"| exam serve --ingest-workers on PostgreSQL, {workers} ingest workers, + {clients} concurrent exam upload | {batches} ({len(lat)} reports) | {files} | {audio/3600:.2f} | {q_s:.1f} | {files/q_s:.1f} | {audio/q_s:.0f} | {int(rss_q)/1024:.0f} (server) | {rec_q} | {p(0.5):.0f} / {p(0.99):.0f} |")
print(f"\nserved throughput / CLI throughput = {cli_s/served_s:.2f}" + (f"; on PostgreSQL {cli_s/pg_s:.2f}" if pg_url else ""))
PY
