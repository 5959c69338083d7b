// The rescue system's mount helpers. This kernel has neither vfat nor
// iso9660, but mount(8) runs /sbin/mount.TYPE when it exists, both for
// `mount -t vfat` and when it detected the type itself (libblkid needs no
// kernel support), so FUSE programs from Debian stand in: fusefat (read-write
// with its experimental rw+ mode) and fuseiso (read-only, Rock Ridge and
// Joliet). mount(8) calls: mount.TYPE SPEC DIR [-sfnvrw] [-N NS] [-o OPTS]
// [-t TYPE]; with -o loop it passes the file itself and "loop" among the
// options, and FUSE reads the file directly, so no loop device is needed.
#include <sys/stat.h>

#include <fstream>

#include "local/image_build.h"

namespace kiln::local::image {
namespace {

// Shared option parsing. Options that only mean something to the kernel's
// own driver or to mount(8) are dropped, since FUSE rejects unknown ones;
// uid=, gid=, umask= and the generic flags are FUSE's too.
constexpr const char* kHelperCommon = R"sh(
spec=$1
dir=$2
shift 2 || { echo "usage: $0 SPEC DIR [-o OPTIONS]" >&2; exit 1; }
opts=""
ro=0
while [ $# -gt 0 ]; do
  case "$1" in
    -o) opts="$2"; shift 2 ;;
    -o*) opts="${1#-o}"; shift ;;
    -t|-N) shift 2 ;;
    -r) ro=1; shift ;;
    *) shift ;;
  esac
done
fuse_opts=""
IFS=,
for o in $opts; do
  case "$o" in
    ro) ro=1 ;;
    rw|defaults|auto|noauto|user|users|nouser|owner|group|nofail|_netdev|loop|loop=*|\
offset=*|sizelimit=*|x-*|comment=*|codepage=*|iocharset=*|shortname=*|utf8|utf8=*|errors=*|\
fmask=*|dmask=*|flush|quiet|tz=*|time_offset=*|check=*|showexec|sys_immutable|discard|\
nfs=*|dos1xfloppy|allow_utime=*|map=*|norock|nojoliet|session=*|sbsector=*|unhide|cruft|\
mode=*|dmode=*|block=*|conv=*|hide|overriderockperm|context=*|fscontext=*|rootcontext=*|\
defcontext=*|X-*|"") ;;
    *) fuse_opts="${fuse_opts:+$fuse_opts,}$o" ;;
  esac
done
unset IFS
if [ ! -e "$spec" ]; then
  echo "$0: $spec: no such file or device" >&2
  exit 32
fi
)sh";

void write_script(const std::filesystem::path& path, const std::string& text, std::string* error,
                  bool* ok) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    *error = "cannot write " + path.string();
    *ok = false;
    return;
  }
  std::filesystem::permissions(path, std::filesystem::perms(0755),
                               std::filesystem::perm_options::replace);
}

}  // namespace

std::string vfat_mount_helper() {
  return std::string(
             "#!/bin/sh\n"
             "# mount.vfat from kiln local: this kernel has no vfat driver, so FAT\n"
             "# filesystems mount through FUSE (fusefat; read-write with rw+).\n") +
         kHelperCommon + R"sh(
if ! command -v fusefat >/dev/null; then
  echo "$0: no FUSE driver for FAT here (Debian 12 has no fusefat for arm64 hosts)" >&2
  exit 32
fi
if [ "$ro" = 1 ]; then mode=ro; else mode=rw+; fi
# fusefat talks a lot on stderr even when it works: show it only on failure.
log=$(mktemp)
if fusefat -o "$mode,fsname=$spec,subtype=vfat${fuse_opts:+,$fuse_opts}" "$spec" "$dir" 2>"$log"; then
  rm -f "$log"
  exit 0
fi
echo "$0: fusefat could not mount $spec:" >&2
tail -n 3 "$log" >&2
rm -f "$log"
exit 32
)sh";
}

std::string iso9660_mount_helper() {
  return std::string(
             "#!/bin/sh\n"
             "# mount.iso9660 from kiln local: this kernel has no iso9660 driver, so\n"
             "# ISO images mount read-only through FUSE (fuseiso).\n") +
         kHelperCommon + R"sh(
exec fuseiso -n "$spec" "$dir" -o "ro,fsname=$spec,subtype=iso9660${fuse_opts:+,$fuse_opts}"
)sh";
}

bool install_mount_helpers(const std::filesystem::path& root, std::string* error) {
  bool ok = true;
  // /sbin is a symlink to usr/sbin in bookworm (merged /usr): write there.
  std::filesystem::path sbin = root / "usr/sbin";
  std::error_code ec;
  std::filesystem::create_directories(sbin, ec);
  write_script(sbin / "mount.vfat", vfat_mount_helper(), error, &ok);
  write_script(sbin / "mount.iso9660", iso9660_mount_helper(), error, &ok);
  // No udev runs in a sandbox and none is needed: kiln local's /dev answers
  // from the kernel at each lookup, so it is always settled. Tools such as
  // parted call `udevadm settle`; this stands in for it.
  if (!std::filesystem::exists(root / "usr/bin/udevadm"))
    write_script(root / "usr/bin/udevadm",
                 "#!/bin/sh\n"
                 "# udevadm from kiln local: /dev is always settled here (no udev).\n"
                 "case \"$1\" in settle|trigger|control) exit 0 ;; esac\n"
                 "echo \"udevadm $1: not available in kiln local's rescue system\" >&2\n"
                 "exit 1\n",
                 error, &ok);
  if (!ok) return false;
  for (const char* alias : {"mount.fat", "mount.msdos"}) {
    std::filesystem::remove(sbin / alias, ec);
    std::filesystem::create_symlink("mount.vfat", sbin / alias, ec);
    if (ec) {
      *error = "cannot link " + (sbin / alias).string() + ": " + ec.message();
      return false;
    }
  }
  return true;
}

}  // namespace kiln::local::image
