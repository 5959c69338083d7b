#!/usr/bin/env bash
# phase.sh NAME CMD...: runs CMD and prints how long the phase took.
name=$1; shift
start=$(date +%s)
echo "==> phase $name"
"$@"
rc=$?
end=$(date +%s)
echo "==> phase $name: $((end - start))s (exit $rc)"
exit $rc
