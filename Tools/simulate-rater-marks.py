#!/usr/bin/env python3
"""Usage: Tools/simulate-rater-marks.py [--arbiters R05,R06] WORKSHEET.csv... — fills the empty `points` column of rater worksheets
(written by `exam marking export`) with simulated marks, for the demo: each rater has a fixed leniency, and every
answer a "true" quality from its recording (the stored audio's digest: answer ids follow the order the
parallel ingest finished in, which varies run to run), so two raters mostly agree within a rubric's tolerance and sometimes do not
(those go to arbitration). With --arbiters, the files are arbitration queues
(`exam marking arbitrate --queue-out`): each row gets the first listed arbiter who is not one of its two raters.
Deterministic: the same worksheets give the same marks. Rewrites each file in place
(temporary file + rename)."""
import csv
import hashlib
import os
import sys


def unit(text):
    """A number in [0, 1) from the SHA-256 of text."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 2**32


def mark(answer, rater_id, max_points):
    quality = 0.35 + 0.6 * unit("answer/" + answer)
    leniency = (unit("rater/" + rater_id) - 0.5) * 0.2
    slip = (unit("slip/" + answer + "/" + rater_id) - 0.5) * (0.9 if unit("odd/" + answer) < 0.2 else 0.15)
    share = min(max(quality + leniency + slip, 0), 1)
    return round(share * max_points * 2) / 2  # half points


args = sys.argv[1:]
arbiters = []
if args[:1] == ["--arbiters"]:
    arbiters = args[1].split(",")
    args = args[2:]

for path in args:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        header = list(rows[0].keys()) if rows else None
    if not rows:
        continue
    for row in rows:
        if arbiters and not row["rater_id"].strip():
            marked = {m.split("=")[0] for m in row.get("marks", "").split()}
            row["rater_id"] = next(a for a in arbiters if a not in marked)
        if not row["points"].strip():
            answer = os.path.basename(row.get("audio") or "") or row["answer_id"]
            row["points"] = f'{mark(answer, row["rater_id"], float(row["max_points"])):g}'
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    print(f"{path}: {len(rows)} answer(s) marked")
