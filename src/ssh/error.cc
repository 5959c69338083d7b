#include "ssh/error.h"

namespace ssh {

std::string Error::to_string() const {
  std::string s = "ssh ";
  if (!user.empty()) s += user + "@";
  if (host.find(':') != std::string::npos) {
    s += "[" + host + "]";
  } else {
    s += host;
  }
  s += ":" + std::to_string(port);
  if (!step.empty()) s += ": " + step;
  s += ": " + message;
  if (attempts > 1) s += " (after " + std::to_string(attempts) + " attempts)";
  return s;
}

}  // namespace ssh
