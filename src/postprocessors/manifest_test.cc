// The manifest post-processor: the file compared byte for byte with what
// Packer 1.6.6 writes (verified with its null builder), and field by field
// after JSON parsing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "provisioners/test_support.h"

namespace kiln::pp {
namespace {

using hcl::Value;
using prov::testing::config;
using prov::testing::RecordingUi;
using prov::testing::str;
using prov::testing::strmap;
namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ManifestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiln-pp-test-XXXXXX";
    ASSERT_TRUE(mkdtemp(tmpl));
    dir_ = tmpl;
    out_ = dir_ + "/packer-manifest.json";
    info_.build_name = "a";
    info_.builder_type = "null";
    info_.full_name = "null.a";
    info_.run_uuid = "f1bb0c2a-b105-f3fe-4353-ba36dbb596d2";
    in_.builder_id = "fnoeding.null";
    in_.id = "Null";
  }
  void TearDown() override { fs::remove_all(dir_); }

  engine::Status run(std::map<std::string, Value> opts, engine::Artifact* out = nullptr) {
    if (!opts.count("output")) opts["output"] = str(out_);
    auto p = engine::make_post_processor("manifest");
    EXPECT_TRUE(p);
    auto s = p->prepare(config(tmpl::PluginKind::PostProcessor, "manifest", opts), info_);
    if (!s) return s;
    RecordingUi ui;
    engine::Artifact o;
    bool keep = false, force_keep = false;
    s = p->post_process(ui, info_, in_, out ? *out : o, keep, force_keep, cancel_);
    EXPECT_TRUE(keep);
    EXPECT_TRUE(force_keep);
    EXPECT_TRUE(ui.lines().empty()) << ui.dump();  // Packer's says nothing
    return s;
  }

  std::string dir_, out_;
  engine::BuildInfo info_;
  engine::Artifact in_;
  engine::Cancel cancel_;
};

TEST_F(ManifestTest, ByteForByteAsPacker) {
  ASSERT_TRUE(run({{"strip_time", Value::boolean(true)},
                   {"custom_data", strmap({{"k", "v<{{.BuildName}}>&"}, {"a", "1"}})}}));
  EXPECT_EQ(slurp(out_),
            "{\n"
            "  \"builds\": [\n"
            "    {\n"
            "      \"name\": \"a\",\n"
            "      \"builder_type\": \"null\",\n"
            "      \"files\": null,\n"
            "      \"artifact_id\": \"Null\",\n"
            "      \"packer_run_uuid\": \"f1bb0c2a-b105-f3fe-4353-ba36dbb596d2\",\n"
            "      \"custom_data\": {\n"
            "        \"a\": \"1\",\n"
            "        \"k\": \"v\\u003ca\\u003e\\u0026\"\n"
            "      }\n"
            "    }\n"
            "  ],\n"
            "  \"last_run_uuid\": \"f1bb0c2a-b105-f3fe-4353-ba36dbb596d2\"\n"
            "}");
}

TEST_F(ManifestTest, FieldsAsPackersSchema) {
  std::string f1 = dir_ + "/disk.img", f2 = dir_ + "/sub/meta.json";
  fs::create_directories(dir_ + "/sub");
  std::ofstream(f1) << std::string(1234, 'x');
  std::ofstream(f2) << "{}";
  in_.files = {f1, f2};
  in_.id = "987654";
  info_.build_name = "nixos";
  info_.builder_type = "hcloud";
  std::time_t before = std::time(nullptr);
  engine::Artifact out;
  ASSERT_TRUE(run({}, &out));
  std::time_t after = std::time(nullptr);
  EXPECT_EQ(out.id, "987654");  // the input passes through
  auto j = nlohmann::json::parse(slurp(out_));
  ASSERT_EQ(j.size(), 2u);
  ASSERT_EQ(j["builds"].size(), 1u);
  auto& b = j["builds"][0];
  std::vector<std::string> keys;
  for (auto& [k, v] : b.items()) keys.push_back(k);
  EXPECT_EQ(keys.size(), 7u);
  EXPECT_EQ(b["name"], "nixos");
  EXPECT_EQ(b["builder_type"], "hcloud");
  EXPECT_GE(b["build_time"].get<int64_t>(), before);
  EXPECT_LE(b["build_time"].get<int64_t>(), after);
  EXPECT_EQ(b["files"], nlohmann::json::parse(R"([{"name":")" + f1 + R"(","size":1234},{"name":")" +
                                              f2 + R"(","size":2}])"));
  EXPECT_EQ(b["artifact_id"], "987654");
  EXPECT_EQ(b["packer_run_uuid"], info_.run_uuid);
  EXPECT_TRUE(b["custom_data"].is_null());
  EXPECT_EQ(j["last_run_uuid"], info_.run_uuid);
  // No newline at the end, as Go's MarshalIndent.
  EXPECT_EQ(slurp(out_).back(), '}');
}

TEST_F(ManifestTest, StripPathKeepsBaseNames) {
  std::ofstream(dir_ + "/x.raw") << "abc";
  in_.files = {dir_ + "/x.raw"};
  ASSERT_TRUE(run({{"strip_path", Value::boolean(true)}}));
  auto j = nlohmann::json::parse(slurp(out_));
  EXPECT_EQ(j["builds"][0]["files"][0]["name"], "x.raw");
  EXPECT_EQ(j["builds"][0]["files"][0]["size"], 3);
}

TEST_F(ManifestTest, AppendsAndStartsAfreshOnlyUnderForceWithANewRun) {
  ASSERT_TRUE(run({}));
  ASSERT_TRUE(run({}));  // same run: appended
  EXPECT_EQ(nlohmann::json::parse(slurp(out_))["builds"].size(), 2u);
  info_.run_uuid = "22222222-0000-0000-0000-000000000000";
  ASSERT_TRUE(run({}));  // new run without -force: appended still
  auto j = nlohmann::json::parse(slurp(out_));
  EXPECT_EQ(j["builds"].size(), 3u);
  EXPECT_EQ(j["last_run_uuid"], info_.run_uuid);
  info_.run_uuid = "33333333-0000-0000-0000-000000000000";
  info_.force = true;
  ASSERT_TRUE(run({}));  // -force, new run: only this build
  ASSERT_TRUE(run({}));  // -force, same run: appended
  j = nlohmann::json::parse(slurp(out_));
  ASSERT_EQ(j["builds"].size(), 2u);
  EXPECT_EQ(j["builds"][0]["packer_run_uuid"], info_.run_uuid);
  // packer_force in the configuration counts as -force too.
  info_.force = false;
  info_.run_uuid = "44444444-0000-0000-0000-000000000000";
  ASSERT_TRUE(run({{"packer_force", Value::boolean(true)}}));
  EXPECT_EQ(nlohmann::json::parse(slurp(out_))["builds"].size(), 1u);
  EXPECT_FALSE(fs::exists(out_ + ".lock"));
}

TEST_F(ManifestTest, ExistingEntriesAreRewrittenInPackersFieldOrder) {
  std::ofstream(out_) << R"({"last_run_uuid":"old","builds":[{"artifact_id":"1","extra":true,)"
                      << R"("name":"n","custom_data":{},"files":[],"builder_type":"t"}]})";
  ASSERT_TRUE(run({{"strip_time", Value::boolean(true)}}));
  std::string text = slurp(out_);
  EXPECT_NE(text.find("    {\n"
                      "      \"name\": \"n\",\n"
                      "      \"builder_type\": \"t\",\n"
                      "      \"files\": [],\n"
                      "      \"artifact_id\": \"1\",\n"
                      "      \"packer_run_uuid\": \"\",\n"
                      "      \"custom_data\": {}\n"
                      "    },\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("extra"), std::string::npos);
}

TEST_F(ManifestTest, BrokenManifestIsAnError) {
  std::ofstream(out_) << "{not json";
  auto s = run({});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message().rfind("Unable to parse content from " + out_, 0), 0u) << s.message();
}

TEST_F(ManifestTest, ParallelBuildsAllLand) {
  std::vector<std::thread> ts;
  std::vector<engine::Status> res(8, engine::Status::ok());
  for (int i = 0; i < 8; ++i) ts.emplace_back([&, i] { res[i] = run({}); });
  for (auto& t : ts) t.join();
  for (auto& r : res) EXPECT_TRUE(r) << r.message();
  EXPECT_EQ(nlohmann::json::parse(slurp(out_))["builds"].size(), 8u);
}

TEST_F(ManifestTest, OutputIsATemplate) {
  ASSERT_TRUE(run({{"output", str(dir_ + "/{{.BuildName}}-manifest.json")}}));
  EXPECT_TRUE(fs::exists(dir_ + "/a-manifest.json"));
}

}  // namespace
}  // namespace kiln::pp
