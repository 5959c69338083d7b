// The image cache: each item is built once into a temporary sibling and
// renamed into place, under one flock per cache directory, so that
// concurrent kiln local processes and tests share one build.
#include "local/image_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "local/image_build.h"

namespace kiln::local {
namespace {

// 5 GiB, the disk_size Hetzner gives its system images; sparse, so it costs
// only what the tree holds.
constexpr uint64_t kSystemImageSize = 5ull << 30;

std::string system_item(const std::string& name, Arch arch) {
  return name + "-" + arch_name(arch) + ".raw";
}

// Bumped when what a build puts into the tree changes (the mount helpers),
// so that caches built by an older kiln are not used with stale contents.
constexpr int kRescueRevision = 4;

std::string rescue_item(Arch arch) {
  return std::string("rescue-") + arch_name(arch) + ".r" + std::to_string(kRescueRevision);
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Holds an flock for its lifetime; the kernel drops it if the process dies.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path) {
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      error_ = "cannot open " + path.string() + ": " + std::strerror(errno);
      return;
    }
    while (flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      error_ = "cannot lock " + path.string() + ": " + std::strerror(errno);
      close(fd_);
      fd_ = -1;
      return;
    }
  }
  ~FileLock() {
    if (fd_ >= 0) close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool ok() const { return fd_ >= 0; }
  const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  std::string error_;
};

}  // namespace

std::string host_debian_mirror() {
  std::vector<std::string> texts;
  texts.push_back(slurp("/etc/apt/sources.list"));
  std::error_code ec;
  std::vector<std::filesystem::path> parts;
  for (const auto& e : std::filesystem::directory_iterator("/etc/apt/sources.list.d", ec)) {
    auto ext = e.path().extension();
    if (ext == ".list" || ext == ".sources") parts.push_back(e.path());
  }
  std::sort(parts.begin(), parts.end());
  for (const auto& p : parts) texts.push_back(slurp(p));
  std::string m = image::debian_mirror_from_sources(texts);
  return m.empty() ? "http://deb.debian.org/debian" : m;
}

ImageCache::ImageCache(std::filesystem::path dir, std::string mirror)
    : dir_(std::move(dir)), mirror_(std::move(mirror)) {
  if (mirror_.empty()) mirror_ = host_debian_mirror();
}

std::vector<std::string> ImageCache::system_image_names() {
  return {"debian-12"};
}

bool ImageCache::has_system_image(const std::string& name, Arch arch) const {
  return std::filesystem::exists(dir_ / system_item(name, arch));
}

bool ImageCache::has_rescue_rootfs(Arch arch) const {
  return std::filesystem::exists(dir_ / rescue_item(arch));
}

std::optional<std::filesystem::path> ImageCache::build_once(
    const std::string& name,
    const std::function<bool(const std::filesystem::path&, std::string*)>& build,
    std::string* error) {
  std::filesystem::path final_path = dir_ / name;
  if (std::filesystem::exists(final_path)) return final_path;
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    *error = "cannot create the image cache " + dir_.string() + ": " + ec.message();
    return std::nullopt;
  }
  // One lock for all builds: they share the .deb cache, and one build at a
  // time is kinder to a small machine than two.
  FileLock lock(dir_ / ".build.lock");
  if (!lock.ok()) {
    *error = lock.error();
    return std::nullopt;
  }
  if (std::filesystem::exists(final_path)) return final_path;  // built while we waited
  // Whatever a killed build left, of any item: builds of this cache run
  // only under this lock, and mount only in private namespaces, so these
  // are plain files.
  std::string tmp_prefix = ".tmp-" + name + "-";
  for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
    if (e.path().filename().string().rfind(".tmp-", 0) == 0) {
      std::filesystem::remove_all(e.path(), ec);
    }
  }
  std::filesystem::path tmp = dir_ / (tmp_prefix + std::to_string(getpid()));
  std::filesystem::create_directories(tmp, ec);
  if (ec) {
    *error = "cannot create " + tmp.string() + ": " + ec.message();
    return std::nullopt;
  }
  if (log_) log_("building " + name + " in " + dir_.string() + " (first use; takes minutes)");
  auto start = std::chrono::steady_clock::now();
  std::string build_error;
  bool ok = build(tmp, &build_error);
  if (ok) {
    std::filesystem::rename(tmp / "out", final_path, ec);
    if (ec) {
      ok = false;
      build_error = "cannot move the built " + name + " into place: " + ec.message();
    }
  }
  std::filesystem::remove_all(tmp, ec);
  if (!ok) {
    *error = "building " + name + ": " + build_error;
    if (log_) log_(*error);
    return std::nullopt;
  }
  if (log_) {
    auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
            .count();
    log_("built " + name + " in " + std::to_string(secs) + " s");
  }
  return final_path;
}

std::optional<std::filesystem::path> ImageCache::system_image(const std::string& name, Arch arch,
                                                              std::string* error) {
  if (name != "debian-12") {
    *error = "no system image named \"" + name + "\" (kiln local offers: debian-12)";
    return std::nullopt;
  }
  return build_once(
      system_item(name, arch),
      [&](const std::filesystem::path& tmp, std::string* err) {
        std::filesystem::path root = tmp / "root";
        return image::debootstrap(arch, mirror_, image::system_packages(), root, dir_ / "debs",
                                  err) &&
               image::make_first_boot(root, err) &&
               image::make_disk_image(root, tmp / "out", kSystemImageSize, err);
      },
      error);
}

std::optional<std::filesystem::path> ImageCache::rescue_rootfs(Arch arch, std::string* error) {
  return build_once(
      rescue_item(arch),
      [&](const std::filesystem::path& tmp, std::string* err) {
        std::filesystem::path root = tmp / "out";
        return image::debootstrap(arch, mirror_, image::rescue_packages(), root, dir_ / "debs",
                                  err) &&
               image::apt_install(root, image::rescue_apt_packages(arch), err) &&
               image::install_foreign_fusefat(arch, root, err) &&
               image::install_mount_helpers(root, err) && image::make_first_boot(root, err);
      },
      error);
}

}  // namespace kiln::local
