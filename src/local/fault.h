// Injected faults of `kiln local` (docs/local-faults.md): rules that match a
// request by method and path pattern and answer it with an API error, delay
// it, drop its connection, or let the actions it starts fail. Each rule has
// its own random stream derived from a seed, so the same rules and the same
// requests give the same faults on every run.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiln::local {

// An error in the API's envelope: status, Hetzner error code and message.
struct FaultError {
  int status = 0;
  std::string code;
  std::string message;
  nlohmann::json details = nlohmann::json::object();
};

struct FaultRule {
  int64_t id = 0;                   // assigned when added; DELETE /_kiln/faults/{id}
  std::string method = "*";         // GET, POST, ... or * for any
  std::string path;                 // glob on the request path: * matches any run of characters
  double latency_ms = 0;            // added before the request is handled
  std::optional<FaultError> error;  // answered instead of the API
  bool drop = false;                // connection closed without a response
  std::optional<FaultError> fail_action;  // status unused: code and message of the action error
  double probability = 1.0;               // chance that an eligible match fires
  int64_t after = 0;                      // the first `after` matches never fire
  int64_t count = -1;                     // fire at most this often (-1: no limit)
  std::optional<uint64_t> seed;           // own seed; default from the set's seed and the id

  // State, reported by GET /_kiln/faults.
  int64_t matches = 0;
  int64_t fired = 0;
  std::mt19937_64 rng;
};

// What the rules decided for one request. Latencies of all firing rules add
// up; the first firing rule with an error, a drop or a failed action decides
// the outcome.
struct FaultDecision {
  double latency_ms = 0;
  std::optional<FaultError> error;
  bool drop = false;
  std::optional<FaultError> fail_action;
  std::vector<int64_t> fired;  // ids of the rules that fired
};

// True when `text` matches `pattern`, where * matches any run of characters
// (including '/') and everything else matches itself.
bool glob_match(const std::string& pattern, const std::string& text);

// Parses one rule from its JSON form; nullopt with *error set when invalid.
std::optional<FaultRule> parse_fault_rule(const nlohmann::json& j, std::string* error);
nlohmann::json fault_rule_json(const FaultRule& r);

// The set of rules, shared by the HTTP threads (thread-safe).
class Faults {
 public:
  // Replaces all rules with a document {"seed": N, "rules": [...]} (or a bare
  // array of rules). On error nothing changes.
  bool load(const nlohmann::json& doc, std::string* error);
  bool load_file(const std::string& path, std::string* error);
  // Appends rules (one rule object, an array, or {"rules": [...]}); returns
  // the added rules with their ids, or nullopt with *error set.
  std::optional<nlohmann::json> add(const nlohmann::json& doc, std::string* error);
  bool remove(int64_t id);
  void clear();
  nlohmann::json to_json() const;

  FaultDecision decide(const std::string& method, const std::string& path);

 private:
  void seed_rule(FaultRule& r) const;
  mutable std::mutex mu_;
  uint64_t seed_ = 1;
  int64_t next_id_ = 1;
  std::vector<FaultRule> rules_;
};

}  // namespace kiln::local
