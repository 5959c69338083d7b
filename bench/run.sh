#!/usr/bin/env bash
# bench/run.sh KILN: parses and evaluates a generated ~1 MB template with
# HashiCorp's hcldec (built from Debian's golang-github-hashicorp-hcl-v2-dev)
# and with `KILN hcldec`; prints wall time (best of RUNS) and peak RSS of
# each, and checks both print the same JSON. Never asserted in a test.
set -euo pipefail
KILN=${1:-build/kiln}
RUNS=${RUNS:-5}
BLOCKS=${BLOCKS:-1200}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
"$root/scripts/build-go-tools.sh" "$root/build/go"
HCLDEC="$root/build/go/hcldec"
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/gen-template.sh" "$BLOCKS" > "$work/big.hcl"
size=$(stat -c %s "$work/big.hcl")

"$HCLDEC" --spec "$here/template.hcldec" "$work/big.hcl" > "$work/go.json"
"$KILN" hcldec --spec "$here/template.hcldec" "$work/big.hcl" > "$work/kiln.json"
if cmp -s "$work/go.json" "$work/kiln.json"; then same=yes; else same=NO; fi

measure() {  # prints "best_seconds max_rss_kb"
  local best="" rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" > /dev/null
    read -r secs kb < "$work/t"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  echo "$best $rss"
}

read -r go_s go_kb < <(measure "$HCLDEC" --spec "$here/template.hcldec" "$work/big.hcl")
read -r k_s k_kb < <(measure "$KILN" hcldec --spec "$here/template.hcldec" "$work/big.hcl")
mb=$(awk "BEGIN{print $size/1048576}")
printf 'input: %s bytes (%d blocks), best of %d runs, same output: %s\n' "$size" "$BLOCKS" "$RUNS" "$same"
printf '%-22s %8s %10s %12s\n' tool seconds "MB/s" "peak RSS MB"
printf '%-22s %8s %10.1f %12.1f\n' "hcldec (HCL 2.14.1)" "$go_s" "$(awk "BEGIN{print $mb/($go_s+0.0001)}")" "$(awk "BEGIN{print $go_kb/1024}")"
printf '%-22s %8s %10.1f %12.1f\n' "kiln hcldec" "$k_s" "$(awk "BEGIN{print $mb/($k_s+0.0001)}")" "$(awk "BEGIN{print $k_kb/1024}")"
printf 'speed-up: %.2fx\n' "$(awk "BEGIN{print ($go_s+0.0001)/($k_s+0.0001)}")"
