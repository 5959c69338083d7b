#include "hcloud/log.h"

#include <chrono>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

namespace hcloud {

Logger::Logger(const std::string& path) {
  if (path.empty()) {
    out_ = stderr;
  } else {
    out_ = std::fopen(path.c_str(), "a");
    owns_ = out_ != nullptr;
    if (!out_) out_ = stderr;
  }
}

Logger::~Logger() {
  if (owns_) std::fclose(out_);
}

std::shared_ptr<Logger> Logger::from_env() {
  const char* on = std::getenv("PACKER_LOG");
  if (!on || !*on || std::string_view(on) == "0") return std::make_shared<Logger>();
  const char* path = std::getenv("PACKER_LOG_PATH");
  return std::make_shared<Logger>(path ? std::string(path) : std::string());
}

void Logger::add_secret(std::string secret) {
  if (secret.empty()) return;
  std::lock_guard lock(mu_);
  secrets_.push_back(std::move(secret));
}

std::string Logger::redact(std::string text) const {
  {
    std::lock_guard lock(mu_);
    for (const auto& s : secrets_) {
      for (auto pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos)) {
        text.replace(pos, s.size(), "<redacted>");
        pos += 10;
      }
    }
  }
  constexpr std::string_view kKey = "\"root_password\"";
  for (auto pos = text.find(kKey); pos != std::string::npos; pos = text.find(kKey, pos + 1)) {
    auto colon = text.find(':', pos + kKey.size());
    if (colon == std::string::npos) break;
    auto start = text.find_first_not_of(" \t", colon + 1);
    if (start == std::string::npos || text[start] != '"') continue;
    auto end = start + 1;
    while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
    if (end > text.size()) end = text.size();
    text.replace(start, end - start + (end < text.size() ? 1 : 0), "\"<redacted>\"");
  }
  return text;
}

void Logger::debug(std::string_view line) {
  if (!out_) return;
  std::string clean = redact(std::string(line));
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &tm);
  std::lock_guard lock(mu_);
  std::fprintf(out_, "%s [DEBUG] hcloud: %s\n", stamp, clean.c_str());
  std::fflush(out_);
}

}  // namespace hcloud
