// Transport, lists and malformed answers, against the scripted server.
#include <gtest/gtest.h>

#include <cstdlib>

#include "hcloud/hcloud.h"
#include "hcloud/test_fixtures.h"

namespace hcloud {
namespace {

using testing::CannedResponse;
using testing::TestServer;
using Json = nlohmann::json;

struct Fixture : ::testing::Test {
  TestServer server;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  Client client{testing::test_options(server, clock)};
};

using TransportTest = Fixture;

TEST_F(TransportTest, HeadersOfRequestsWithAndWithoutBody) {
  server.push(
      CannedResponse::json(200, {{"servers", Json::array()}, {"meta", testing::pagination(1, 1)}}));
  server.push(CannedResponse::json(201, {{"action", testing::action_json(1, "shutdown_server")}}));
  server.push(
      CannedResponse::json(201, {{"ssh_key", testing::ssh_key_json(3, "k", "ssh-ed25519 AAAA")}}));
  ASSERT_TRUE(client.servers().list().ok());
  ASSERT_TRUE(client.servers().shutdown(42).ok());
  ASSERT_TRUE(client.ssh_keys().create({"k", "ssh-ed25519 AAAA", {}}).ok());
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  for (const auto& r : reqs) {
    EXPECT_EQ(r.header("authorization"), "Bearer test-token-abc123");
    EXPECT_EQ(r.header("user-agent"), "kiln/" KILN_TEST_VERSION);
  }
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[0].header("content-type"), "");
  // A body-less POST: Content-Length 0 and no Content-Type.
  EXPECT_EQ(reqs[1].method, "POST");
  EXPECT_EQ(reqs[1].path, "/servers/42/actions/shutdown");
  EXPECT_EQ(reqs[1].header("content-length"), "0");
  EXPECT_EQ(reqs[1].header("content-type"), "");
  EXPECT_EQ(reqs[2].header("content-type"), "application/json");
  EXPECT_EQ(reqs[2].json(), (Json{{"name", "k"}, {"public_key", "ssh-ed25519 AAAA"}}));
}

TEST_F(TransportTest, ConnectionIsReused) {
  for (int i = 0; i < 5; ++i)
    server.push(
        CannedResponse::json(200, {{"action", testing::action_json(i + 1, "x", "success")}}));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.actions().get(i + 1).ok());
  // The scripted server serves each connection in one worker; one worker
  // answered everything when the connection was kept.
  EXPECT_EQ(server.request_count(), 5u);
}

TEST(TransportEnv, EndpointAndTokenFromEnvironment) {
  TestServer server;
  ::setenv("HCLOUD_ENDPOINT", (server.endpoint() + "/").c_str(), 1);
  ::setenv("HCLOUD_TOKEN", "env-token", 1);
  ClientOptions o;
  o.clock = std::make_shared<FakeClock>();
  o.logger = std::make_shared<Logger>();
  Client client(o);
  ::unsetenv("HCLOUD_ENDPOINT");
  ::unsetenv("HCLOUD_TOKEN");
  EXPECT_EQ(client.endpoint(), server.endpoint());  // trailing '/' dropped
  server.push(CannedResponse::json(200, {{"location", testing::location_json()}}));
  auto r = client.locations().get(1);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_TRUE(r.value().has_value());
  EXPECT_EQ(r.value()->name, "fsn1");
  EXPECT_EQ(server.requests()[0].header("authorization"), "Bearer env-token");
}

TEST(TransportEnv, OptionsWinOverEnvironment) {
  ::setenv("HCLOUD_ENDPOINT", "http://127.0.0.1:1/v1", 1);
  ::setenv("HCLOUD_TOKEN", "env-token", 1);
  EXPECT_EQ(resolve_endpoint("https://example.test/v1/"), "https://example.test/v1");
  EXPECT_EQ(resolve_token("opt"), "opt");
  ::unsetenv("HCLOUD_ENDPOINT");
  ::unsetenv("HCLOUD_TOKEN");
  EXPECT_EQ(resolve_endpoint(""), "https://api.hetzner.cloud/v1");
}

TEST(TransportEnv, TokenWithNewlineIsRefusedWithoutSending) {
  TestServer server;
  auto o = testing::test_options(server, std::make_shared<FakeClock>());
  o.token = "abc\r\nX-Evil: 1";
  Client client(o);
  auto r = client.servers().get(1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kConfig);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(TransportEnv, UnreachableEndpointIsANetworkErrorThatIsNotAmbiguous) {
  // A port nobody listens on: the connection is refused before anything is sent.
  int port;
  {
    TestServer s;
    port = std::stoi(s.endpoint().substr(17));
  }
  ClientOptions o;
  o.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  o.token = "t";
  o.clock = std::make_shared<FakeClock>();
  o.logger = std::make_shared<Logger>();
  o.retry.max_retries = 2;
  Client client(o);
  auto r = client.servers().poweron(1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kNetwork);
  EXPECT_FALSE(r.error().outcome_unknown);
  EXPECT_EQ(r.error().attempts, 3);  // never sent, so even a POST may be retried
}

using ListTest = Fixture;

TEST_F(ListTest, FollowsNextPageUntilNull) {
  for (int page = 1; page <= 3; ++page) {
    Json servers = Json::array();
    for (int i = 0; i < 2; ++i) servers.push_back(testing::server_json(page * 10 + i, "s"));
    server.push(
        CannedResponse::json(200, {{"servers", servers}, {"meta", testing::pagination(page, 3)}}));
  }
  ServerListOpts opts;
  opts.label_selector = "kiln.managed=true,env in (a,b)";
  opts.sort = {"created:desc", "id"};
  opts.statuses = {"running", "off"};
  auto r = client.servers().list(opts);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->size(), 6u);
  EXPECT_EQ((*r)[5].id, 31);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[2].params("page"), std::vector<std::string>{"3"});
  EXPECT_EQ(reqs[0].params("per_page"), std::vector<std::string>{"50"});
  EXPECT_EQ(reqs[0].params("label_selector"),
            std::vector<std::string>{"kiln.managed=true,env in (a,b)"});
  EXPECT_EQ(reqs[0].params("sort"), (std::vector<std::string>{"created:desc", "id"}));
  EXPECT_EQ(reqs[0].params("status"), (std::vector<std::string>{"running", "off"}));
  // Spaces, commas and parentheses are escaped.
  EXPECT_NE(reqs[0].query.find("label_selector=kiln.managed%3Dtrue%2Cenv%20in%20%28a%2Cb%29"),
            std::string::npos);
}

TEST_F(ListTest, StopsWithoutMetaOrWhenNextPageDoesNotAdvance) {
  server.push(CannedResponse::json(200, {{"images", {testing::image_json(1)}}}));
  Json meta = testing::pagination(1, 3);
  meta["pagination"]["next_page"] = 1;  // a broken server: would loop forever
  server.push(CannedResponse::json(200, {{"images", {testing::image_json(2)}}, {"meta", meta}}));
  auto a = client.images().list();
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->size(), 1u);
  auto b = client.images().list();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->size(), 1u);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(ListTest, NameLookupsAndNotFound) {
  server.push(CannedResponse::json(
      200, {{"server_types", {testing::server_type_json()}}, {"meta", testing::pagination(1, 1)}}));
  server.push(
      CannedResponse::json(200, {{"images", Json::array()}, {"meta", testing::pagination(1, 1)}}));
  server.push(CannedResponse::error(404, "not_found", "server not found"));
  auto t = client.server_types().get_by_id_or_name("cx23");
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ(t->value().architecture, "x86");
  ASSERT_EQ(t->value().locations.size(), 1u);
  EXPECT_EQ(t->value().locations[0].available, std::optional<bool>(true));
  auto i = client.images().get_by_name("debian-12", "arm");
  ASSERT_TRUE(i.ok());
  EXPECT_FALSE(i->has_value());
  auto s404 = client.servers().get(99);
  ASSERT_TRUE(s404.ok());
  EXPECT_FALSE(s404->has_value());
  auto reqs = server.requests();
  EXPECT_EQ(reqs[0].params("name"), std::vector<std::string>{"cx23"});
  EXPECT_EQ(reqs[1].params("architecture"), std::vector<std::string>{"arm"});
  EXPECT_EQ(reqs[1].params("include_deprecated"), std::vector<std::string>{"true"});
  EXPECT_EQ(reqs[2].path, "/servers/99");
}

using MalformedTest = Fixture;

TEST_F(MalformedTest, InvalidJsonNamesTheRequest) {
  server.push(CannedResponse::raw(200, "application/json", "{\"server\": {\"id\": 1,"));
  auto r = client.servers().get(1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kMalformed);
  EXPECT_EQ(r.error().request, "GET /servers/1");
  EXPECT_NE(r.error().to_string().find("GET /servers/1"), std::string::npos);
}

TEST_F(MalformedTest, WrongContentType) {
  server.push(CannedResponse::raw(200, "text/html", "<html>proxy</html>"));
  auto r = client.servers().get(1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kMalformed);
  EXPECT_NE(r.error().message.find("text/html"), std::string::npos);
}

TEST_F(MalformedTest, MissingEnvelopeKeyAndWrongTypes) {
  server.push(CannedResponse::json(200, {{"servers", {testing::server_json(1, "a")}}}));
  Json bad = testing::server_json(1, "a");
  bad["id"] = "one";
  server.push(CannedResponse::json(200, {{"server", bad}}));
  Json bad_ip = testing::server_json(1, "a");
  bad_ip["public_net"]["ipv4"]["ip"] = 7;
  server.push(CannedResponse::json(200, {{"server", bad_ip}}));
  server.push(CannedResponse::json(
      200, {{"actions", {{{"id", 1}, {"command", "x"}, {"status", "bogus"}}}}}));
  server.push(CannedResponse::json(200, Json::array()));

  auto a = client.servers().get(1);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("no \"server\""), std::string::npos);
  auto b = client.servers().get(1);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("server.id: expected an integer, got string"),
            std::string::npos);
  auto c = client.servers().get(1);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("server.public_net.ipv4.ip"), std::string::npos);
  auto d = client.actions().get_many({1});
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("bogus"), std::string::npos);
  EXPECT_EQ(d.error().request, "GET /actions?id=1");
  auto e = client.servers().list();
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, ErrorKind::kMalformed);
}

TEST_F(MalformedTest, ToleratesWhatTheApiMayOmitOrAdd) {
  // Today's server has no datacenter, a float disk, unknown new fields and
  // null ipv4 (created without IPv4).
  Json s = testing::server_json(5, "x");
  s["public_net"]["ipv4"] = nullptr;
  s["server_type"]["disk"] = 40.0;
  s["brand_new_field"] = {{"a", 1}};
  server.push(CannedResponse::json(200, {{"server", s}}));
  auto r = client.servers().get(5);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_TRUE(r->has_value());
  EXPECT_FALSE(r->value().ipv4.has_value());
  EXPECT_EQ(r->value().ipv6->ip, "2001:db8::/64");
  EXPECT_EQ(r->value().location_name(), "fsn1");
  EXPECT_FALSE(r->value().datacenter.has_value());
}

TEST_F(MalformedTest, OldServerWithDatacenterOnly) {
  Json s = testing::server_json(5, "x");
  s.erase("location");
  s["datacenter"] = {{"id", 4},
                     {"name", "fsn1-dc14"},
                     {"description", "d"},
                     {"location", testing::location_json()}};
  server.push(CannedResponse::json(200, {{"server", s}}));
  auto r = client.servers().get(5);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->value().location_name(), "fsn1");
}

}  // namespace
}  // namespace hcloud
