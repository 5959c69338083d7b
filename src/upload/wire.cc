#include "upload/wire.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace upload {

namespace {

bool all_zero(const char* p, std::size_t n) {
  static const char zeros[WireEncoder::kGranule] = {};
  while (n > 0) {
    std::size_t k = std::min(n, sizeof zeros);
    if (std::memcmp(p, zeros, k) != 0) return false;
    p += k;
    n -= k;
  }
  return true;
}

}  // namespace

std::unique_ptr<FileBytes> FileBytes::open(const std::string& path, std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = path + ": cannot open: " + std::strerror(errno);
    return nullptr;
  }
  struct stat st {};
  fstat(fd, &st);
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  std::unique_ptr<FileBytes> f(new FileBytes());
  f->fd_ = fd;
  f->path_ = path;
  f->size_ = static_cast<std::uint64_t>(st.st_size);
  return f;
}

FileBytes::~FileBytes() {
  if (fd_ >= 0) ::close(fd_);
}

std::ptrdiff_t FileBytes::read(char* buf, std::size_t cap) {
  for (;;) {
    ssize_t n = ::read(fd_, buf, cap);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error_ = path_ + ": read failed: " + std::strerror(errno);
      return -1;
    }
    sent_ += static_cast<std::uint64_t>(n);
    return n;
  }
}

WireEncoder::WireEncoder(std::unique_ptr<ExtentSource> source, std::uint64_t input_total)
    : source_(std::move(source)), input_total_(input_total) {
  pend_.reserve(kMaxRecord);
}

void WireEncoder::flush() {
  out_ = std::to_string(pend_off_) + " " + std::to_string(pend_.size()) + "\n";
  out_ += pend_;
  out_pos_ = 0;
  data_bytes_ += pend_.size();
  pend_.clear();
}

bool WireEncoder::refill() {
  out_.clear();
  out_pos_ = 0;
  for (;;) {
    if (!have_cur_ && !source_done_) {
      if (source_->next(&cur_, &error_)) {
        have_cur_ = true;
        cur_done_ = 0;
      } else {
        if (!error_.empty()) return false;
        source_done_ = true;
      }
    }
    if (!have_cur_) {  // the source is exhausted
      if (!pend_.empty()) {
        flush();
        return true;
      }
      if (ended_) return false;
      ended_ = true;
      out_ = "end " + std::to_string(source_->disk_size()) + "\n";
      return true;
    }
    if (cur_.hole || cur_done_ >= cur_.length) {
      have_cur_ = false;
      if (cur_.hole && !pend_.empty()) {
        flush();
        return true;
      }
      continue;
    }
    // The next granule of data: up to the next 64 KiB boundary of the disk.
    std::uint64_t off = cur_.offset + cur_done_;
    std::uint64_t lim = std::min<std::uint64_t>(kGranule - off % kGranule, cur_.length - cur_done_);
    const char* p = cur_.data.data() + cur_done_;
    if (all_zero(p, lim)) {
      cur_done_ += lim;
      if (!pend_.empty()) {
        flush();
        return true;
      }
      continue;
    }
    if (!pend_.empty() && (pend_off_ + pend_.size() != off || pend_.size() + lim > kMaxRecord)) {
      flush();
      return true;  // this granule goes into the next record
    }
    if (pend_.empty()) pend_off_ = off;
    pend_.append(p, lim);
    cur_done_ += lim;
  }
}

std::ptrdiff_t WireEncoder::read(char* buf, std::size_t cap) {
  if (out_pos_ >= out_.size()) {
    if (!refill()) return error_.empty() ? 0 : -1;
  }
  std::size_t n = std::min(cap, out_.size() - out_pos_);
  std::memcpy(buf, out_.data() + out_pos_, n);
  out_pos_ += n;
  sent_ += n;
  return static_cast<std::ptrdiff_t>(n);
}

}  // namespace upload
