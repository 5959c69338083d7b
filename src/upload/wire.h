// What travels over SSH to the writer in the rescue system.
//
// Compressed raw images travel as they are (the server decompresses, so
// fewer bytes cross the network). Everything parsed on the client (qcow2,
// uncompressed raw) travels as an extent stream, so that holes and zero
// blocks are never sent nor written:
//
//   "<offset> <length>\n" then <length> bytes, repeated, offsets increasing;
//   "end <disk size>\n" last.
//
// A shell loop on the server applies it with one `dd` per record (see
// remote_command.h); records are at most 8 MiB, so the server holds at most
// one dd buffer whatever the image size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "upload/extent.h"

namespace upload {

// A pull source of bytes for ssh::ExecOptions::stdin_source.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // > 0 bytes written to buf, 0 at the end, -1 on failure (see error()).
  virtual std::ptrdiff_t read(char* buf, std::size_t cap) = 0;
  virtual const std::string& error() const = 0;
  // Input bytes consumed so far and in all (for progress).
  virtual std::uint64_t input_done() const = 0;
  virtual std::uint64_t input_total() const = 0;
  // Payload bytes handed out so far.
  std::uint64_t sent() const { return sent_; }

 protected:
  std::uint64_t sent_ = 0;
};

// A file as it is (a compressed raw image).
class FileBytes : public ByteSource {
 public:
  static std::unique_ptr<FileBytes> open(const std::string& path, std::string* error);
  ~FileBytes() override;
  std::ptrdiff_t read(char* buf, std::size_t cap) override;
  const std::string& error() const override { return error_; }
  std::uint64_t input_done() const override { return sent_; }
  std::uint64_t input_total() const override { return size_; }

 private:
  FileBytes() = default;
  int fd_ = -1;
  std::string path_;
  std::uint64_t size_ = 0;
  std::string error_;
};

// Extents encoded as above; all-zero 64 KiB granules of data become holes.
class WireEncoder : public ByteSource {
 public:
  // `input_total` is the size of the input file (for progress).
  WireEncoder(std::unique_ptr<ExtentSource> source, std::uint64_t input_total);
  std::ptrdiff_t read(char* buf, std::size_t cap) override;
  const std::string& error() const override { return error_; }
  std::uint64_t input_done() const override { return source_->input_done(); }
  std::uint64_t input_total() const override { return input_total_; }
  std::uint64_t data_bytes() const { return data_bytes_; }  // bytes to be written remotely

  static constexpr std::size_t kGranule = 64 * 1024;
  static constexpr std::size_t kMaxRecord = 8u << 20;

 private:
  // Puts the next record (or the end marker) into out_; false at the end
  // or on failure.
  bool refill();
  void flush();

  std::unique_ptr<ExtentSource> source_;
  std::uint64_t input_total_;
  Extent cur_;
  std::uint64_t cur_done_ = 0;  // bytes of cur_ processed
  bool have_cur_ = false;
  bool source_done_ = false;
  bool ended_ = false;
  std::uint64_t pend_off_ = 0;
  std::string pend_;
  std::string out_;
  std::size_t out_pos_ = 0;
  std::uint64_t data_bytes_ = 0;
  std::string error_;
};

}  // namespace upload
