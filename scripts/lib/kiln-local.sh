# shellcheck shell=bash
# Sourced by scripts, tests and benchmarks that need a `kiln local` of their
# own: start_kiln_local KILN STATE_DIR TOKEN [ARGS...] starts it in the
# background on a free loopback port and waits until it prints its
# endpoint; it sets KILN_LOCAL_PID and KILN_LOCAL_ENDPOINT, and returns 1
# (after printing its stderr) when it does not start. stop_kiln_local
# stops it by its PID (SIGTERM: its servers stop and nothing is left).
start_kiln_local() {
  local kiln=$1 state=$2 token=$3
  shift 3
  mkdir -p "$state"
  "$kiln" local --listen 127.0.0.1:0 --state "$state" --token "$token" "$@" \
    >"$state.out" 2>"$state.err" &
  KILN_LOCAL_PID=$!
  KILN_LOCAL_ENDPOINT=""
  for _ in $(seq 1 200); do
    KILN_LOCAL_ENDPOINT=$(sed -n 's/^export HCLOUD_ENDPOINT=//p' "$state.out")
    [ -n "$KILN_LOCAL_ENDPOINT" ] && return 0
    kill -0 "$KILN_LOCAL_PID" 2>/dev/null || break
    sleep 0.05
  done
  cat "$state.err" >&2
  return 1
}

stop_kiln_local() {
  if [ -n "${KILN_LOCAL_PID:-}" ]; then
    kill -TERM "$KILN_LOCAL_PID" 2>/dev/null
    wait "$KILN_LOCAL_PID" 2>/dev/null
    KILN_LOCAL_PID=""
  fi
  return 0
}
