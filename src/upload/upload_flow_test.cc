// The whole upload flow against kiln local's API (in-process, time scale 0)
// with the rescue system's SSH played by a real sshd writing into a file in
// place of /dev/sda: the snapshot, its labels, reuse by content hash,
// --force, and that no server or key survives, also when cancelled.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "hcloud/hcloud.h"
#include "local/api.h"
#include "local/http.h"
#include "local/store.h"
#include "ssh/sshd_fixture.h"
#include "upload/upload.h"

namespace upload {
namespace {

constexpr const char* kToken = "upload-test-token";

int sh(const std::string& cmd) {
  return ssh::testing::run_command({"bash", "-c", cmd});
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class UploadFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why = ssh::testing::ensure_openssh();
    if (!why.empty()) {
      if (ssh::testing::under_ci()) FAIL() << why;
      GTEST_SKIP() << why;
    }
    std::string err;
    store_ = kiln::local::Store::open(dir_.path() + "/state", &err);
    ASSERT_TRUE(store_) << err;
    kiln::local::ApiOptions o;
    o.token = kToken;
    o.time_scale = 0;
    api_ = std::make_unique<kiln::local::Api>(*store_, o);
    http_ = std::make_unique<kiln::local::HttpServer>(*api_);
    int port = http_->bind("127.0.0.1", 0, &err);
    ASSERT_GT(port, 0) << err;
    serve_ = std::thread([this] { http_->run(); });
    hcloud::ClientOptions co;
    co.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    co.token = kToken;
    co.seed = 1;
    client_ = std::make_unique<hcloud::Client>(co);
    sshd_ = ssh::testing::Sshd::start({}, &err);
    ASSERT_TRUE(sshd_) << err;

    raw_ = dir_.path() + "/disk.raw";
    ASSERT_EQ(
        sh("truncate -s 16M " + raw_ + " && head -c 2M /dev/urandom | dd of=" + raw_ +
           " conv=notrunc status=none && yes kiln | head -c 1M | dd of=" + raw_ +
           " bs=1M seek=15 conv=notrunc status=none && zstd -q -c " + raw_ + " > " + raw_ + ".zst"),
        0);
    device_ = dir_.path() + "/sda";
  }

  void TearDown() override {
    if (client_) {
      hcloud::ImageListOpts snaps;
      snaps.types = {"snapshot"};
      auto images = client_->images().list(snaps);
      ASSERT_TRUE(images.ok()) << images.error().to_string();
      for (auto& im : *images) {
        EXPECT_TRUE(client_->images().del(im.id).ok());
      }
      auto keys = client_->ssh_keys().list();
      ASSERT_TRUE(keys.ok());
      EXPECT_TRUE(keys->empty()) << keys->size() << " SSH keys left";
      auto servers = client_->servers().list();
      ASSERT_TRUE(servers.ok());
      EXPECT_TRUE(servers->empty()) << servers->size() << " servers left";
    }
    client_.reset();
    if (http_) http_->stop();
    if (serve_.joinable()) serve_.join();
    http_.reset();
    api_.reset();
    store_.reset();
  }

  UploadOptions options() {
    UploadOptions o;
    o.input.path = raw_ + ".zst";
    o.run_id = "0123abcd-0000-4000-8000-000000000000";
    o.device = device_;
    o.waiter = &waiter_;  // kiln local at time scale 0: no need to pace polls
    o.ssh_timeout = std::chrono::seconds(30);
    o.ssh_retry_interval = std::chrono::milliseconds(100);
    o.labels = {{"os", "test"}};
    o.description = "test image";
    o.ssh_target = [this](const std::string& pub) {
      sshd_->authorize(pub);
      return std::pair<std::string, int>("127.0.0.1", sshd_->port());
    };
    o.hooks.creating = [this](const std::string& kind, const std::string&,
                              const std::map<std::string, std::string>& labels) {
      events_.push_back("creating " + kind);
      EXPECT_EQ(labels.at("kiln.managed"), "true");
      EXPECT_EQ(labels.at("kiln.upload"), "true");
      EXPECT_EQ(labels.at("kiln.run"), "0123abcd-0000-4000-8000-000000000000");
    };
    o.hooks.created = [this](const std::string& kind, const std::string&, std::int64_t) {
      events_.push_back("created " + kind);
    };
    o.hooks.deleted = [this](const std::string& kind, std::int64_t) {
      events_.push_back("deleted " + kind);
    };
    return o;
  }

  void fresh_device() { ASSERT_EQ(sh("rm -f " + device_ + " && truncate -s 40M " + device_), 0); }

  ssh::testing::TempDir dir_;
  std::unique_ptr<kiln::local::Store> store_;
  std::unique_ptr<kiln::local::Api> api_;
  std::unique_ptr<kiln::local::HttpServer> http_;
  std::thread serve_;
  std::unique_ptr<hcloud::Client> client_;
  std::unique_ptr<ssh::testing::Sshd> sshd_;
  std::string raw_, device_;
  std::vector<std::string> events_;
  hcloud::ActionWaiter waiter_{hcloud::WaiterConfig{.min_interval = hcloud::Duration{10},
                                                    .final_interval = hcloud::Duration{10},
                                                    .max_interval = hcloud::Duration{50},
                                                    .max_overrun_interval = hcloud::Duration{50}}};
};

TEST_F(UploadFlow, MakesALabelledSnapshotThenReusesIt) {
  fresh_device();
  UploadOptions o = options();
  UploadResult r;
  std::string err;
  ASSERT_TRUE(run_upload(*client_, o, &r, &err)) << err;
  EXPECT_FALSE(r.reused);
  EXPECT_NE(r.image_id, 0);
  EXPECT_EQ(r.hash_label.size(), 63u);
  EXPECT_EQ(r.bytes_sent, slurp(raw_ + ".zst").size());
  // The disk begins with exactly the image's bytes.
  EXPECT_TRUE(slurp(device_).substr(0, 16 << 20) == slurp(raw_));
  EXPECT_EQ(events_,
            (std::vector<std::string>{"creating ssh_key", "created ssh_key", "creating server",
                                      "created server", "deleted server", "deleted ssh_key"}));
  auto im = client_->images().get(r.image_id);
  ASSERT_TRUE(im.ok() && im.value());
  EXPECT_EQ(im.value()->type, "snapshot");
  EXPECT_EQ(im.value()->description, "test image");
  EXPECT_EQ(im.value()->labels.at("kiln.sha256"), r.hash_label);
  EXPECT_EQ(im.value()->labels.at("os"), "test");
  EXPECT_EQ(im.value()->architecture, "x86");

  // The same content again: the snapshot is reused, nothing is created.
  events_.clear();
  UploadResult again;
  ASSERT_TRUE(run_upload(*client_, o, &again, &err)) << err;
  EXPECT_TRUE(again.reused);
  EXPECT_EQ(again.image_id, r.image_id);
  EXPECT_TRUE(events_.empty());

  // --force uploads anyway.
  o.force = true;
  UploadResult forced;
  ASSERT_TRUE(run_upload(*client_, o, &forced, &err)) << err;
  EXPECT_FALSE(forced.reused);
  EXPECT_NE(forced.image_id, r.image_id);
}

TEST_F(UploadFlow, CancellingDeletesTheServerAndTheKey) {
  fresh_device();
  UploadOptions o = options();
  std::stop_source stop;
  o.stop = stop.get_token();
  auto target = o.ssh_target;
  // Interrupted (as by SIGINT) while waiting for SSH.
  o.ssh_target = [&](const std::string& pub) {
    stop.request_stop();
    return target(pub);
  };
  UploadResult r;
  std::string err;
  EXPECT_FALSE(run_upload(*client_, o, &r, &err));
  EXPECT_NE(err.find("cancel"), std::string::npos) << err;
  EXPECT_EQ(std::count(events_.begin(), events_.end(), "deleted server"), 1);
  EXPECT_EQ(std::count(events_.begin(), events_.end(), "deleted ssh_key"), 1);
}

TEST_F(UploadFlow, BadInputFailsBeforeAnythingIsCreated) {
  UploadOptions o = options();
  o.input.format = Format::kQcow2;
  UploadResult r;
  std::string err;
  EXPECT_FALSE(run_upload(*client_, o, &r, &err));
  EXPECT_NE(err.find("qcow2"), std::string::npos) << err;
  o = options();
  o.architecture = "mips";
  EXPECT_FALSE(run_upload(*client_, o, &r, &err));
  EXPECT_NE(err.find("x86 or arm"), std::string::npos) << err;
  o = options();
  o.server_type = "cx99";
  EXPECT_FALSE(run_upload(*client_, o, &r, &err));
  EXPECT_NE(err.find("cx99"), std::string::npos) << err;
  EXPECT_TRUE(events_.empty());
}

TEST(Labels, ParsedAndCheckedAgainstHetznersRules) {
  std::map<std::string, std::string> l;
  std::string err;
  ASSERT_TRUE(parse_labels("os=nixos,version=24.11,example.com/tier=", &l, &err)) << err;
  EXPECT_EQ(l, (std::map<std::string, std::string>{
                   {"os", "nixos"}, {"version", "24.11"}, {"example.com/tier", ""}}));
  EXPECT_FALSE(parse_labels("novalue", &l, &err));
  EXPECT_FALSE(parse_labels("a=-bad", &l, &err));
  EXPECT_FALSE(parse_labels("a=" + std::string(64, 'x'), &l, &err));
  EXPECT_FALSE(parse_labels("bad key=x", &l, &err));
}

}  // namespace
}  // namespace upload
