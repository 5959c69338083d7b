#!/usr/bin/env bash
# Installs what kiln needs to build and test, with apt-get only.
# Quick when everything is already there: dpkg-query decides, apt runs only
# for what is missing.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libre2-dev libfmt-dev libcli11-dev libmpfr-dev libgmp-dev libutf8proc-dev
  golang-go golang-github-hashicorp-hcl-v2-dev
  libssl-dev nettle-dev zlib1g-dev libyaml-cpp-dev libcrypt-dev libcurl4-openssl-dev
  libssh-dev openssh-server openssh-client
  libcpp-httplib-dev libsqlite3-dev hcloud-cli jq curl
  packer time
  nix-bin shellcheck
  libfuse3-dev libblkid-dev fuse3 parted
  libcap-dev
  debootstrap qemu-user-static fdisk dosfstools
  qemu-utils
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
