#include "local/counters.h"

#include <chrono>

namespace kiln::local {

using json = nlohmann::json;

namespace {

double wall_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string status_key(int status) {
  return status == 0 ? "dropped" : std::to_string(status);
}

}  // namespace

std::string path_template(const std::string& path) {
  std::string out;
  size_t s = 0;
  while (s < path.size()) {
    size_t e = path.find('/', s);
    if (e == std::string::npos) e = path.size();
    std::string part = path.substr(s, e - s);
    bool numeric = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    out += numeric ? "{id}" : part;
    if (e < path.size()) out += '/';
    s = e + 1;
  }
  return out;
}

Counters::Counters() : since_(wall_now()) {}

void Counters::record(const std::string& method, const std::string& path, int status) {
  std::string key = method + " " + path_template(path);
  std::lock_guard<std::mutex> lock(mu_);
  Endpoint& e = endpoints_[key];
  ++e.total;
  ++e.by_status[status];
  if (log_.size() >= kLogLimit) log_.erase(log_.begin(), log_.begin() + kLogLimit / 2);
  log_.push_back({method, path, status});
}

void Counters::reset() {
  std::lock_guard<std::mutex> lock(mu_);
  endpoints_.clear();
  log_.clear();
  since_ = wall_now();
}

json Counters::to_json() const {
  std::lock_guard<std::mutex> lock(mu_);
  json eps = json::object();
  json by_status = json::object();
  int64_t total = 0;
  for (const auto& [key, e] : endpoints_) {
    json bs = json::object();
    for (const auto& [st, n] : e.by_status) {
      bs[status_key(st)] = n;
      by_status[status_key(st)] = by_status.value(status_key(st), int64_t{0}) + n;
    }
    eps[key] = {{"total", e.total}, {"by_status", bs}};
    total += e.total;
  }
  return {{"since", since_}, {"total", total}, {"by_status", by_status}, {"endpoints", eps}};
}

std::vector<LoggedRequest> Counters::log() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_;
}

}  // namespace kiln::local
