#!/usr/bin/env bash
# Builds HashiCorp's hcldec and hclspecsuite from Debian's
# golang-github-hashicorp-hcl-v2-dev (GOPATH mode, offline) into OUT
# (default build/go). They are the oracles of the HCL conformance tests;
# nothing of them is committed.
set -euo pipefail
OUT=${1:-build/go}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SRC=/usr/share/gocode/src/github.com/hashicorp/hcl/v2
if [ ! -d "$SRC" ]; then
  echo "build-go-tools: $SRC is missing (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
export GOPATH="$OUT/gopath:/usr/share/gocode" GO111MODULE=off GOCACHE="$OUT/cache" GOFLAGS= GOPROXY=off
for tool in hcldec hclspecsuite hclfmt; do
  if [ ! -x "$OUT/$tool" ] || [ "$SRC/cmd/$tool/main.go" -nt "$OUT/$tool" ]; then
    go build -o "$OUT/$tool" "github.com/hashicorp/hcl/v2/cmd/$tool"
  fi
done
