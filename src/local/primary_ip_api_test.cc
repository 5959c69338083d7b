// Primary IPs as Packer's public_ipv4/public_ipv6 use them: created apart,
// found by name or IP, given to POST /servers in public_net, kept (not
// auto-deleted) when the server goes.
#include <gtest/gtest.h>

#include "local/api_fixture.h"

namespace kiln::local {
namespace {

using json = nlohmann::json;
using PrimaryIps = testing::ApiFixture;

TEST_F(PrimaryIps, CreateAssignAtServerCreateAndKeep) {
  json v4 = call("POST", "/v1/primary_ips",
                 {{"name", "ip4"},
                  {"type", "ipv4"},
                  {"assignee_type", "server"},
                  {"location", "fsn1"},
                  {"labels", {{"role", "build"}}}},
                 201);
  EXPECT_EQ(v4["action"]["command"], "create_primary_ip");
  EXPECT_TRUE(v4["primary_ip"]["assignee_id"].is_null());
  EXPECT_EQ(v4["primary_ip"]["location"]["name"], "fsn1");
  EXPECT_EQ(v4["primary_ip"]["auto_delete"], false);
  int64_t id4 = v4["primary_ip"]["id"];
  std::string ip = v4["primary_ip"]["ip"];
  json v6 = call(
      "POST", "/v1/primary_ips",
      {{"name", "ip6"}, {"type", "ipv6"}, {"assignee_type", "server"}, {"location", "nbg1"}}, 201);
  int64_t id6 = v6["primary_ip"]["id"];
  call("POST", "/v1/primary_ips",
       {{"name", "ip4"}, {"type", "ipv4"}, {"assignee_type", "server"}, {"location", "fsn1"}}, 409);
  call("POST", "/v1/primary_ips", {{"name", "x"}, {"type", "ipv5"}, {"assignee_type", "server"}},
       422);
  call("POST", "/v1/primary_ips", {{"name", "x"}, {"type", "ipv4"}, {"assignee_type", "server"}},
       422);
  // As Packer looks them up (step_create_server: ?name=, then ?ip=).
  EXPECT_EQ(call("GET", "/v1/primary_ips?name=ip4", nullptr, 200)["primary_ips"][0]["id"], id4);
  EXPECT_EQ(call("GET", "/v1/primary_ips?ip=" + ip, nullptr, 200)["primary_ips"][0]["id"], id4);

  json base = {
      {"name", "s1"}, {"server_type", "cx23"}, {"image", "debian-12"}, {"location", "fsn1"}};
  json b = base;
  b["public_net"] = {{"ipv4", id6}};
  EXPECT_EQ(call("POST", "/v1/servers", b, 422)["error"]["code"], "primary_ip_version_mismatch");
  b["public_net"] = {{"ipv6", id6}};
  EXPECT_EQ(call("POST", "/v1/servers", b, 422)["error"]["code"], "primary_ip_datacenter_mismatch");
  b["public_net"] = {{"ipv4", 999}};
  EXPECT_EQ(call("POST", "/v1/servers", b, 422)["error"]["code"], "invalid_input");
  b["public_net"] = {{"ipv4", id4}, {"enable_ipv6", false}};
  json s = call("POST", "/v1/servers", b, 201)["server"];
  EXPECT_EQ(s["public_net"]["ipv4"]["ip"], ip);
  EXPECT_EQ(s["public_net"]["ipv4"]["id"], id4);
  EXPECT_TRUE(s["public_net"]["ipv6"].is_null());
  EXPECT_EQ(call("GET", "/v1/primary_ips/" + std::to_string(id4))["primary_ip"]["assignee_id"],
            s["id"]);
  json b2 = base;
  b2["name"] = "s2";
  b2["public_net"] = {{"ipv4", id4}};
  EXPECT_EQ(call("POST", "/v1/servers", b2, 422)["error"]["code"], "primary_ip_assigned");
  call("DELETE", "/v1/primary_ips/" + std::to_string(id4), nullptr, 422);

  now += 60;
  call("DELETE", "/v1/servers/" + s["id"].dump(), nullptr, 200);
  now += 60;
  json kept = call("GET", "/v1/primary_ips/" + std::to_string(id4), nullptr, 200)["primary_ip"];
  EXPECT_TRUE(kept["assignee_id"].is_null());  // auto_delete false: it stays
  call("DELETE", "/v1/primary_ips/" + std::to_string(id4), nullptr, 204);
}

TEST_F(PrimaryIps, CreateAssignedToAStoppedServer) {
  json b = {{"name", "s1"},
            {"server_type", "cx23"},
            {"image", "debian-12"},
            {"public_net", {{"enable_ipv4", false}}}};
  json s = call("POST", "/v1/servers", b, 201)["server"];
  EXPECT_TRUE(s["public_net"]["ipv4"].is_null());
  now += 60;
  json req = {{"name", "late"},
              {"type", "ipv4"},
              {"assignee_type", "server"},
              {"assignee_id", s["id"]},
              {"auto_delete", true}};
  EXPECT_EQ(call("POST", "/v1/primary_ips", req, 422)["error"]["code"], "server_not_stopped");
  call("POST", "/v1/servers/" + s["id"].dump() + "/actions/poweroff", nullptr, 201);
  now += 60;
  json p = call("POST", "/v1/primary_ips", req, 201);
  EXPECT_EQ(p["action"]["command"], "create_primary_ip");
  EXPECT_EQ(p["primary_ip"]["assignee_id"], s["id"]);
  json got = call("GET", "/v1/servers/" + s["id"].dump(), nullptr, 200)["server"];
  EXPECT_EQ(got["public_net"]["ipv4"]["ip"], p["primary_ip"]["ip"]);
  req["name"] = "again";
  EXPECT_EQ(call("POST", "/v1/primary_ips", req, 422)["error"]["code"], "server_has_ipv4");
}

}  // namespace
}  // namespace kiln::local
