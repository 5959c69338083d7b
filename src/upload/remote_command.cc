#include "upload/remote_command.h"

namespace upload {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string writer_command(const WriterSpec& spec) {
  std::string dev = shell_quote(spec.device);
  std::string script = "set -euo pipefail\n";
  if (spec.extents) {
    // One dd per record; count_bytes with fullblock makes dd read exactly
    // the record's bytes from the shared stdin, never past it.
    script +=
        "ok=0\n"
        "while read -r off len; do\n"
        "  if [ \"$off\" = end ]; then ok=1; break; fi\n"
        "  dd of=" +
        dev +
        " bs=4M iflag=fullblock,count_bytes oflag=seek_bytes seek=\"$off\" "
        "count=\"$len\" conv=notrunc status=none\n"
        "done\n"
        "if [ \"$ok\" != 1 ]; then echo 'kiln upload: the image stream ended early' >&2; exit 1; "
        "fi\n";
  } else {
    std::string pipe;
    if (!spec.url.empty()) {
      std::string u = shell_quote(spec.url);
      pipe += "if command -v curl >/dev/null; then curl -fsSL --retry 3 " + u +
              "; else wget -q -O - " + u + "; fi | ";
    }
    std::string_view d = decompressor_command(spec.compression);
    if (!d.empty()) pipe += std::string(d) + " | ";
    // conv=sparse seeks over zero blocks: the disk was discarded, so they
    // already read as zero and stay unallocated in the snapshot.
    pipe += "dd of=" + dev + " bs=4M iflag=fullblock conv=sparse,notrunc status=none\n";
    script += pipe;
  }
  script += "sync\n";
  return "bash -c " + shell_quote(script);
}

std::string discard_command(const std::string& device) {
  std::string dev = shell_quote(device);
  return "bash -c " +
         shell_quote("set -eu\nif [ -b " + dev + " ]; then blkdiscard -f " + dev + "; fi\n");
}

}  // namespace upload
