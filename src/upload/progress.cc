#include "upload/progress.h"

#include <fmt/format.h>

namespace upload {

using Clock = std::chrono::steady_clock;

ProgressMeter::ProgressMeter(std::string label, std::uint64_t total, bool terminal, std::FILE* out,
                             std::function<void(const std::string&)> sink)
    : label_(std::move(label)),
      total_(total),
      terminal_(terminal),
      out_(out),
      sink_(std::move(sink)) {
  start_ = last_ = Clock::now();
}

std::string ProgressMeter::bytes(double n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (n >= 1024 && u < 4) {
    n /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{:.0f} B", n) : fmt::format("{:.1f} {}", n, units[u]);
}

std::string ProgressMeter::line(std::uint64_t done, bool final) const {
  double secs = std::chrono::duration<double>(Clock::now() - start_).count();
  double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
  std::string s = label_ + ": ";
  if (total_ > 0 && terminal_ && !final) {
    int width = 30;
    int fill = static_cast<int>(static_cast<double>(done) / static_cast<double>(total_) * width);
    fill = std::min(fill, width);
    s += "[" + std::string(static_cast<std::size_t>(fill), '#') +
         std::string(static_cast<std::size_t>(width - fill), ' ') + "] ";
  }
  s += bytes(static_cast<double>(done));
  if (total_ > 0) {
    s += " / " + bytes(static_cast<double>(total_)) +
         fmt::format(" ({:.0f}%)", 100.0 * static_cast<double>(done) / static_cast<double>(total_));
  }
  s += ", " + bytes(rate) + "/s";
  if (final) s += fmt::format(", {:.1f} s", secs);
  return s;
}

void ProgressMeter::update(std::uint64_t done) {
  auto now = Clock::now();
  if (terminal_) {
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    std::fprintf(out_, "\r%s\033[K", line(done, false).c_str());
    std::fflush(out_);
    return;
  }
  int decile = total_ > 0 ? static_cast<int>(done * 10 / total_) : 0;
  if (decile > last_decile_ || now - last_ >= std::chrono::seconds(10)) {
    last_decile_ = std::max(decile, last_decile_);
    last_ = now;
    if (sink_) return sink_(line(done, false));
    std::fprintf(out_, "%s\n", line(done, false).c_str());
    std::fflush(out_);
  }
}

void ProgressMeter::finish(std::uint64_t done) {
  if (!terminal_ && sink_) return sink_(line(done, true));
  std::fprintf(out_, "%s%s\n", terminal_ ? "\r\033[K" : "", line(done, true).c_str());
  std::fflush(out_);
}

}  // namespace upload
