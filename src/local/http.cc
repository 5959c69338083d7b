#include "local/http.h"

#include <httplib.h>
#include <signal.h>

#include "local/control.h"
#include "local/fault_drop.h"
#include "local/query.h"

namespace kiln::local {

struct HttpServer::Impl {
  Api& api;
  httplib::Server server;
  explicit Impl(Api& a) : api(a) {}

  void serve(const httplib::Request& req, httplib::Response& res) {
    ApiRequest r;
    r.method = req.method;
    r.path = req.path;
    // Parsed as the real API (Go) does, not by cpp-httplib (see query.h).
    if (size_t q = req.target.find('?'); q != std::string::npos)
      r.query = parse_query(std::string_view(req.target).substr(q + 1));
    r.authorization = req.get_header_value("Authorization");
    r.host = req.get_header_value("Host");
    r.body = req.body;
    ApiResponse out = req.path.rfind("/_kiln/", 0) == 0
                          ? handle_control(api.faults(), api.counters(), r, req.remote_addr,
                                           [this] { return api.action_timeline(); })
                          : api.handle(r);
    if (out.drop) {
      // cpp-httplib still writes its response, into a socket already shut down.
      shutdown_connection(req.local_port, req.remote_addr, req.remote_port);
      res.status = 500;
      res.set_header("Connection", "close");
      return;
    }
    res.status = out.status;
    for (const auto& [k, v] : out.headers) res.set_header(k, v);
    if (!out.body.empty()) res.set_content(out.body, "application/json");
  }
};

HttpServer::HttpServer(Api& api) : impl_(std::make_unique<Impl>(api)) {
  // cpp-httplib sends without MSG_NOSIGNAL: a write to a connection the client
  // (or a dropping fault) closed must fail with EPIPE, not kill the process.
  signal(SIGPIPE, SIG_IGN);
  // Without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms per keep-alive reply.
  impl_->server.set_tcp_nodelay(true);
  impl_->server.set_keep_alive_max_count(1000);
  auto h = [this](const httplib::Request& req, httplib::Response& res) { impl_->serve(req, res); };
  impl_->server.Get(".*", h);
  impl_->server.Post(".*", h);
  impl_->server.Put(".*", h);
  impl_->server.Delete(".*", h);
  impl_->server.Patch(".*", h);
}

HttpServer::~HttpServer() = default;

int HttpServer::bind(const std::string& host, int port, std::string* error) {
  int bound = -1;
  if (port == 0) {
    bound = impl_->server.bind_to_any_port(host);
  } else if (impl_->server.bind_to_port(host, port)) {
    bound = port;
  }
  if (bound <= 0) {
    *error =
        "cannot listen on " + host + ":" + std::to_string(port) + " (address in use or not local?)";
    return -1;
  }
  return bound;
}

bool HttpServer::run() {
  return impl_->server.listen_after_bind();
}
void HttpServer::stop() {
  impl_->server.stop();
}

}  // namespace kiln::local
