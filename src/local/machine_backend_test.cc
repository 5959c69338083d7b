// The API with a ServerBackend (no root needed): an action with real work
// completes only once the work is done and its duration has passed; failed
// work fails the action; a snapshot's image_size comes from the work; rescue
// keys and the root password reach the boot; a restart fails cut work and
// boots the running servers again.
#include <filesystem>
#include <memory>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "local/api.h"
#include "local/store.h"

namespace kiln::local {
namespace {

using json = nlohmann::json;

struct Recorder : ServerBackend {
  std::vector<ServerWork> works;
  std::vector<int64_t> deleted;
  void submit(const ServerWork& w) override { works.push_back(w); }
  void image_deleted(int64_t id) override { deleted.push_back(id); }
};

const char* kKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGvXgbFqI6k3a1t1bBf8aX9dQ6N9e1Q0bq5Rr8cQ3x7T test";

class BackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kiln-backend-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::string err;
    store_ = Store::open(dir_.string(), &err);
    ASSERT_TRUE(store_) << err;
    make_api();
  }
  void TearDown() override {
    api_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void make_api() {
    ApiOptions o;
    o.token = "t";
    o.time_scale = 1;
    o.backend = &rec_;
    o.clock = [this] { return now_; };
    api_ = std::make_unique<Api>(*store_, o);
  }
  json call(const std::string& m, const std::string& path, const json& body = nullptr) {
    ApiRequest r;
    r.method = m;
    r.path = path;
    r.authorization = "Bearer t";
    if (!body.is_null()) r.body = body.dump();
    auto resp = api_->handle(r);
    json j = resp.body.empty() ? json::object() : json::parse(resp.body);
    j["_status"] = resp.status;
    return j;
  }
  std::string status(int64_t action) {
    return call("GET", "/v1/actions/" + std::to_string(action))["action"]["status"];
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Api> api_;
  Recorder rec_;
  double now_ = 1.7e9;
};

TEST_F(BackendTest, ActionWaitsForWorkAndDuration) {
  json c =
      call("POST", "/v1/servers", {{"name", "a"}, {"server_type", "cx23"}, {"image", "debian-12"}});
  ASSERT_EQ(c["_status"], 201) << c.dump();
  int64_t create = c["action"]["id"], start = c["next_actions"][0]["id"];
  ASSERT_EQ(rec_.works.size(), 2u);
  EXPECT_EQ(rec_.works[0].command, "create_server");
  EXPECT_EQ(rec_.works[1].command, "start_server");
  EXPECT_FALSE(rec_.works[1].root_password.empty());  // no key: the API's password boots
  now_ += 1000;                                       // long past the duration
  EXPECT_EQ(status(create), "running");               // the work is not done
  api_->work_done(create, "", nullptr);
  EXPECT_EQ(status(create), "success");
  EXPECT_EQ(status(start), "running");
  api_->work_done(start, "", nullptr);
  EXPECT_EQ(status(start), "success");

  // Work done before the duration: still running until it passes.
  int64_t id = c["server"]["id"];
  json r = call("POST", "/v1/servers/" + std::to_string(id) + "/actions/reboot");
  api_->work_done(r["action"]["id"], "", nullptr);
  EXPECT_EQ(status(r["action"]["id"]), "running");
  now_ += 60;
  EXPECT_EQ(status(r["action"]["id"]), "success");
}

TEST_F(BackendTest, FailedWorkFailsTheAction) {
  json c = call("POST", "/v1/servers",
                {{"name", "a"},
                 {"server_type", "cx23"},
                 {"image", "debian-12"},
                 {"start_after_create", false}});
  int64_t id = c["server"]["id"];
  api_->work_done(c["action"]["id"], "", nullptr);
  now_ += 100;
  json on = call("POST", "/v1/servers/" + std::to_string(id) + "/actions/poweron");
  api_->work_done(on["action"]["id"], "starting the sandbox: no", nullptr);
  now_ += 100;
  json a =
      call("GET", "/v1/actions/" + std::to_string(on["action"]["id"].get<int64_t>()))["action"];
  EXPECT_EQ(a["status"], "error");
  EXPECT_EQ(a["error"]["code"], "action_failed");
  EXPECT_EQ(a["error"]["message"], "starting the sandbox: no");
  EXPECT_EQ(call("GET", "/v1/servers/" + std::to_string(id))["server"]["status"], "off");

  // A reset of a running server that fails leaves it off, not running.
  json on2 = call("POST", "/v1/servers/" + std::to_string(id) + "/actions/poweron");
  api_->work_done(on2["action"]["id"], "", nullptr);
  now_ += 100;
  ASSERT_EQ(call("GET", "/v1/servers/" + std::to_string(id))["server"]["status"], "running");
  json reset = call("POST", "/v1/servers/" + std::to_string(id) + "/actions/reset");
  api_->work_done(reset["action"]["id"], "no disk", nullptr);
  now_ += 100;
  EXPECT_EQ(status(reset["action"]["id"]), "error");
  EXPECT_EQ(call("GET", "/v1/servers/" + std::to_string(id))["server"]["status"], "off");
}

TEST_F(BackendTest, RescueKeysPasswordAndSnapshotSize) {
  json k = call("POST", "/v1/ssh_keys", {{"name", "k"}, {"public_key", kKey}});
  ASSERT_EQ(k["_status"], 201) << k.dump();
  json c =
      call("POST", "/v1/servers", {{"name", "a"}, {"server_type", "cx23"}, {"image", "debian-12"}});
  int64_t id = c["server"]["id"];
  for (auto& w : rec_.works) api_->work_done(w.action_id, "", nullptr);
  now_ += 100;
  json r = call("POST", "/v1/servers/" + std::to_string(id) + "/actions/enable_rescue",
                {{"ssh_keys", {k["ssh_key"]["id"]}}});
  now_ += 100;
  rec_.works.clear();
  json reset = call("POST", "/v1/servers/" + std::to_string(id) + "/actions/reset");
  ASSERT_EQ(rec_.works.size(), 1u);
  EXPECT_TRUE(rec_.works[0].effect.value("rescue", false));
  ASSERT_EQ(rec_.works[0].ssh_keys.size(), 1u);
  EXPECT_EQ(rec_.works[0].ssh_keys[0], kKey);
  EXPECT_EQ(rec_.works[0].root_password, r["root_password"]);
  api_->work_done(reset["action"]["id"], "", nullptr);
  now_ += 100;
  EXPECT_EQ(call("GET", "/v1/servers/" + std::to_string(id))["server"]["rescue_enabled"], false);

  json snap = call("POST", "/v1/servers/" + std::to_string(id) + "/actions/create_image", {});
  int64_t iid = snap["image"]["id"];
  api_->work_done(snap["action"]["id"], "", {{"image_size", 1.25}});
  now_ += 1000;
  json img = call("GET", "/v1/images/" + std::to_string(iid))["image"];
  EXPECT_EQ(img["status"], "available");
  EXPECT_EQ(img["image_size"], 1.25);
  EXPECT_EQ(call("DELETE", "/v1/images/" + std::to_string(iid))["_status"], 204);
  EXPECT_EQ(rec_.deleted, std::vector<int64_t>{iid});
}

TEST_F(BackendTest, RestartFailsCutWorkAndBootsRunningServers) {
  json a =
      call("POST", "/v1/servers", {{"name", "a"}, {"server_type", "cx23"}, {"image", "debian-12"}});
  for (auto& w : rec_.works) api_->work_done(w.action_id, "", nullptr);
  json b =
      call("POST", "/v1/servers", {{"name", "b"}, {"server_type", "cx23"}, {"image", "debian-12"}});
  now_ += 100;
  call("GET", "/v1/servers");  // a completes; b's work never ends
  make_api();                  // a restart
  auto boots = api_->recover();
  ASSERT_EQ(boots.size(), 1u);
  EXPECT_EQ(boots[0].server["name"], "a");
  EXPECT_EQ(boots[0].command, "start_server");
  json act = call("GET", "/v1/actions/" + std::to_string(b["action"]["id"].get<int64_t>()));
  EXPECT_EQ(act["action"]["status"], "error") << act.dump();
}

}  // namespace
}  // namespace kiln::local
