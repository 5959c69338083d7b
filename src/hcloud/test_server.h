// Test support: a scripted HTTP/1.1 server on 127.0.0.1 (ephemeral port).
// It answers from a queue of canned responses (then from a handler, if
// set), records every request, and can drop a connection or leave a request
// unanswered to provoke unknown outcomes.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace hcloud::testing {

struct RecordedRequest {
  std::string method;
  std::string target;                          // as sent, below the /v1 prefix: "/servers?name=x"
  std::string path;                            // without the query
  std::string query;                           // without '?'
  std::map<std::string, std::string> headers;  // keys lower-case
  std::string body;

  std::string header(const std::string& lower) const {
    auto it = headers.find(lower);
    return it == headers.end() ? std::string() : it->second;
  }
  // Every value of a query parameter, percent-decoded.
  std::vector<std::string> params(const std::string& key) const;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

struct CannedResponse {
  enum class Behavior { kReply, kDrop, kHang };
  Behavior behavior = Behavior::kReply;
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static CannedResponse json(int status, const nlohmann::json& body);
  static CannedResponse raw(int status, std::string content_type, std::string body);
  // {"error":{"code":..,"message":..,"details":..}}
  static CannedResponse error(int status, const std::string& code, const std::string& message,
                              const nlohmann::json& details = nlohmann::json::object());
  static CannedResponse empty(int status = 204);
  // Reads the request, then closes the connection without answering.
  static CannedResponse drop();
  // Reads the request and never answers (the client times out).
  static CannedResponse hang();
  CannedResponse& with_header(std::string name, std::string value);
  CannedResponse& with_rate_limit(long limit, long remaining, long reset_unix);
};

class TestServer {
 public:
  TestServer();
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // "http://127.0.0.1:<port>/v1"
  std::string endpoint() const;

  void push(CannedResponse response);
  void set_handler(std::function<CannedResponse(const RecordedRequest&)> handler);

  std::vector<RecordedRequest> requests() const;
  size_t request_count() const;
  size_t pending() const;  // canned responses not yet used

 private:
  void accept_loop();
  void serve(int fd);
  CannedResponse next(const RecordedRequest& r);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::deque<CannedResponse> script_;
  std::function<CannedResponse(const RecordedRequest&)> handler_;
  std::vector<RecordedRequest> requests_;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
};

}  // namespace hcloud::testing
