// Every error code of the API's error table (hcloud-api.md section 3): how it
// is parsed, and whether a safe (GET) and an unsafe (POST action) request
// is sent again.
#include <gtest/gtest.h>

#include "hcloud/hcloud.h"
#include "hcloud/test_fixtures.h"

namespace hcloud {
namespace {

using testing::CannedResponse;
using testing::TestServer;

struct Case {
  int status;
  const char* code;
  bool retried_when_safe;    // GET
  bool retried_when_unsafe;  // POST action
};

const Case kCases[] = {
    {400, "json_error", false, false},
    {401, "unauthorized", false, false},
    {401, "token_readonly", false, false},
    {403, "forbidden", false, false},
    {403, "maintenance", false, false},
    {403, "resource_limit_exceeded", false, false},
    {404, "not_found", false, false},
    {405, "method_not_allowed", false, false},
    {409, "uniqueness_error", false, false},
    {409, "conflict", true, true},
    {410, "deprecated_api_endpoint", false, false},
    {412, "resource_unavailable", false, false},
    {422, "invalid_input", false, false},
    {422, "service_error", false, false},
    {422, "unsupported_error", false, false},
    {423, "locked", false, false},
    {423, "protected", false, false},
    {429, "rate_limit_exceeded", true, true},
    {500, "server_error", true, false},
    {502, "bad_gateway", true, false},
    {503, "unavailable", true, false},
    {504, "timeout", true, false},
    // Codes hcloud-go knows beyond the table (statuses presumed, section 3).
    {429, "limit_reached", true, true},  // an alias of rate_limit_exceeded
    {500, "unknown_error", true, false},
    {503, "robot_unavailable", true, false},
    {423, "resource_locked", false, false},
    // Operation-specific codes: final answers, never resent.
    {422, "placement_error", false, false},
    {422, "primary_ip_assigned", false, false},
    {422, "server_not_stopped", false, false},
    {422, "invalid_server_type", false, false},
    {422, "server_already_attached", false, false},
    {422, "firewall_already_applied", false, false},
    {404, "firewall_resource_not_found", false, false},
};

class ErrorCodeTest : public ::testing::TestWithParam<Case> {};

TEST_P(ErrorCodeTest, SafeRequest) {
  const Case& c = GetParam();
  TestServer server;
  auto clock = std::make_shared<FakeClock>();
  Client client(testing::test_options(server, clock));
  server.push(CannedResponse::error(c.status, c.code, std::string("msg for ") + c.code)
                  .with_header("X-Correlation-Id", "d5064a1f0bb9de4b"));
  server.push(
      CannedResponse::json(200, {{"ssh_key", testing::ssh_key_json(1, "k", "ssh-ed25519 AAAA")}}));

  auto r = client.call(Method::kGet, "/ssh_keys/1", {}, nullptr, Safety::kIdempotent);
  if (c.retried_when_safe) {
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(server.request_count(), 2u);
    // The retry waited (jittered backoff, at least the 1 s base).
    ASSERT_FALSE(clock->sleeps().empty());
    EXPECT_GE(clock->sleeps().back(), Duration(1000));
  } else {
    ASSERT_FALSE(r.ok());
    const Error& e = r.error();
    EXPECT_EQ(server.request_count(), 1u);
    EXPECT_EQ(e.kind, ErrorKind::kApi);
    EXPECT_EQ(e.http_status, c.status);
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.message, std::string("msg for ") + c.code);
    EXPECT_EQ(e.correlation_id, "d5064a1f0bb9de4b");
    EXPECT_EQ(e.request, "GET /ssh_keys/1");
    EXPECT_FALSE(e.outcome_unknown);
    EXPECT_NE(e.to_string().find(c.code), std::string::npos);
  }
}

TEST_P(ErrorCodeTest, UnsafeRequest) {
  const Case& c = GetParam();
  TestServer server;
  auto clock = std::make_shared<FakeClock>();
  Client client(testing::test_options(server, clock));
  server.push(CannedResponse::error(c.status, c.code, "nope"));
  server.push(CannedResponse::json(201, {{"action", testing::action_json(9, "start_server")}}));

  auto r = client.servers().poweron(42);
  if (c.retried_when_unsafe) {
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(server.request_count(), 2u);
    EXPECT_EQ(r->id, 9);
  } else {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(server.request_count(), 1u);
    EXPECT_EQ(r.error().code, c.code);
    EXPECT_EQ(r.error().request, "POST /servers/42/actions/poweron");
    // A 5xx on a POST leaves its outcome unknown; a 4xx does not.
    EXPECT_EQ(r.error().outcome_unknown, c.status >= 500);
  }
}

INSTANTIATE_TEST_SUITE_P(AllCodes, ErrorCodeTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.code); });

TEST(ErrorDetails, InvalidInputFields) {
  TestServer server;
  Client client(testing::test_options(server, std::make_shared<FakeClock>()));
  server.push(CannedResponse::error(
      422, "invalid_input", "invalid input in field 'name'",
      {{"fields", {{{"name", "name"}, {"messages", {"is too long", "is invalid"}}}}}}));
  auto r = client.ssh_keys().create({"x", "ssh-ed25519 AAAA", {}});
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].name, "name");
  EXPECT_EQ(r.error().fields[0].messages, (std::vector<std::string>{"is too long", "is invalid"}));
  EXPECT_NE(r.error().to_string().find("name: is too long is invalid"), std::string::npos);
}

TEST(ErrorDetails, UniquenessLimitsAndAnnouncement) {
  TestServer server;
  Client client(testing::test_options(server, std::make_shared<FakeClock>()));
  server.push(CannedResponse::error(409, "uniqueness_error",
                                    "SSH key with the same fingerprint already exists",
                                    {{"fields", {{{"name", "public_key"}}}}}));
  server.push(CannedResponse::error(403, "resource_limit_exceeded", "project limit exceeded",
                                    {{"limits", {{{"name", "project_limit"}}}}}));
  server.push(CannedResponse::error(410, "deprecated_api_endpoint", "API functionality was removed",
                                    {{"announcement", "https://docs.hetzner.cloud/changelog#x"}}));
  auto a = client.ssh_keys().create({"x", "ssh-ed25519 AAAA", {}});
  ASSERT_FALSE(a.ok());
  ASSERT_EQ(a.error().fields.size(), 1u);
  EXPECT_EQ(a.error().fields[0].name, "public_key");
  EXPECT_TRUE(a.error().fields[0].messages.empty());
  auto b = client.call(Method::kGet, "/servers", {}, nullptr, Safety::kIdempotent);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().details["limits"][0]["name"], "project_limit");
  auto c = client.call(Method::kGet, "/datacenters", {}, nullptr, Safety::kIdempotent);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().http_status, 410);
  EXPECT_EQ(c.error().details["announcement"], "https://docs.hetzner.cloud/changelog#x");
}

TEST(ErrorDetails, BareStatusWithoutEnvelope) {
  TestServer server;
  Client client(testing::test_options(server, std::make_shared<FakeClock>()));
  server.push(CannedResponse::raw(418, "text/plain", "I'm a teapot"));
  server.push(CannedResponse::raw(403, "application/json", "{not json"));
  auto a = client.call(Method::kGet, "/servers", {}, nullptr, Safety::kIdempotent);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().http_status, 418);
  EXPECT_TRUE(a.error().code.empty());
  EXPECT_EQ(a.error().message, "server responded with status code 418");
  auto b = client.call(Method::kGet, "/servers", {}, nullptr, Safety::kIdempotent);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().http_status, 403);
  EXPECT_EQ(b.error().message, "server responded with status code 403");
}

TEST(ErrorDetails, RetriesGiveUpAfterTheLimit) {
  TestServer server;
  auto clock = std::make_shared<FakeClock>();
  Client client(testing::test_options(server, clock));
  for (int i = 0; i < 10; ++i) server.push(CannedResponse::error(503, "unavailable", "later"));
  auto r = client.call(Method::kGet, "/servers", {}, nullptr, Safety::kIdempotent);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(server.request_count(), 6u);  // 1 + 5 retries
  EXPECT_EQ(r.error().attempts, 6);
  // Backoffs grow (full jitter within [1 s, 2^n s], capped at 60 s).
  auto sleeps = clock->sleeps();
  ASSERT_EQ(sleeps.size(), 5u);
  for (size_t i = 0; i < sleeps.size(); ++i) {
    EXPECT_GE(sleeps[i], Duration(1000));
    EXPECT_LE(sleeps[i], Duration(1000 << (i + 1)));
  }
}

}  // namespace
}  // namespace hcloud
