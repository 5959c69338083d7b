// Debian trees for the image cache: debootstrap from the host's mirror,
// apt inside the tree for what debootstrap cannot resolve, and the clean-up
// that makes each server made from a tree its own first boot.
#include <fstream>
#include <sstream>

#include "local/image_build.h"
#include "local/image_run.h"

namespace kiln::local::image {
namespace {

std::vector<std::string> split_ws(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool has_word(const std::string& list, const std::string& word) {
  for (const auto& w : split_ws(list)) {
    if (w == word) return true;
  }
  return false;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// One deb822 stanza's fields (keys lower-cased, continuation lines joined).
std::string mirror_from_deb822(const std::string& text) {
  std::istringstream in(text + "\n\n");
  std::string types, uris, suites, key;
  bool enabled = true;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] == '#') continue;
    if (trim(line).empty()) {
      if (enabled && has_word(types, "deb") && has_word(suites, "bookworm")) {
        auto u = split_ws(uris);
        if (!u.empty()) return u.front();
      }
      types = uris = suites = key = "";
      enabled = true;
      continue;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      if (key == "uris") uris += " " + trim(line);
      if (key == "suites") suites += " " + trim(line);
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    key = trim(line.substr(0, colon));
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = trim(line.substr(colon + 1));
    if (key == "types") types = value;
    if (key == "uris") uris = value;
    if (key == "suites") suites = value;
    if (key == "enabled") enabled = value != "no";
  }
  return "";
}

std::string mirror_from_one_line(const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto words = split_ws(line);
    if (words.size() < 3 || words[0] != "deb") continue;
    size_t i = 1;
    // [arch=amd64 signed-by=...] options, possibly spread over words.
    if (words[i].front() == '[') {
      while (i < words.size() && words[i].back() != ']') ++i;
      ++i;
    }
    if (i + 1 < words.size() && words[i + 1] == "bookworm") return words[i];
  }
  return "";
}

}  // namespace

std::string debian_mirror_from_sources(const std::vector<std::string>& texts) {
  for (const auto& text : texts) {
    std::string m = text.find("URIs:") != std::string::npos ? mirror_from_deb822(text)
                                                            : mirror_from_one_line(text);
    if (!m.empty()) {
      while (m.size() > 1 && m.back() == '/') m.pop_back();
      return m;
    }
  }
  return "";
}

std::vector<std::string> system_packages() {
  // What a Hetzner debian-12 server offers a provisioner: SSH with SFTP,
  // apt over HTTPS, python3 for Ansible, the usual shell tools.
  return {"openssh-server",
          "openssh-sftp-server",
          "ca-certificates",
          "curl",
          "wget",
          "iproute2",
          "iputils-ping",
          "netbase",
          "procps",
          "less",
          "vim-tiny",
          "sudo",
          "python3",
          "kmod",
          "fdisk",
          "gpg"};
}

std::vector<std::string> rescue_packages() {
  // Hetzner's rescue system, as far as scripts use it (see
  // reference/nixos-hetzner.md): disk tools, archive tools, downloaders.
  return {"openssh-server",
          "openssh-sftp-server",
          "parted",
          "gdisk",
          "fdisk",
          "e2fsprogs",
          "dosfstools",
          "mtools",
          "xfsprogs",
          "btrfs-progs",
          "squashfs-tools",
          "libarchive-tools",
          "wget",
          "curl",
          "ca-certificates",
          "xz-utils",
          "zstd",
          "bzip2",
          "gzip",
          "unzip",
          "util-linux",
          "kmod",
          "iproute2",
          "iputils-ping",
          "netbase",
          "procps",
          "psmisc",
          "less",
          "vim-tiny",
          "rsync",
          "cloud-guest-utils"};
}

std::vector<std::string> rescue_apt_packages(Arch arch) {
  if (arch == Arch::amd64) return {"fuse3", "fusefat", "fuseiso"};
  // See install_foreign_fusefat: on an amd64 host both come from amd64.
  if (host_arch() == Arch::amd64) return {"fuse3"};
  return {"fuse3", "fuseiso"};
}

bool install_foreign_fusefat(Arch arch, const std::filesystem::path& root, std::string* error) {
  if (arch == Arch::amd64 || host_arch() != Arch::amd64) return true;
  // fusefat and the closure of its libraries, as Debian 12 amd64 has them.
  const std::vector<std::string> debs = {"fusefat",     "fuseiso",   "libfuse2",  "libglib2.0-0",
                                         "libffi8",     "libmount1", "libblkid1", "libpcre2-8-0",
                                         "libselinux1", "zlib1g",    "libc6",     "libgcc-s1"};
  std::filesystem::path dl = root.parent_path() / "amd64-debs";
  std::error_code ec;
  std::filesystem::create_directories(dl, ec);
  // Downloaded inside the tree (its mirror, its apt) with amd64 enabled only
  // for the download; nothing is installed through dpkg.
  const char* script =
      "set -e; root=$1; dl=$2; shift 2\n"
      "chroot \"$root\" dpkg --add-architecture amd64\n"
      "chroot \"$root\" apt-get update -q\n"
      "mkdir -p \"$root/tmp/amd64-debs\"\n"
      "chroot \"$root\" sh -c 'cd /tmp/amd64-debs && apt-get download \"$@\"' sh \"$@\"\n"
      "mv \"$root\"/tmp/amd64-debs/*.deb \"$dl\"/\n"
      "rmdir \"$root/tmp/amd64-debs\"\n"
      "chroot \"$root\" dpkg --remove-architecture amd64\n"
      "chroot \"$root\" apt-get update -q\n";
  std::vector<std::string> download = {"sh", "-c", script, "sh", root.string(), dl.string()};
  for (const auto& d : debs) download.push_back(d + ":amd64");
  if (!run_ok(download, error)) return false;
  std::filesystem::path dest = root / "usr/lib/kiln-amd64";
  for (const auto& e : std::filesystem::directory_iterator(dl, ec)) {
    if (!run_ok({"dpkg-deb", "-x", e.path().string(), dest.string()}, error)) return false;
  }
  std::filesystem::remove_all(dl, ec);
  for (const char* tool : {"fusefat", "fuseiso"}) {
    std::filesystem::path wrapper = root / "usr/bin" / tool;
    std::ofstream out(wrapper, std::ios::trunc);
    out << "#!/bin/sh\n"
           "# kiln local: the amd64 "
        << tool
        << ", run natively on the amd64 host through\n"
           "# its own loader and libraries (see install_foreign_fusefat).\n"
           "d=/usr/lib/kiln-amd64\n"
           "exec $d/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 --library-path "
           "$d/lib/x86_64-linux-gnu:$d/usr/lib/x86_64-linux-gnu $d/usr/bin/"
        << tool << " \"$@\"\n";
    out.close();
    if (!out) {
      *error = "cannot write " + wrapper.string();
      return false;
    }
    std::filesystem::permissions(wrapper, std::filesystem::perms(0755),
                                 std::filesystem::perm_options::replace);
  }
  return true;
}

bool debootstrap(Arch arch, const std::string& mirror, const std::vector<std::string>& include,
                 const std::filesystem::path& target, const std::filesystem::path& deb_cache,
                 std::string* error) {
  bool foreign = arch != host_arch();
  if (foreign && !ensure_arm64_emulation(error)) return false;
  std::error_code ec;
  std::filesystem::create_directories(deb_cache, ec);
  // A private mount namespace: debootstrap mounts /proc and /sys inside the
  // target and would leave them mounted if it were killed.
  std::vector<std::string> argv = {"unshare",
                                   "--mount",
                                   "--propagation",
                                   "private",
                                   "debootstrap",
                                   "--variant=minbase",
                                   std::string("--arch=") + arch_name(arch),
                                   "--cache-dir=" + std::filesystem::absolute(deb_cache).string(),
                                   "--include=" + join(include, ",")};
  if (foreign) argv.push_back("--foreign");
  argv.insert(argv.end(), {"bookworm", target.string(), mirror});
  if (!run_ok(argv, error)) return false;
  if (foreign) {
    // The F flag of the binfmt registration lets the kernel run arm64
    // binaries inside the chroot without a qemu copy in the tree.
    if (!run_ok({"unshare", "--mount", "--propagation", "private", "chroot", target.string(),
                 "/debootstrap/debootstrap", "--second-stage"},
                error)) {
      return false;
    }
  }
  return true;
}

bool apt_install(const std::filesystem::path& root, const std::vector<std::string>& packages,
                 std::string* error) {
  std::filesystem::path policy = root / "usr/sbin/policy-rc.d";
  {
    std::ofstream out(policy, std::ios::trunc);
    out << "#!/bin/sh\n# kiln: no services start while the image is built.\nexit 101\n";
  }
  std::filesystem::permissions(policy, std::filesystem::perms(0755),
                               std::filesystem::perm_options::replace);
  std::vector<std::string> argv = {"unshare",
                                   "--mount",
                                   "--propagation",
                                   "private",
                                   "--mount-proc=" + (root / "proc").string(),
                                   "chroot",
                                   root.string(),
                                   "apt-get",
                                   "install",
                                   "-y",
                                   "-q",
                                   "--no-install-recommends"};
  argv.insert(argv.end(), packages.begin(), packages.end());
  bool ok = run_ok({"unshare", "--mount", "--propagation", "private",
                    "--mount-proc=" + (root / "proc").string(), "chroot", root.string(), "apt-get",
                    "update", "-q"},
                   error) &&
            run_ok(argv, error, {"DEBIAN_FRONTEND=noninteractive"});
  std::error_code ec;
  std::filesystem::remove(policy, ec);
  return ok;
}

bool make_first_boot(const std::filesystem::path& root, std::string* error) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root / "etc/ssh", ec)) {
    if (entry.path().filename().string().rfind("ssh_host_", 0) == 0) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
  // An empty machine-id means "first boot" to systemd; dbus keeps a copy.
  if (std::filesystem::exists(root / "etc/machine-id")) {
    std::ofstream(root / "etc/machine-id", std::ios::trunc);
  }
  std::filesystem::remove(root / "var/lib/dbus/machine-id", ec);
  {
    std::ofstream out(root / "etc/hostname", std::ios::trunc);
    out << "localhost\n";
  }
  // apt's downloads and lists: hundreds of MB that a server fetches again
  // with apt-get update, as on the real cloud.
  for (const char* dir : {"var/cache/apt/archives", "var/lib/apt/lists", "var/cache/apt"}) {
    for (const auto& entry : std::filesystem::directory_iterator(root / dir, ec)) {
      if (entry.is_regular_file()) std::filesystem::remove(entry.path(), ec);
    }
  }
  if (std::filesystem::exists(root / "etc/ssh/ssh_host_rsa_key")) {
    *error = "cannot remove the SSH host keys of " + root.string();
    return false;
  }
  return true;
}

}  // namespace kiln::local::image
