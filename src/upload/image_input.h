// Decides how a local image travels: compressed raw images as they are
// (decompressed on the server), uncompressed raw and qcow2 parsed here into
// an extent stream. Detection from magic bytes; the flags override.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "upload/compression.h"
#include "upload/remote_command.h"
#include "upload/wire.h"

namespace upload {

struct ImageInput {
  std::string path;
  std::optional<Compression> compression;  // --compression; detected when unset
  std::optional<Format> format;            // --format; detected when unset
};

struct PreparedImage {
  Compression compression = Compression::kNone;
  Format format = Format::kRaw;
  std::uint64_t disk_size = 0;  // 0 when unknown until decompressed
  std::unique_ptr<ByteSource> bytes;
  WriterSpec writer;  // device left at its default
};

// Null error string on success.
bool prepare_image(const ImageInput& in, PreparedImage* out, std::string* error);

}  // namespace upload
