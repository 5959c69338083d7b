#!/usr/bin/env bash
# Records corpus.expected: each corpus.txt expression evaluated by Debian's
# Packer 1.6.6 console against corpus.pkr.hcl (stdout and exit code).
# usage: tests/template/console/record.sh [PACKER]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PACKER=${1:-packer}
cd "$here"
{
  while IFS= read -r expr; do
    case "$expr" in '#'* | '') continue ;; esac
    out=$(printf '%s\n' "$expr" | "$PACKER" console corpus.pkr.hcl 2>/dev/null)
    rc=$?
    printf '### %s\n%s\n### rc %d\n' "$expr" "$out" "$rc"
  done <corpus.txt
} >corpus.expected
