// Debug log of API traffic, enabled like Packer's: PACKER_LOG=1 writes to
// stderr, or to PACKER_LOG_PATH when set. Lines name method, path, status,
// duration and the rate-limit budget; never bodies, the token or passwords.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace hcloud {

class Logger {
 public:
  // Disabled logger.
  Logger() = default;
  // Logs to `path` (appending), or to stderr when `path` is empty.
  explicit Logger(const std::string& path);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // Reads PACKER_LOG / PACKER_LOG_PATH.
  static std::shared_ptr<Logger> from_env();

  bool enabled() const { return out_ != nullptr; }
  // Every later line has each occurrence of `secret` replaced by "<redacted>".
  void add_secret(std::string secret);
  void debug(std::string_view line);

  // Masks secrets and any `"root_password":"..."` value in `text`.
  std::string redact(std::string text) const;

 private:
  std::FILE* out_ = nullptr;
  bool owns_ = false;
  mutable std::mutex mu_;
  std::vector<std::string> secrets_;
};

}  // namespace hcloud
