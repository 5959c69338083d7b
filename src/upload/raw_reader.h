// A raw disk image file as extents: the file system's holes (SEEK_HOLE) and
// all-zero blocks become holes, the rest is read in pieces of at most 4 MiB.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "upload/extent.h"

namespace upload {

class RawReader : public ExtentSource {
 public:
  // Null and *error when the file cannot be opened.
  static std::unique_ptr<RawReader> open(const std::string& path, std::string* error);
  ~RawReader() override;

  std::uint64_t disk_size() const override { return size_; }
  bool next(Extent* out, std::string* error) override;
  std::uint64_t input_done() const override { return pos_; }

 private:
  RawReader() = default;
  int fd_ = -1;
  std::string path_;
  std::uint64_t size_ = 0;
  std::uint64_t pos_ = 0;
  std::vector<char> buf_;
};

}  // namespace upload
