// Test support: an HTTPS server on 127.0.0.1 (ephemeral port) with a
// throwaway self-signed certificate for 127.0.0.1, made when the server is
// constructed. The certificate is written to a temporary PEM file (removed
// with the server) so a client can be told to trust it. Every request is
// answered with the same canned JSON body.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace hcloud::testing {

class TlsTestServer {
 public:
  // `body` is the JSON answered (HTTP 200) to every request.
  explicit TlsTestServer(std::string body);
  ~TlsTestServer();
  TlsTestServer(const TlsTestServer&) = delete;
  TlsTestServer& operator=(const TlsTestServer&) = delete;

  // Empty when the server could not be set up; error() then says why.
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // "https://127.0.0.1:<port>/v1"
  std::string endpoint() const;
  // The PEM file holding the self-signed certificate (its own CA).
  const std::string& ca_file() const { return ca_file_; }
  // Requests answered (TLS handshakes the client completed and a request read).
  int answered() const { return answered_.load(); }
  // Handshakes that failed (e.g. the client refused the certificate).
  int failed_handshakes() const { return failed_.load(); }

 private:
  void accept_loop();
  void serve(int fd);

  std::string body_;
  std::string error_;
  std::string ca_file_;
  void* ctx_ = nullptr;  // SSL_CTX*
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> answered_{0};
  std::atomic<int> failed_{0};
  std::thread acceptor_;
};

}  // namespace hcloud::testing
