#!/usr/bin/env bash
# Calibrate on four folds of speechocean762's speakers with one feature table, test on the fifth with another:
# what a model calibrated on in-sample measures does on speakers its phone marks never heard.
#
#   Tools/research/cross-fitting/calibrate-by-fold.sh EXAM TRAIN_TABLE TEST_TABLE OUT_DIR
#
# TRAIN_TABLE: the table the models are calibrated on (e.g. `exam score batch` of a build before CrossFittedModels,
# whose marks of speechocean762's answers came from models trained on them); TEST_TABLE: the cross-fitted table of
# `pron-eval --features-csv`. Prints the mean over the five folds of the machine's r per aspect.
set -euo pipefail
exam=$1 train_table=$2 test_table=$3 out=$4
data=${EXAMKIT_SHARED_DATA:-$(cd "$(dirname "$0")/../../.." && pwd)/../shared/data}/speechocean762
mkdir -p "$out"
python3 - "$data" "$out" <<'PY'
import csv, sys
data, out = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(f"{data}/scores.csv")))
speakers = sorted({r["speaker"] for r in rows})
fold = {s: i % 5 for i, s in enumerate(speakers)}  # as pron-eval's Statistics.speakerFolds
for k in range(5):
    for name, keep in (("train", lambda r: fold[r["speaker"]] != k), ("test", lambda r: fold[r["speaker"]] == k)):
        with open(f"{out}/{name}{k}.csv", "w", newline="") as f:
            w = csv.DictWriter(f, rows[0].keys())
            w.writeheader()
            for r in rows:
                if keep(r):
                    w.writerow({**r, "audio": f"{data}/{r['audio']}"})
PY
for k in 0 1 2 3 4; do
  "$exam" score calibrate --manifest "$out/train$k.csv" --human "$out/train$k.csv" --features "$train_table" \
    -o "$out/model$k.json" --quiet > /dev/null
  "$exam" score evaluate --manifest "$out/test$k.csv" --human "$out/test$k.csv" --features "$test_table" \
    --model "$out/model$k.json" --json --quiet > "$out/evaluate$k.json"
done
python3 - "$out" <<'PY'
import json, sys
r = {}
for k in range(5):
    for a in json.load(open(f"{sys.argv[1]}/evaluate{k}.json"))["aspects"]:
        r.setdefault(a["aspect"], []).append(a["machine"]["pearson"])
print(" / ".join(f"{a} {sum(v) / len(v):.3f}" for a, v in r.items()))
PY
