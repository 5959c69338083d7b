# Helpers for the template CLI tests; sourced by each tests/template/*.sh
# with KILN set. Each check prints "PASS name" or "FAIL name" (with a diff).
set -uo pipefail
: "${KILN:?KILN must be set}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# check NAME WANT_RC WANT_STDOUT CMD... : runs CMD (stdin from $STDIN if
# set), compares the exit code and the whole stdout.
check() {
  local name=$1 want_rc=$2 want
  want=$(printf '%s' "$3")  # compared as $(...) gives stdout: without trailing newlines
  shift 3
  local got rc
  if [ -n "${STDIN+x}" ]; then
    got=$(printf '%s' "$STDIN" | "$@" 2>/dev/null)
  else
    got=$("$@" </dev/null 2>/dev/null)
  fi
  rc=$?
  if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
    echo "PASS $name"
  else
    echo "FAIL $name (rc $rc, want $want_rc)"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -30 | sed 's/^/    /'
  fi
}

# check_contains NAME WANT_RC NEEDLE CMD... : stdout must contain NEEDLE.
check_contains() {
  local name=$1 want_rc=$2 needle=$3
  shift 3
  local got rc
  if [ -n "${STDIN+x}" ]; then
    got=$(printf '%s' "$STDIN" | "$@" 2>/dev/null)
  else
    got=$("$@" </dev/null 2>/dev/null)
  fi
  rc=$?
  if [ "$rc" = "$want_rc" ] && [[ "$got" == *"$needle"* ]]; then
    echo "PASS $name"
  else
    echo "FAIL $name (rc $rc, want $want_rc; looking for: $needle)"
    printf '%s\n' "$got" | head -30 | sed 's/^/    /'
  fi
}
