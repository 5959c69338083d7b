// Architectures and the arm64 emulation (qemu-user-static through
// binfmt_misc) that lets arm64 servers run on an amd64 host.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "local/image_cache.h"

namespace kiln::local {
namespace {

constexpr const char* kBinfmtDir = "/proc/sys/fs/binfmt_misc";
constexpr const char* kEntry = "/proc/sys/fs/binfmt_misc/qemu-aarch64";
// Debian's qemu-user-static names its interpreters *-binfmt-P so that qemu
// knows argv[0] is preserved (the P flag). The magic and mask are Debian's
// /usr/share/binfmts/qemu-aarch64.
constexpr const char* kInterpreter = "/usr/libexec/qemu-binfmt/aarch64-binfmt-P";
constexpr const char* kRegistration =
    ":qemu-aarch64:M::"
    "\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00"
    "\\xb7\\x00:"
    "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff"
    "\\xff\\xff:"
    "/usr/libexec/qemu-binfmt/aarch64-binfmt-P:PF";

std::string slurp(const char* path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

const char* arch_name(Arch arch) {
  return arch == Arch::arm64 ? "arm64" : "amd64";
}

std::optional<Arch> parse_arch(const std::string& name) {
  if (name == "x86" || name == "amd64" || name == "x86_64") return Arch::amd64;
  if (name == "arm" || name == "arm64" || name == "aarch64") return Arch::arm64;
  return std::nullopt;
}

Arch host_arch() {
  utsname u{};
  uname(&u);
  return std::strcmp(u.machine, "aarch64") == 0 ? Arch::arm64 : Arch::amd64;
}

bool ensure_arm64_emulation(std::string* error) {
  if (host_arch() == Arch::arm64) return true;
  if (access(kInterpreter, X_OK) != 0) {
    *error = std::string(kInterpreter) +
             " is missing: arm64 servers need Debian's qemu-user-static (apt-get install "
             "qemu-user-static)";
    return false;
  }
  if (access((std::string(kBinfmtDir) + "/register").c_str(), F_OK) != 0 &&
      mount("binfmt_misc", kBinfmtDir, "binfmt_misc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) !=
          0) {
    *error = std::string("cannot mount binfmt_misc on ") + kBinfmtDir + ": " + std::strerror(errno);
    return false;
  }
  if (access(kEntry, F_OK) == 0) {
    std::string entry = slurp(kEntry);
    if (entry.rfind("enabled", 0) != 0) {
      *error =
          std::string(kEntry) + " is registered but disabled; enable it with: echo 1 > " + kEntry;
      return false;
    }
    // Without F the kernel opens the interpreter by path at exec time, which
    // fails inside a sandbox root that holds no qemu of its own.
    auto flags = entry.find("\nflags: ");
    if (flags == std::string::npos ||
        entry.substr(flags + 8, entry.find('\n', flags + 8) - flags - 8).find('F') ==
            std::string::npos) {
      *error = std::string(kEntry) +
               " is registered without the F (fix-binary) flag, so arm64 programs cannot run "
               "inside a server's root; remove it (echo -1 > " +
               kEntry + ") and kiln registers it with F";
      return false;
    }
    return true;
  }
  int fd = open((std::string(kBinfmtDir) + "/register").c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = std::string("cannot open ") + kBinfmtDir + "/register: " + std::strerror(errno);
    return false;
  }
  ssize_t len = static_cast<ssize_t>(std::strlen(kRegistration));
  ssize_t n = write(fd, kRegistration, static_cast<size_t>(len));
  int saved = errno;
  close(fd);
  // EEXIST: another process registered it between our check and write.
  if (n != len && !(n < 0 && saved == EEXIST)) {
    *error = std::string("cannot register qemu-aarch64 with binfmt_misc: ") + std::strerror(saved);
    return false;
  }
  return true;
}

}  // namespace kiln::local
