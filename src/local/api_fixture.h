// A test fixture for kiln local's API in-process, with a fake clock; every
// response is checked against hcloud-openapi.json (errors against
// error_response), minus the differences docs/local.md lists. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "hcloud/openapi_validator.h"
#include "local/api.h"

namespace kiln::local::testing {

using json = nlohmann::json;

inline const char* kKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL+i9777Oick/sctq8XXaYMl3BCAwZf8BBLEmlv6APhC c";

struct ApiFixture : ::testing::Test {
  std::string dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
  double now = 1.7e9;
  ApiResponse last;
  static inline std::optional<hcloud::testing::OpenApi> spec;
  static inline json doc;

  static void SetUpTestSuite() {
    std::ifstream in(KILN_HCLOUD_OPENAPI);
    ASSERT_TRUE(in) << KILN_HCLOUD_OPENAPI;
    doc = json::parse(in);
    spec.emplace(doc);
  }
  void SetUp() override {
    char tmpl[] = "/tmp/kiln-local-fault.XXXXXX";
    dir = mkdtemp(tmpl);
    std::string err;
    store = Store::open(dir, &err);
    ASSERT_TRUE(store) << err;
    ApiOptions o;
    o.token = "secret";
    o.clock = [this] { return now; };
    api = std::make_unique<Api>(*store, o);
  }
  void TearDown() override {
    api.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  void faults(const json& rules) {
    std::string err;
    ASSERT_TRUE(api->faults().load(rules, &err)) << err;
  }

  // Problems of a body against the document's schema for the operation, or
  // against error_response for errors. `datacenter` is gone from servers
  // since 2026-07 (docs/local.md).
  void validate(const std::string& method, const std::string& path, int status, const json& body) {
    std::string m = method;
    for (auto& ch : m) ch = static_cast<char>(std::tolower(ch));
    auto tmpl = spec->match_path(m, path.substr(3, path.find('?') - 3));
    ASSERT_TRUE(tmpl) << path;
    const json& op = doc["paths"][*tmpl][m];
    std::vector<std::string> probs;
    std::string code = std::to_string(status);
    if (status >= 400)
      probs = spec->validate(body, *spec->component("error_response"));
    else if (op["responses"].contains(code) && op["responses"][code].contains("content"))
      probs = spec->validate(body, op["responses"][code]["content"]["application/json"]["schema"]);
    for (auto& p : probs) {
      if (p.find("\"datacenter\" is missing") != std::string::npos) continue;
      if (p.find("/deprecation: property is deprecated") != std::string::npos) continue;
      if (p.find("/available: property not in") != std::string::npos) continue;
      if (p.find("/recommended: property not in") != std::string::npos) continue;
      ADD_FAILURE() << method << " " << path << " -> " << status << ": " << p;
    }
  }

  json call(const std::string& method, const std::string& path, const json& body = nullptr,
            int want = -1) {
    ApiRequest r;
    r.method = method;
    auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) {
      std::string qs = path.substr(q + 1);
      size_t s = 0;
      while (s <= qs.size()) {
        size_t a = qs.find('&', s);
        std::string kv = qs.substr(s, a == std::string::npos ? std::string::npos : a - s);
        auto eq = kv.find('=');
        r.query.emplace(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
        if (a == std::string::npos) break;
        s = a + 1;
      }
    }
    r.authorization = "Bearer secret";
    if (!body.is_null()) r.body = body.dump();
    last = api->handle(r);
    if (want >= 0) {
      EXPECT_EQ(last.status, want) << method << " " << path << ": " << last.body;
    }
    if (last.drop) return nullptr;
    json out = last.body.empty() ? json() : json::parse(last.body);
    validate(method, path, last.status, out);
    return out;
  }
  std::string header(const std::string& name) {
    for (auto& [k, v] : last.headers)
      if (k == name) return v;
    return "";
  }

  // A cx23 that has finished booting.
  int64_t running_server(const std::string& name) {
    json s = call("POST", "/v1/servers",
                  {{"name", name}, {"server_type", "cx23"}, {"image", "debian-12"}}, 201);
    now += 60;
    int64_t id = s["server"]["id"];
    EXPECT_EQ(call("GET", "/v1/servers/" + std::to_string(id))["server"]["status"], "running");
    return id;
  }
};

}  // namespace kiln::local::testing
