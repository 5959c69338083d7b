// HTTP transport for the Hetzner Cloud API: libcurl easy handles reused per
// client (connection reuse), TLS verification, timeouts, bearer token and a
// kiln/<version> user agent.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hcloud/clock.h"
#include "hcloud/error.h"

namespace hcloud {

inline constexpr std::string_view kDefaultEndpoint = "https://api.hetzner.cloud/v1";

enum class Method { kGet, kPost, kPut, kDelete };
std::string_view method_name(Method m);

struct HttpRequest {
  Method method = Method::kGet;
  std::string target;               // path and query below the endpoint: "/servers?page=1"
  std::optional<std::string> body;  // JSON; nullopt sends no body (POST: Content-Length 0)
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // keys lower-case
  std::string body;
  // Empty when absent.
  std::string header(std::string_view lower_name) const;
};

struct TransportOptions {
  std::string endpoint;  // resolved, without trailing '/'
  std::string token;     // may be empty: no Authorization header
  std::string user_agent;
  Duration connect_timeout{10'000};
  Duration request_timeout{60'000};
  // PEM file of the CAs to trust instead of the system's store (a private
  // endpoint); empty: the system's CA store. Verification is never off.
  std::string ca_file;
};

// The endpoint from the option, else HCLOUD_ENDPOINT, else the public API;
// a trailing '/' is dropped.
std::string resolve_endpoint(std::string_view option);
// The token from the option, else HCLOUD_TOKEN.
std::string resolve_token(std::string_view option);
// "kiln/<version>".
std::string default_user_agent();

class Transport {
 public:
  explicit Transport(TransportOptions options);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Any HTTP answer is a value; only the failure to get one is an Error
  // (kind kNetwork, outcome_unknown when request bytes had been sent).
  Result<HttpResponse> send(const HttpRequest& request);

  const TransportOptions& options() const { return options_; }

 private:
  void* acquire();
  void release(void* handle);

  TransportOptions options_;
  std::optional<Error> config_error_;
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles kept with their connections
  void* share_ = nullptr;    // CURLSH*: DNS, TLS sessions and connections
  std::mutex share_mu_[8];
};

}  // namespace hcloud
