// Request counters of `kiln local`: how many API requests each endpoint got,
// by status, so that a benchmark can count what a build spends
// (GET /_kiln/counters). Endpoints are method and path template:
// "POST /v1/servers/{id}/actions/create_image".
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiln::local {

// "/v1/servers/42/actions/7" -> "/v1/servers/{id}/actions/{id}".
std::string path_template(const std::string& path);

// One request as it arrived, for tests that derive faults from the order of
// a build's requests (which occurrence of an endpoint to fail).
struct LoggedRequest {
  std::string method;
  std::string path;  // without the query string
  int status = 0;    // 0: dropped by a fault
};

class Counters {
 public:
  // The log keeps the most recent requests only, so a long-running kiln
  // local does not grow without bound.
  static constexpr size_t kLogLimit = 100000;
  Counters();
  // `status` is the HTTP status, or 0 for a connection dropped by a fault.
  void record(const std::string& method, const std::string& path, int status);
  void reset();
  // {"since", "total", "by_status": {"200": n}, "endpoints": {"GET /v1/x":
  // {"total", "by_status"}}}; status "dropped" for dropped connections.
  nlohmann::json to_json() const;
  // The requests since the start or the last reset, oldest first.
  std::vector<LoggedRequest> log() const;

 private:
  struct Endpoint {
    int64_t total = 0;
    std::map<int, int64_t> by_status;
  };
  mutable std::mutex mu_;
  std::map<std::string, Endpoint> endpoints_;
  std::vector<LoggedRequest> log_;
  double since_;  // UNIX time of the start or the last reset
};

}  // namespace kiln::local
