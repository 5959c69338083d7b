#include "hcloud/test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include <fmt/format.h>

namespace hcloud::testing {
namespace {

std::string decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 422:
      return "Unprocessable Entity";
    case 423:
      return "Locked";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

bool send_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::vector<std::string> RecordedRequest::params(const std::string& key) const {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    size_t amp = query.find('&', start);
    std::string_view part(query.data() + start,
                          (amp == std::string::npos ? query.size() : amp) - start);
    auto eq = part.find('=');
    if (decode(part.substr(0, eq)) == key)
      out.push_back(eq == std::string_view::npos ? std::string() : decode(part.substr(eq + 1)));
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return out;
}

CannedResponse CannedResponse::json(int status, const nlohmann::json& body) {
  CannedResponse r;
  r.status = status;
  r.body = body.dump();
  return r;
}

CannedResponse CannedResponse::raw(int status, std::string content_type, std::string body) {
  CannedResponse r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

CannedResponse CannedResponse::error(int status, const std::string& code,
                                     const std::string& message, const nlohmann::json& details) {
  return json(status, {{"error", {{"code", code}, {"message", message}, {"details", details}}}});
}

CannedResponse CannedResponse::empty(int status) {
  CannedResponse r;
  r.status = status;
  r.content_type.clear();
  return r;
}

CannedResponse CannedResponse::drop() {
  CannedResponse r;
  r.behavior = Behavior::kDrop;
  return r;
}

CannedResponse CannedResponse::hang() {
  CannedResponse r;
  r.behavior = Behavior::kHang;
  return r;
}

CannedResponse& CannedResponse::with_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

CannedResponse& CannedResponse::with_rate_limit(long limit, long remaining, long reset_unix) {
  with_header("RateLimit-Limit", std::to_string(limit));
  with_header("RateLimit-Remaining", std::to_string(remaining));
  return with_header("RateLimit-Reset", std::to_string(reset_unix));
}

TestServer::TestServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(listen_fd_, 16);
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TestServer::~TestServer() {
  stop_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (auto& w : workers) w.join();
  ::close(listen_fd_);
}

std::string TestServer::endpoint() const {
  return fmt::format("http://127.0.0.1:{}/v1", port_);
}

void TestServer::push(CannedResponse response) {
  std::lock_guard lock(mu_);
  script_.push_back(std::move(response));
}

void TestServer::set_handler(std::function<CannedResponse(const RecordedRequest&)> handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

std::vector<RecordedRequest> TestServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t TestServer::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

size_t TestServer::pending() const {
  std::lock_guard lock(mu_);
  return script_.size();
}

CannedResponse TestServer::next(const RecordedRequest& r) {
  std::function<CannedResponse(const RecordedRequest&)> handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(r);
    if (!script_.empty()) {
      CannedResponse c = std::move(script_.front());
      script_.pop_front();
      return c;
    }
    handler = handler_;
  }
  if (handler) return handler(r);
  return CannedResponse::error(500, "server_error", "test script exhausted");
}

void TestServer::accept_loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mu_);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void TestServer::serve(int fd) {
  std::string buf;
  auto read_more = [&]() -> bool {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      int n = ::poll(&p, 1, 20);
      if (n < 0) return false;
      if (n == 0) continue;
      char tmp[16384];
      ssize_t got = ::recv(fd, tmp, sizeof tmp, 0);
      if (got <= 0) return false;
      buf.append(tmp, static_cast<size_t>(got));
      return true;
    }
    return false;
  };
  for (;;) {
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos)
      if (!read_more()) return (void)::close(fd);
    RecordedRequest r;
    std::string head = buf.substr(0, end);
    buf.erase(0, end + 4);
    size_t line_end = head.find("\r\n");
    std::string request_line = head.substr(0, line_end);
    auto sp1 = request_line.find(' ');
    auto sp2 = request_line.rfind(' ');
    r.method = request_line.substr(0, sp1);
    std::string target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (target.rfind("/v1", 0) == 0) target.erase(0, 3);
    r.target = target;
    auto q = target.find('?');
    r.path = target.substr(0, q);
    r.query = q == std::string::npos ? std::string() : target.substr(q + 1);
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      std::string line = head.substr(pos, e - pos);
      pos = e + 2;
      auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string key = line.substr(0, colon);
      std::transform(key.begin(), key.end(), key.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.headers[key] = value;
    }
    size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    while (buf.size() < length)
      if (!read_more()) return (void)::close(fd);
    r.body = buf.substr(0, length);
    buf.erase(0, length);

    CannedResponse c = next(r);
    if (c.behavior == CannedResponse::Behavior::kDrop) return (void)::close(fd);
    if (c.behavior == CannedResponse::Behavior::kHang) {
      while (read_more()) {
      }
      return (void)::close(fd);
    }
    std::string out = fmt::format("HTTP/1.1 {} {}\r\nContent-Length: {}\r\n", c.status,
                                  reason(c.status), c.body.size());
    if (!c.body.empty() && !c.content_type.empty())
      out += fmt::format("Content-Type: {}\r\n", c.content_type);
    for (const auto& [k, v] : c.headers) out += fmt::format("{}: {}\r\n", k, v);
    out += "\r\n";
    out += c.body;
    if (!send_all(fd, out)) return (void)::close(fd);
  }
}

}  // namespace hcloud::testing
