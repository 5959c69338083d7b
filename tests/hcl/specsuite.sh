#!/usr/bin/env bash
# Runs HashiCorp's HCL specification suite (hclspecsuite over the tests in
# Debian's golang-github-hashicorp-hcl-v2-dev) against `KILN hcldec`.
# Usage: tests/hcl/specsuite.sh KILN
# Prints each test's result, then "N passed, N failed"; exits non-zero on
# any failure.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
if [ $# -ne 1 ]; then
  echo "usage: $0 KILN" >&2
  exit 2
fi
KILN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
if [ ! -x "$KILN" ]; then
  echo "specsuite: $KILN is not an executable" >&2
  exit 2
fi
TESTS=${HCL_SPECSUITE_TESTS:-/usr/share/gocode/src/github.com/hashicorp/hcl/v2/specsuite/tests}
GO_OUT=${GO_TOOLS_DIR:-$ROOT/build/go}
"$ROOT/scripts/build-go-tools.sh" "$GO_OUT" || exit 2

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# hclspecsuite runs a single executable: a wrapper that is `KILN hcldec`.
cat >"$WORK/hcldec" <<WRAP
#!/bin/sh
exec "$KILN" hcldec "\$@"
WRAP
chmod +x "$WORK/hcldec"

# hclspecsuite prints "- name" before and after each test and writes the
# problems it found in between (to stderr), so with both streams in one
# pipe, a test failed when anything but its two name lines is between them.
(cd "$TESTS" && "$GO_OUT/hclspecsuite" . "$WORK/hcldec") >"$WORK/out" 2>&1
rc=$?
python3 - "$WORK/out" "$rc" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
rc = int(sys.argv[2])
passed = failed = 0
current, body = None, []
harness = []
for line in lines:
    if line.startswith("- "):
        name = line[2:]
        if current is None:
            current, body = name, []
            continue
        if name == current:
            problems = [l for l in body if l.strip()]
            if problems:
                failed += 1
                print(f"FAIL {current}")
                for l in body:
                    print("    " + l)
            else:
                passed += 1
                print(f"ok   {current}")
            current, body = None, []
            continue
    if current is None:
        if line.strip():
            harness.append(line)
    else:
        body.append(line)
if harness:
    print("harness output:")
    for l in harness:
        print("    " + l)
if rc != 0 and failed == 0:
    failed += 1
    print(f"hclspecsuite exited with status {rc}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
