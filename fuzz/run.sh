#!/usr/bin/env bash
# fuzz/run.sh BUILD_DIR SECONDS: runs the HCL fuzz target for a bounded time
# over a working copy of fuzz/corpus (the committed seeds stay untouched).
# Fails on any crash, sanitizer report or leak.
set -euo pipefail
build=$1
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/corpus/* "$work"/ 2>/dev/null || true
# Seed also with the conformance corpus and the formatter cases (which hold
# the seed template), when present.
cp "$here"/../tests/hcl/corpus/*/*.hcl "$work"/ 2>/dev/null || true
cp "$here"/../tests/hcl/fmt/*.hcl "$work"/ 2>/dev/null || true  # the seed template among them
status=0
"$build/hcl_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work" > "$work/log" 2>&1 || status=$?
tail -n 25 "$work/log"
if [ "$status" -ne 0 ]; then
  echo "fuzz: hcl_fuzz found a problem (exit $status); reproducer:" >&2
  for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -e "$f" ] || continue
    echo "--- $f (base64)" >&2
    base64 "$f" | head -c 4000 >&2
    echo >&2
  done
  exit 1
fi
echo "fuzz: no crash in ${seconds}s"
