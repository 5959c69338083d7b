#include "upload/compression.h"

namespace upload {

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gz";
    case Compression::kBzip2:
      return "bz2";
    case Compression::kXz:
      return "xz";
    case Compression::kZstd:
      return "zstd";
  }
  return "none";
}

std::optional<Compression> parse_compression(std::string_view s) {
  if (s == "none" || s == "") return Compression::kNone;
  if (s == "gz" || s == "gzip") return Compression::kGzip;
  if (s == "bz2" || s == "bzip2") return Compression::kBzip2;
  if (s == "xz") return Compression::kXz;
  if (s == "zstd" || s == "zst") return Compression::kZstd;
  return std::nullopt;
}

std::string_view format_name(Format f) {
  return f == Format::kQcow2 ? "qcow2" : "raw";
}

std::optional<Format> parse_format(std::string_view s) {
  if (s == "raw") return Format::kRaw;
  if (s == "qcow2") return Format::kQcow2;
  return std::nullopt;
}

Compression detect_compression(std::string_view h) {
  auto starts = [&](std::string_view magic) { return h.substr(0, magic.size()) == magic; };
  if (starts("\x1f\x8b")) return Compression::kGzip;
  // "BZh" then the block size digit 1-9.
  if (h.size() >= 4 && starts("BZh") && h[3] >= '1' && h[3] <= '9') return Compression::kBzip2;
  if (starts(std::string_view("\xfd"
                              "7zXZ\x00",
                              6)))
    return Compression::kXz;
  if (starts("\x28\xb5\x2f\xfd")) return Compression::kZstd;
  return Compression::kNone;
}

Compression compression_of_url(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  auto ends = [&](std::string_view s) {
    return url.size() >= s.size() && url.substr(url.size() - s.size()) == s;
  };
  if (ends(".gz")) return Compression::kGzip;
  if (ends(".bz2")) return Compression::kBzip2;
  if (ends(".xz")) return Compression::kXz;
  if (ends(".zst") || ends(".zstd")) return Compression::kZstd;
  return Compression::kNone;
}

bool is_qcow2(std::string_view h) {
  return h.substr(0, 4) == "QFI\xfb";
}

std::string_view decompressor_command(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "";
    case Compression::kGzip:
      return "gzip -dc";
    case Compression::kBzip2:
      return "bzip2 -dc";
    case Compression::kXz:
      return "xz -dc";
    case Compression::kZstd:
      return "zstd -dc";
  }
  return "";
}

}  // namespace upload
