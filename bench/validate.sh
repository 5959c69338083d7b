#!/usr/bin/env bash
# bench/validate.sh KILN [PACKER]: `kiln validate` against `packer validate`
# of Debian's Packer 1.6.6 on the same templates: the seed's template as
# rendered for 1.6.6 (templates/nixos-hetzner-1.6.6.pkr.hcl) and a large
# generated one (templates/gen-large.sh N). For each, RUNS alternating runs
# (packer, kiln, packer, kiln, ...); prints the median wall time (bash's
# EPOCHREALTIME around the process, in ms) and the median peak RSS (/usr/bin/time %M) of
# each, the median user+sys CPU time, and the ratios. Both must accept the template. Never asserted in a
# test; build kiln with -DCMAKE_BUILD_TYPE=RelWithDebInfo to measure.
set -euo pipefail
KILN=$(realpath "${1:?usage: validate.sh KILN [PACKER]}")
PACKER=${2:-packer}
RUNS=${RUNS:-11}
N=${N:-40}
here=$(cd "$(dirname "$0")" && pwd)
export CHECKPOINT_DISABLE=1  # no update check over the network by Packer
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
command -v "$PACKER" >/dev/null || apt-get install -y -qq packer >/dev/null
"$PACKER" version | grep -q '1\.6\.6' || { echo "validate.sh: $PACKER is not Packer 1.6.6" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# The seed reads ~/.ssh/hetzner-nixos.pub and HCLOUD_TOKEN; the file
# provisioner needs its script to exist.
export HOME=$work/home HCLOUD_TOKEN=bench-token-0123456789abcdef0123456789abcdef
mkdir -p "$HOME/.ssh"
echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchKeyBenchKeyBenchKeyBenchKey bench@kiln" >"$HOME/.ssh/hetzner-nixos.pub"
printf '#!/bin/sh\necho install\n' >setup-nixos.sh
cp "$here/templates/nixos-hetzner-1.6.6.pkr.hcl" seed.pkr.hcl
"$here/templates/gen-large.sh" "$N" >large.pkr.hcl

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
one() {  # one TOOL FILE: appends "ms kb" of one run to $work/TOOL.FILE
  local tool=$1 file=$2 bin t0 t1
  if [ "$tool" = kiln ]; then bin=$KILN; else bin=$PACKER; fi
  t0=${EPOCHREALTIME/./}
  "$bin" validate "$file" >/dev/null 2>&1 || { echo "validate.sh: $tool validate $file failed" >&2; exit 1; }
  t1=${EPOCHREALTIME/./}
  /usr/bin/time -f "%U %S %M" -o "$work/rss" "$bin" validate "$file" >/dev/null 2>&1
  read -r user sys kb <"$work/rss"
  echo "$((t1 - t0)) $kb $(awk -v u="$user" -v s="$sys" 'BEGIN {print (u + s) * 1000}')" >>"$work/$tool.$file"
}
printf '%-24s %10s %10s %9s %9s %10s %10s %8s %8s\n' template packer-ms kiln-ms pk-cpu-ms kl-cpu-ms packer-MiB kiln-MiB speed-up memory
for file in seed.pkr.hcl large.pkr.hcl; do
  for _ in $(seq "$RUNS"); do
    one packer "$file"
    one kiln "$file"
  done
  pm=$(cut -d' ' -f1 "packer.$file" | median) km=$(cut -d' ' -f1 "kiln.$file" | median)
  pr=$(cut -d' ' -f2 "packer.$file" | median) kr=$(cut -d' ' -f2 "kiln.$file" | median)
  pc=$(cut -d' ' -f3 "packer.$file" | median) kc=$(cut -d' ' -f3 "kiln.$file" | median)
  awk -v f="$file ($(stat -c %s "$file") B)" -v pm="$pm" -v km="$km" -v pr="$pr" -v kr="$kr" \
    -v pc="$pc" -v kc="$kc" 'BEGIN {
    printf "%-24s %10.2f %10.2f %9.0f %9.0f %10.1f %10.1f %7.0fx %7.1fx\n", f, pm / 1000, km / 1000, pc, kc,
      pr / 1024, kr / 1024, pm / km, pr / kr
  }'
done
echo "(medians of $RUNS alternating runs; cpu = user+sys from /usr/bin/time, 10 ms resolution;"
echo " speed-up = packer/kiln wall time, memory = packer/kiln peak RSS; load: $(cut -d' ' -f1-3 /proc/loadavg))"
