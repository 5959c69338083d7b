// Retries of unsafe requests and the reconciliation of creates whose outcome
// is unknown: nothing is ever created twice.
#include <gtest/gtest.h>

#include "hcloud/hcloud.h"
#include "hcloud/test_fixtures.h"

namespace hcloud {
namespace {

using testing::CannedResponse;
using testing::TestServer;
using Json = nlohmann::json;

const Json kLabels = {{"kiln.run", "r1"}, {"kiln.managed", "true"}};

struct ReconcileTest : ::testing::Test {
  TestServer server;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  Client client{[&] {
    auto o = testing::test_options(server, clock);
    // For the unanswered requests; long enough that no answered one, even
    // under ASan on a loaded machine, runs into it.
    o.request_timeout = Duration(2000);
    return o;
  }()};

  CreateServerOpts server_opts() {
    CreateServerOpts o;
    o.name = "packer-1";
    o.server_type = "cx23";
    o.image = "debian-12";
    o.location = "fsn1";
    o.labels = kLabels.get<Labels>();
    return o;
  }
  size_t count(const std::string& method, const std::string& path) {
    size_t n = 0;
    for (const auto& r : server.requests()) n += r.method == method && r.path == path;
    return n;
  }
  static Json list(const char* key, Json items) {
    return {{key, std::move(items)}, {"meta", testing::pagination(1, 1)}};
  }
};

TEST_F(ReconcileTest, ServerCreateWithDroppedConnectionIsFoundByName) {
  server.push(CannedResponse::drop());
  server.push(CannedResponse::json(
      200, list("servers", {testing::server_json(42, "packer-1", kLabels, "initializing")})));
  server.push(
      CannedResponse::json(200, list("actions", {testing::action_json(7, "create_server"),
                                                 testing::action_json(8, "start_server")})));
  auto r = client.servers().create(server_opts());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->reconciled);
  EXPECT_EQ(r->server.id, 42);
  EXPECT_EQ(r->action.id, 7);
  ASSERT_EQ(r->next_actions.size(), 1u);
  EXPECT_EQ(r->next_actions[0].id, 8);
  EXPECT_EQ(count("POST", "/servers"), 1u);  // never sent twice
  auto reqs = server.requests();
  EXPECT_EQ(reqs[1].params("name"), std::vector<std::string>{"packer-1"});
  EXPECT_EQ(reqs[2].path, "/servers/42/actions");
}

TEST_F(ReconcileTest, SshKeyCreateThatTimedOutIsFoundByName) {
  server.push(CannedResponse::hang());
  server.push(CannedResponse::json(
      200,
      list("ssh_keys", {testing::ssh_key_json(5, "packer-k", "ssh-ed25519 AAAA c", kLabels)})));
  // The key is sent with a trailing newline; the API stores it trimmed.
  auto r = client.ssh_keys().create({"packer-k", "ssh-ed25519 AAAA c\n", kLabels.get<Labels>()});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->id, 5);
  EXPECT_EQ(count("POST", "/ssh_keys"), 1u);
}

TEST_F(ReconcileTest, CreateIsResentOnlyWhenCertainlyAbsent) {
  server.push(CannedResponse::error(504, "timeout", "request not answered in time"));
  server.push(CannedResponse::json(200, list("servers", Json::array())));
  server.push(CannedResponse::json(201, {{"server", testing::server_json(43, "packer-1", kLabels)},
                                         {"action", testing::action_json(9, "create_server")},
                                         {"next_actions", Json::array()},
                                         {"root_password", nullptr}}));
  auto r = client.servers().create(server_opts());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_FALSE(r->reconciled);
  EXPECT_EQ(r->server.id, 43);
  EXPECT_EQ(count("POST", "/servers"), 2u);
  EXPECT_EQ(count("GET", "/servers"), 1u);
}

TEST_F(ReconcileTest, LateFirstCreateIsAdoptedAfterUniquenessError) {
  server.push(CannedResponse::drop());
  server.push(CannedResponse::json(200, list("servers", Json::array())));
  server.push(CannedResponse::error(409, "uniqueness_error", "name is already used",
                                    {{"fields", {{{"name", "name"}}}}}));
  server.push(
      CannedResponse::json(200, list("servers", {testing::server_json(44, "packer-1", kLabels)})));
  server.push(CannedResponse::json(
      200, list("actions", {testing::action_json(10, "create_server", "success")})));
  auto r = client.servers().create(server_opts());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->server.id, 44);
  EXPECT_EQ(r->action.status, "success");
  EXPECT_EQ(count("POST", "/servers"), 2u);
}

TEST_F(ReconcileTest, SomeoneElsesServerWithTheSameNameIsNotAdopted) {
  server.push(CannedResponse::drop());
  server.push(CannedResponse::json(
      200, list("servers", {testing::server_json(45, "packer-1", {{"owner", "bob"}})})));
  server.push(CannedResponse::error(409, "uniqueness_error", "name is already used"));
  server.push(CannedResponse::json(
      200, list("servers", {testing::server_json(45, "packer-1", {{"owner", "bob"}})})));
  auto r = client.servers().create(server_opts());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "uniqueness_error");
}

TEST_F(ReconcileTest, SnapshotIsFoundByLabelsAndNeverResent) {
  server.push(CannedResponse::drop());
  server.push(CannedResponse::json(
      200,
      list("images", {testing::image_json(77, "snapshot", "creating", kLabels, "my-snap", 42)})));
  server.push(CannedResponse::json(
      200, list("actions", {testing::action_json(11, "create_image", "running", 30)})));
  CreateImageOpts o;
  o.description = "my-snap";
  o.labels = kLabels.get<Labels>();
  auto r = client.servers().create_image(42, o);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->image.id, 77);
  EXPECT_EQ(r->action.id, 11);
  EXPECT_EQ(count("POST", "/servers/42/actions/create_image"), 1u);
  auto reqs = server.requests();
  EXPECT_EQ(reqs[1].params("label_selector"),
            std::vector<std::string>{"kiln.managed=true,kiln.run=r1"});
  EXPECT_EQ(reqs[1].params("type"), std::vector<std::string>{"snapshot"});
}

TEST_F(ReconcileTest, SnapshotNotFoundIsAnUnknownOutcomeNotAResend) {
  server.push(CannedResponse::drop());
  server.push(CannedResponse::json(200, list("images", Json::array())));
  CreateImageOpts o;
  o.labels = kLabels.get<Labels>();
  auto r = client.servers().create_image(42, o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().outcome_unknown);
  EXPECT_EQ(count("POST", "/servers/42/actions/create_image"), 1u);
}

TEST_F(ReconcileTest, ActionWithUnknownOutcomeIsNotResent) {
  server.push(CannedResponse::drop());
  auto r = client.servers().reset(42);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kNetwork);
  EXPECT_TRUE(r.error().outcome_unknown);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(ReconcileTest, SafeRequestsAreRetriedAfterNetworkErrors) {
  server.push(CannedResponse::drop());
  server.push(CannedResponse::hang());
  server.push(CannedResponse::json(200, {{"server", testing::server_json(1, "a")}}));
  auto r = client.servers().get(1);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(clock->sleeps().size(), 2u);
}

TEST_F(ReconcileTest, RetriedDeleteThatAlreadyLandedSucceeds) {
  server.push(CannedResponse::drop());
  server.push(CannedResponse::error(404, "not_found", "ssh key not found"));
  auto r = client.ssh_keys().del(5);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(server.request_count(), 2u);
  // A plain 404 on the first attempt is still an error.
  server.push(CannedResponse::error(404, "not_found", "ssh key not found"));
  auto again = client.ssh_keys().del(5);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().not_found());
}

TEST_F(ReconcileTest, RateLimitedCreateIsRetriedBecauseItDidNotHappen) {
  server.push(CannedResponse::error(429, "rate_limit_exceeded", "limit")
                  .with_rate_limit(3600, 0, 1800003600));
  server.push(
      CannedResponse::json(201, {{"ssh_key", testing::ssh_key_json(6, "k", "ssh-ed25519 AAAA")}}));
  auto r = client.ssh_keys().create({"k", "ssh-ed25519 AAAA", {}});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(count("POST", "/ssh_keys"), 2u);
}

}  // namespace
}  // namespace hcloud
