// The API driven in-process with a fake clock; every response is checked
// against hcloud-openapi.json except for the differences docs/local.md lists.
#include "local/api.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "hcloud/openapi_validator.h"

namespace kiln::local {
namespace {

using json = nlohmann::json;

const char* kKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL+i9777Oick/sctq8XXaYMl3BCAwZf8BBLEmlv6APhC c";
const char* kKeyMd5 = "47:07:85:bf:09:29:51:bf:ac:a6:8e:3b:6f:b0:3b:7c";

struct Fixture : ::testing::Test {
  std::string dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<Api> api;
  double now = 1.7e9;
  static inline std::optional<hcloud::testing::OpenApi> spec;
  static inline json doc;

  static void SetUpTestSuite() {
    std::ifstream in(KILN_HCLOUD_OPENAPI);
    ASSERT_TRUE(in) << KILN_HCLOUD_OPENAPI;
    doc = json::parse(in);
    spec.emplace(doc);
  }

  void SetUp() override {
    char tmpl[] = "/tmp/kiln-local-api.XXXXXX";
    dir = mkdtemp(tmpl);
    open_api(1.0, 3600);
  }
  void TearDown() override {
    api.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void open_api(double scale, int64_t limit) {
    api.reset();
    store.reset();
    std::string err;
    store = Store::open(dir, &err);
    ASSERT_TRUE(store) << err;
    ApiOptions o;
    o.token = "secret";
    o.time_scale = scale;
    o.rate_limit = limit;
    o.clock = [this] { return now; };
    api = std::make_unique<Api>(*store, o);
  }

  // Problems of a response against the document, minus documented
  // differences (docs/local.md): `datacenter` is gone from servers and
  // primary IPs since 2026-07-01; server types carry locations[].available
  // and .recommended since 2026-04-01.
  std::vector<std::string> validate(const std::string& method, const std::string& path, int status,
                                    const json& body) {
    std::string p = path.substr(3);  // strip /v1
    auto q = p.find('?');
    if (q != std::string::npos) p = p.substr(0, q);
    std::string m = method;
    for (auto& ch : m) ch = static_cast<char>(std::tolower(ch));
    auto tmpl = spec->match_path(m, p);
    if (!tmpl) return {"no path in the document for " + method + " " + p};
    const json& op = doc["paths"][*tmpl][m];
    std::string code = std::to_string(status);
    if (!op["responses"].contains(code)) {
      if (status >= 400) code = "default";
      if (!op["responses"].contains(code)) {
        if (status >= 400) {
          auto probs = spec->validate(body, *spec->component("error_response"));
          return probs;
        }
        return {"status " + std::to_string(status) + " not documented for " + *tmpl};
      }
    }
    const json& r = op["responses"][code];
    if (!r.contains("content"))
      return body.is_null() ? std::vector<std::string>{}
                            : std::vector<std::string>{"unexpected body"};
    std::vector<std::string> out;
    for (auto& pr : spec->validate(body, r["content"]["application/json"]["schema"])) {
      if (pr.find("required property \"datacenter\" is missing") != std::string::npos) continue;
      // server_type.deprecation: deprecated since 2025-09-24 but still sent
      // (v2 clients read it).
      if (pr.find("server_type") != std::string::npos &&
          pr.find("/deprecation: property is deprecated") != std::string::npos)
        continue;
      if (pr.find("/available: property not in the document") != std::string::npos ||
          pr.find("/recommended: property not in the document") != std::string::npos)
        continue;
      out.push_back(pr);
    }
    return out;
  }

  json call(const std::string& method, const std::string& path, const json& body = nullptr,
            int want = -1, const std::string& token = "secret") {
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
    r.authorization = token.empty() ? "" : "Bearer " + token;
    if (!body.is_null()) r.body = body.dump();
    last = api->handle(r);
    json out = last.body.empty() ? json() : json::parse(last.body);
    if (want >= 0) {
      EXPECT_EQ(last.status, want) << method << " " << path << ": " << last.body;
    }
    for (auto& p : validate(method, path, last.status, out)) {
      ADD_FAILURE() << method << " " << path << " -> " << last.status << ": " << p;
    }
    if (last.status == 204) {
      EXPECT_TRUE(last.body.empty());
    }
    return out;
  }
  std::string header(const std::string& name) {
    for (auto& [k, v] : last.headers)
      if (k == name) return v;
    return "";
  }
  ApiResponse last;
};

TEST_F(Fixture, TokensAreCheckedAndErrorsUseTheEnvelope) {
  json e = call("GET", "/v1/locations", nullptr, 401, "wrong");
  EXPECT_EQ(e["error"]["code"], "unauthorized");
  EXPECT_TRUE(e["error"]["details"].is_object());
  e = call("GET", "/v1/locations", nullptr, 401, "");
  EXPECT_EQ(e["error"]["code"], "unauthorized");
  e = call("GET", "/v1/servers/999", nullptr, 404);
  EXPECT_EQ(e["error"]["code"], "not_found");
  EXPECT_EQ(header("RateLimit-Limit"), "3600");
  EXPECT_EQ(header("X-Correlation-Id").size(), 16u);
}

TEST_F(Fixture, RateLimitBucket) {
  open_api(1.0, 2);
  call("GET", "/v1/locations", nullptr, 200);
  EXPECT_EQ(header("RateLimit-Remaining"), "1");
  call("GET", "/v1/locations", nullptr, 200);
  json e = call("GET", "/v1/locations", nullptr, 429);
  EXPECT_EQ(e["error"]["code"], "rate_limit_exceeded");
  EXPECT_EQ(header("RateLimit-Remaining"), "0");
  EXPECT_EQ(header("RateLimit-Reset"), std::to_string(static_cast<int64_t>(now) + 2));
  now += 1;
  call("GET", "/v1/locations", nullptr, 200);
}

TEST_F(Fixture, CatalogListsFiltersAndPages) {
  json l = call("GET", "/v1/locations?sort=name:desc", nullptr, 200);
  std::vector<std::string> names;
  for (auto& x : l["locations"]) names.push_back(x["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"sin", "nbg1", "hil", "hel1", "fsn1", "ash"}));
  json p = call("GET", "/v1/locations?per_page=4&page=2", nullptr, 200);
  EXPECT_EQ(p["locations"].size(), 2u);
  EXPECT_EQ(p["meta"]["pagination"]["next_page"], nullptr);
  EXPECT_EQ(p["meta"]["pagination"]["previous_page"], 1);
  json t = call("GET", "/v1/server_types?name=cax31", nullptr, 200);
  ASSERT_EQ(t["server_types"].size(), 1u);
  EXPECT_EQ(t["server_types"][0]["architecture"], "arm");
  EXPECT_EQ(t["server_types"][0]["cores"], 8);
  EXPECT_EQ(t["server_types"][0]["disk"], 160);
  for (const char* n : {"cx23", "cax11", "cax21", "cax31", "ccx13"})
    EXPECT_EQ(call("GET", std::string("/v1/server_types?name=") + n)["server_types"].size(), 1u)
        << n;
  json i = call("GET", "/v1/images?name=debian-12&architecture=arm", nullptr, 200);
  ASSERT_EQ(i["images"].size(), 1u);
  EXPECT_EQ(i["images"][0]["architecture"], "arm");
  call("GET", "/v1/images?type=weird", nullptr, 422);
  json bad = call("GET", "/v1/servers?sort=color", nullptr, 422);
  EXPECT_EQ(bad["error"]["details"]["fields"][0]["name"], "sort");
  call("GET", "/v1/servers?label_selector=env in (a", nullptr, 422);
  call("GET", "/v1/datacenters", nullptr, 200);
}

TEST_F(Fixture, SshKeys) {
  json k =
      call("POST", "/v1/ssh_keys", {{"name", "k"}, {"public_key", std::string(kKey) + "\n"}}, 201);
  EXPECT_EQ(k["ssh_key"]["fingerprint"], kKeyMd5);
  EXPECT_EQ(k["ssh_key"]["public_key"], kKey);  // trimmed
  json e = call("POST", "/v1/ssh_keys", {{"name", "k2"}, {"public_key", kKey}}, 409);
  EXPECT_EQ(e["error"]["code"], "uniqueness_error");
  EXPECT_EQ(e["error"]["details"]["fields"][0]["name"], "public_key");
  e = call("POST", "/v1/ssh_keys",
           {{"name", "k"}, {"public_key", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC"}}, 422);
  EXPECT_EQ(e["error"]["code"], "invalid_input");
  e = call("POST", "/v1/ssh_keys", {{"public_key", kKey}}, 422);
  EXPECT_EQ(e["error"]["details"]["fields"][0]["name"], "name");
  std::string fp = kKeyMd5;
  EXPECT_EQ(call("GET", "/v1/ssh_keys?fingerprint=" + fp, nullptr, 200)["ssh_keys"].size(), 1u);
  int64_t id = k["ssh_key"]["id"];
  json u = call("PUT", "/v1/ssh_keys/" + std::to_string(id), {{"labels", {{"a", "b"}}}}, 200);
  EXPECT_EQ(u["ssh_key"]["labels"]["a"], "b");
  call("DELETE", "/v1/ssh_keys/" + std::to_string(id), nullptr, 204);
  call("GET", "/v1/ssh_keys/" + std::to_string(id), nullptr, 404);
  call("POST", "/v1/ssh_keys", json::array(), 400);
}

// Networks and firewalls: create, a taken name, list by label, get, update
// (name and labels), delete. Every response is checked against the
// OpenAPI document by call().
TEST_F(Fixture, NetworksAndFirewallsCreateListGetDelete) {
  struct Kind {
    std::string path, key;
    json body;
  };
  for (const Kind& k :
       {Kind{"/v1/networks", "network", {{"name", "n"}, {"ip_range", "10.0.0.0/16"}}},
        Kind{"/v1/firewalls",
             "firewall",
             {{"name", "f"},
              {"rules",
               {{{"direction", "in"},
                 {"protocol", "tcp"},
                 {"port", "22"},
                 {"source_ips", {"0.0.0.0/0"}}}}}}}}) {
    SCOPED_TRACE(k.path);
    json body = k.body;
    body["labels"] = {{"kiln.run", "r1"}};
    json made = call("POST", k.path, body, 201)[k.key];
    const std::string item = k.path + "/" + std::to_string(made["id"].get<int64_t>());
    EXPECT_EQ(made["name"], body["name"]);
    json taken = call("POST", k.path, body, 409);
    EXPECT_EQ(taken["error"]["code"], "uniqueness_error");
    EXPECT_EQ(taken["error"]["details"]["fields"][0]["name"], "name");
    json unnamed = body;
    unnamed.erase("name");
    EXPECT_EQ(call("POST", k.path, unnamed, 422)["error"]["details"]["fields"][0]["name"], "name");
    EXPECT_EQ(call("GET", k.path + "?label_selector=kiln.run=r1", nullptr, 200)[k.key + "s"].size(),
              1u);
    EXPECT_EQ(call("GET", k.path + "?label_selector=kiln.run=r2", nullptr, 200)[k.key + "s"].size(),
              0u);
    EXPECT_EQ(call("GET", item, nullptr, 200)[k.key]["id"], made["id"]);
    json renamed = call("PUT", item, {{"name", "renamed"}, {"labels", {{"kiln.run", "r2"}}}}, 200);
    EXPECT_EQ(renamed[k.key]["name"], "renamed");
    EXPECT_EQ(renamed[k.key]["labels"]["kiln.run"], "r2");
    EXPECT_EQ(call("GET", item, nullptr, 200)[k.key]["name"], "renamed");
    call("PUT", item, {{"name", ""}}, 422);
    call("POST", k.path, body, 201);  // the old name is free
    EXPECT_EQ(call("PUT", item, {{"name", body["name"]}}, 409)["error"]["code"],
              "uniqueness_error");
    call("DELETE", item, nullptr, 204);
    call("GET", item, nullptr, 404);
    call("DELETE", item, nullptr, 404);
  }
}

TEST_F(Fixture, ServerLifecycleWithTimedActions) {
  call("POST", "/v1/ssh_keys", {{"name", "k"}, {"public_key", kKey}}, 201);
  json c = call("POST", "/v1/servers",
                {{"name", "s1"},
                 {"server_type", "cx23"},
                 {"image", "debian-12"},
                 {"location", "nbg1"},
                 {"ssh_keys", {"k"}},
                 {"labels", {{"env", "test"}}}},
                201);
  EXPECT_EQ(c["server"]["status"], "initializing");
  EXPECT_EQ(c["root_password"], nullptr);
  EXPECT_EQ(c["action"]["command"], "create_server");
  EXPECT_EQ(c["action"]["status"], "running");
  ASSERT_EQ(c["next_actions"].size(), 1u);
  EXPECT_EQ(c["next_actions"][0]["command"], "start_server");
  EXPECT_EQ(c["server"]["public_net"]["ipv4"]["ip"].get<std::string>().substr(0, 4), "127.");
  std::string sid = std::to_string(c["server"]["id"].get<int64_t>());
  std::string aid = std::to_string(c["action"]["id"].get<int64_t>());

  now += 5;  // half of create_server's 10 s
  EXPECT_EQ(call("GET", "/v1/actions/" + aid, nullptr, 200)["action"]["progress"], 50);
  EXPECT_EQ(call("GET", "/v1/servers/" + sid)["server"]["locked"], true);
  json busy = call("POST", "/v1/servers/" + sid + "/actions/poweroff", nullptr, 423);
  EXPECT_EQ(busy["error"]["code"], "locked");
  now += 6;
  EXPECT_EQ(call("GET", "/v1/servers/" + sid)["server"]["status"], "starting");
  now += 5;
  json s = call("GET", "/v1/servers/" + sid)["server"];
  EXPECT_EQ(s["status"], "running");
  EXPECT_EQ(s["location"]["name"], "nbg1");
  json both = call("GET",
                   "/v1/actions?id=" + aid + "&id=" +
                       std::to_string(c["next_actions"][0]["id"].get<int64_t>()) + "&page=1",
                   nullptr, 200);
  ASSERT_EQ(both["actions"].size(), 2u);
  EXPECT_EQ(both["actions"][0]["status"], "success");
  EXPECT_EQ(both["actions"][0]["progress"], 100);
  EXPECT_FALSE(both["actions"][0]["finished"].is_null());

  json r = call("POST", "/v1/servers/" + sid + "/actions/enable_rescue", {{"type", ""}}, 201);
  EXPECT_TRUE(r["root_password"].is_string());
  now += 3;
  EXPECT_EQ(call("GET", "/v1/servers/" + sid)["server"]["rescue_enabled"], true);
  json nc = call("POST", "/v1/servers/" + sid + "/actions/change_type",
                 {{"server_type", "cx33"}, {"upgrade_disk", false}}, 422);
  EXPECT_EQ(nc["error"]["code"], "server_not_stopped");
  call("POST", "/v1/servers/" + sid + "/actions/poweroff", nullptr, 201);
  now += 6;
  EXPECT_EQ(call("GET", "/v1/servers/" + sid)["server"]["status"], "off");
  json arm = call("POST", "/v1/servers/" + sid + "/actions/change_type",
                  {{"server_type", "cax11"}, {"upgrade_disk", false}}, 422);
  EXPECT_EQ(arm["error"]["code"], "invalid_server_type");

  json img =
      call("POST", "/v1/servers/" + sid + "/actions/create_image",
           {{"type", nullptr}, {"description", nullptr}, {"labels", {{"purpose", "seed"}}}}, 201);
  EXPECT_EQ(img["image"]["status"], "creating");
  EXPECT_EQ(img["image"]["created_from"]["name"], "s1");
  std::string iid = std::to_string(img["image"]["id"].get<int64_t>());
  now += 60;  // create_image takes 60 s + 60 s per GB held (debian-12: 1.1 GB)
  EXPECT_EQ(call("GET", "/v1/images/" + iid)["image"]["status"], "creating");
  now += 67;
  json ready = call("GET", "/v1/images/" + iid)["image"];
  EXPECT_EQ(ready["status"], "available");
  EXPECT_DOUBLE_EQ(ready["image_size"].get<double>(), 1.1);
  EXPECT_EQ(call("GET", "/v1/images?label_selector=purpose=seed&type=snapshot")["images"].size(),
            1u);

  call("POST", "/v1/servers/" + sid + "/actions/change_type",
       {{"server_type", "cx33"}, {"upgrade_disk", true}}, 201);
  now += 31;
  s = call("GET", "/v1/servers/" + sid)["server"];
  EXPECT_EQ(s["server_type"]["name"], "cx33");
  EXPECT_EQ(s["primary_disk_size"], 80);

  // State survives a restart of the API on the same directory.
  open_api(1.0, 3600);
  EXPECT_EQ(call("GET", "/v1/servers?label_selector=env=test")["servers"].size(), 1u);
  EXPECT_EQ(call("GET", "/v1/servers/" + sid + "/actions")["actions"].size(), 6u);

  json d = call("DELETE", "/v1/servers/" + sid, nullptr, 200);
  EXPECT_EQ(d["action"]["command"], "delete_server");
  EXPECT_EQ(call("GET", "/v1/servers/" + sid)["server"]["status"], "deleting");
  now += 5;
  call("GET", "/v1/servers/" + sid, nullptr, 404);
  EXPECT_EQ(call("GET", "/v1/primary_ips")["primary_ips"].size(), 0u);
  call("DELETE", "/v1/images/" + iid, nullptr, 204);
  call("DELETE", "/v1/images/114690387", nullptr, 403);
}

// OpenTofu's delete_protection: change_protection on a server, a
// protected delete refused with 423 `protected`, unprotected again.
TEST_F(Fixture, ServerChangeProtection) {
  json c = call("POST", "/v1/servers",
                {{"name", "p1"}, {"server_type", "cx23"}, {"image", "debian-12"}}, 201);
  std::string sid = std::to_string(c["server"]["id"].get<int64_t>());
  now += 30;  // created and started
  json e = call("POST", "/v1/servers/" + sid + "/actions/change_protection",
                {{"delete", true}, {"rebuild", false}}, 422);
  EXPECT_EQ(e["error"]["code"], "invalid_input");
  call("POST", "/v1/servers/" + sid + "/actions/change_protection", {{"delete", "yes"}}, 422);
  // One flag alone would leave them unequal.
  call("POST", "/v1/servers/" + sid + "/actions/change_protection", {{"delete", true}}, 422);
  json a = call("POST", "/v1/servers/" + sid + "/actions/change_protection",
                {{"delete", true}, {"rebuild", true}}, 201);
  EXPECT_EQ(a["action"]["command"], "change_protection");
  json p = call("GET", "/v1/servers/" + sid, nullptr, 200)["server"]["protection"];
  EXPECT_EQ(p, json({{"delete", true}, {"rebuild", true}}));
  now += 2;
  EXPECT_EQ(call("DELETE", "/v1/servers/" + sid, nullptr, 423)["error"]["code"], "protected");
  call("POST", "/v1/servers/" + sid + "/actions/change_protection",
       {{"delete", false}, {"rebuild", false}}, 201);
  now += 2;
  EXPECT_EQ(call("DELETE", "/v1/servers/" + sid, nullptr, 200)["action"]["command"],
            "delete_server");
}

// rebuild (OpenTofu, when a server's image changes): a new disk from the
// image, the server running again; refused when protected, without an
// image, or with one of another architecture.
TEST_F(Fixture, ServerRebuild) {
  call("POST", "/v1/ssh_keys", {{"name", "k"}, {"public_key", kKey}}, 201);
  json c = call(
      "POST", "/v1/servers",
      {{"name", "r1"}, {"server_type", "cx23"}, {"image", "debian-12"}, {"ssh_keys", {"k"}}}, 201);
  std::string sid = std::to_string(c["server"]["id"].get<int64_t>());
  now += 30;
  json img = call("POST", "/v1/servers/" + sid + "/actions/create_image", nullptr, 201)["image"];
  now += 600;
  const std::string rebuild = "/v1/servers/" + sid + "/actions/rebuild";
  call("POST", rebuild, json::object(), 422);
  EXPECT_EQ(call("POST", rebuild, {{"image", "does-not-exist"}}, 422)["error"]["code"],
            "invalid_input");
  json arm = call("GET", "/v1/images?name=debian-12&architecture=arm", nullptr, 200)["images"][0];
  EXPECT_NE(call("POST", rebuild, {{"image", arm["id"]}}, 422)["error"]["message"]
                .get<std::string>()
                .find("incompatible architecture"),
            std::string::npos);

  json r = call("POST", rebuild, {{"image", img["id"]}}, 201);
  EXPECT_EQ(r["action"]["command"], "rebuild_server");
  EXPECT_TRUE(r["root_password"].is_null());  // it has a key
  json s = call("GET", "/v1/servers/" + sid, nullptr, 200)["server"];
  EXPECT_EQ(s["status"], "rebuilding");
  EXPECT_EQ(s["image"]["id"], img["id"]);
  EXPECT_EQ(call("POST", rebuild, {{"image", "debian-12"}}, 423)["error"]["code"], "locked");
  now += 30;
  EXPECT_EQ(call("GET", "/v1/servers/" + sid, nullptr, 200)["server"]["status"], "running");

  call("POST", "/v1/servers/" + sid + "/actions/change_protection",
       {{"delete", true}, {"rebuild", true}}, 201);
  now += 2;
  EXPECT_EQ(call("POST", rebuild, {{"image", "debian-12"}}, 423)["error"]["code"], "protected");

  // A server without keys gets a new root password.
  json k = call("POST", "/v1/servers",
                {{"name", "r2"}, {"server_type", "cx23"}, {"image", "debian-12"}}, 201);
  now += 30;
  json r2 =
      call("POST",
           "/v1/servers/" + std::to_string(k["server"]["id"].get<int64_t>()) + "/actions/rebuild",
           {{"image", "debian-12"}}, 201);
  EXPECT_TRUE(r2["root_password"].is_string());
  EXPECT_NE(r2["root_password"], k["root_password"]);
}

TEST_F(Fixture, CreateServerValidation) {
  auto code = [&](json body, int status) {
    json e = call("POST", "/v1/servers", body, status);
    return e.contains("error") ? e["error"]["code"].get<std::string>() : std::string();
  };
  EXPECT_EQ(code({{"server_type", "cx23"}, {"image", "debian-12"}}, 422), "invalid_input");
  EXPECT_EQ(code({{"name", "bad name"}, {"server_type", "cx23"}, {"image", "debian-12"}}, 422),
            "invalid_input");
  EXPECT_EQ(code({{"name", "a"}, {"server_type", "cx99"}, {"image", "debian-12"}}, 422),
            "invalid_input");
  EXPECT_EQ(code({{"name", "a"}, {"server_type", 45}, {"image", 114690387}}, 422), "invalid_input");
  EXPECT_EQ(
      code({{"name", "a"}, {"server_type", "cax11"}, {"image", "debian-12"}, {"location", "sin"}},
           412),
      "resource_unavailable");
  json ok = call("POST", "/v1/servers",
                 {{"name", "a"},
                  {"server_type", 114},
                  {"image", "114690387"},
                  {"location", "2"},
                  {"start_after_create", false}},
                 201);
  EXPECT_EQ(ok["next_actions"].size(), 0u);
  EXPECT_TRUE(ok["root_password"].is_string());
  EXPECT_EQ(code({{"name", "a"}, {"server_type", "cx23"}, {"image", "debian-12"}}, 409),
            "uniqueness_error");
}

TEST_F(Fixture, TimeScaleZeroFinishesAtOnce) {
  open_api(0.0, 3600);
  json c = call("POST", "/v1/servers",
                {{"name", "z"}, {"server_type", "cx23"}, {"image", "debian-12"}}, 201);
  std::string sid = std::to_string(c["server"]["id"].get<int64_t>());
  EXPECT_EQ(call("GET", "/v1/servers/" + sid)["server"]["status"], "running");
  EXPECT_EQ(call("GET", "/v1/servers/" + sid)["server"]["location"]["name"], "fsn1");
}

}  // namespace
}  // namespace kiln::local

namespace kiln::local {
namespace {

// Wrongly typed fields are 4xx errors, never a 500 or an abort.
TEST_F(Fixture, WronglyTypedInputIsRefusedCleanly) {
  struct Case {
    const char* method;
    const char* path;
    const char* body;
  };
  const Case cases[] = {
      {"POST", "/v1/servers", R"({"name":5,"server_type":"cx23","image":"debian-12"})"},
      {"POST", "/v1/servers", R"({"name":"a","server_type":[1],"image":"debian-12"})"},
      {"POST", "/v1/servers", R"({"name":"a","server_type":"cx23","image":{"id":1}})"},
      {"POST", "/v1/servers",
       R"({"name":"a","server_type":"cx23","image":"debian-12","labels":"x"})"},
      {"POST", "/v1/servers",
       R"({"name":"a","server_type":"cx23","image":"debian-12","ssh_keys":{"a":1}})"},
      {"POST", "/v1/servers",
       R"({"name":"a","server_type":"cx23","image":"debian-12","ssh_keys":[{"id":1}]})"},
      {"POST", "/v1/servers",
       R"({"name":"a","server_type":"cx23","image":"debian-12","user_data":7})"},
      {"POST", "/v1/servers",
       R"({"name":"a","server_type":"cx23","image":"debian-12","location":true})"},
      {"POST", "/v1/servers",
       R"({"name":"a","server_type":"cx23","image":"debian-12","networks":["x"]})"},
      {"POST", "/v1/servers",
       R"({"name":"a","server_type":"cx23","image":"debian-12","firewalls":[5]})"},
      {"POST", "/v1/ssh_keys", R"({"name":"k","public_key":42})"},
      {"POST", "/v1/ssh_keys", R"({"name":"k","public_key":"ssh-ed25519 !!!!"})"},
      {"POST", "/v1/ssh_keys", R"({"name":"k","public_key":"ssh-ed25519 AAAA"})"},
      {"POST", "/v1/networks", R"({"name":"n","ip_range":5})"},
      {"POST", "/v1/firewalls", R"({"name":"f","rules":[1]})"},
      {"GET", "/v1/servers?page=abc", ""},
      {"GET", "/v1/servers?per_page=0", ""},
      {"GET", "/v1/actions?id=x", ""},
      {"GET", "/v1/actions", ""},
      {"DELETE", "/v1/locations/1", ""},
      {"POST", "/v1/servers", "{not json"},
      {"POST", "/v1/servers", "[]"},
  };
  for (const auto& k : cases) {
    ApiRequest r;
    r.method = k.method;
    std::string path = k.path;
    auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) {
      std::string kv = path.substr(q + 1);
      auto eq = kv.find('=');
      r.query.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }
    r.authorization = "Bearer secret";
    r.body = k.body;
    ApiResponse out = api->handle(r);
    EXPECT_GE(out.status, 400) << k.method << " " << k.path << " " << k.body;
    EXPECT_LT(out.status, 500) << k.method << " " << k.path << " " << k.body << ": " << out.body;
    auto j = nlohmann::json::parse(out.body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << out.body;
    EXPECT_TRUE(j["error"]["code"].is_string());
    EXPECT_TRUE(j["error"]["details"].is_object());
  }
}

}  // namespace
}  // namespace kiln::local

namespace kiln::local {
namespace {

// The control endpoint's timeline keeps sub-second start and end times: a
// create_server started at now+0.25 ends 10 s (its modelled duration) later,
// and has no end while it runs.
TEST_F(Fixture, ActionTimelineHasSubSecondTimes) {
  now += 0.25;
  json c = call("POST", "/v1/servers",
                {{"name", "t1"}, {"server_type", "cx23"}, {"image", "debian-12"}}, 201);
  int64_t aid = c["action"]["id"];
  auto find = [&] {
    for (const json& a : api->action_timeline())
      if (a["id"] == aid) return a;
    return json();
  };
  json running = find();
  ASSERT_TRUE(running.is_object());
  EXPECT_EQ(running["command"], "create_server");
  EXPECT_DOUBLE_EQ(running["start"].get<double>(), now);
  EXPECT_TRUE(running["end"].is_null());
  const double started = now;
  now += 30;
  json done = find();
  EXPECT_EQ(done["status"], "success");
  EXPECT_DOUBLE_EQ(done["end"].get<double>(), started + 10);
}

// --time-jitter: durations vary by action, within [1-j, 1+j] of the
// model's (create_server: 10 s), and the same on every run.
TEST_F(Fixture, TimeJitterVariesDurationsWithinTheBound) {
  auto durations = [&](double jitter) {
    api.reset();
    store.reset();
    std::filesystem::remove_all(dir);
    std::string err;
    store = Store::open(dir, &err);
    EXPECT_TRUE(store) << err;
    ApiOptions o;
    o.token = "secret";
    o.time_scale = 1;
    o.time_jitter = jitter;
    o.clock = [this] { return now; };
    api = std::make_unique<Api>(*store, o);
    for (int i = 0; i < 8; ++i)
      call("POST", "/v1/servers",
           {{"name", "j" + std::to_string(i)}, {"server_type", "cx23"}, {"image", "debian-12"}},
           201);
    now += 100;
    std::vector<double> out;
    for (const json& a : api->action_timeline())
      if (a["command"] == "create_server")
        out.push_back(a["end"].get<double>() - a["start"].get<double>());
    return out;
  };
  auto plain = durations(0);
  ASSERT_EQ(plain.size(), 8u);
  for (double d : plain) EXPECT_DOUBLE_EQ(d, 10);
  auto varied = durations(0.3);
  ASSERT_EQ(varied.size(), 8u);
  std::set<double> distinct(varied.begin(), varied.end());
  EXPECT_GT(distinct.size(), 4u);
  for (double d : varied) {
    EXPECT_GE(d, 7);
    EXPECT_LE(d, 13);
  }
  EXPECT_EQ(durations(0.3), varied);
}

}  // namespace
}  // namespace kiln::local
