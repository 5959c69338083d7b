#include "local/fault.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace kiln::local {

using json = nlohmann::json;

namespace {

// The statuses of the API's error codes (hcloud-api.md section 3), so that a
// rule may name only the code.
const std::map<std::string, int>& code_statuses() {
  static const std::map<std::string, int> m = {{"json_error", 400},
                                               {"unauthorized", 401},
                                               {"token_readonly", 401},
                                               {"forbidden", 403},
                                               {"maintenance", 403},
                                               {"resource_limit_exceeded", 403},
                                               {"not_found", 404},
                                               {"method_not_allowed", 405},
                                               {"uniqueness_error", 409},
                                               {"conflict", 409},
                                               {"deprecated_api_endpoint", 410},
                                               {"resource_unavailable", 412},
                                               {"invalid_input", 422},
                                               {"service_error", 422},
                                               {"unsupported_error", 422},
                                               {"placement_error", 422},
                                               {"locked", 423},
                                               {"protected", 423},
                                               {"rate_limit_exceeded", 429},
                                               {"server_error", 500},
                                               {"bad_gateway", 502},
                                               {"unavailable", 503},
                                               {"timeout", 504}};
  return m;
}

// splitmix64: spreads a small seed and a rule id over the whole state.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A double in [0, 1) from the top 53 bits: the same on every standard library,
// unlike std::uniform_real_distribution.
double unit(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

std::optional<FaultError> parse_error(const json& j, bool action, std::string* error) {
  const std::string what = action ? "fail_action" : "error";
  FaultError e;
  if (j.is_string()) {
    e.code = j.get<std::string>();
  } else if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if (k == "code" && v.is_string()) {
        e.code = v.get<std::string>();
      } else if (k == "message" && v.is_string()) {
        e.message = v.get<std::string>();
      } else if (k == "status" && !action && v.is_number_integer()) {
        e.status = v.get<int>();
      } else if (k == "details" && !action && v.is_object()) {
        e.details = v;
      } else {
        *error = what + ": unknown or mistyped field '" + k + "'";
        return std::nullopt;
      }
    }
  } else {
    *error = what + " must be an error code or an object";
    return std::nullopt;
  }
  if (action) {
    // The example the API documentation gives for a failed action.
    if (e.code.empty()) e.code = "action_failed";
    if (e.message.empty()) e.message = "Action failed";
    return e;
  }
  if (e.code.empty()) {
    *error = "error: code is required";
    return std::nullopt;
  }
  if (e.status == 0) {
    auto it = code_statuses().find(e.code);
    if (it == code_statuses().end()) {
      *error = "error: status is required for the unknown code '" + e.code + "'";
      return std::nullopt;
    }
    e.status = it->second;
  }
  if (e.status < 400 || e.status > 599) {
    *error = "error: status must be 400..599";
    return std::nullopt;
  }
  if (e.message.empty()) e.message = "injected fault: " + e.code;
  // hcloud-go drops the typed error of an invalid_input without fields.
  if (e.code == "invalid_input" && !e.details.contains("fields"))
    e.details["fields"] = json::array();
  return e;
}

json error_json(const FaultError& e, bool action) {
  json j = {{"code", e.code}, {"message", e.message}};
  if (!action) {
    j["status"] = e.status;
    j["details"] = e.details;
  }
  return j;
}

}  // namespace

bool glob_match(const std::string& pattern, const std::string& text) {
  // Iterative matcher with one backtrack point: linear enough for paths.
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::optional<FaultRule> parse_fault_rule(const json& j, std::string* error) {
  if (!j.is_object()) {
    *error = "a rule must be an object";
    return std::nullopt;
  }
  FaultRule r;
  bool have_match = false;
  for (auto& [k, v] : j.items()) {
    auto bad = [&, key = k](const std::string& why) {
      *error = key + ": " + why;
      return std::nullopt;
    };
    if (k == "match") {
      if (!v.is_string()) return bad("must be a string such as \"POST /v1/servers\"");
      std::string m = v.get<std::string>();
      auto sp = m.find(' ');
      if (sp != std::string::npos) {
        r.method = m.substr(0, sp);
        r.path = m.substr(m.find_first_not_of(' ', sp) == std::string::npos
                              ? m.size()
                              : m.find_first_not_of(' ', sp));
      } else {
        r.path = m;
      }
      for (auto& ch : r.method)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      static const std::set<std::string> methods = {"*", "GET", "POST", "PUT", "DELETE", "PATCH"};
      if (!methods.count(r.method)) return bad("unknown method '" + r.method + "'");
      if (r.path.empty() || (r.path[0] != '/' && r.path[0] != '*'))
        return bad("the path must start with / (e.g. /v1/servers)");
      have_match = true;
    } else if (k == "latency_ms") {
      if (!v.is_number() || v.get<double>() < 0) return bad("must be a number >= 0");
      r.latency_ms = v.get<double>();
    } else if (k == "error") {
      auto e = parse_error(v, false, error);
      if (!e) return std::nullopt;
      r.error = e;
    } else if (k == "fail_action") {
      if (v.is_boolean()) {
        if (v.get<bool>()) r.fail_action = parse_error(json::object(), true, error);
      } else {
        auto e = parse_error(v, true, error);
        if (!e) return std::nullopt;
        r.fail_action = e;
      }
    } else if (k == "drop") {
      if (!v.is_boolean()) return bad("must be true or false");
      r.drop = v.get<bool>();
    } else if (k == "probability") {
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1)
        return bad("must be a number from 0 to 1");
      r.probability = v.get<double>();
    } else if (k == "after") {
      if (!v.is_number_integer() || v.get<int64_t>() < 0) return bad("must be an integer >= 0");
      r.after = v.get<int64_t>();
    } else if (k == "count") {
      if (!v.is_number_integer() || v.get<int64_t>() < 0) return bad("must be an integer >= 0");
      r.count = v.get<int64_t>();
    } else if (k == "seed") {
      if (!(v.is_number_integer() && v.get<int64_t>() >= 0)) return bad("must be an integer >= 0");
      r.seed = v.get<uint64_t>();
    } else if (k == "id" || k == "matches" || k == "fired") {
      // Written by GET /_kiln/faults; accepted so that its output can be fed back.
    } else {
      return bad("unknown field");
    }
  }
  if (!have_match) {
    *error = "match is required (e.g. \"POST /v1/servers\")";
    return std::nullopt;
  }
  int outcomes = (r.error ? 1 : 0) + (r.drop ? 1 : 0) + (r.fail_action ? 1 : 0);
  if (outcomes > 1) {
    *error = "a rule has at most one of error, drop and fail_action";
    return std::nullopt;
  }
  if (outcomes == 0 && r.latency_ms <= 0) {
    *error = "a rule needs latency_ms, error, drop or fail_action";
    return std::nullopt;
  }
  return r;
}

json fault_rule_json(const FaultRule& r) {
  json j = {{"id", r.id}, {"match", r.method + " " + r.path}};
  if (r.latency_ms > 0) j["latency_ms"] = r.latency_ms;
  if (r.error) j["error"] = error_json(*r.error, false);
  if (r.drop) j["drop"] = true;
  if (r.fail_action) j["fail_action"] = error_json(*r.fail_action, true);
  j["probability"] = r.probability;
  j["after"] = r.after;
  if (r.count >= 0) j["count"] = r.count;
  if (r.seed) j["seed"] = *r.seed;
  j["matches"] = r.matches;
  j["fired"] = r.fired;
  return j;
}

namespace {

// The rules of a document: one rule, an array, or {"seed", "rules"}.
bool parse_doc(const json& doc, std::optional<uint64_t>* seed, std::vector<FaultRule>* out,
               std::string* error) {
  const json* rules = &doc;
  if (doc.is_object() && !doc.contains("match")) {
    for (auto& [k, v] : doc.items()) {
      if (k == "seed") {
        if (!(v.is_number_integer() && v.get<int64_t>() >= 0)) {
          *error = "seed: must be an integer >= 0";
          return false;
        }
        *seed = v.get<uint64_t>();
      } else if (k != "rules") {
        *error = "unknown field '" + k + "' (a document has seed and rules)";
        return false;
      }
    }
    static const json none = json::array();
    rules = doc.contains("rules") ? &doc["rules"] : &none;
  }
  if (rules->is_object()) {
    auto r = parse_fault_rule(*rules, error);
    if (!r) return false;
    out->push_back(std::move(*r));
    return true;
  }
  if (!rules->is_array()) {
    *error = "rules must be an array";
    return false;
  }
  for (size_t i = 0; i < rules->size(); ++i) {
    std::string e;
    auto r = parse_fault_rule((*rules)[i], &e);
    if (!r) {
      *error = "rule " + std::to_string(i + 1) + ": " + e;
      return false;
    }
    out->push_back(std::move(*r));
  }
  return true;
}

}  // namespace

void Faults::seed_rule(FaultRule& r) const {
  r.rng.seed(r.seed ? *r.seed : mix(seed_ ^ mix(static_cast<uint64_t>(r.id))));
}

bool Faults::load(const json& doc, std::string* error) {
  std::optional<uint64_t> seed;
  std::vector<FaultRule> rules;
  if (!parse_doc(doc, &seed, &rules, error)) return false;
  std::lock_guard<std::mutex> lock(mu_);
  seed_ = seed.value_or(1);
  next_id_ = 1;
  rules_.clear();
  for (auto& r : rules) {
    r.id = next_id_++;
    seed_rule(r);
    rules_.push_back(std::move(r));
  }
  return true;
}

bool Faults::load_file(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read " + path;
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  json doc = json::parse(ss.str(), nullptr, false, /*ignore_comments=*/true);
  if (doc.is_discarded()) {
    *error = path + ": not valid JSON";
    return false;
  }
  std::string e;
  if (!load(doc, &e)) {
    *error = path + ": " + e;
    return false;
  }
  return true;
}

std::optional<json> Faults::add(const json& doc, std::string* error) {
  std::optional<uint64_t> seed;
  std::vector<FaultRule> rules;
  if (!parse_doc(doc, &seed, &rules, error)) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  if (seed) seed_ = *seed;
  json added = json::array();
  for (auto& r : rules) {
    r.id = next_id_++;
    seed_rule(r);
    added.push_back(fault_rule_json(r));
    rules_.push_back(std::move(r));
  }
  return added;
}

bool Faults::remove(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it)
    if (it->id == id) {
      rules_.erase(it);
      return true;
    }
  return false;
}

void Faults::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
}

json Faults::to_json() const {
  std::lock_guard<std::mutex> lock(mu_);
  json rules = json::array();
  for (auto& r : rules_) rules.push_back(fault_rule_json(r));
  return {{"seed", seed_}, {"rules", rules}};
}

FaultDecision Faults::decide(const std::string& method, const std::string& path) {
  FaultDecision d;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& r : rules_) {
    if (r.method != "*" && r.method != method) continue;
    if (!glob_match(r.path, path)) continue;
    ++r.matches;
    if (r.matches <= r.after) continue;
    if (r.count >= 0 && r.fired >= r.count) continue;
    // Once a rule decided the outcome, later outcome rules are not spent.
    bool has_outcome = r.error || r.drop || r.fail_action;
    if (has_outcome && (d.error || d.drop || d.fail_action)) continue;
    // Rolled only for eligible matches, so `after` and `count` do not shift
    // the stream of the matches that may fire.
    if (r.probability < 1 && !(unit(r.rng) < r.probability)) continue;
    ++r.fired;
    d.fired.push_back(r.id);
    d.latency_ms += r.latency_ms;
    if (r.error) d.error = r.error;
    if (r.drop) d.drop = true;
    if (r.fail_action) d.fail_action = r.fail_action;
  }
  return d;
}

}  // namespace kiln::local
