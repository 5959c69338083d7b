#!/usr/bin/env bash
# Runs every tests/template/*.sh against a kiln binary and prints
# "N passed, N failed"; exits non-zero when anything failed.
#
# usage: tests/template/run.sh KILN
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
KILN=$(realpath "${1:?usage: run.sh KILN}")
export KILN
pass=0
fail=0
skipped=0
for t in "$here"/*.sh; do
  case "$(basename "$t")" in run.sh | lib.sh) continue ;; esac
  while IFS= read -r line; do
    case "$line" in
      PASS*) pass=$((pass + 1)) ;;
      SKIP*) skipped=$((skipped + 1)) ;;
      FAIL*) fail=$((fail + 1)); echo "$(basename "$t" .sh): $line" ;;
      *) echo "$line" ;;
    esac
  done < <(bash "$t" 2>&1)
done
[ "$skipped" -gt 0 ] && echo "$skipped skipped (listed in console/known-differences.txt)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
