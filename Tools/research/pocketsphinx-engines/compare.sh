#!/usr/bin/env bash
# Usage: Tools/research/pocketsphinx-engines/compare.sh [N] — times phone-level forced alignment of the first N
# (default 40) speechocean762 answers with Debian's pocketsphinx 0.8 and with pocketsphinx 5.1.1 (pip wheel),
# with and without all senones scored; then Debian's free phone loop on the first 5.
# Needs Tools/bootstrap, sox, and `pip install pocketsphinx==5.1.1`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${EXAMKIT_SHARED_DATA:-$here/../../../../shared/data}/speechocean762
n=${1:-40}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for p in AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH; do
  echo "ph_${p,,} $p"; done > "$work/phones.dict"; echo "sil_ SIL" >> "$work/phones.dict"
python3 - "$data" "$n" "$work" <<'PY'
import csv, subprocess, sys
data, n, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lex = {}
for line in open("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"):
    f = line.split()
    lex.setdefault(f[0].lower(), f[1:])
with open(f"{work}/deb.list", "w") as deb, open(f"{work}/p5.list", "w") as p5:
    for i, row in enumerate(csv.DictReader(open(f"{data}/scores.csv"))):
        if i >= n: break
        words = [w.lower() for w in row["text"].split()]
        if any(w not in lex for w in words): continue
        raw = f"{work}/{row['utt']}.raw"
        subprocess.run(["sox", f"{data}/{row['audio']}", "-t", "raw", "-e", "signed", "-b", "16", raw], check=True)
        body = " [ sil_ ] ".join(" ".join("ph_" + p.lower() for p in lex[w]) for w in words)
        deb.write(f"{raw}\t#JSGF V1.0; grammar a; public <s> = [ sil_ ] {body} [ sil_ ];\n")
        p5.write(f"{raw}\t{' '.join(words)}\n")
PY
gcc -O2 -o "$work/debian-align" "$here/debian-align.c" $(pkg-config --cflags --libs pocketsphinx)
for all in yes no; do
  "$work/debian-align" "$work/deb.list" $all "$work/phones.dict"
  python3 "$here/pocketsphinx511-align.py" "$work/p5.list" $all
done
gcc -O2 -o "$work/debian-allphone" "$here/debian-allphone.c" $(pkg-config --cflags --libs pocketsphinx)
head -5 "$work/deb.list" > "$work/deb5.list"
"$work/debian-allphone" "$work/deb5.list" "$work/phones.dict"
