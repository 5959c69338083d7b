#!/usr/bin/env bash
# Differential test of `kiln fmt` against two oracles: HashiCorp's hclfmt
# (hclwrite.Format, built from Debian's HCL package) and `packer fmt` of
# Debian's Packer 1.6.6 (run on copies in a temp dir, since it rewrites
# files). Every tests/hcl/fmt/*.hcl is formatted by all three and the outputs
# must be byte-identical, except the known differences listed below; kiln's
# output must also be a fixed point (formatting it again changes nothing).
#
# usage: tests/hcl/fmt.sh KILN [HCLFMT [PACKER]]
#   KILN    the kiln binary
#   HCLFMT  HashiCorp's hclfmt (default build/go/hclfmt, built by
#           scripts/build-go-tools.sh when missing)
#   PACKER  Packer 1.6.6 (default: packer on PATH, installed with apt-get
#           when missing; the test fails if it cannot be had)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
KILN=${1:?usage: fmt.sh KILN [HCLFMT [PACKER]]}
HCLFMT=${2:-$root/build/go/hclfmt}
PACKER=${3:-packer}
export CHECKPOINT_DISABLE=1  # no update check over the network by Packer
if [ ! -x "$HCLFMT" ]; then
  "$root/scripts/build-go-tools.sh" "$(dirname "$HCLFMT")" >&2 || exit 2
fi
if ! command -v "$PACKER" >/dev/null; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq packer >&2 || {
    echo "FAIL: Packer 1.6.6 (Debian package packer) is needed and could not be installed"
    exit 2
  }
fi
case "$("$PACKER" version 2>/dev/null)" in
  *1.6.6*) ;;
  *) echo "FAIL: $PACKER is not Packer 1.6.6 ($("$PACKER" version 2>&1 | head -1))"; exit 2 ;;
esac

# Known differences from Packer 1.6.6, each with its reason. The case must
# still agree with hclfmt, and must agree with 1.6.6 once the documented
# change is undone (so the list cannot hide anything else).
#   unary-not: HCL 2.8.0 stopped putting a space after a unary `!`; Packer
#   1.6.6 (HCL 2.6) prints `! x`, the newest Packer `!x`
#   (packer-surface.md 5.1 and 9, "fmt `!x` spacing").
declare -A known=(
  [08-operators.hcl]=unary-not
  [46-unary-after-keywords.hcl]=unary-not
  [82-conditional-chain.hcl]=unary-not
)
undo() {  # undo KIND: turns kiln's output (stdin) back into 1.6.6's form
  case "$1" in
    unary-not) sed -E 's/!([^= ])/! \1/g' ;;
  esac
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# packer fmt rewrites files in place: format copies, all in one run.
mkdir "$tmp/packer"
for f in "$here"/fmt/*.hcl; do
  cp "$f" "$tmp/packer/$(basename "$f" .hcl).pkr.hcl"
done
if ! "$PACKER" fmt "$tmp/packer" >/dev/null 2>"$tmp/packer.err"; then
  echo "FAIL: packer fmt failed on the corpus"
  sed 's/^/    /' "$tmp/packer.err" | head -20
  exit 1
fi

pass=0
fail=0
cases=0
for f in "$here"/fmt/*.hcl; do
  name=$(basename "$f")
  "$HCLFMT" "$f" >"$tmp/want" 2>"$tmp/want.err"
  if ! "$KILN" fmt - <"$f" >"$tmp/got" 2>"$tmp/got.err"; then
    echo "FAIL $name: kiln fmt exited non-zero"
    sed 's/^/    /' "$tmp/got.err" | head -20
    fail=$((fail + 1))
    continue
  fi
  if ! cmp -s "$tmp/want" "$tmp/got"; then
    echo "FAIL $name: output differs from hclfmt"
    diff -u --label hclfmt --label kiln "$tmp/want" "$tmp/got" | head -40 | sed 's/^/    /'
    fail=$((fail + 1))
    continue
  fi
  pk=$tmp/packer/${name%.hcl}.pkr.hcl
  if [ -n "${known[$name]+x}" ]; then
    undo "${known[$name]}" <"$tmp/got" >"$tmp/undone"
    if cmp -s "$pk" "$tmp/got" || ! cmp -s "$pk" "$tmp/undone"; then
      echo "FAIL $name: known difference (${known[$name]}) from packer 1.6.6 does not hold"
      diff -u --label packer-1.6.6 --label kiln-undone "$pk" "$tmp/undone" | head -40 | sed 's/^/    /'
      fail=$((fail + 1))
      continue
    fi
  elif ! cmp -s "$pk" "$tmp/got"; then
    echo "FAIL $name: output differs from packer fmt 1.6.6"
    diff -u --label packer-1.6.6 --label kiln "$pk" "$tmp/got" | head -40 | sed 's/^/    /'
    fail=$((fail + 1))
    continue
  fi
  if ! "$KILN" fmt - <"$tmp/got" >"$tmp/again" 2>/dev/null || ! cmp -s "$tmp/got" "$tmp/again"; then
    echo "FAIL $name: formatting is not idempotent"
    diff -u --label once --label twice "$tmp/got" "$tmp/again" | head -40 | sed 's/^/    /'
    fail=$((fail + 1))
    continue
  fi
  pass=$((pass + 1))
  cases=$((cases + 1))
done
echo "$cases of $(ls "$here"/fmt/*.hcl | wc -l) cases agree with hclfmt and packer fmt 1.6.6 (${#known[@]} known differences from 1.6.6)"
# The command's interface, as Packer's `fmt`.
check() {  # check NAME CONDITION...: counts a pass if the condition holds
  local name=$1
  shift
  if "$@"; then
    pass=$((pass + 1))
  else
    echo "FAIL cli: $name"
    fail=$((fail + 1))
  fi
}
d=$tmp/dir
mkdir -p "$d/sub" "$d/.hidden"
printf 'a=1\n' >"$d/a.pkr.hcl"
printf 'b = 1\n' >"$d/b.pkr.hcl"
printf 'v  = 1\n' >"$d/v.pkrvars.hcl"
printf 'j=1\n' >"$d/j.pkr.json"
printf 'o=1\n' >"$d/other.hcl"
printf 'h=1\n' >"$d/.h.pkr.hcl"
printf 's=1\n' >"$d/sub/s.pkr.hcl"
printf 'x=1\n' >"$d/.hidden/x.pkr.hcl"
snapshot() { find "$d" -type f | sort | xargs cat; }
before=$(snapshot)

"$KILN" fmt -check "$d" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "-check exits 3 when a file needs formatting" test "$rc" -eq 3
check "-check lists the files to format" test "$(cat "$tmp/out")" = "$(printf '%s\n' "$d/a.pkr.hcl" "$d/v.pkrvars.hcl")"
check "-check writes nothing" test "$(snapshot)" = "$before"

"$KILN" fmt --check -recursive "$d" >"$tmp/out" 2>&1
check "-recursive descends into non-hidden directories" test "$(cat "$tmp/out")" = "$(printf '%s\n' "$d/a.pkr.hcl" "$d/sub/s.pkr.hcl" "$d/v.pkrvars.hcl")"

"$KILN" fmt -write=false -diff "$d" >"$tmp/out" 2>&1
rc=$?
check "-write=false exits 0 and writes nothing" test "$rc" -eq 0 -a "$(snapshot)" = "$before"
check "-diff prints a unified diff" grep -q "^--- old/$d/a.pkr.hcl" "$tmp/out"
check "-diff shows the change" grep -qx '+a = 1' "$tmp/out"

"$KILN" fmt "$d" >"$tmp/out" 2>&1
rc=$?
check "fmt DIR rewrites the files" test "$rc" -eq 0 -a "$(cat "$d/a.pkr.hcl")" = "a = 1" -a "$(cat "$d/v.pkrvars.hcl")" = "v = 1"
check "fmt DIR leaves other files alone" test "$(cat "$d/j.pkr.json" "$d/other.hcl" "$d/.h.pkr.hcl" "$d/sub/s.pkr.hcl")" = "$(printf 'j=1\no=1\nh=1\ns=1')"
"$KILN" fmt -check "$d" >"$tmp/out" 2>&1
rc=$?
check "-check exits 0 once formatted, printing nothing" test "$rc" -eq 0 -a ! -s "$tmp/out"

"$KILN" fmt "$d/other.hcl" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a file of another type is an error" test "$rc" -eq 1
check "... naming the file" grep -q "file $d/other.hcl is not a HCL file" "$tmp/err"

printf 'a = 1\nb = {\n  c =\n}\n' >"$tmp/bad.pkr.hcl"
cp "$tmp/bad.pkr.hcl" "$tmp/bad.orig"
"$KILN" fmt "$tmp/bad.pkr.hcl" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a syntax error exits 1" test "$rc" -eq 1
check "... with its location" grep -q "$tmp/bad.pkr.hcl:3," "$tmp/err"
check "... and leaves the file alone" cmp -s "$tmp/bad.pkr.hcl" "$tmp/bad.orig"

out=$(printf 'x=1\n' | "$KILN" fmt -)
check "fmt - formats stdin to stdout" test "$out" = "x = 1"
printf 'x=1\n' | "$KILN" fmt -check - >/dev/null
check "fmt -check - exits 3 on unformatted stdin" test $? -eq 3

"$KILN" fmt >/dev/null 2>&1
check "no path is a usage error" test $? -eq 1
"$KILN" fmt -nosuchflag "$d" >/dev/null 2>&1
check "an unknown flag is a usage error" test $? -eq 1

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
