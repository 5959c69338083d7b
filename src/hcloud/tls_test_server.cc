#include "hcloud/tls_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace hcloud::testing {
namespace {

std::string openssl_error(const char* what) {
  char buf[256] = {0};
  unsigned long e = ERR_get_error();
  if (e) ERR_error_string_n(e, buf, sizeof buf);
  return fmt::format("{}: {}", what, buf[0] ? buf : "unknown OpenSSL error");
}

bool add_ext(X509* cert, int nid, const char* value) {
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

TlsTestServer::TlsTestServer(std::string body) : body_(std::move(body)) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key) {
    error_ = openssl_error("generating a key");
    return;
  }
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("kiln test 127.0.0.1"), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), name);
  if (!add_ext(cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !add_ext(cert.get(), NID_subject_alt_name, "IP:127.0.0.1") ||
      !add_ext(cert.get(), NID_subject_key_identifier, "hash") ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    error_ = openssl_error("making the certificate");
    return;
  }

  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/kiln-tls-ca-XXXXXX";
  int fd = ::mkstemp(path.data());
  if (fd < 0) {
    error_ = "cannot create a temporary CA file in " + path;
    return;
  }
  ca_file_ = path;
  FILE* f = ::fdopen(fd, "w");
  if (!f || PEM_write_X509(f, cert.get()) != 1) {
    if (f) std::fclose(f);
    error_ = openssl_error("writing the CA file");
    return;
  }
  std::fclose(f);

  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  ctx_ = ctx;
  if (!ctx || SSL_CTX_use_certificate(ctx, cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, key.get()) != 1) {
    error_ = openssl_error("setting up the TLS context");
    return;
  }

  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    error_ = "cannot listen on 127.0.0.1";
    return;
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TlsTestServer::~TlsTestServer() {
  stop_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (ctx_) SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
  if (!ca_file_.empty()) ::unlink(ca_file_.c_str());
}

std::string TlsTestServer::endpoint() const {
  return fmt::format("https://127.0.0.1:{}/v1", port_);
}

void TlsTestServer::accept_loop() {
  // A client that refuses the certificate hangs up while OpenSSL may still
  // write (alerts, session tickets): get EPIPE rather than a process-wide
  // SIGPIPE. SIGPIPE from a write goes to the writing thread, this one.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    serve(fd);  // one connection at a time is enough for these tests
    ::close(fd);
  }
}

void TlsTestServer::serve(int fd) {
  timeval tv{5, 0};  // a silent client cannot hold the server past the test
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ctx_));
  if (!ssl) return;
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) != 1) {
    ++failed_;
    SSL_free(ssl);
    ERR_clear_error();
    return;
  }
  // Serve requests on this connection (keep-alive) until the client closes it.
  std::string buf;
  while (!stop_) {
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      char tmp[4096];
      int n = SSL_read(ssl, tmp, sizeof tmp);
      if (n <= 0) {
        SSL_free(ssl);
        ERR_clear_error();
        return;
      }
      buf.append(tmp, static_cast<size_t>(n));
    }
    buf.erase(0, end + 4);  // the tests only send bodiless GETs
    std::string reply = fmt::format(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
        body_.size(), body_);
    ++answered_;  // before the client can see the answer
    if (SSL_write(ssl, reply.data(), static_cast<int>(reply.size())) <= 0) break;
  }
  SSL_shutdown(ssl);
  SSL_free(ssl);
  ERR_clear_error();
}

}  // namespace hcloud::testing
