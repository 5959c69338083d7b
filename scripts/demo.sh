#!/usr/bin/env bash
# make demo: what kiln can run today. The real build against the embedded
# local cloud arrives with the build issue (kiln build + kiln local); until
# then the demo shows the HCL engine on real inputs.
set -euo pipefail
KILN=${1:-build/kiln}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

echo "kiln demo — $("$KILN" version)"
echo
echo "Planned: 'kiln build' of the seed NixOS template against 'kiln local'"
echo "(a Hetzner Cloud on this machine). Not built yet; today's demo shows the"
echo "HCL2 engine that reads Packer templates."
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
