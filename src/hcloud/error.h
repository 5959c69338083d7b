// Errors of the Hetzner Cloud client, as values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace hcloud {

enum class ErrorKind {
  kApi,           // the API answered with an error envelope (or a bare error status)
  kNetwork,       // no usable HTTP answer: connect failure, timeout, dropped connection
  kMalformed,     // the answer was not what the API documents (bad JSON, missing field)
  kActionFailed,  // an action finished with status "error"
  kCancelled,     // the caller cancelled
  kConfig,        // bad client options (e.g. a token with control characters)
};

// One entry of details.fields (invalid_input, uniqueness_error).
struct FieldError {
  std::string name;
  std::vector<std::string> messages;
};

struct Error {
  ErrorKind kind = ErrorKind::kApi;
  int http_status = 0;  // 0 when there was no HTTP answer
  std::string code;     // API error code, e.g. "invalid_input"
  std::string message;  // human text
  std::vector<FieldError> fields;
  nlohmann::json details;      // the raw details object (null if absent)
  std::string request;         // "POST /servers", names the failed request
  std::string correlation_id;  // X-Correlation-Id of the answer, if any
  // True when the request may have been carried out although no success
  // answer arrived (timeout after sending, dropped connection, 5xx on a POST).
  bool outcome_unknown = false;
  int attempts = 1;  // requests sent, retries included

  bool is(std::string_view c) const { return code == c; }
  bool not_found() const { return kind == ErrorKind::kApi && code == "not_found"; }
  // "hcloud: POST /servers: name is already used (uniqueness_error, HTTP 409)".
  std::string to_string() const;
};

// Builds an Error from an HTTP answer that is not a success. A body that is
// not the documented envelope still gives an error with the status.
Error error_from_response(std::string request, int status, std::string_view content_type,
                          std::string_view body, std::string correlation_id);

Error malformed(std::string request, std::string what);

// A value or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Unit {};
using Status = Result<Unit>;

}  // namespace hcloud
