// The HTTP/1.1 transport of `kiln local` (cpp-httplib) in front of Api.
#pragma once

#include <memory>
#include <string>

#include "local/api.h"

namespace kiln::local {

class HttpServer {
 public:
  explicit HttpServer(Api& api);
  ~HttpServer();
  // Binds host:port (port 0 = any free port). Returns the bound port, or -1
  // with *error set.
  int bind(const std::string& host, int port, std::string* error);
  // Serves until stop(); returns false when serving failed.
  bool run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiln::local
