// Faults, counters and the control endpoint through Api::handle and over
// real HTTP (a raw socket client, so that a dropped connection is seen as
// what it is: the end of the stream with no byte of an answer). Responses are
// checked against hcloud-openapi.json.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "local/api.h"
#include "local/api_fixture.h"
#include "local/control.h"
#include "local/http.h"

namespace kiln::local {
namespace {

using json = nlohmann::json;

using FaultApi = testing::ApiFixture;
using testing::kKey;

TEST_F(FaultApi, InjectedErrorIsTheApisEnvelope) {
  faults({{"rules",
           {{{"match", "POST /v1/ssh_keys"},
             {"error", {{"code", "unavailable"}, {"message", "try later"}}},
             {"count", 1}},
            {{"match", "GET /v1/images"}, {"error", "invalid_input"}, {"count", 1}}}}});
  json e = call("POST", "/v1/ssh_keys", {{"name", "k"}, {"public_key", kKey}}, 503);
  EXPECT_EQ(e["error"]["code"], "unavailable");
  EXPECT_EQ(e["error"]["message"], "try later");
  EXPECT_TRUE(e["error"]["details"].is_object());
  EXPECT_EQ(header("RateLimit-Limit"), "3600");  // like every answer of the API
  // The injected error wrote nothing; the next request (count 1) goes through.
  EXPECT_TRUE(call("GET", "/v1/ssh_keys", nullptr, 200)["ssh_keys"].empty());
  call("POST", "/v1/ssh_keys", {{"name", "k"}, {"public_key", kKey}}, 201);
  json i = call("GET", "/v1/images", nullptr, 422);
  EXPECT_TRUE(i["error"]["details"]["fields"].is_array());
  call("GET", "/v1/images", nullptr, 200);
}

TEST_F(FaultApi, FailedCreateImageEndsInErrorAndLeavesNoImage) {
  int64_t sid = running_server("s1");
  std::string base = "/v1/servers/" + std::to_string(sid);
  call("POST", base + "/actions/poweroff", nullptr, 201);
  now += 60;
  faults({{"rules",
           {{{"match", "POST /v1/servers/*/actions/create_image"},
             {"fail_action", {{"code", "image_create_failed"}, {"message", "disk unreadable"}}},
             {"count", 1}}}}});
  json r = call("POST", base + "/actions/create_image", {{"type", "snapshot"}}, 201);
  EXPECT_EQ(r["action"]["status"], "running");  // fails later, as the real one does
  int64_t aid = r["action"]["id"], iid = r["image"]["id"];
  now += 3600;
  json a = call("GET", "/v1/actions/" + std::to_string(aid), nullptr, 200)["action"];
  EXPECT_EQ(a["status"], "error");
  EXPECT_EQ(a["progress"], 100);
  EXPECT_EQ(a["error"], (json{{"code", "image_create_failed"}, {"message", "disk unreadable"}}));
  EXPECT_FALSE(a["finished"].is_null());
  call("GET", "/v1/images/" + std::to_string(iid), nullptr, 404);
  json s = call("GET", base, nullptr, 200)["server"];
  EXPECT_EQ(s["status"], "off");
  EXPECT_EQ(s["locked"], false);
  json again = call("POST", base + "/actions/create_image", json::object(), 201);
  now += 3600;
  EXPECT_EQ(call("GET", "/v1/actions/" + again["action"]["id"].dump())["action"]["status"],
            "success");
  EXPECT_EQ(api->faults().to_json()["rules"][0]["fired"], 1);
}

TEST_F(FaultApi, FailedCreateServerLeavesTheServerOff) {
  faults(json::array({{{"match", "POST /v1/servers"}, {"fail_action", true}}}));
  json r = call("POST", "/v1/servers",
                {{"name", "s1"}, {"server_type", "cx23"}, {"image", "debian-12"}}, 201);
  now += 120;
  json a = call("GET", "/v1/actions/" + r["action"]["id"].dump())["action"];
  EXPECT_EQ(a["status"], "error");
  EXPECT_EQ(a["error"]["code"], "action_failed");
  json n = call("GET", "/v1/actions/" + r["next_actions"][0]["id"].dump())["action"];
  EXPECT_EQ(n["status"], "error");
  json s = call("GET", "/v1/servers/" + r["server"]["id"].dump())["server"];
  EXPECT_EQ(s["status"], "off");
  EXPECT_EQ(s["locked"], false);
}

TEST_F(FaultApi, FailedDeleteLeavesTheServerAsItWas) {
  int64_t sid = running_server("s1");
  std::string base = "/v1/servers/" + std::to_string(sid);
  faults(json::array({{{"match", "DELETE /v1/servers/*"}, {"fail_action", true}, {"count", 1}}}));
  json a = call("DELETE", base, nullptr, 200)["action"];
  EXPECT_EQ(call("GET", base, nullptr, 200)["server"]["status"], "deleting");
  now += 60;
  EXPECT_EQ(call("GET", "/v1/actions/" + a["id"].dump(), nullptr, 200)["action"]["status"],
            "error");
  json s = call("GET", base, nullptr, 200)["server"];
  EXPECT_EQ(s["status"], "running");
  EXPECT_EQ(s["locked"], false);
  call("DELETE", base, nullptr, 200);
  now += 60;
  call("GET", base, nullptr, 404);
}

// A rebuild whose action fails leaves the server off (its old disk is gone
// with the work), not "rebuilding" for good, and unlocked.
TEST_F(FaultApi, FailedRebuildLeavesTheServerOff) {
  int64_t sid = running_server("s1");
  std::string base = "/v1/servers/" + std::to_string(sid);
  faults(json::array(
      {{{"match", "POST /v1/servers/*/actions/rebuild"}, {"fail_action", true}, {"count", 1}}}));
  json a = call("POST", base + "/actions/rebuild", {{"image", "debian-12"}}, 201)["action"];
  EXPECT_EQ(call("GET", base, nullptr, 200)["server"]["status"], "rebuilding");
  now += 60;
  EXPECT_EQ(call("GET", "/v1/actions/" + a["id"].dump(), nullptr, 200)["action"]["status"],
            "error");
  json s = call("GET", base, nullptr, 200)["server"];
  EXPECT_EQ(s["status"], "off");
  EXPECT_EQ(s["locked"], false);
}

TEST_F(FaultApi, DropAnswersNothingAndChangesNothing) {
  faults(json::array({{{"match", "POST /v1/ssh_keys"}, {"drop", true}, {"after", 1}}}));
  call("POST", "/v1/ssh_keys", {{"name", "a"}, {"public_key", kKey}}, 201);
  call("POST", "/v1/ssh_keys", {{"name", "b"}, {"public_key", kKey}});
  EXPECT_TRUE(last.drop);
  EXPECT_EQ(call("GET", "/v1/ssh_keys", nullptr, 200)["ssh_keys"].size(), 1u);
  json c = api->counters().to_json();
  EXPECT_EQ(c["endpoints"]["POST /v1/ssh_keys"]["by_status"], (json{{"201", 1}, {"dropped", 1}}));
}

TEST_F(FaultApi, LatencyDelaysTheAnswer) {
  faults(json::array({{{"match", "GET /v1/locations"}, {"latency_ms", 80}}}));
  auto t0 = std::chrono::steady_clock::now();
  call("GET", "/v1/locations", nullptr, 200);
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0);
  EXPECT_GE(ms.count(), 80);  // a lower bound only: the answer is never early
}

TEST_F(FaultApi, CountersByTemplateAndStatus) {
  int64_t sid = running_server("s1");
  std::string base = "/v1/servers/" + std::to_string(sid);
  api->counters().reset();
  call("GET", base, nullptr, 200);
  call("GET", "/v1/servers/99", nullptr, 404);
  call("POST", base + "/actions/poweroff", nullptr, 201);
  call("POST", base + "/actions/poweroff", nullptr, 423);  // locked by the first
  json c = api->counters().to_json();
  EXPECT_EQ(c["total"], 4);
  EXPECT_EQ(c["endpoints"]["GET /v1/servers/{id}"]["by_status"], (json{{"200", 1}, {"404", 1}}));
  EXPECT_EQ(c["endpoints"]["POST /v1/servers/{id}/actions/poweroff"]["by_status"],
            (json{{"201", 1}, {"423", 1}}));
}

ApiRequest control(const std::string& method, const std::string& path, const json& body = nullptr) {
  ApiRequest r;
  r.method = method;
  r.path = path;
  if (!body.is_null()) r.body = body.dump();
  return r;
}

TEST_F(FaultApi, ActionTimelineIsServedOnTheControlEndpoint) {
  Faults& f = api->faults();
  Counters& c = api->counters();
  auto timeline = [this] { return api->action_timeline(); };
  ApiResponse r = handle_control(f, c, control("GET", "/_kiln/actions"), "127.0.0.1", timeline);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json::parse(r.body)["actions"].is_array());
  EXPECT_EQ(handle_control(f, c, control("DELETE", "/_kiln/actions"), "::1", timeline).status, 405);
  EXPECT_EQ(handle_control(f, c, control("GET", "/_kiln/actions"), "10.1.2.3", timeline).status,
            403);
  EXPECT_EQ(handle_control(f, c, control("GET", "/_kiln/actions"), "::1").status, 404);
}

TEST_F(FaultApi, ControlEndpointOnLoopbackOnly) {
  Faults& f = api->faults();
  Counters& c = api->counters();
  ApiResponse r = handle_control(f, c, control("GET", "/_kiln/faults"), "10.1.2.3");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "forbidden");
  EXPECT_EQ(handle_control(f, c, control("GET", "/_kiln/counters"), "::ffff:10.0.0.1").status, 403);
  EXPECT_TRUE(is_loopback_address("127.0.0.1"));
  EXPECT_TRUE(is_loopback_address("127.9.9.9"));
  EXPECT_TRUE(is_loopback_address("::1"));
  EXPECT_TRUE(is_loopback_address("::ffff:127.0.0.1"));

  r = handle_control(
      f, c,
      control("POST", "/_kiln/faults", {{"match", "GET /v1/locations"}, {"error", "maintenance"}}),
      "127.0.0.1");
  ASSERT_EQ(r.status, 201) << r.body;
  int64_t id = json::parse(r.body)["rules"][0]["id"];
  call("GET", "/v1/locations", nullptr, 403);
  r = handle_control(f, c, control("GET", "/_kiln/faults"), "::1");
  EXPECT_EQ(json::parse(r.body)["rules"][0]["fired"], 1);
  r = handle_control(f, c, control("POST", "/_kiln/faults", {{"match", "GET /v1/x"}}), "::1");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(json::parse(r.body)["error"]["code"], "invalid_input");
  r = handle_control(f, c, control("DELETE", "/_kiln/faults/" + std::to_string(id)), "::1");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(handle_control(f, c, control("DELETE", "/_kiln/faults/99"), "::1").status, 404);
  call("GET", "/v1/locations", nullptr, 200);
  r = handle_control(f, c,
                     control("PUT", "/_kiln/faults",
                             {{"seed", 3}, {"rules", {{{"match", "/v1/*"}, {"latency_ms", 1}}}}}),
                     "::1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["seed"], 3);
  EXPECT_EQ(handle_control(f, c, control("DELETE", "/_kiln/faults"), "::1").status, 204);
  EXPECT_TRUE(f.to_json()["rules"].empty());

  r = handle_control(f, c, control("GET", "/_kiln/counters"), "127.0.0.1");
  EXPECT_EQ(json::parse(r.body)["endpoints"]["GET /v1/locations"]["by_status"],
            (json{{"200", 1}, {"403", 1}}));
  EXPECT_EQ(handle_control(f, c, control("DELETE", "/_kiln/counters"), "127.0.0.1").status, 204);
  EXPECT_EQ(c.to_json()["total"], 0);
  EXPECT_EQ(handle_control(f, c, control("GET", "/_kiln/nope"), "127.0.0.1").status, 404);
}

// ---- over HTTP ----------------------------------------------------------------

struct Reply {
  bool answered = false;  // at least one byte came back
  int status = 0;
  std::string head, body;
};

// One request on a fresh connection; reads until the server closes it.
Reply http(int port, const std::string& method, const std::string& path,
           const std::string& body = "", bool token = true) {
  Reply out;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    ADD_FAILURE() << "connect to port " << port;
    return out;
  }
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (token) req += "Authorization: Bearer secret\r\n";
  if (!body.empty())
    req +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  EXPECT_EQ(send(fd, req.data(), req.size(), MSG_NOSIGNAL), static_cast<ssize_t>(req.size()));
  std::string all;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) all.append(buf, static_cast<size_t>(n));
  close(fd);
  out.answered = !all.empty();
  auto split = all.find("\r\n\r\n");
  out.head = all.substr(0, split);
  if (split != std::string::npos) out.body = all.substr(split + 4);
  if (all.rfind("HTTP/1.1 ", 0) == 0) out.status = std::stoi(all.substr(9, 3));
  return out;
}

struct FaultHttp : FaultApi {
  std::unique_ptr<HttpServer> server;
  std::thread serving;
  int port = -1;
  void SetUp() override {
    FaultApi::SetUp();
    server = std::make_unique<HttpServer>(*api);
    std::string err;
    port = server->bind("127.0.0.1", 0, &err);
    ASSERT_GT(port, 0) << err;
    serving = std::thread([this] { server->run(); });
  }
  void TearDown() override {
    if (server) server->stop();
    if (serving.joinable()) serving.join();
    server.reset();
    FaultApi::TearDown();
  }
};

TEST_F(FaultHttp, EachFaultKindOverHttp) {
  // The control endpoint takes no token.
  Reply r = http(port, "POST", "/_kiln/faults",
                 json{{"seed", 1},
                      {"rules",
                       {{{"match", "POST /v1/ssh_keys"}, {"drop", true}, {"count", 1}},
                        {{"match", "GET /v1/ssh_keys"}, {"error", "conflict"}, {"count", 1}},
                        {{"match", "GET /v1/locations"}, {"latency_ms", 50}}}}}
                     .dump(),
                 false);
  ASSERT_EQ(r.status, 201) << r.head << r.body;

  r = http(port, "POST", "/v1/ssh_keys", json{{"name", "k"}, {"public_key", kKey}}.dump());
  EXPECT_FALSE(r.answered) << r.head;  // closed without a byte
  r = http(port, "POST", "/v1/ssh_keys", json{{"name", "k"}, {"public_key", kKey}}.dump());
  EXPECT_EQ(r.status, 201) << r.body;  // the server lives on

  r = http(port, "GET", "/v1/ssh_keys");
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.head.find("Content-Type: application/json"), std::string::npos) << r.head;
  json e = json::parse(r.body);
  EXPECT_EQ(e["error"]["code"], "conflict");
  validate("GET", "/v1/ssh_keys", 409, e);
  EXPECT_EQ(http(port, "GET", "/v1/ssh_keys").status, 200);

  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(http(port, "GET", "/v1/locations").status, 200);
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0);
  EXPECT_GE(ms.count(), 50);

  r = http(port, "GET", "/_kiln/counters", "", false);
  ASSERT_EQ(r.status, 200);
  json c = json::parse(r.body);
  EXPECT_EQ(c["endpoints"]["POST /v1/ssh_keys"]["by_status"], (json{{"201", 1}, {"dropped", 1}}));
  EXPECT_EQ(c["endpoints"]["GET /v1/ssh_keys"]["by_status"], (json{{"200", 1}, {"409", 1}}));
  EXPECT_EQ(c["total"], 5);  // control requests are not counted
  EXPECT_EQ(http(port, "DELETE", "/_kiln/counters", "", false).status, 204);
  EXPECT_EQ(json::parse(http(port, "GET", "/_kiln/counters", "", false).body)["total"], 0);
  EXPECT_EQ(http(port, "DELETE", "/_kiln/faults", "", false).status, 204);
  EXPECT_EQ(http(port, "GET", "/v1/ssh_keys").status, 200);
}

}  // namespace
}  // namespace kiln::local
