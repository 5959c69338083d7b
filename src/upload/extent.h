// A disk image as a stream of extents: runs of data at an offset, and holes
// (bytes that read as zero and need no writing, because the target disk was
// discarded first). Readers yield them in increasing offset order and never
// hold more than one piece of the image in memory.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace upload {

struct Extent {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  bool hole = false;
  // For data: the bytes (length of them), valid until the next call to
  // next(). Empty for holes.
  std::string_view data;
};

class ExtentSource {
 public:
  virtual ~ExtentSource() = default;
  // The size of the raw disk the extents describe.
  virtual std::uint64_t disk_size() const = 0;
  // The next extent: true with *out set, false at the end. A failure sets
  // *error (for people) and returns false.
  virtual bool next(Extent* out, std::string* error) = 0;
  // Bytes of the input file consumed so far (for progress).
  virtual std::uint64_t input_done() const = 0;
};

}  // namespace upload
