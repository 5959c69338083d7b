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

#include "local/counters.h"
#include "local/fault.h"
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
  bool drop = false;  // a fault: close the connection without answering
};

// The real work behind a server action (machine_backend.h does it with
// sandboxes). An action with work completes when both its modelled duration
// has passed and the backend called Api::work_done().
struct ServerWork {
  int64_t action_id = 0;              // 0: not an action (a boot after a restart)
  std::string command;                // create_server, start_server, stop_server, ...
  nlohmann::json server;              // the stored server document (with its _ fields)
  nlohmann::json effect;              // the action's _effect
  std::vector<std::string> ssh_keys;  // public keys to authorise on this boot
  std::string root_password;          // secret; set on this boot when not empty
};

class ServerBackend {
 public:
  virtual ~ServerBackend() = default;
  // Starts the work and returns; must not call back into the Api before returning.
  virtual void submit(const ServerWork& work) = 0;
  virtual void image_deleted(int64_t image_id) = 0;
};

struct ApiOptions {
  std::string token;
  double time_scale = 1.0;  // 0 = actions finish at once
  // Each action's duration times a factor in [1 - j, 1 + j], drawn from its
  // id: a real cloud's actions do not all take whole seconds (which would
  // flatter a client polling every 500 ms). 0: the model's durations.
  double time_jitter = 0;
  int64_t rate_limit = 3600;
  double refill_per_second = 1.0;
  // Real servers; nullptr: servers are state only (actions end by duration).
  ServerBackend* backend = nullptr;
  // Servers' IPv4 addresses are 127.x.y.z counted from this (one block per
  // state directory, so that two kiln local rarely pick the same ones).
  int64_t ipv4_offset = 0;
  // Wall clock in seconds since the epoch; injectable for tests.
  std::function<double()> clock;
};

class Api {
 public:
  Api(Store& store, ApiOptions options);
  // Applies the faults (latency, error, drop, failed actions), counts the
  // request, then answers it.
  ApiResponse handle(const ApiRequest& request);
  Faults& faults() { return faults_; }
  Counters& counters() { return counters_; }

  // The backend finished the work of an action: "" or why it failed; a
  // create_image's result is {"image_size": GB}.
  void work_done(int64_t action_id, const std::string& error, const nlohmann::json& result);
  // Every action's command, status and when it ran, in seconds since the
  // epoch with sub-second precision (the API's timestamps have whole
  // seconds): {"id", "command", "status", "start", "end"}; "end" is when the
  // action's result became visible (its modelled end, or the end of its real
  // work if later), null while it runs. For benchmarks: the time a client
  // spends outside the cloud's actions (GET /_kiln/actions).
  nlohmann::json action_timeline();
  // After a restart: work a previous run never finished fails, and the
  // servers that were running are returned to be booted again.
  std::vector<ServerWork> recover();

  // Durations of actions in seconds before --time-scale (the duration model).
  static double base_duration(const std::string& command, double data_gb);

  struct Ctx;  // one request, used by the handlers in api.cc

 private:
  ApiResponse handle_guarded(const ApiRequest& request, const FaultDecision& fault);
  ApiResponse handle_locked(const ApiRequest& request, const FaultDecision& fault);
  void advance(double now);
  ServerWork work_for(int64_t action_id);
  Store& store_;
  ApiOptions opt_;
  TokenBucket bucket_;
  std::mutex mu_;
  Faults faults_;
  Counters counters_;
};

}  // namespace kiln::local
