#include "upload/writer.h"

#include <deque>

namespace upload {

namespace {

bool run(ssh::Client& client, const std::string& command, ssh::ExecOptions& o,
         const std::string& what, std::string* error) {
  std::deque<std::string> tail;  // the writer's last words, for the error
  o.on_stderr = [&](std::string_view l) {
    tail.emplace_back(l);
    if (tail.size() > 8) tail.pop_front();
  };
  o.on_stdout = o.on_stderr;
  auto r = client.exec(command, o);
  if (!r.ok()) {
    *error = what + ": " + r.error().to_string();
    return false;
  }
  if (r->exit_status != 0) {
    *error = what + " failed on the server (" +
             (r->exit_signal.empty() ? "exit status " + std::to_string(r->exit_status)
                                     : "signal " + r->exit_signal) +
             ")";
    for (const auto& l : tail) *error += "\n  " + l;
    return false;
  }
  return true;
}

}  // namespace

bool write_image(ssh::Client& client, PreparedImage& image, const WriteOptions& options,
                 std::string* error) {
  WriterSpec spec = image.writer;
  spec.device = options.device;
  ssh::ExecOptions o;
  ByteSource& src = *image.bytes;
  bool failed_locally = false;
  o.stdin_source = [&](char* buf, std::size_t cap) -> std::ptrdiff_t {
    std::ptrdiff_t n = src.read(buf, cap);
    if (n < 0) failed_locally = true;
    if (options.progress) options.progress(src.input_done(), src.input_total());
    return n;
  };
  o.cancelled = options.cancelled;
  bool ok = run(client, writer_command(spec), o, "writing the image", error);
  if (failed_locally) *error = "reading the image: " + src.error();
  return ok && !failed_locally;
}

bool write_from_url(ssh::Client& client, const std::string& url, Compression compression,
                    const WriteOptions& options, std::string* error) {
  WriterSpec spec;
  spec.url = url;
  spec.compression = compression;
  spec.device = options.device;
  ssh::ExecOptions o;
  o.cancelled = options.cancelled;
  return run(client, writer_command(spec), o, "fetching and writing " + url, error);
}

}  // namespace upload
