#!/usr/bin/env bash
# SSH communicator benchmark: kiln's libssh communicator vs OpenSSH ssh/scp
# against the same throwaway sshd on 127.0.0.1 (started and stopped by the
# bench binary). Usage: bench/ssh.sh [build-dir] [runs] [MB]
set -euo pipefail
BUILD=${1:-build}
RUNS=${2:-50}
MB=${3:-100}
cd "$(dirname "$0")/.."
cmake --build "$BUILD" --target ssh_bench >/dev/null
"$BUILD/src/ssh/ssh_bench" --runs "$RUNS" --mb "$MB"
