// The fault rules: matching, parsing, count/after/probability and seeding.
#include "local/fault.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace kiln::local {
namespace {

using json = nlohmann::json;

TEST(GlobMatch, StarsMatchAnyRun) {
  EXPECT_TRUE(glob_match("/v1/servers", "/v1/servers"));
  EXPECT_FALSE(glob_match("/v1/servers", "/v1/servers/1"));
  EXPECT_TRUE(glob_match("/v1/actions*", "/v1/actions"));
  EXPECT_TRUE(glob_match("/v1/actions*", "/v1/actions/12"));
  EXPECT_TRUE(
      glob_match("/v1/servers/*/actions/create_image", "/v1/servers/100001/actions/create_image"));
  EXPECT_FALSE(
      glob_match("/v1/servers/*/actions/create_image", "/v1/servers/100001/actions/poweron"));
  EXPECT_TRUE(glob_match("*", "/anything/at/all"));
  EXPECT_TRUE(glob_match("/v1/*/actions/*", "/v1/images/3/actions/9"));
  EXPECT_FALSE(glob_match("/v1/images*", "/v1/servers"));
  EXPECT_TRUE(glob_match("/a*b*c", "/axxbyyc"));
  EXPECT_FALSE(glob_match("/a*b*c", "/axxbyy"));
}

FaultRule rule(const json& j) {
  std::string err;
  auto r = parse_fault_rule(j, &err);
  EXPECT_TRUE(r) << j.dump() << ": " << err;
  return r ? *r : FaultRule{};
}

std::string parse_error(const json& j) {
  std::string err;
  auto r = parse_fault_rule(j, &err);
  EXPECT_FALSE(r) << j.dump();
  return err;
}

TEST(FaultRule, ParsesEveryKind) {
  FaultRule e = rule({{"match", "post /v1/servers"}, {"error", "unavailable"}});
  EXPECT_EQ(e.method, "POST");
  EXPECT_EQ(e.path, "/v1/servers");
  ASSERT_TRUE(e.error);
  EXPECT_EQ(e.error->status, 503);  // from the code table
  EXPECT_EQ(e.error->message, "injected fault: unavailable");
  FaultRule i = rule({{"match", "/v1/x"}, {"error", {{"code", "invalid_input"}}}});
  EXPECT_EQ(i.method, "*");
  EXPECT_TRUE(i.error->details.contains("fields"));  // hcloud-go needs them
  FaultRule x = rule({{"match", "GET /v1/images"},
                      {"error", {{"status", 599}, {"code", "odd"}, {"message", "m"}}}});
  EXPECT_EQ(x.error->status, 599);
  FaultRule f = rule({{"match", "POST /v1/servers/*/actions/create_image"}, {"fail_action", true}});
  ASSERT_TRUE(f.fail_action);
  EXPECT_EQ(f.fail_action->code, "action_failed");
  FaultRule d = rule(
      {{"match", "GET /v1/actions*"}, {"drop", true}, {"after", 2}, {"count", 1}, {"seed", 9}});
  EXPECT_TRUE(d.drop);
  EXPECT_EQ(d.after, 2);
  EXPECT_EQ(d.count, 1);
  EXPECT_EQ(d.seed, 9u);
  FaultRule l = rule({{"match", "* /v1/*"}, {"latency_ms", 20}, {"probability", 0.25}});
  EXPECT_EQ(l.latency_ms, 20);
  EXPECT_EQ(l.probability, 0.25);
}

TEST(FaultRule, RefusesWhatItCannotDo) {
  EXPECT_NE(parse_error({{"error", "unavailable"}}).find("match is required"), std::string::npos);
  EXPECT_NE(parse_error({{"match", "GET /v1/x"}}).find("needs latency_ms"), std::string::npos);
  EXPECT_NE(parse_error({{"match", "GET /v1/x"}, {"error", "conflict"}, {"drop", true}})
                .find("at most one"),
            std::string::npos);
  EXPECT_NE(parse_error({{"match", "GET /v1/x"}, {"error", "no_such_code"}}).find("status"),
            std::string::npos);
  EXPECT_NE(parse_error({{"match", "GET /v1/x"}, {"error", {{"code", "x"}, {"status", 200}}}})
                .find("400..599"),
            std::string::npos);
  EXPECT_NE(parse_error({{"match", "FETCH /v1/x"}, {"drop", true}}).find("unknown method"),
            std::string::npos);
  EXPECT_NE(parse_error({{"match", "GET v1/x"}, {"drop", true}}).find("start with /"),
            std::string::npos);
  EXPECT_NE(parse_error({{"match", "GET /v1/x"}, {"drop", true}, {"probabilty", 0.5}})
                .find("probabilty: unknown field"),
            std::string::npos);
  EXPECT_NE(
      parse_error({{"match", "GET /v1/x"}, {"drop", true}, {"probability", 2}}).find("from 0 to 1"),
      std::string::npos);
  EXPECT_NE(parse_error({{"match", "GET /v1/x"}, {"drop", true}, {"count", -1}}).find(">= 0"),
            std::string::npos);
}

TEST(Faults, MethodAndPathSelectTheRule) {
  Faults f;
  std::string err;
  ASSERT_TRUE(f.load({{"rules",
                       {{{"match", "POST /v1/servers"}, {"error", "unavailable"}},
                        {{"match", "GET /v1/actions*"}, {"latency_ms", 5}}}}},
                     &err))
      << err;
  EXPECT_TRUE(f.decide("POST", "/v1/servers").error);
  EXPECT_FALSE(f.decide("GET", "/v1/servers").error);
  EXPECT_FALSE(f.decide("POST", "/v1/servers/1/actions/poweron").error);
  FaultDecision d = f.decide("GET", "/v1/actions/7");
  EXPECT_EQ(d.latency_ms, 5);
  EXPECT_FALSE(d.error);
  EXPECT_EQ(d.fired, std::vector<int64_t>{2});
  json j = f.to_json();
  EXPECT_EQ(j["rules"][0]["matches"], 1);
  EXPECT_EQ(j["rules"][1]["fired"], 1);
}

TEST(Faults, AfterAndCountPickWhichMatchesFire) {
  Faults f;
  std::string err;
  ASSERT_TRUE(f.load(
      json::array({{{"match", "GET /v1/x"}, {"drop", true}, {"after", 2}, {"count", 2}}}), &err))
      << err;
  std::vector<bool> got;
  for (int i = 0; i < 6; ++i) got.push_back(f.decide("GET", "/v1/x").drop);
  EXPECT_EQ(got, (std::vector<bool>{false, false, true, true, false, false}));
}

TEST(Faults, FirstOutcomeWinsLatenciesAdd) {
  Faults f;
  std::string err;
  ASSERT_TRUE(f.load({{"rules",
                       {{{"match", "* /v1/*"}, {"latency_ms", 3}},
                        {{"match", "GET /v1/x"}, {"error", "conflict"}, {"count", 1}},
                        {{"match", "GET /v1/x"}, {"error", "timeout"}, {"latency_ms", 4}}}}},
                     &err))
      << err;
  FaultDecision a = f.decide("GET", "/v1/x");
  EXPECT_EQ(a.error->code, "conflict");
  EXPECT_EQ(a.latency_ms, 3);  // rule 3 was not spent
  FaultDecision b = f.decide("GET", "/v1/x");
  EXPECT_EQ(b.error->code, "timeout");
  EXPECT_EQ(b.error->status, 504);
  EXPECT_EQ(b.latency_ms, 7);
}

std::vector<bool> drops(Faults& f, int n) {
  std::vector<bool> out;
  for (int i = 0; i < n; ++i) out.push_back(f.decide("GET", "/v1/x").drop);
  return out;
}

TEST(Faults, ProbabilityIsRepeatableBySeed) {
  json doc = {{"seed", 42},
              {"rules", {{{"match", "GET /v1/x"}, {"drop", true}, {"probability", 0.3}}}}};
  Faults a, b, c;
  std::string err;
  ASSERT_TRUE(a.load(doc, &err)) << err;
  ASSERT_TRUE(b.load(doc, &err));
  doc["seed"] = 43;
  ASSERT_TRUE(c.load(doc, &err));
  auto da = drops(a, 400), db = drops(b, 400), dc = drops(c, 400);
  EXPECT_EQ(da, db);
  EXPECT_NE(da, dc);
  int fired = static_cast<int>(std::count(da.begin(), da.end(), true));
  // 400 draws at p = 0.3: far outside 60..180 means the roll is broken.
  EXPECT_GT(fired, 60);
  EXPECT_LT(fired, 180);
  // Reloading restarts the stream.
  doc["seed"] = 42;
  ASSERT_TRUE(a.load(doc, &err));
  EXPECT_EQ(drops(a, 400), db);
  // A rule's own seed wins over the set's.
  json own = {
      {"seed", 1},
      {"rules", {{{"match", "GET /v1/x"}, {"drop", true}, {"probability", 0.3}, {"seed", 7}}}}};
  Faults d, e;
  ASSERT_TRUE(d.load(own, &err));
  own["seed"] = 2;
  ASSERT_TRUE(e.load(own, &err));
  EXPECT_EQ(drops(d, 200), drops(e, 200));
}

TEST(Faults, AddRemoveClearAndFile) {
  Faults f;
  std::string err;
  auto added = f.add({{"match", "GET /v1/x"}, {"drop", true}}, &err);
  ASSERT_TRUE(added) << err;
  EXPECT_EQ((*added)[0]["id"], 1);
  added = f.add(json::array({{{"match", "GET /v1/y"}, {"drop", true}}}), &err);
  EXPECT_EQ((*added)[0]["id"], 2);
  EXPECT_FALSE(f.add({{"rules", {{{"match", "GET /v1/z"}}}}}, &err));
  EXPECT_NE(err.find("rule 1:"), std::string::npos);
  EXPECT_EQ(f.to_json()["rules"].size(), 2u);  // a bad document adds nothing
  EXPECT_TRUE(f.remove(1));
  EXPECT_FALSE(f.remove(1));
  EXPECT_FALSE(f.decide("GET", "/v1/x").drop);
  EXPECT_TRUE(f.decide("GET", "/v1/y").drop);
  f.clear();
  EXPECT_TRUE(f.to_json()["rules"].empty());

  auto path = std::filesystem::temp_directory_path() / ("kiln-faults-" + std::to_string(getpid()));
  {
    std::ofstream out(path);
    out << "// comments are allowed\n{\"seed\": 5, \"rules\": [{\"match\": \"GET /v1/x\", "
           "\"error\": \"locked\"}]}\n";
  }
  EXPECT_TRUE(f.load_file(path.string(), &err)) << err;
  EXPECT_EQ(f.to_json()["seed"], 5);
  EXPECT_EQ(f.decide("GET", "/v1/x").error->status, 423);
  {
    std::ofstream out(path);
    out << "{\"rules\": [{\"match\": \"GET /v1/x\"}]}";
  }
  EXPECT_FALSE(f.load_file(path.string(), &err));
  EXPECT_NE(err.find(path.string() + ": rule 1: a rule needs"), std::string::npos) << err;
  EXPECT_EQ(f.to_json()["seed"], 5);  // unchanged
  std::filesystem::remove(path);
  EXPECT_FALSE(f.load_file(path.string(), &err));
}

}  // namespace
}  // namespace kiln::local
