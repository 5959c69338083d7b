// Errors of the SSH communicator, as values. Every error names the host,
// port and user it concerns and the step that failed.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ssh {

enum class ErrorKind {
  kConnect,       // TCP connect, handshake or timeout reaching the host
  kAuth,          // the server refused every offered credential
  kHostKey,       // host key verification failed
  kChannel,       // opening a session/channel or running a command failed
  kDisconnected,  // the session dropped while in use
  kSftp,          // a file transfer failed on the remote side
  kLocalIo,       // a local file could not be read or written
  kConfig,        // bad options (missing key file, unknown key type)
  kTimeout,       // a deadline passed
};

struct Error {
  ErrorKind kind = ErrorKind::kConnect;
  std::string host;
  int port = 0;
  std::string user;
  std::string step;     // "connect", "authenticate", "exec", "upload /etc/x", ...
  std::string message;  // human text, never a secret
  int attempts = 0;     // connection attempts made, when relevant (0 = not counted)

  // "ssh root@10.0.0.1:22: authenticate: permission denied (publickey)".
  std::string to_string() const;
};

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

}  // namespace ssh
