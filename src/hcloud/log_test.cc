// The debug log (PACKER_LOG / PACKER_LOG_PATH): method, path, status,
// duration and budget; never the token or a root password.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "hcloud/hcloud.h"
#include "hcloud/test_fixtures.h"

namespace hcloud {
namespace {

using testing::CannedResponse;
using testing::TestServer;
using Json = nlohmann::json;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(DebugLog, FromEnvironment) {
  ::unsetenv("PACKER_LOG");
  EXPECT_FALSE(Logger::from_env()->enabled());
  ::setenv("PACKER_LOG", "0", 1);
  EXPECT_FALSE(Logger::from_env()->enabled());
  ::setenv("PACKER_LOG", "1", 1);
  EXPECT_TRUE(Logger::from_env()->enabled());
  ::unsetenv("PACKER_LOG");
}

TEST(DebugLog, LinesNameTheRequestAndHideSecrets) {
  std::string path = ::testing::TempDir() + "hcloud_log_test.log";
  std::remove(path.c_str());
  ::setenv("PACKER_LOG", "1", 1);
  ::setenv("PACKER_LOG_PATH", path.c_str(), 1);
  TestServer server;
  auto o = testing::test_options(server, std::make_shared<FakeClock>());
  o.logger = nullptr;  // from the environment
  o.token = "tok-SECRET-9f8e7d";
  {
    Client client(o);
    ::unsetenv("PACKER_LOG");
    ::unsetenv("PACKER_LOG_PATH");
    server.push(CannedResponse::json(201, {{"server", testing::server_json(42, "p")},
                                           {"action", testing::action_json(1, "create_server")},
                                           {"next_actions", Json::array()},
                                           {"root_password", "pw-TOPSECRET-123"}})
                    .with_rate_limit(3600, 3123, 1800000477));
    server.push(CannedResponse::error(503, "unavailable", "later"));
    server.push(CannedResponse::json(201, {{"action", testing::action_json(2, "enable_rescue")},
                                           {"root_password", "pw-RESCUE-456"}}));
    CreateServerOpts cs;
    cs.name = "p";
    cs.server_type = "cx23";
    cs.image = "debian-12";
    auto r = client.servers().create(cs);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->root_password, std::optional<std::string>("pw-TOPSECRET-123"));
    (void)client.servers().get(1);  // 503, then the rescue answer: malformed for a GET
    client.logger().debug("token in a message: tok-SECRET-9f8e7d");
  }
  std::string log = read_file(path);
  EXPECT_NE(log.find("[DEBUG] hcloud: POST /servers -> 201 ("), std::string::npos) << log;
  EXPECT_NE(log.find("ratelimit 3123/3600"), std::string::npos) << log;
  EXPECT_NE(log.find("GET /servers/1 -> 503"), std::string::npos) << log;
  EXPECT_NE(log.find("retrying in"), std::string::npos) << log;
  EXPECT_EQ(log.find("tok-SECRET-9f8e7d"), std::string::npos) << log;
  EXPECT_EQ(log.find("TOPSECRET"), std::string::npos) << log;
  EXPECT_EQ(log.find("RESCUE-456"), std::string::npos) << log;
  EXPECT_NE(log.find("token in a message: <redacted>"), std::string::npos) << log;
  std::remove(path.c_str());
}

TEST(DebugLog, RedactsRootPasswordsInText) {
  Logger l;
  EXPECT_EQ(l.redact(R"({"root_password": "a\"b", "x": 1})"),
            R"({"root_password": "<redacted>", "x": 1})");
  EXPECT_EQ(l.redact(R"({"root_password":null})"), R"({"root_password":null})");
}

}  // namespace
}  // namespace hcloud
