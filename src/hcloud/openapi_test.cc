// The requests the client actually sends, captured at the scripted server
// from every operation's real code path, checked against the OpenAPI
// document ../shared/reference/hcloud-openapi.json: the operation exists,
// every query parameter is documented, and every body validates (closed
// objects: no property the document does not name; no deprecated property).
// Where today's API differs from the document (hcloud-api.md section 12),
// today's API wins and the test says so.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "hcloud/hcloud.h"
#include "hcloud/openapi_validator.h"
#include "hcloud/test_fixtures.h"

namespace hcloud {
namespace {

using testing::CannedResponse;
using testing::OpenApi;
using testing::RecordedRequest;
using testing::TestServer;
using Json = nlohmann::json;

// The document: KILN_HCLOUD_OPENAPI from the environment, else the path
// compiled in (${PROJECT_SOURCE_DIR}/../shared/reference/hcloud-openapi.json).
std::string spec_path() {
  const char* env = std::getenv("KILN_HCLOUD_OPENAPI");
  return env && *env ? env : KILN_HCLOUD_OPENAPI;
}

const OpenApi* spec() {
  static std::optional<OpenApi> doc = [] {
    std::string error;
    return OpenApi::load(spec_path(), &error);
  }();
  return doc ? &*doc : nullptr;
}

// Skips locally without the document, but fails under CI.
#define REQUIRE_SPEC()                                                          \
  do {                                                                          \
    if (!spec()) {                                                              \
      const char* ci = std::getenv("CI");                                       \
      if (ci && std::string(ci) == "true") FAIL() << "missing " << spec_path(); \
      GTEST_SKIP() << "missing " << spec_path();                                \
    }                                                                           \
  } while (0)

// Answers every operation with a plausible object of today's API.
CannedResponse answer(const RecordedRequest& r) {
  std::vector<std::string> seg;
  for (size_t i = 1; i <= r.path.size();) {
    size_t j = r.path.find('/', i);
    if (j == std::string::npos) j = r.path.size();
    seg.push_back(r.path.substr(i, j - i));
    i = j + 1;
  }
  const std::string& res = seg[0];
  auto list = [](const char* key, Json item) {
    return CannedResponse::json(200,
                                {{key, {std::move(item)}}, {"meta", testing::pagination(1, 1)}});
  };
  Json action = testing::action_json(1, "x");
  Json object;
  std::string single;
  if (res == "servers") {
    object = testing::server_json(42, "packer-1");
    single = "server";
  } else if (res == "ssh_keys") {
    object = testing::ssh_key_json(5, "k", "ssh-ed25519 AAAA");
    single = "ssh_key";
  } else if (res == "images") {
    object = testing::image_json(77);
    single = "image";
  } else if (res == "server_types") {
    object = testing::server_type_json();
    single = "server_type";
  } else if (res == "locations") {
    object = testing::location_json();
    single = "location";
  } else if (res == "primary_ips") {
    object = {{"id", 9},
              {"name", "ip"},
              {"ip", "192.0.2.1"},
              {"type", "ipv4"},
              {"assignee_id", nullptr},
              {"assignee_type", "server"},
              {"auto_delete", false},
              {"blocked", false},
              {"location", testing::location_json()},
              {"labels", Json::object()}};
    single = "primary_ip";
  } else if (res == "networks") {
    object = {{"id", 3},
              {"name", "net"},
              {"ip_range", "10.0.0.0/16"},
              {"subnets", Json::array()},
              {"servers", Json::array()},
              {"labels", Json::object()}};
    single = "network";
  } else if (res == "firewalls") {
    object = {{"id", 38},
              {"name", "fw"},
              {"rules", Json::array()},
              {"applied_to", Json::array()},
              {"labels", Json::object()}};
    single = "firewall";
  } else if (res == "actions") {
    single = "action";
    object = action;
  }
  const std::string plural = res;
  if (seg.size() >= 2 && seg.back() == "actions" && r.method == "GET")
    return list("actions", action);
  if (seg.size() == 4 && seg[2] == "actions") {  // POST /servers/{id}/actions/<x>
    if (seg[3] == "create_image")
      return CannedResponse::json(
          201, {{"action", action}, {"image", testing::image_json(78, "snapshot", "creating")}});
    if (seg[3] == "enable_rescue")
      return CannedResponse::json(201, {{"action", action}, {"root_password", "s3cret"}});
    return CannedResponse::json(201, {{"action", action}});
  }
  if (r.method == "GET" && seg.size() == 1) return list(plural.c_str(), object);
  if (r.method == "GET" || r.method == "PUT") return CannedResponse::json(200, {{single, object}});
  if (r.method == "DELETE")
    return res == "servers" ? CannedResponse::json(200, {{"action", action}})
                            : CannedResponse::empty();
  if (r.method == "POST" && res == "servers")
    return CannedResponse::json(201, {{"server", object},
                                      {"action", action},
                                      {"next_actions", {testing::action_json(2, "start_server")}},
                                      {"root_password", nullptr}});
  if (r.method == "POST" && res == "firewalls")
    return CannedResponse::json(201, {{"firewall", object}, {"actions", {action}}});
  if (r.method == "POST" && res == "primary_ips")
    return CannedResponse::json(201, {{"primary_ip", object}, {"action", action}});
  return CannedResponse::json(201, {{single, object}});
}

// Runs every operation of the client once, with every option set.
std::vector<RecordedRequest> exercise_everything() {
  TestServer server;
  server.set_handler(answer);
  Client client(testing::test_options(server, std::make_shared<FakeClock>()));
  const Labels labels = {{"kiln.run", "0b5e"}, {"kiln.managed", "true"}};
  auto ok = [](const auto& r) { EXPECT_TRUE(r.ok()) << r.error().to_string(); };

  ok(client.actions().get(1));
  ok(client.actions().get_many({1, 2, 3}));

  ServerListOpts sl;
  sl.name = "packer-1";
  sl.label_selector = "kiln.managed=true";
  sl.sort = {"created:desc"};
  sl.statuses = {"running"};
  ok(client.servers().list(sl));
  ok(client.servers().get(42));
  CreateServerOpts cs;
  cs.name = "packer-1";
  cs.server_type = "cx23";
  cs.image = "114690387";
  cs.location = "fsn1";
  cs.ssh_keys = {"5", "my-key"};
  cs.user_data = "#cloud-config\n";
  cs.labels = labels;
  cs.start_after_create = false;
  cs.ipv4 = 1001;
  cs.networks = {3};
  cs.firewalls = {38};
  cs.placement_group = 1;
  cs.volumes = {123};
  cs.automount = false;
  ok(client.servers().create(cs));
  CreateServerOpts minimal;
  minimal.name = "packer-2";
  minimal.server_type = "cx23";
  minimal.image = "debian-12";
  ok(client.servers().create(minimal));
  ok(client.servers().update(42, "renamed", labels));
  ok(client.servers().del(42));
  ok(client.servers().poweron(42));
  ok(client.servers().poweroff(42));
  ok(client.servers().shutdown(42));
  ok(client.servers().reboot(42));
  ok(client.servers().reset(42));
  ok(client.servers().enable_rescue(42, "linux64", {5}));
  ok(client.servers().disable_rescue(42));
  CreateImageOpts ci;
  ci.description = "kiln-snapshot";
  ci.labels = labels;
  ok(client.servers().create_image(42, ci));
  ok(client.servers().create_image(42, {}));
  ok(client.servers().change_type(42, "cx33", false));
  ok(client.servers().actions(42, {"running"}));

  ImageListOpts il;
  il.types = {"snapshot"};
  il.statuses = {"available"};
  il.architecture = "x86";
  il.include_deprecated = true;
  il.bound_to = 42;
  il.label_selector = "kiln.managed=true";
  il.sort = {"created:desc"};
  ok(client.images().list(il));
  ok(client.images().get(77));
  ok(client.images().get_by_name("debian-12", "x86"));
  ok(client.images().update(77, {std::string("desc"), labels}));
  ok(client.images().del(77));

  SshKeyListOpts kl;
  kl.fingerprint = "b7:2f:30:a0:2f:6c:58:6c:21:04:58:61:ba:06:3b:2f";
  kl.sort = {"name"};
  ok(client.ssh_keys().list(kl));
  ok(client.ssh_keys().get(5));
  ok(client.ssh_keys().get_by_name("k"));
  ok(client.ssh_keys().create({"packer-k", "ssh-ed25519 AAAA kiln\n", labels}));
  ok(client.ssh_keys().update(5, "k2", labels));
  ok(client.ssh_keys().del(5));

  ok(client.server_types().list());
  ok(client.server_types().get(114));
  ok(client.server_types().get_by_name("cx23"));
  ListOpts ll;
  ll.sort = {"name"};
  ok(client.locations().list(ll));
  ok(client.locations().get(1));
  ok(client.locations().get_by_name("fsn1"));

  PrimaryIpListOpts pl;
  pl.ip = "192.0.2.1";
  pl.label_selector = "a=b";
  pl.sort = {"id"};
  ok(client.primary_ips().list(pl));
  ok(client.primary_ips().get(9));
  ok(client.primary_ips().get_by_name("ip"));
  ok(client.primary_ips().create({"ip", "ipv4", "fsn1", std::nullopt, true, labels}));
  ok(client.primary_ips().create({"ip2", "ipv6", "", 42, false, {}}));
  ok(client.primary_ips().update(9, "ip3", labels, true));
  ok(client.primary_ips().del(9));

  ok(client.networks().list(ll));
  ok(client.networks().get(3));
  ok(client.networks().get_by_name("net"));
  CreateNetworkOpts cn;
  cn.name = "net";
  cn.ip_range = "10.0.0.0/16";
  cn.subnets = {{"cloud", "10.0.1.0/24", "eu-central"}};
  cn.labels = labels;
  ok(client.networks().create(cn));
  ok(client.networks().update(3, "net2", labels));
  ok(client.networks().del(3));

  ok(client.firewalls().list(ll));
  ok(client.firewalls().get(38));
  ok(client.firewalls().get_by_name("fw"));
  CreateFirewallOpts cf;
  cf.name = "fw";
  cf.rules = {FirewallRule{"in", "tcp", "22", {"0.0.0.0/0", "::/0"}, {}, std::nullopt},
              FirewallRule{"out", "icmp", std::nullopt, {}, {"0.0.0.0/0"}, std::nullopt}};
  cf.apply_to_servers = {42};
  cf.labels = labels;
  ok(client.firewalls().create(cf));
  ok(client.firewalls().update(38, "fw2", labels));
  ok(client.firewalls().del(38));
  ok(client.firewalls().running_actions());
  return server.requests();
}

TEST(OpenApiRequests, EveryRequestMatchesTheDocument) {
  REQUIRE_SPEC();
  auto reqs = exercise_everything();
  ASSERT_GE(reqs.size(), 50u);
  std::set<std::string> operations;
  std::string method;
  int validated = 0;
  for (const auto& r : reqs) {
    method.clear();
    for (char c : r.method) method.push_back(static_cast<char>(std::tolower(c)));
    auto tmpl = spec()->match_path(method, r.path);
    ASSERT_TRUE(tmpl) << r.method << " " << r.path << " is not in the document";
    operations.insert(r.method + " " + *tmpl);
    // Every query parameter is one the operation documents.
    auto documented = spec()->query_parameters(method, *tmpl);
    for (size_t pos = 0; !r.query.empty() && pos <= r.query.size();) {
      size_t amp = r.query.find('&', pos);
      if (amp == std::string::npos) amp = r.query.size();
      std::string key = r.query.substr(pos, r.query.find('=', pos) - pos);
      if (key.size() > amp - pos) key = r.query.substr(pos, amp - pos);
      EXPECT_NE(std::find(documented.begin(), documented.end(), key), documented.end())
          << r.method << " " << *tmpl << ": query parameter \"" << key << "\" is not documented";
      pos = amp + 1;
    }
    const Json* schema = spec()->request_schema(method, *tmpl);
    if (r.body.empty()) {
      // Body-less POSTs (poweron, shutdown, ...) only where no body is required.
      EXPECT_FALSE(spec()->body_required(method, *tmpl)) << r.method << " " << *tmpl;
      continue;
    }
    ASSERT_NE(schema, nullptr) << r.method << " " << *tmpl
                               << " sent a body the document does not take";
    ++validated;
    auto problems = spec()->validate(r.json(), *schema);
    EXPECT_TRUE(problems.empty()) << r.method << " " << r.target << " " << r.body << "\n  "
                                  << ::testing::PrintToString(problems);
  }
  EXPECT_EQ(validated, 17);
  // Coverage: every operation of the issue was exercised.
  for (const char* op : {"POST /servers",
                         "PUT /servers/{id}",
                         "DELETE /servers/{id}",
                         "POST /servers/{id}/actions/poweron",
                         "POST /servers/{id}/actions/poweroff",
                         "POST /servers/{id}/actions/shutdown",
                         "POST /servers/{id}/actions/reboot",
                         "POST /servers/{id}/actions/reset",
                         "POST /servers/{id}/actions/enable_rescue",
                         "POST /servers/{id}/actions/disable_rescue",
                         "POST /servers/{id}/actions/create_image",
                         "POST /servers/{id}/actions/change_type",
                         "GET /actions",
                         "GET /actions/{id}",
                         "POST /ssh_keys",
                         "PUT /ssh_keys/{id}",
                         "DELETE /ssh_keys/{id}",
                         "PUT /images/{id}",
                         "DELETE /images/{id}",
                         "GET /server_types",
                         "GET /locations",
                         "POST /primary_ips",
                         "POST /networks",
                         "POST /firewalls",
                         "GET /firewalls/actions"})
    EXPECT_TRUE(operations.count(op)) << op << " was not exercised";
}

// Today's API removed `datacenter` from server and Primary IP requests on
// 2026-07-01; the 2026-02 document still lists it (deprecated). Today's API
// wins: the client never sends it, and the validator flags it.
TEST(OpenApiTodayWins, DatacenterIsNeverSent) {
  REQUIRE_SPEC();
  int creates = 0;
  for (const auto& r : exercise_everything()) {
    if (r.method == "POST" && (r.path == "/servers" || r.path == "/primary_ips")) {
      EXPECT_FALSE(r.json().contains("datacenter")) << r.body;
      ++creates;
    }
  }
  EXPECT_EQ(creates, 4);
  Json with_dc = {
      {"name", "a"}, {"server_type", "cx23"}, {"image", "debian-12"}, {"datacenter", "fsn1-dc14"}};
  auto problems = spec()->validate(with_dc, *spec()->component("create_server_request"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "/datacenter: property is deprecated");
}

// The document requires `datacenter` on servers; today's API no longer sends
// it (2026-07-01) but sends `location`. Today's API wins: such a server
// parses, and the document's only objection is the missing datacenter.
TEST(OpenApiTodayWins, ServersWithoutDatacenterParse) {
  REQUIRE_SPEC();
  Json today = testing::server_json(42, "packer-1");
  OpenApi::Options open;
  open.closed_objects = false;
  open.reject_deprecated = false;
  auto problems = spec()->validate(today, *spec()->component("server"), open);
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(problems);
  EXPECT_EQ(problems[0], "/: required property \"datacenter\" is missing");
  EXPECT_TRUE(parse_server(today, "test").ok());
}

// server_type.locations[].available / recommended came on 2026-04-01, after
// the document. Today's API wins: the client reads them.
TEST(OpenApiTodayWins, ServerTypeLocationAvailability) {
  REQUIRE_SPEC();
  Json t = testing::server_type_json();
  auto problems = spec()->validate(t, *spec()->component("server_type"));
  std::set<std::string> got(problems.begin(), problems.end());
  EXPECT_TRUE(got.count("/locations/0/available: property not in the document"));
  EXPECT_TRUE(got.count("/locations/0/recommended: property not in the document"));
  auto parsed = parse_server_type(t, "test");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->locations[0].recommended, std::optional<bool>(true));
}

// The validator itself rejects what it should, so the checks above can fail.
TEST(OpenApiValidator, CatchesBadBodies) {
  REQUIRE_SPEC();
  const Json& create = *spec()->component("create_server_request");
  EXPECT_TRUE(
      spec()->validate({{"name", "a"}, {"server_type", "cx23"}, {"image", "x"}}, create).empty());
  auto misspelt = spec()->validate({{"name", "a"}, {"sever_type", "cx23"}, {"image", "x"}}, create);
  EXPECT_EQ(misspelt, (std::vector<std::string>{"/: required property \"server_type\" is missing",
                                                "/sever_type: property not in the document"}));
  auto ints = spec()->validate({{"name", "a"}, {"server_type", 114}, {"image", "x"}}, create);
  EXPECT_EQ(ints, std::vector<std::string>{"/server_type: expected string, got number"});
  auto label = spec()->validate(
      {{"name", "a"}, {"server_type", "x"}, {"image", "x"}, {"labels", {{"k", "-bad-"}}}}, create);
  ASSERT_EQ(label.size(), 1u);
  EXPECT_EQ(label[0].rfind("/labels/k: \"-bad-\" does not match", 0), 0u);
  const Json& rescue = *spec()->component("enable_rescue_mode_for_server_request");
  // Removed rescue systems (freebsd64 in 2022, linux32 in 2024).
  EXPECT_FALSE(spec()->validate({{"type", "linux32"}}, rescue).empty());
  EXPECT_TRUE(spec()->validate({{"type", "linux64"}, {"ssh_keys", {1}}}, rescue).empty());
  const Json& fw = *spec()->component("create_firewall_request");
  EXPECT_FALSE(
      spec()
          ->validate({{"name", "f"}, {"rules", {{{"direction", "sideways"}, {"protocol", "tcp"}}}}},
                     fw)
          .empty());
  // oneOf / anyOf / allOf / nullable.
  OpenApi tiny(
      Json{{"paths", Json::object()},
           {"components",
            {{"schemas",
              {{"a", {{"type", "integer"}}}, {"b", {{"type", "string"}, {"nullable", true}}}}}}}});
  Json one = {
      {"oneOf", {{{"$ref", "#/components/schemas/a"}}, {{"$ref", "#/components/schemas/b"}}}}};
  EXPECT_TRUE(tiny.validate(1, one).empty());
  EXPECT_TRUE(tiny.validate(nullptr, one).empty());
  EXPECT_FALSE(tiny.validate(true, one).empty());
  Json all = {{"allOf", {{{"$ref", "#/components/schemas/a"}}, {{"minimum", 5}}}}};
  EXPECT_TRUE(tiny.validate(7, all).empty());
  EXPECT_FALSE(tiny.validate(3, all).empty());
  Json any = {{"anyOf", {{{"type", "boolean"}}, {{"enum", {"x"}}}}}};
  EXPECT_TRUE(tiny.validate("x", any).empty());
  EXPECT_FALSE(tiny.validate("y", any).empty());
  Json closed = {
      {"type", "object"}, {"additionalProperties", false}, {"properties", Json::object()}};
  EXPECT_FALSE(tiny.validate({{"z", 1}}, closed).empty());
  Json typed_map = {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}};
  EXPECT_FALSE(tiny.validate({{"z", 1}}, typed_map).empty());
}

}  // namespace
}  // namespace hcloud
