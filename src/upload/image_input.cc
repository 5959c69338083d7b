#include "upload/image_input.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "upload/qcow2_reader.h"
#include "upload/raw_reader.h"

namespace upload {

bool prepare_image(const ImageInput& in, PreparedImage* out, std::string* error) {
  int fd = ::open(in.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = in.path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  char head[512];
  ssize_t n = pread(fd, head, sizeof head, 0);
  ::close(fd);
  if (n < 0) {
    *error = in.path + ": cannot read: " + std::strerror(errno);
    return false;
  }
  std::string_view h(head, static_cast<std::size_t>(n));
  Compression detected = detect_compression(h);
  Compression c = in.compression.value_or(detected);
  if (in.compression && c != Compression::kNone && detected != c) {
    *error = in.path + ": --compression " + std::string(compression_name(c)) +
             " was given, but the file does not start with that format's magic bytes" +
             (detected != Compression::kNone
                  ? " (it looks like " + std::string(compression_name(detected)) + ")"
                  : "");
    return false;
  }
  out->compression = c;
  if (c != Compression::kNone) {
    if (in.format == Format::kQcow2) {
      *error = in.path +
               ": a compressed qcow2 image cannot be read as a stream (qcow2 needs "
               "random access); decompress it first, or convert it to raw";
      return false;
    }
    out->format = Format::kRaw;
    auto f = FileBytes::open(in.path, error);
    if (!f) return false;
    out->bytes = std::move(f);
    out->writer.compression = c;
    out->writer.extents = false;
    return true;
  }
  out->format = in.format.value_or(is_qcow2(h) ? Format::kQcow2 : Format::kRaw);
  std::unique_ptr<ExtentSource> src;
  if (out->format == Format::kQcow2) {
    if (!is_qcow2(h)) {
      *error = in.path + ": --format qcow2 was given, but the file has no qcow2 magic";
      return false;
    }
    src = Qcow2Reader::open(in.path, error);
  } else {
    src = RawReader::open(in.path, error);
  }
  if (!src) return false;
  out->disk_size = src->disk_size();
  std::uint64_t file_size = 0;
  if (auto f = FileBytes::open(in.path, error)) file_size = f->input_total();
  out->bytes = std::make_unique<WireEncoder>(std::move(src), file_size);
  out->writer.extents = true;
  return true;
}

}  // namespace upload
