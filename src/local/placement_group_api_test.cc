// Placement groups as `hcloud server create --placement-group` uses them.
#include <gtest/gtest.h>

#include "local/api_fixture.h"

namespace kiln::local {
namespace {

using json = nlohmann::json;
using PlacementGroups = testing::ApiFixture;

TEST_F(PlacementGroups, CreateJoinListAndDelete) {
  json g = call("POST", "/v1/placement_groups",
                {{"name", "pg"}, {"type", "spread"}, {"labels", {{"a", "b"}}}}, 201);
  int64_t gid = g["placement_group"]["id"];
  EXPECT_TRUE(g["placement_group"]["servers"].empty());
  call("POST", "/v1/placement_groups", {{"name", "pg"}, {"type", "spread"}}, 409);
  call("POST", "/v1/placement_groups", {{"name", "x"}, {"type", "cluster"}}, 422);

  json b = {
      {"name", "s1"}, {"server_type", "cx23"}, {"image", "debian-12"}, {"placement_group", gid}};
  json s = call("POST", "/v1/servers", b, 201)["server"];
  EXPECT_EQ(s["placement_group"]["id"], gid);
  EXPECT_EQ(s["placement_group"]["servers"], json::array({s["id"]}));
  b["name"] = "s2";
  b["placement_group"] = 999;
  call("POST", "/v1/servers", b, 422);

  EXPECT_EQ(call("GET", "/v1/placement_groups?label_selector=a=b", nullptr, 200)["placement_groups"]
                .size(),
            1u);
  EXPECT_EQ(call("GET", "/v1/placement_groups?type=spread&name=pg", nullptr,
                 200)["placement_groups"][0]["servers"]
                .size(),
            1u);
  json u = call("PUT", "/v1/placement_groups/" + std::to_string(gid), {{"name", "pg2"}}, 200);
  EXPECT_EQ(u["placement_group"]["name"], "pg2");
  // Deleting a group with servers in it is allowed; they leave it.
  call("DELETE", "/v1/placement_groups/" + std::to_string(gid), nullptr, 204);
  call("GET", "/v1/placement_groups/" + std::to_string(gid), nullptr, 404);
  json after = call("GET", "/v1/servers/" + s["id"].dump(), nullptr, 200)["server"];
  EXPECT_TRUE(after["placement_group"].is_null());
}

TEST_F(PlacementGroups, SpreadHoldsTenServers) {
  int64_t gid = call("POST", "/v1/placement_groups", {{"name", "pg"}, {"type", "spread"}},
                     201)["placement_group"]["id"];
  for (int i = 0; i < 10; ++i)
    call("POST", "/v1/servers",
         {{"name", "s" + std::to_string(i)},
          {"server_type", "cx23"},
          {"image", "debian-12"},
          {"placement_group", gid}},
         201);
  json e = call(
      "POST", "/v1/servers",
      {{"name", "s10"}, {"server_type", "cx23"}, {"image", "debian-12"}, {"placement_group", gid}},
      422);
  EXPECT_EQ(e["error"]["code"], "placement_error");
}

}  // namespace
}  // namespace kiln::local
