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
# Seed also with the conformance inputs and the spec suite, when present.
cp "$here"/../tests/hcl/corpus/*/*.hcl "$work"/ 2>/dev/null || true
"$build/hcl_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work" 2>&1 | tail -n 25
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "fuzz: hcl_fuzz found a problem (exit $status); reproducer:" >&2
  ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null >&2 || true
  exit 1
fi
echo "fuzz: no crash in ${seconds}s"
