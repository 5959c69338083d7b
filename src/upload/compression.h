// What the input image is: its compression (from magic bytes or the
// --compression flag) and its disk format (raw or qcow2, from the qcow2
// magic), and the command that undoes each compression on the server.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace upload {

enum class Compression { kNone, kGzip, kBzip2, kXz, kZstd };
enum class Format { kRaw, kQcow2 };

// "none", "gz", "bz2", "xz", "zstd" (the flag's spelling).
std::string_view compression_name(Compression c);
std::optional<Compression> parse_compression(std::string_view s);  // also "gzip", "bzip2", "zst"
std::string_view format_name(Format f);
std::optional<Format> parse_format(std::string_view s);

// From the first bytes of a file (at least 6 for a verdict on every kind).
Compression detect_compression(std::string_view head);
// True when the (uncompressed) bytes begin with the qcow2 magic "QFI\xfb".
bool is_qcow2(std::string_view head);

// From a URL's (or file name's) suffix: .gz, .bz2, .xz, .zst; else kNone.
// For --image-url, where no bytes are seen before the server fetches them.
Compression compression_of_url(std::string_view url);

// The server-side filter that reads the compressed stream on stdin and
// writes the plain bytes to stdout; "" for kNone. Every one of them is in
// Hetzner's rescue system and in Debian.
std::string_view decompressor_command(Compression c);

}  // namespace upload
