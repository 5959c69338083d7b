#include "upload/raw_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace upload {

namespace {
constexpr std::size_t kPiece = 4u << 20;
}  // namespace

std::unique_ptr<RawReader> RawReader::open(const std::string& path, std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = path + ": cannot open: " + std::strerror(errno);
    return nullptr;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    *error = path + ": not a regular file";
    ::close(fd);
    return nullptr;
  }
  std::unique_ptr<RawReader> r(new RawReader());
  r->fd_ = fd;
  r->path_ = path;
  r->size_ = static_cast<std::uint64_t>(st.st_size);
  r->buf_.resize(kPiece);
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return r;
}

RawReader::~RawReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawReader::next(Extent* out, std::string* error) {
  if (pos_ >= size_) return false;
  // Holes the file system knows about cost nothing to skip.
  off_t data = lseek(fd_, static_cast<off_t>(pos_), SEEK_DATA);
  if (data < 0 && errno == ENXIO) data = static_cast<off_t>(size_);  // a hole up to the end
  if (data >= 0 && static_cast<std::uint64_t>(data) > pos_) {
    *out = Extent{pos_, static_cast<std::uint64_t>(data) - pos_, true, {}};
    pos_ = static_cast<std::uint64_t>(data);
    return true;
  }
  off_t hole = lseek(fd_, static_cast<off_t>(pos_), SEEK_HOLE);
  std::uint64_t end = hole > 0 ? static_cast<std::uint64_t>(hole) : size_;
  std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, end - pos_));
  std::size_t got = 0;
  while (got < want) {
    ssize_t n = pread(fd_, buf_.data() + got, want - got, static_cast<off_t>(pos_ + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = path_ + ": read failed at offset " + std::to_string(pos_ + got) + ": " +
               (n < 0 ? std::strerror(errno) : "unexpected end of file");
      return false;
    }
    got += static_cast<std::size_t>(n);
  }
  *out = Extent{pos_, want, false, std::string_view(buf_.data(), want)};
  pos_ += want;
  return true;
}

}  // namespace upload
