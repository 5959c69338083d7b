// The Hetzner Cloud API client: one per token and endpoint. Requests go
// through the rate limiter, the transport and the retry policy; answers are
// checked and parsed, failures are Error values naming the request.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hcloud/clock.h"
#include "hcloud/error.h"
#include "hcloud/log.h"
#include "hcloud/models.h"
#include "hcloud/ratelimit.h"
#include "hcloud/retry.h"
#include "hcloud/transport.h"

namespace hcloud {

struct ClientOptions {
  std::string endpoint;    // empty: HCLOUD_ENDPOINT, else the public API
  std::string token;       // empty: HCLOUD_TOKEN
  std::string user_agent;  // empty: kiln/<version>
  Duration connect_timeout{10'000};
  Duration request_timeout{60'000};
  std::string ca_file;  // PEM CAs to trust instead of the system's (private endpoints)
  RetryPolicy retry;
  std::shared_ptr<Clock> clock;    // null: the real clock
  std::shared_ptr<Logger> logger;  // null: from PACKER_LOG / PACKER_LOG_PATH
  std::uint64_t seed = 0;          // jitter seed; 0: random
  int per_page = 50;               // page size when listing everything
};

// Query parameters; encoded sorted by key (stable), percent-escaped.
class Query {
 public:
  Query& add(std::string key, std::string value);
  Query& add(std::string key, std::int64_t value);
  bool empty() const { return params_.empty(); }
  // "" or "?a=1&b=x%20y".
  std::string encode() const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

std::string percent_encode(std::string_view s);

// Options every list takes.
struct ListOpts {
  std::string name;               // exact name filter
  std::string label_selector;     // e.g. "kiln.run=abc,env in (a,b)"
  std::vector<std::string> sort;  // "id", "name:desc", ...
  int page = 0;                   // 0: every page; otherwise only this page
  int per_page = 0;               // 0: the client's default
};

class Actions;
class Servers;
class Images;
class SshKeys;
class ServerTypes;
class Locations;
class PrimaryIps;
class Networks;
class Firewalls;

class Client {
 public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends one request with rate limiting and retries. The answer's JSON, or
  // null for an empty body (204).
  Result<Json> call(Method method, std::string_view path, const Query& query, const Json* body,
                    Safety safety);

  // GETs `path` page by page (following meta.pagination.next_page) and
  // returns the elements of `key` from every page.
  Result<std::vector<Json>> list_all(std::string_view path, std::string_view key, Query query,
                                     const ListOpts& opts);

  const std::string& endpoint() const { return transport_.options().endpoint; }
  Clock& clock() { return *clock_; }
  const std::shared_ptr<Clock>& clock_ptr() const { return clock_; }
  Logger& logger() { return *logger_; }
  RateLimiter& rate_limiter() { return limiter_; }
  const RetryPolicy& retry_policy() const { return options_.retry; }
  Duration backoff(int attempt);

  Actions actions();
  Servers servers();
  Images images();
  SshKeys ssh_keys();
  ServerTypes server_types();
  Locations locations();
  PrimaryIps primary_ips();
  Networks networks();
  Firewalls firewalls();

 private:
  ClientOptions options_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<Logger> logger_;
  Transport transport_;
  RateLimiter limiter_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_;
};

// Helpers shared by the resource files.
namespace detail {

std::string request_name(Method method, std::string_view path);

// The object under `key` of an answer, parsed.
template <class T>
Result<T> member(const Result<Json>& r, const char* key,
                 Result<T> (*parse)(const Json&, const std::string&), const std::string& request) {
  if (!r.ok()) return r.error();
  const Json& j = r.value();
  if (!j.is_object() || !j.contains(key) || j[key].is_null())
    return malformed(request, std::string("the answer has no \"") + key + "\"");
  return parse(j[key], request);
}

template <class T>
Result<std::vector<T>> parse_all(const Result<std::vector<Json>>& r,
                                 Result<T> (*parse)(const Json&, const std::string&),
                                 const std::string& request) {
  if (!r.ok()) return r.error();
  std::vector<T> out;
  out.reserve(r.value().size());
  for (const auto& j : r.value()) {
    auto v = parse(j, request);
    if (!v.ok()) return std::move(v).error();
    out.push_back(std::move(v).value());
  }
  return out;
}

// GET path/{id}; not_found gives an empty optional.
template <class T>
Result<std::optional<T>> get_by_id(Client& c, const std::string& base, std::int64_t id,
                                   const char* key,
                                   Result<T> (*parse)(const Json&, const std::string&)) {
  std::string path = base + "/" + std::to_string(id);
  auto r = c.call(Method::kGet, path, {}, nullptr, Safety::kIdempotent);
  if (!r.ok() && r.error().not_found()) return std::optional<T>();
  auto v = member(r, key, parse, request_name(Method::kGet, path));
  if (!v.ok()) return std::move(v).error();
  return std::optional<T>(std::move(v).value());
}

// GET path?<param>=value, the first match.
template <class T>
Result<std::optional<T>> get_by_param(Client& c, const std::string& base, const char* list_key,
                                      Query q,
                                      Result<T> (*parse)(const Json&, const std::string&)) {
  ListOpts one;
  one.page = 1;
  auto r = c.list_all(base, list_key, std::move(q), one);
  auto v = parse_all(r, parse, request_name(Method::kGet, base));
  if (!v.ok()) return std::move(v).error();
  if (v.value().empty()) return std::optional<T>();
  return std::optional<T>(std::move(v.value().front()));
}

// DELETE path/{id}, for resources answering 204.
Status delete_by_id(Client& c, const std::string& base, std::int64_t id);

// The JSON body of a labels/name update.
Json update_body(const std::optional<std::string>& name, const std::optional<Labels>& labels);

// Whether `have` carries every label of `want`.
bool has_labels(const Labels& have, const Labels& want);

// POSTs a create whose outcome may be unknown (timeout, dropped connection,
// 5xx). Instead of resending, `lookup` searches the resource (by its unique
// name, checked against its labels); only when it is certainly absent, and
// `resend_if_absent` (the name is unique per project, so a late first
// request cannot make a duplicate), is the create sent again.
template <class T, class Parse, class Lookup>
Result<T> create_reconciled(Client& c, const std::string& path, const Json& body, Parse parse,
                            Lookup lookup, bool resend_if_absent) {
  std::string request = request_name(Method::kPost, path);
  auto r = c.call(Method::kPost, path, {}, &body, Safety::kCreate);
  if (r.ok()) return parse(r.value(), request);
  Error first = std::move(r).error();
  if (!first.outcome_unknown) return first;
  Error last = first;
  for (int attempt = 0; attempt < c.retry_policy().max_retries; ++attempt) {
    c.clock().sleep_for(c.backoff(attempt));
    c.logger().debug(request + ": outcome unknown (" + last.message + "), looking the resource up");
    Result<std::optional<T>> found = lookup();
    if (!found.ok()) return last;  // cannot tell; never resend blindly
    if (found.value()) {
      c.logger().debug(request + ": reconciled with the existing resource");
      return std::move(*found.value());
    }
    if (!resend_if_absent) return last;
    auto again = c.call(Method::kPost, path, {}, &body, Safety::kCreate);
    if (again.ok()) return parse(again.value(), request);
    last = std::move(again).error();
    if (last.is("uniqueness_error")) {
      // The earlier request landed after all.
      Result<std::optional<T>> late = lookup();
      if (late.ok() && late.value()) return std::move(*late.value());
      return last;
    }
    if (!last.outcome_unknown) return last;
  }
  return last;
}

}  // namespace detail
}  // namespace hcloud
