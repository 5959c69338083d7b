#!/usr/bin/env bash
# kiln upload's streaming path against `ssh host 'zstd -dc | dd ...'` by hand
# with OpenSSH, on the same throwaway sshd on 127.0.0.1 (started and stopped
# by the bench binary), writing to a file. Default: a 2 GiB image holding
# 1 GiB of random data. Usage: bench/upload.sh [build-dir] [GiB-of-data]
set -euo pipefail
BUILD=${1:-build}
GIB=${2:-1}
cd "$(dirname "$0")/.."
cmake --build "$BUILD" --target upload_bench >/dev/null
"$BUILD/src/upload/upload_bench" "$GIB"
