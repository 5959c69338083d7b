// Request counters of `kiln local`: how many API requests each endpoint got,
// by status, so that a benchmark can count what a build spends
// (GET /_kiln/counters). Endpoints are method and path template:
// "POST /v1/servers/{id}/actions/create_image".
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace kiln::local {

// "/v1/servers/42/actions/7" -> "/v1/servers/{id}/actions/{id}".
std::string path_template(const std::string& path);

class Counters {
 public:
  Counters();
  // `status` is the HTTP status, or 0 for a connection dropped by a fault.
  void record(const std::string& method, const std::string& path, int status);
  void reset();
  // {"since", "total", "by_status": {"200": n}, "endpoints": {"GET /v1/x":
  // {"total", "by_status"}}}; status "dropped" for dropped connections.
  nlohmann::json to_json() const;

 private:
  struct Endpoint {
    int64_t total = 0;
    std::map<int, int64_t> by_status;
  };
  mutable std::mutex mu_;
  std::map<std::string, Endpoint> endpoints_;
  double since_;  // UNIX time of the start or the last reset
};

}  // namespace kiln::local
