#include "hcloud/client.h"

#include <algorithm>

#include <fmt/format.h>

#include "hcloud/actions.h"
#include "hcloud/firewalls.h"
#include "hcloud/images.h"
#include "hcloud/locations.h"
#include "hcloud/networks.h"
#include "hcloud/primary_ips.h"
#include "hcloud/server_types.h"
#include "hcloud/servers.h"
#include "hcloud/ssh_keys.h"

namespace hcloud {

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Query& Query::add(std::string key, std::string value) {
  params_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Query& Query::add(std::string key, std::int64_t value) {
  return add(std::move(key), std::to_string(value));
}

std::string Query::encode() const {
  if (params_.empty()) return {};
  auto sorted = params_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out = "?";
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i) out += '&';
    out += percent_encode(sorted[i].first);
    out += '=';
    out += percent_encode(sorted[i].second);
  }
  return out;
}

namespace detail {

std::string request_name(Method method, std::string_view path) {
  return fmt::format("{} {}", method_name(method), path);
}

Status delete_by_id(Client& c, const std::string& base, std::int64_t id) {
  auto r =
      c.call(Method::kDelete, base + "/" + std::to_string(id), {}, nullptr, Safety::kIdempotent);
  // A retried delete whose first attempt landed finds nothing left.
  if (!r.ok() && !(r.error().not_found() && r.error().attempts > 1)) return std::move(r).error();
  return Unit{};
}

Json update_body(const std::optional<std::string>& name, const std::optional<Labels>& labels) {
  Json body = Json::object();
  if (name) body["name"] = *name;
  if (labels) body["labels"] = *labels;
  return body;
}

bool has_labels(const Labels& have, const Labels& want) {
  return std::all_of(want.begin(), want.end(), [&](const auto& kv) {
    auto it = have.find(kv.first);
    return it != have.end() && it->second == kv.second;
  });
}

}  // namespace detail

Client::Client(ClientOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? options_.clock : std::make_shared<RealClock>()),
      logger_(options_.logger ? options_.logger : Logger::from_env()),
      transport_(
          TransportOptions{resolve_endpoint(options_.endpoint), resolve_token(options_.token),
                           options_.user_agent.empty() ? default_user_agent() : options_.user_agent,
                           options_.connect_timeout, options_.request_timeout, options_.ca_file}),
      rng_(options_.seed ? options_.seed : std::random_device{}()) {
  logger_->add_secret(transport_.options().token);
}

Client::~Client() = default;

Duration Client::backoff(int attempt) {
  std::lock_guard lock(rng_mu_);
  return options_.retry.backoff(attempt, rng_);
}

Result<Json> Client::call(Method method, std::string_view path, const Query& query,
                          const Json* body, Safety safety) {
  HttpRequest req;
  req.method = method;
  req.target = std::string(path) + query.encode();
  if (body) req.body = body->dump();
  const std::string name = detail::request_name(method, req.target);

  for (int attempt = 0;; ++attempt) {
    Duration wait = limiter_.acquire(clock_->now());
    if (wait.count() > 0) {
      auto b = limiter_.budget(clock_->now());
      logger_->debug(fmt::format("rate limit low ({}/{} left), waiting {} ms before {}",
                                 b.remaining, b.limit, wait.count(), name));
      clock_->sleep_for(wait);
    }
    auto start = std::chrono::steady_clock::now();
    auto sent = transport_.send(req);
    auto ms = std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - start);

    Error err;
    if (sent.ok()) {
      const HttpResponse& resp = sent.value();
      limiter_.observe(resp, clock_->now());
      auto b = limiter_.budget(clock_->now());
      logger_->debug(fmt::format("{} -> {} ({} ms) ratelimit {}/{}", name, resp.status, ms.count(),
                                 b.remaining, b.limit));
      const std::string content_type = resp.header("content-type");
      if (resp.status >= 200 && resp.status < 300) {
        if (resp.body.empty()) return Json(nullptr);
        if (content_type.rfind("application/json", 0) != 0)
          return malformed(name, fmt::format("HTTP {} with content type \"{}\" instead of JSON",
                                             resp.status, content_type));
        auto j = Json::parse(resp.body, nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded())
          return malformed(name,
                           fmt::format("HTTP {} with a body that is not valid JSON", resp.status));
        return j;
      }
      err = error_from_response(name, resp.status, content_type, resp.body,
                                resp.header("x-correlation-id"));
      if (resp.status == 429 || err.is("rate_limit_exceeded")) limiter_.exhausted(clock_->now());
    } else {
      err = std::move(sent).error();
      logger_->debug(fmt::format("{} -> {} ({} ms)", name, err.message, ms.count()));
    }
    err.attempts = attempt + 1;
    if (!options_.retry.should_retry(err, safety, attempt)) {
      if (safety != Safety::kIdempotent && outcome_unknown(err)) err.outcome_unknown = true;
      if (err.kind == ErrorKind::kApi && not_applied(err)) err.outcome_unknown = false;
      return err;
    }
    Duration delay = backoff(attempt);
    logger_->debug(fmt::format("{}: retrying in {} ms after {}", name, delay.count(),
                               err.code.empty() ? err.message : err.code));
    clock_->sleep_for(delay);
  }
}

Result<std::vector<Json>> Client::list_all(std::string_view path, std::string_view key, Query query,
                                           const ListOpts& opts) {
  if (!opts.name.empty()) query.add("name", opts.name);
  if (!opts.label_selector.empty()) query.add("label_selector", opts.label_selector);
  for (const auto& s : opts.sort) query.add("sort", s);
  int per_page = opts.per_page > 0 ? opts.per_page : options_.per_page;
  query.add("per_page", per_page);
  std::vector<Json> out;
  std::int64_t page = opts.page > 0 ? opts.page : 1;
  for (int guard = 0; guard < 10'000; ++guard) {
    Query q = query;
    q.add("page", page);
    std::string request = detail::request_name(Method::kGet, std::string(path) + q.encode());
    auto r = call(Method::kGet, path, q, nullptr, Safety::kIdempotent);
    if (!r.ok()) return std::move(r).error();
    const Json& j = r.value();
    if (!j.is_object()) return malformed(request, "the answer is not a JSON object");
    auto it = j.find(key);
    if (it == j.end() || !it->is_array())
      return malformed(request, fmt::format("the answer has no \"{}\" array", key));
    for (auto& e : *it) out.push_back(e);
    if (opts.page > 0) break;
    // Follow next_page; stop when it is missing, null, 0 or not ahead.
    auto meta = j.find("meta");
    if (meta == j.end() || !meta->is_object()) break;
    auto pag = meta->find("pagination");
    if (pag == meta->end() || !pag->is_object()) break;
    auto next = pag->find("next_page");
    if (next == pag->end() || !next->is_number_integer()) break;
    std::int64_t n = next->get<std::int64_t>();
    if (n <= page) break;
    page = n;
  }
  return out;
}

Actions Client::actions() {
  return Actions(*this);
}
Servers Client::servers() {
  return Servers(*this);
}
Images Client::images() {
  return Images(*this);
}
SshKeys Client::ssh_keys() {
  return SshKeys(*this);
}
ServerTypes Client::server_types() {
  return ServerTypes(*this);
}
Locations Client::locations() {
  return Locations(*this);
}
PrimaryIps Client::primary_ips() {
  return PrimaryIps(*this);
}
Networks Client::networks() {
  return Networks(*this);
}
Firewalls Client::firewalls() {
  return Firewalls(*this);
}

}  // namespace hcloud
