#!/bin/bash
# Checks the NixOS recipe (examples/nixos-hetzner): the template validates
# and is formatted, every .nix file parses (Debian's nix-bin), the shell
# scripts pass shellcheck, and bad variables are refused.
# Usage: tests/nixos/run.sh KILN
set -uo pipefail
kiln=$(realpath "${1:?usage: run.sh KILN}")
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/examples/nixos-hetzner
pass=0 fail=0
check() { # name, command...
  local name=$1
  shift
  if out=$("$@" 2>&1); then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    printf 'FAIL %s\n%s\n' "$name" "$out"
  fi
}
refuses() { # name, expected text, command...
  local name=$1 want=$2
  shift 2
  if out=$("$@" 2>&1); then
    fail=$((fail + 1))
    printf 'FAIL %s: accepted\n' "$name"
  elif ! grep -qF -- "$want" <<<"$out"; then
    fail=$((fail + 1))
    printf 'FAIL %s: no "%s" in\n%s\n' "$name" "$want" "$out"
  else
    pass=$((pass + 1))
  fi
}
for tool in nix-instantiate shellcheck; do
  command -v $tool >/dev/null || { echo "missing $tool (scripts/install-deps.sh installs it)"; exit 1; }
done

token="kiln-test-token-0123456789abcdef0123456789abcdef"
export HCLOUD_TOKEN=$token
check "validate" "$kiln" validate "$dir"
check "validate one source" "$kiln" validate -only hcloud.arm "$dir"
check "fmt -check" "$kiln" fmt -check "$dir"
refuses "stop_after" 'The stop_after must be "" or "disk".' "$kiln" validate -var stop_after=all "$dir"
refuses "nixos_version" 'The nixos_version must be a release' "$kiln" validate -var nixos_version=latest "$dir"
for f in "$dir"/nix/*.nix; do
  check "parse $(basename "$f")" nix-instantiate --parse "$f"
done
check "parse extra.nix default" bash -c "printf '{ }\n' | nix-instantiate --parse -"
for f in "$dir"/*.sh; do
  check "shellcheck $(basename "$f")" shellcheck "$f"
done
# examples/nixos-upload: the image expression parses; the template
# validates once the images exist, and names them when they do not.
up=$root/examples/nixos-upload
check "parse nixos-upload/image.nix" nix-instantiate --parse "$up/image.nix"
check "fmt -check nixos-upload" "$kiln" fmt -check "$up"
imgdir=$(mktemp -d)
mkdir -p "$imgdir/result-x86" "$imgdir/result-arm"
printf 'x' >"$imgdir/result-x86/nixos.img.zst"
printf 'x' >"$imgdir/result-arm/nixos.img.zst"
check "validate nixos-upload with images" bash -c "cd '$imgdir' && '$kiln' validate '$up'"
rm -rf "$imgdir/result-arm"
refuses "nixos-upload without the arm image" "Bad image_path 'result-arm/nixos.img.zst'" bash -c "cd '$imgdir' && '$kiln' validate '$up'"
rm -rf "$imgdir"

# The labels main.tf selects on are the ones the template sets.
inspect=$("$kiln" inspect "$dir" 2>&1)
check "inspect lists both sources" grep -q 'hcloud.x86' <<<"$inspect"
for label in os=nixos built_by=kiln nixos_major= arch=; do
  check "main.tf label $label in template" grep -q "${label%%=*}" "$dir/nixos.pkr.hcl"
  check "main.tf selects $label" grep -q "$label" "$dir/main.tf"
done
echo "nixos recipe: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
