// Faults injected at the API calls and actions of a build (kiln local's
// fault rules), then a count of what was left: after every case, no server
// and no temporary key remain, except where the fault hits the delete
// itself, and there the journal holds what `kiln cleanup` needs. Prints its
// counts. `make test` runs a sample of the cases chosen by a seed
// (KILN_FAULT_SEED, default 1); KILN_FAULT_MATRIX=full runs all of them.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <random>
#include <thread>

#include "builders/registry.h"
#include "engine/journal.h"
#include "engine/test_util.h"
#include "hcloud/hcloud.h"
#include "local/api.h"
#include "local/http.h"
#include "local/store.h"

namespace kiln::builders {
namespace {

constexpr const char* kToken = "fault-matrix-token-5e6f7a8b";

struct Case {
  const char* name;
  const char* rule;        // one kiln local fault rule (JSON)
  bool ssh = false;        // communicator ssh (the temporary key's calls)
  int want_code;           // the build's exit code
  int leaked_servers = 0;  // left on purpose (the delete itself fails)
};

const Case kCases[] = {
    {"server types fail", R"({"match":"GET /v1/server_types*","error":"server_error"})", false, 1},
    {"server create answer lost once",
     R"({"match":"POST /v1/servers","error":{"status":503,"code":"unavailable"},"count":1})", false,
     0},
    {"server create refused", R"({"match":"POST /v1/servers","error":"invalid_input"})", false, 1},
    {"server create action fails", R"({"match":"POST /v1/servers","fail_action":true})", false, 1},
    {"rescue refused",
     R"({"match":"POST /v1/servers/*/actions/enable_rescue","error":"invalid_input"})", false, 1},
    {"reset action fails", R"({"match":"POST /v1/servers/*/actions/reset","fail_action":true})",
     false, 1},
    {"shutdown fails", R"({"match":"POST /v1/servers/*/actions/shutdown","error":"server_error"})",
     false, 1},
    {"snapshot action fails",
     R"({"match":"POST /v1/servers/*/actions/create_image","fail_action":true})", false, 1},
    {"action poll dropped once", R"({"match":"GET /v1/actions*","drop":true,"count":1})", false, 0},
    {"ssh key create refused", R"({"match":"POST /v1/ssh_keys","error":"invalid_input"})", true, 1},
    {"server delete fails", R"({"match":"DELETE /v1/servers/*","error":"invalid_input"})", false, 0,
     1},
};

class FaultMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    store_ = local::Store::open(dir_.path + "/state", &err);
    ASSERT_TRUE(store_) << err;
    local::ApiOptions o;
    o.token = kToken;
    o.time_scale = 0;
    api_ = std::make_unique<local::Api>(*store_, o);
    http_ = std::make_unique<local::HttpServer>(*api_);
    int port = http_->bind("127.0.0.1", 0, &err);
    ASSERT_GT(port, 0) << err;
    endpoint_ = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    serve_ = std::thread([this] { http_->run(); });
    hcloud::ClientOptions co;
    co.endpoint = endpoint_;
    co.token = kToken;
    client_ = std::make_unique<hcloud::Client>(co);
  }
  void TearDown() override {
    client_.reset();
    if (http_) http_->stop();
    if (serve_.joinable()) serve_.join();
  }

  engine::testing::TempDir dir_;
  std::unique_ptr<local::Store> store_;
  std::unique_ptr<local::Api> api_;
  std::unique_ptr<local::HttpServer> http_;
  std::thread serve_;
  std::string endpoint_;
  std::unique_ptr<hcloud::Client> client_;
};

TEST_F(FaultMatrix, NothingLeaksWhateverFails) {
  std::vector<const Case*> cases;
  for (auto& c : kCases) cases.push_back(&c);
  const char* mode = std::getenv("KILN_FAULT_MATRIX");
  if (!mode || std::string(mode) != "full") {
    const char* s = std::getenv("KILN_FAULT_SEED");
    std::mt19937 rng(s ? std::atoi(s) : 1);
    std::shuffle(cases.begin(), cases.end(), rng);
    cases.resize(3);
  }
  int leaked_servers = 0, leaked_keys = 0, failed_builds = 0;
  for (const Case* c : cases) {
    SCOPED_TRACE(c->name);
    std::string err;
    ASSERT_TRUE(api_->faults().load(
        nlohmann::json::parse(std::string("{\"rules\":[") + c->rule + "]}"), &err))
        << err;
    auto journal = engine::Journal::open(dir_.path + "/journal", "fault-run", &err);
    ASSERT_TRUE(journal) << err;
    engine::testing::RunSetup s;
    s.make_builder = make_builder;
    s.journal = journal.get();
    std::string comm =
        c->ssh ? "  ssh_timeout = \"1s\"\n  ssh_port = 1\n" : "  communicator = \"none\"\n";
    auto r = engine::testing::run_template(
        "source \"hcloud\" \"f\" {\n  token = \"" + std::string(kToken) + "\"\n  endpoint = \"" +
            endpoint_ +
            "\"\n  location = \"nbg1\"\n  server_type = \"cx23\"\n  image = \"debian-12\"\n"
            "  ssh_username = \"root\"\n  rescue = \"linux64\"\n  snapshot_name = \"fault\"\n" +
            comm + "}\nbuild { sources = [\"source.hcloud.f\"] }\n",
        s);
    api_->faults().clear();
    EXPECT_EQ(r.code, c->want_code) << r.output;
    failed_builds += r.code != 0;
    EXPECT_EQ(r.output.find(kToken), std::string::npos);
    auto servers = client_->servers().list();
    auto keys = client_->ssh_keys().list();
    ASSERT_TRUE(servers.ok() && keys.ok());
    EXPECT_EQ(static_cast<int>(servers->size()), c->leaked_servers) << r.output;
    EXPECT_EQ(keys->size(), 0u) << r.output;
    leaked_servers += static_cast<int>(servers->size());
    leaked_keys += static_cast<int>(keys->size());
    // What is left is in the journal, for `kiln cleanup`.
    auto left = engine::read_journal_file(journal->path()).leftovers();
    EXPECT_EQ(static_cast<int>(left.size()), c->leaked_servers);
    for (auto& srv : servers.value()) ASSERT_TRUE(client_->servers().del(srv.id).ok());
    hcloud::ImageListOpts snaps;
    snaps.types = {"snapshot"};
    if (auto imgs = client_->images().list(snaps); imgs.ok())
      for (auto& i : imgs.value()) (void)client_->images().del(i.id);
    journal.reset();
    std::filesystem::remove_all(dir_.path + "/journal");
  }
  std::printf(
      "fault matrix: %zu cases, %d builds failed, left: %d servers (on purpose: %s), %d keys\n",
      cases.size(), failed_builds, leaked_servers, "delete faults", leaked_keys);
}

}  // namespace
}  // namespace kiln::builders
