// Upload progress: a bar with percent and throughput redrawn in place on a
// terminal, plain lines (every 10 % or 10 s) otherwise, e.g. in CI logs.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

namespace upload {

class ProgressMeter {
 public:
  // total 0: unknown (bytes and throughput only). Plain lines go to `sink`
  // when set (the UI, so they keep their order with its other lines).
  ProgressMeter(std::string label, std::uint64_t total, bool terminal, std::FILE* out = stderr,
                std::function<void(const std::string&)> sink = {});
  void update(std::uint64_t done);
  // The final line: bytes, time, average throughput.
  void finish(std::uint64_t done);

  // "1.5 GiB", "12.0 MiB"...
  static std::string bytes(double n);

 private:
  std::string line(std::uint64_t done, bool final) const;
  std::string label_;
  std::uint64_t total_;
  bool terminal_;
  std::FILE* out_;
  std::function<void(const std::string&)> sink_;
  std::chrono::steady_clock::time_point start_, last_;
  int last_decile_ = 0;
};

}  // namespace upload
