// kiln local's API served in-process on a loopback port, with a client of
// it: what the builder's process tests (kiln_process_test, the -debug and
// snapshot tests, the fault matrix) build against.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "hcloud/hcloud.h"
#include "local/api.h"
#include "local/http.h"
#include "local/store.h"

namespace kiln::builders::testing {

inline std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class InProcessCloud {
 public:
  // State under dir; options.token is the API's (and the client's) token.
  // Empty string on success, or why it could not start.
  std::string start(const std::string& dir, const local::ApiOptions& options) {
    std::string err;
    store_ = local::Store::open(dir, &err);
    if (!store_) return err;
    api_ = std::make_unique<local::Api>(*store_, options);
    http_ = std::make_unique<local::HttpServer>(*api_);
    int port = http_->bind("127.0.0.1", 0, &err);
    if (port <= 0) return err;
    endpoint_ = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    serve_ = std::thread([this] { http_->run(); });
    hcloud::ClientOptions co;
    co.endpoint = endpoint_;
    co.token = options.token;
    client_ = std::make_unique<hcloud::Client>(co);
    return "";
  }
  ~InProcessCloud() {
    client_.reset();
    if (http_) http_->stop();
    if (serve_.joinable()) serve_.join();
  }

  local::Api& api() { return *api_; }
  hcloud::Client& client() { return *client_; }
  const std::string& endpoint() const { return endpoint_; }

 private:
  std::unique_ptr<local::Store> store_;
  std::unique_ptr<local::Api> api_;
  std::unique_ptr<local::HttpServer> http_;
  std::thread serve_;
  std::string endpoint_;
  std::unique_ptr<hcloud::Client> client_;
};

}  // namespace kiln::builders::testing
