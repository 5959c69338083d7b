// Request counters by endpoint template and status.
#include "local/counters.h"

#include <gtest/gtest.h>

namespace kiln::local {
namespace {

using json = nlohmann::json;

TEST(Counters, TemplatesAndStatuses) {
  EXPECT_EQ(path_template("/v1/servers/42/actions/create_image"),
            "/v1/servers/{id}/actions/create_image");
  EXPECT_EQ(path_template("/v1/actions"), "/v1/actions");
  EXPECT_EQ(path_template("/v1/images/7/"), "/v1/images/{id}/");
  Counters c;
  c.record("GET", "/v1/actions", 200);
  c.record("GET", "/v1/actions", 200);
  c.record("POST", "/v1/servers/1/actions/create_image", 201);
  c.record("POST", "/v1/servers/2/actions/create_image", 423);
  c.record("GET", "/v1/x", 0);
  json j = c.to_json();
  EXPECT_EQ(j["total"], 5);
  EXPECT_EQ(j["endpoints"]["GET /v1/actions"]["total"], 2);
  EXPECT_EQ(j["endpoints"]["POST /v1/servers/{id}/actions/create_image"]["by_status"],
            (json{{"201", 1}, {"423", 1}}));
  EXPECT_EQ(j["by_status"]["dropped"], 1);
  EXPECT_EQ(j["by_status"]["200"], 2);
  c.reset();
  EXPECT_EQ(c.to_json()["total"], 0);
  EXPECT_TRUE(c.to_json()["endpoints"].empty());
}

TEST(Counters, LogKeepsTheOrderUntilReset) {
  Counters c;
  c.record("POST", "/v1/servers", 201);
  c.record("GET", "/v1/actions", 0);
  c.record("DELETE", "/v1/servers/3", 200);
  auto log = c.log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].method + " " + log[0].path, "POST /v1/servers");
  EXPECT_EQ(log[1].status, 0);
  EXPECT_EQ(log[2].method + " " + log[2].path, "DELETE /v1/servers/3");
  EXPECT_EQ(log[2].status, 200);
  c.reset();
  EXPECT_TRUE(c.log().empty());
}

}  // namespace
}  // namespace kiln::local
