// A qcow2 image (version 2 or 3) read on the client and yielded as the raw
// disk's extents: unallocated and zero clusters are holes, standard clusters
// data, deflate-compressed clusters inflated. Only the L1 table and one L2
// table are kept in memory, plus at most 4 MiB of data.
//
// Refused with a reason: backing files (the image is only a diff), external
// data files, encryption, extended L2 entries, zstd-compressed clusters,
// images marked corrupt.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "upload/extent.h"

namespace upload {

class Qcow2Reader : public ExtentSource {
 public:
  static std::unique_ptr<Qcow2Reader> open(const std::string& path, std::string* error);
  ~Qcow2Reader() override;

  std::uint64_t disk_size() const override { return size_; }
  bool next(Extent* out, std::string* error) override;
  std::uint64_t input_done() const override { return input_done_; }
  int version() const { return version_; }
  std::uint32_t cluster_size() const { return cluster_size_; }

 private:
  Qcow2Reader() = default;
  enum class Kind { kHole, kData, kCompressed, kError };
  struct Cluster {
    Kind kind = Kind::kHole;
    std::uint64_t host = 0;  // data: host offset; compressed: the L2 entry
    std::uint64_t run = 1;   // holes: clusters known to be holes from here (whole L2)
  };
  Cluster classify(std::uint64_t index, std::string* error);
  bool read_at(std::uint64_t off, char* buf, std::size_t n, std::string* error);
  bool inflate_cluster(std::uint64_t entry, std::string* error);

  int fd_ = -1;
  std::string path_;
  std::uint64_t file_size_ = 0;
  int version_ = 0;
  unsigned cluster_bits_ = 16;
  std::uint32_t cluster_size_ = 65536;
  std::uint64_t size_ = 0;
  std::uint64_t l2_entries_ = 0;
  std::vector<std::uint64_t> l1_;
  std::vector<std::uint64_t> l2_;
  std::int64_t l2_loaded_ = -1;  // which L1 index l2_ holds
  std::uint64_t pos_ = 0;        // next virtual offset to yield
  std::uint64_t input_done_ = 0;
  std::vector<char> buf_;
  std::vector<char> packed_;
};

}  // namespace upload
