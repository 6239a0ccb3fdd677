#!/usr/bin/env python3
"""Usage: Tools/seed-records-bench.py DB RECORDS.csv [EXAM_ID]

Benchmark set-up only: writes an exam, one candidate per student of RECORDS.csv and a finalised result for each
straight into the store DB (made by `exam init`), standing in for the packs, rooms and scoring steps, so that
`exam records sync` and the exports have test results to carry. Deterministic.
"""
import csv, json, random, sqlite3, sys

db, records = sys.argv[1], sys.argv[2]
exam = sys.argv[3] if len(sys.argv) > 3 else "BENCH-2026"
students = {}
with open(records, encoding="utf-8") as f:
    for row in csv.DictReader(f):
        students.setdefault(row["national_id"], row)
con = sqlite3.connect(db)
definition = {"id": exam, "title": "Benchmark sitting", "formCount": 1, "packSha256": "b" * 64, "sections": [
    {"id": "LA", "title": "Listening", "part": "listening", "points": 20, "items": []},
    {"id": "SA", "title": "Speaking", "part": "speaking", "points": 20, "items": []}]}
con.execute("INSERT OR IGNORE INTO exam (id,title,packSha256,formCount,totalPoints,definitionJSON,importedAt) VALUES (?,?,?,?,?,?,?)",
            (exam, "英语听说测试（基准）", "b" * 64, 1, 40.0, json.dumps(definition), "2026-06-01T00:00:00Z"))
rng = random.Random(7)
for i, (nid, s) in enumerate(students.items()):
    cid = f"K{i + 1:07d}"
    con.execute("INSERT OR IGNORE INTO candidate (id,name,nationalId,school,district,accommodations) VALUES (?,?,?,?,?,'')",
                (cid, s["name"], nid, s["school"], s["district"]))
    listening = float(rng.randrange(8, 21))
    speaking = round(rng.uniform(6, 20) * 2) / 2
    total = listening + speaking
    level = "A" if total >= 34 else "B" if total >= 28 else "C" if total >= 24 else "D"
    con.execute("INSERT OR REPLACE INTO result VALUES (?,?,?,?,?,?,?,?,?)",
                (exam, cid, "2026-06-14", total, listening, speaking,
                 json.dumps({"LA": listening, "SA": speaking}), level, "2026-06-20T10:00:00Z"))
con.commit()
print(f"seeded {len(students)} candidates with results for {exam}")
