#!/usr/bin/env bash
# make demo: what kiln can run today. The real build against the embedded
# local cloud arrives with the build issue (kiln build + kiln local); until
# then the demo shows the HCL engine on real inputs.
set -euo pipefail
KILN=$(realpath "${1:-build/kiln}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

echo "kiln demo — $("$KILN" version)"
echo
echo "Planned: 'kiln build' of the seed NixOS template against 'kiln local'"
echo "(a Hetzner Cloud on this machine). The builder is not there yet; today's"
echo "demo shows what is: the HCL2 engine, Packer's template commands and the"
echo "local cloud's API."
echo
echo "1. Checking the formatting of the seed template (kiln fmt -check):"
seed="$root/../shared/seed/template/nixos-hetzner.pkr.hcl"
if [ -f "$seed" ]; then
  if "$KILN" fmt -check "$seed"; then echo "   $seed is formatted."; else echo "   (kiln fmt would rewrite it)"; fi
else
  echo "   (seed template not found beside the repo; skipped)"
fi
echo
echo "2. Decoding a source block with variables, a template, a for expression"
echo "   and a heredoc (kiln hcldec, HashiCorp's hcldec interface):"
"$KILN" hcldec --spec "$here/demo/server.hcldec" \
  --vars '{"var": {"version": "24.11", "stamp": "20261125"}}' "$here/demo/server.hcl"
echo

work=$(mktemp -d /tmp/kiln-demo.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -f "$seed" ]; then
  echo "3. Validating and inspecting the seed template (kiln validate, kiln inspect),"
  echo "   with a throwaway token and public key:"
  mkdir -p "$work/home/.ssh"
  echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDemoDemoDemoDemoDemoDemoDemoDemoDemoDemoDemo demo" \
    > "$work/home/.ssh/hetzner-nixos.pub"
  (cd "$(dirname "$seed")" && HOME="$work/home" HCLOUD_TOKEN=demo-token \
    "$KILN" validate "$(basename "$seed")" && HOME="$work/home" HCLOUD_TOKEN=demo-token \
    "$KILN" inspect "$(basename "$seed")" | sed 's/^/   /')
  echo
fi

echo "4. Starting kiln local (the Hetzner Cloud API on loopback) and asking it"
echo "   for server types, as any API client would:"
token=demo-$$
"$KILN" local --listen 127.0.0.1:0 --state "$work/state" --time-scale 0 --token "$token" \
  > "$work/local.out" 2> "$work/local.err" &
pid=$!
endpoint=""
for _ in $(seq 1 100); do
  endpoint=$(sed -n 's/^export HCLOUD_ENDPOINT=//p' "$work/local.out")
  [ -n "$endpoint" ] && break
  sleep 0.05
done
sed 's/^/   /' "$work/local.out"
if [ -n "$endpoint" ] && command -v hcloud >/dev/null; then
  HCLOUD_CONFIG="$work/cli.toml" HCLOUD_ENDPOINT="$endpoint" HCLOUD_TOKEN="$token" \
    hcloud server-type list -o columns=name,cores,memory,disk > "$work/types.txt"
  head -n 8 "$work/types.txt" | sed 's/^/   /'
elif [ -n "$endpoint" ]; then
  curl -s -H "Authorization: Bearer $token" "$endpoint/server_types" > "$work/types.json"
  head -c 400 "$work/types.json"
  echo
fi
echo
