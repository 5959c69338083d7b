#include "engine/output.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include <ctime>
#include <iostream>

namespace kiln::engine {

namespace {

constexpr int kRed = 31;
constexpr int kColors[] = {32, 36, 35, 33, 34};

std::string rtrim(std::string s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r'))
    s.pop_back();
  return s;
}

}  // namespace

std::string machine_escape(const std::string& a) {
  std::string esc;
  for (char c : a) {
    if (c == ',')
      esc += "%!(PACKER_COMMA)";
    else if (c == '\r')
      esc += "\\r";
    else if (c == '\n')
      esc += "\\n";
    else
      esc += c;
  }
  return esc;
}

std::string targeted(const std::string& target, const std::string& msg) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t nl = msg.find('\n', start);
    std::string line = msg.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out += "==> " + target + ": " + line + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return rtrim(out);
}

Output::Output(OutputOptions options) : opt_(std::move(options)) {}

std::string Output::filter(std::string s) const {
  if (opt_.filter) s = opt_.filter(std::move(s));
  std::lock_guard<std::mutex> lock(secrets_mu_);
  for (auto& secret : secrets_) {
    size_t pos = 0;
    while ((pos = s.find(secret, pos)) != std::string::npos) {
      s.replace(pos, secret.size(), "<sensitive>");
      pos += 11;
    }
  }
  return s;
}

void Output::add_secret(const std::string& secret) {
  if (secret.empty()) return;
  std::lock_guard<std::mutex> lock(secrets_mu_);
  secrets_.push_back(secret);
}

std::string Output::timestamp_prefix() const {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string s = buf;
  long off = tm.tm_gmtoff;
  if (off == 0) return s + "Z: ";
  char z[48];
  std::snprintf(z, sizeof z, "%c%02ld:%02ld", off < 0 ? '-' : '+', std::labs(off) / 3600,
                (std::labs(off) / 60) % 60);
  return s + z + ": ";
}

void Output::write(const std::string& text) {
  std::string t = filter(text);
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(t.data(), 1, t.size(), opt_.out);
  std::fflush(opt_.out);
}

void Output::machine(const std::string& target, const std::string& type,
                     const std::vector<std::string>& args) {
  std::string line =
      std::to_string(static_cast<long long>(std::time(nullptr))) + "," + target + "," + type;
  for (auto& a : args) line += "," + machine_escape(filter(a));
  write(line + "\n");
}

void Output::say(const std::string& msg) {
  if (opt_.machine) return machine("", "ui", {"say", msg});
  write((opt_.timestamp ? timestamp_prefix() : "") + msg + "\n");
}

void Output::error(const std::string& msg) {
  if (opt_.machine) return machine("", "ui", {"error", msg});
  write((opt_.timestamp ? timestamp_prefix() : "") + msg + "\n");
}

std::string Output::ask(const std::string& question, const Cancel* cancel) {
  write(question + "\n");
  if (!opt_.interactive) return "";
  // Not under mu_: while someone reads the question, the other builds and
  // the interrupt handler ("Cancelling build ...") must still print.
  std::lock_guard<std::mutex> lock(read_mu_);
  int fd = ::fileno(opt_.in);
  if (fd < 0) {  // a FILE without a descriptor (tests' fmemopen)
    char buf[1024];
    if (!std::fgets(buf, sizeof buf, opt_.in)) return "";
    return rtrim(buf);
  }
  // A byte at a time from the descriptor, never through the FILE's buffer,
  // so that a line typed ahead is left for the next question; with cancel,
  // a look at it every 100 ms.
  std::string line;
  while (!cancel || !cancel->cancelled()) {
    pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, cancel ? 100 : -1);
    if (n < 0 && errno != EINTR) return "";
    if (n <= 0) continue;
    char c;
    ssize_t got = ::read(fd, &c, 1);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) return rtrim(line);  // EOF: what was typed so far
    if (c == '\n') return rtrim(line);
    line += c;
  }
  return "";
}

BuildUi::BuildUi(Output& out, std::string target, int color_index)
    : out_(out), target_(std::move(target)), color_(kColors[color_index % 5]) {}

void BuildUi::emit(const std::string& msg, const char* kind, int color, bool prefixed) {
  std::string text = prefixed ? targeted(target_, msg) : rtrim(msg);
  if (out_.options().machine) {
    out_.machine("", "ui", {kind, text});
    return;
  }
  if (out_.options().timestamp) text = out_.timestamp_prefix() + text;
  if (out_.options().color) text = "\033[1;" + std::to_string(color) + "m" + text + "\033[0m";
  out_.write(text + "\n");
}

void BuildUi::say(const std::string& msg) {
  emit(msg, "say", color_, true);
}
// Packer 1.13 and later print Message as Say (kiln mirrors 1.16).
void BuildUi::message(const std::string& msg) {
  emit(msg, "say", color_, true);
}
void BuildUi::error(const std::string& msg) {
  emit(msg, "error", kRed, true);
}
void BuildUi::plain(const std::string& msg, bool as_error) {
  emit(msg, as_error ? "error" : "say", as_error ? kRed : color_, false);
}
void BuildUi::machine(const std::string& type, const std::vector<std::string>& args) {
  if (out_.options().machine) out_.machine(target_, type, args);
}
std::string BuildUi::ask(const std::string& question) {
  return out_.ask(targeted(target_, question));
}
std::string BuildUi::ask_cancellable(const std::string& question, const Cancel& cancel) {
  return out_.ask(targeted(target_, question), &cancel);
}
void BuildUi::announce() {
  if (out_.options().machine || !out_.options().color) return;
  out_.write("\033[1;" + std::to_string(color_) + "m" + target_ +
             ": output will be in this color.\033[0m\n");
}

}  // namespace kiln::engine
