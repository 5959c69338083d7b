// The commands run in the rescue system: the writer that turns what comes
// over SSH stdin (or from a URL) into the disk's bytes, written sparsely,
// with memory bounded by one dd buffer (4 MiB) plus the decompressor's
// window, whatever the image size.
#pragma once

#include <string>

#include "upload/compression.h"

namespace upload {

struct WriterSpec {
  // The stream on stdin is an extent stream (wire.h) instead of the image.
  bool extents = false;
  // Undone on the server (plain streams only).
  Compression compression = Compression::kNone;
  // The server fetches the image from here instead of reading stdin.
  std::string url;
  // Where to write: /dev/sda in the rescue system, a file in tests.
  std::string device = "/dev/sda";
};

// A `bash -c '...'` command line: set -euo pipefail, the pipeline, sync.
std::string writer_command(const WriterSpec& spec);

// Discards the whole disk, so blocks the image does not write read as zero
// and do not end up in the snapshot.
std::string discard_command(const std::string& device = "/dev/sda");

// Single-quotes s for a POSIX shell.
std::string shell_quote(const std::string& s);

}  // namespace upload
