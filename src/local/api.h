// The Hetzner Cloud API of `kiln local`, independent of the HTTP transport:
// a request in, a response out. State lives in a Store; every request runs
// in one SQLite transaction that is committed before the response is returned.
// Servers are state only in this slice (no sandboxes yet).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "local/store.h"
#include "local/token_bucket.h"

namespace kiln::local {

struct ApiRequest {
  std::string method;  // GET, POST, PUT, DELETE
  std::string path;    // "/v1/servers/42"
  std::multimap<std::string, std::string> query;
  std::string authorization;  // the Authorization header, "" when absent
  std::string host;           // the Host header, for absolute Link URLs
  std::string body;
};

struct ApiResponse {
  int status = 200;
  std::string body;  // empty for 204
  std::vector<std::pair<std::string, std::string>> headers;
};

struct ApiOptions {
  std::string token;
  double time_scale = 1.0;  // 0 = actions finish at once
  int64_t rate_limit = 3600;
  double refill_per_second = 1.0;
  // Wall clock in seconds since the epoch; injectable for tests.
  std::function<double()> clock;
};

class Api {
 public:
  Api(Store& store, ApiOptions options);
  ApiResponse handle(const ApiRequest& request);

  // Durations of actions in seconds before --time-scale (the duration model).
  static double base_duration(const std::string& command, double data_gb);

  struct Ctx;  // one request, used by the handlers in api.cc

 private:
  ApiResponse handle_locked(const ApiRequest& request);
  void advance(double now);
  Store& store_;
  ApiOptions opt_;
  TokenBucket bucket_;
  std::mutex mu_;
};

}  // namespace kiln::local
