#!/usr/bin/env python3
"""Usage: Tools/check-seat-logs.py LOG… — validates seat-machine logs against docs/schemas/seat-event.schema.json
(needs python3-jsonschema); prints each invalid line (file:line: why) and exits 1 if there was one."""
import json, os, sys
import jsonschema

schema = json.load(open(os.path.join(os.path.dirname(__file__), "..", "docs", "schemas", "seat-event.schema.json")))
validator = jsonschema.Draft202012Validator(schema)
invalid = valid = 0
for path in sys.argv[1:]:
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            errors = [e.message for e in validator.iter_errors(json.loads(line))]
        except json.JSONDecodeError as e:
            errors = [f"not JSON: {e.msg}"]
        if errors:
            invalid += 1
            print(f"{path}:{n}: {errors[0]}")
        else:
            valid += 1
print(f"{valid} valid, {invalid} invalid line(s)", file=sys.stderr)
sys.exit(1 if invalid else 0)
