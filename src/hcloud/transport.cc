#include "hcloud/transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

#ifndef KILN_VERSION
#define KILN_VERSION "0.0.0"
#endif

namespace hcloud {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    headers->clear();  // a new answer (after 100 Continue or a redirect)
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string key(line.substr(0, colon));
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  (*headers)[std::move(key)] = std::string(value);
  return size * n;
}

void lock_share(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  auto* mus = static_cast<std::mutex*>(user);
  mus[static_cast<int>(data) % 8].lock();
}

void unlock_share(CURL*, curl_lock_data data, void* user) {
  auto* mus = static_cast<std::mutex*>(user);
  mus[static_cast<int>(data) % 8].unlock();
}

bool valid_header_value(std::string_view v) {
  return std::none_of(v.begin(), v.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

}  // namespace

std::string_view method_name(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kDelete:
      return "DELETE";
  }
  return "GET";
}

std::string HttpResponse::header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

std::string resolve_endpoint(std::string_view option) {
  std::string e(option);
  if (e.empty()) {
    const char* env = std::getenv("HCLOUD_ENDPOINT");
    e = env && *env ? env : std::string(kDefaultEndpoint);
  }
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

std::string resolve_token(std::string_view option) {
  if (!option.empty()) return std::string(option);
  const char* env = std::getenv("HCLOUD_TOKEN");
  return env ? std::string(env) : std::string();
}

std::string default_user_agent() {
  return std::string("kiln/") + KILN_VERSION;
}

namespace {

bool tls_verification_failure(CURLcode rc) {
  return rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE ||
         rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_SSL_ISSUER_ERROR ||
         rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}

}  // namespace

Transport::Transport(TransportOptions options) : options_(std::move(options)) {
  global_init();
  if (!valid_header_value(options_.token)) {
    Error e;
    e.kind = ErrorKind::kConfig;
    e.message = "the API token contains characters that are not allowed in an HTTP header";
    config_error_ = std::move(e);
  }
  CURLSH* share = curl_share_init();
  if (share) {
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, lock_share);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, unlock_share);
    curl_share_setopt(share, CURLSHOPT_USERDATA, share_mu_);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    share_ = share;
  }
}

Transport::~Transport() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
  if (share_) curl_share_cleanup(static_cast<CURLSH*>(share_));
}

void* Transport::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      void* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  return curl_easy_init();
}

void Transport::release(void* handle) {
  std::lock_guard lock(mu_);
  idle_.push_back(handle);
}

Result<HttpResponse> Transport::send(const HttpRequest& request) {
  std::string name = fmt::format("{} {}", method_name(request.method), request.target);
  if (config_error_) {
    Error e = *config_error_;
    e.request = name;
    return e;
  }
  CURL* curl = static_cast<CURL*>(acquire());
  if (!curl) {
    Error e;
    e.kind = ErrorKind::kNetwork;
    e.request = name;
    e.message = "could not initialise libcurl";
    return e;
  }
  curl_easy_reset(curl);  // keeps the connection cache
  std::string url = options_.endpoint + request.target;
  HttpResponse response;
  char errbuf[CURL_ERROR_SIZE] = {0};

  curl_slist* headers = nullptr;
  std::string auth;
  if (!options_.token.empty()) {
    auth = "Authorization: Bearer " + options_.token;
    headers = curl_slist_append(headers, auth.c_str());
  }
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");
  if (request.body) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
  } else {
    headers = curl_slist_append(headers, "Content-Type:");  // curl would add a form type
  }

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  if (share_) curl_easy_setopt(curl, CURLOPT_SHARE, static_cast<CURLSH*>(share_));

  switch (request.method) {
    case Method::kGet:
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
      break;
    case Method::kPost:
    case Method::kPut:
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      if (request.method == Method::kPut) curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
      if (request.body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body->size()));
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body->data());
      } else {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
      }
      break;
    case Method::kDelete:
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "DELETE");
      break;
  }

  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  long request_size = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_size);
  curl_slist_free_all(headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  release(curl);

  if (rc != CURLE_OK) {
    Error e;
    e.kind = ErrorKind::kNetwork;
    e.request = std::move(name);
    e.code = rc == CURLE_OPERATION_TIMEDOUT ? "network_timeout" : "network_error";
    e.message = errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(rc));
    if (tls_verification_failure(rc)) {
      // Not transient: retrying cannot help, and nothing was sent.
      e.code = "tls_verification_failed";
      e.message = fmt::format(
          "the TLS certificate of {} could not be verified ({}){}", options_.endpoint, e.message,
          options_.ca_file.empty() ? "; for a private CA, set the CA file option"
                                   : "; CA file: " + options_.ca_file);
      e.outcome_unknown = false;
      return e;
    }
    // Once request bytes left, the API may have acted on them.
    e.outcome_unknown = request_size > 0;
    return e;
  }
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace hcloud
