#!/usr/bin/env bash
# Usage: Tools/format.sh [--lint] — formats every tracked Swift file in place with the committed .swift-format
# (or, with --lint, checks them and fails on any finding; `make lint` and CI run that).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.swift')
if [ "${1:-}" = "--lint" ]; then
  swift format lint --strict --parallel "${files[@]}"
  echo "swift-format: ${#files[@]} files, no findings"
else
  swift format format --in-place --parallel "${files[@]}"
fi
