# kiln and kiln-cloud (docs/architecture.md): the template commands run in
# kiln itself, which is statically linked; the cloud commands are handed to
# kiln-cloud next to it (same process, same argv), found through KILN_CLOUD
# when it is elsewhere, and a missing kiln-cloud is a clear error.
source "$(dirname "$0")/lib.sh"
bin=$(dirname "$KILN")
deps=$(ldd "$KILN" 2>&1)
case "$deps" in
  *"not a dynamic executable"*) echo "PASS kiln-static" ;;
  *) echo "FAIL kiln-static: $deps" ;;
esac
# The cloud commands answer through kiln-cloud: build's own usage text.
check_contains build-help 0 "Usage: kiln build [options] TEMPLATE" "$KILN" build -h
# Alone, kiln cannot run them, and says what it looked for.
mkdir -p alone && cp "$KILN" alone/kiln
"$work/alone/kiln" build -h >out 2>err
rc=$?
if [ "$rc" = 1 ] && grep -q "kiln: cannot run .*alone/kiln-cloud, which carries the build, local, upload and cleanup commands" err; then
  echo "PASS cloud-missing"; else echo "FAIL cloud-missing (rc $rc)"; sed 's/^/    /' err; fi
# KILN_CLOUD names it explicitly; the FHS layout ../libexec/kiln/ is found.
check_contains cloud-env 0 "Usage: kiln build [options] TEMPLATE" \
  env KILN_CLOUD="$bin/kiln-cloud" "$work/alone/kiln" build -h
mkdir -p fhs/bin fhs/libexec/kiln && cp "$KILN" fhs/bin/kiln && ln -s "$bin/kiln-cloud" fhs/libexec/kiln/kiln-cloud
check_contains cloud-libexec 0 "Usage: kiln build [options] TEMPLATE" "$work/fhs/bin/kiln" build -h
# kiln-cloud itself refuses the template commands.
"$bin/kiln-cloud" validate x.pkr.hcl >out 2>err
rc=$?
if [ "$rc" = 127 ] && grep -q "use kiln" err; then echo "PASS cloud-only"; else
  echo "FAIL cloud-only (rc $rc)"; fi
# Without $HOME, pathexpand finds the home directory as go-homedir does
# (getent passwd), not through NSS, which the static kiln cannot load.
home=$(getent passwd "$(id -u)" | cut -d: -f6)
STDIN='pathexpand("~/x")' check pathexpand-no-home 0 "$home/x" env -u HOME "$KILN" console
