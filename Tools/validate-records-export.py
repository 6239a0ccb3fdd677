#!/usr/bin/env python3
"""Usage: Tools/validate-records-export.py EXPORT_DIR_OR_records.json

Validates an `exam records export --format json` output against docs/schemas/records-export.schema.json with the
reference implementation (python-jsonschema, Draft 2020-12), as a second opinion next to the Swift structural test.
Exit 0 when valid; otherwise prints each error's path and message and exits 1.
"""
import json, os, sys
from jsonschema import Draft202012Validator

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
schema = json.load(open(os.path.join(root, "docs", "schemas", "records-export.schema.json"), encoding="utf-8"))
Draft202012Validator.check_schema(schema)
target = sys.argv[1]
if os.path.isdir(target):
    target = os.path.join(target, "records.json")
document = json.load(open(target, encoding="utf-8"))
errors = sorted(Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.absolute_path))
for e in errors[:50]:
    print(f"{target}: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}")
if errors:
    print(f"{len(errors)} error(s)")
    sys.exit(1)
print(f"{target}: valid ({len(document['students'])} students)")
