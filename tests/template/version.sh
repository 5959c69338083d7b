# kiln version: Packer's shape, "Packer v<compatible version> (kiln <version>)".
source "$(dirname "$0")/lib.sh"
check version 0 "Packer v1.16.0 (kiln 0.1.0)" "$KILN" version
check version-flag 0 "Packer v1.16.0 (kiln 0.1.0)" "$KILN" --version
got=$("$KILN" version -machine-readable | cut -d, -f2-)
want=",version,1.16.0
,version-prelease,
,version-commit,kiln-0.1.0
,ui,say,Packer v1.16.0 (kiln 0.1.0)"
if [ "$got" = "$want" ]; then echo "PASS version-machine-readable"; else
  echo "FAIL version-machine-readable"; printf '%s\n' "$got" | sed 's/^/    /'; fi
