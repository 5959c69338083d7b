// The hcloud builder against kiln local's API, served in-process (time
// scale 0). The requests the builder sends are read from the client's
// debug log (PACKER_LOG_PATH); what they did is read back from the API.
// Servers of kiln local do not answer SSH in this slice, so builds use
// communicator "none", or SSH with a short timeout to see the key's life.
#include "builders/hcloud/builder.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
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

using engine::testing::fake_log;
using engine::testing::run_template;
using engine::testing::RunSetup;

constexpr const char* kToken = "builder-test-token-0123456789abcdef";

bool has(const std::string& out, const std::string& s) {
  return out.find(s) != std::string::npos;
}

std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class HcloudBuilder : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    store_ = local::Store::open(dir_.path + "/state", &err);
    ASSERT_TRUE(store_) << err;
    local::ApiOptions o;
    o.token = kToken;
    o.time_scale = time_scale_;
    api_ = std::make_unique<local::Api>(*store_, o);
    http_ = std::make_unique<local::HttpServer>(*api_);
    port_ = http_->bind("127.0.0.1", 0, &err);
    ASSERT_GT(port_, 0) << err;
    serve_ = std::thread([this] { http_->run(); });
    hcloud::ClientOptions co;
    co.endpoint = endpoint();
    co.token = kToken;
    client_ = std::make_unique<hcloud::Client>(co);
    log_ = dir_.path + "/api.log";
    ::setenv("PACKER_LOG", "1", 1);
    ::setenv("PACKER_LOG_PATH", log_.c_str(), 1);
    std::string jerr;
    journal_ = engine::Journal::open(dir_.path + "/journal", "00000000-0000-4000-8000-000000000001",
                                     &jerr);
    ASSERT_TRUE(journal_) << jerr;
  }

  void TearDown() override {
    ::unsetenv("PACKER_LOG");
    ::unsetenv("PACKER_LOG_PATH");
    if (client_ && !keep_snapshots_) {
      hcloud::ImageListOpts snaps;
      snaps.types = {"snapshot"};
      auto imgs = client_->images().list(snaps);
      if (imgs.ok())
        for (auto& i : imgs.value()) (void)client_->images().del(i.id);
    }
    client_.reset();
    if (http_) http_->stop();
    if (serve_.joinable()) serve_.join();
    http_.reset();
    api_.reset();
    store_.reset();
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

  std::string source(const std::string& name, const std::string& extra) const {
    return "source \"hcloud\" \"" + name + "\" {\n  token = \"" + kToken + "\"\n  endpoint = \"" +
           endpoint() +
           "\"\n  location = \"nbg1\"\n  server_type = \"cx23\"\n  image = \"debian-12\"\n" +
           (extra.find("ssh_username") == std::string::npos ? "  ssh_username = \"root\"\n" : "") +
           extra + "\n}\n";
  }

  engine::testing::Run build(const std::string& hcl, RunSetup s = {}) {
    s.make_builder = make_builder;
    s.journal = journal_.get();
    auto r = run_template(hcl, s);
    EXPECT_EQ(r.load_errors, "");
    return r;
  }

  // "POST /servers", ... in the order sent, without GET /actions (the waiter's).
  std::vector<std::string> requests() const {
    std::vector<std::string> out;
    std::istringstream in(slurp(log_));
    std::string line;
    std::regex re("hcloud: (GET|POST|PUT|DELETE) ([^ ?]+)[^ ]* -> ");
    std::smatch m;
    while (std::getline(in, line))
      if (std::regex_search(line, m, re) && m[2].str().rfind("/actions", 0) != 0)
        out.push_back(m[1].str() + " " + std::regex_replace(m[2].str(), std::regex("[0-9]+"), "N"));
    return out;
  }

  size_t count_servers() {
    auto r = client_->servers().list();
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->size() : 99;
  }
  size_t count_keys() {
    auto r = client_->ssh_keys().list();
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->size() : 99;
  }
  std::vector<hcloud::Image> snapshots() {
    hcloud::ImageListOpts o;
    o.types = {"snapshot"};
    auto r = client_->images().list(o);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : std::vector<hcloud::Image>{};
  }

  double time_scale_ = 0;  // kiln local's: 0, every action ends at once
  engine::testing::TempDir dir_;
  std::unique_ptr<local::Store> store_;
  std::unique_ptr<local::Api> api_;
  std::unique_ptr<local::HttpServer> http_;
  std::thread serve_;
  int port_ = 0;
  std::unique_ptr<hcloud::Client> client_;
  std::string log_;
  std::unique_ptr<engine::Journal> journal_;
  bool keep_snapshots_ = false;
};

// Actions that take time: create_server 2 s, start_server 1 s,
// delete_server 0.8 s, with progress reported as they go.
class HcloudBuilderTimed : public HcloudBuilder {
 protected:
  HcloudBuilderTimed() { time_scale_ = 0.2; }
};

size_t index_of(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) - v.begin();
}

TEST_F(HcloudBuilder, BuildsASnapshotInPackersStepOrderAndLeavesNothing) {
  auto r = build(source("nixos", R"(
  communicator    = "none"
  rescue          = "linux64"
  snapshot_name   = "nixos-snap"
  snapshot_labels = { os = "nixos", version = "24.11" }
)") + R"(
build {
  sources = ["source.hcloud.nixos"]
  provisioner "shell-local" { inline = ["provisioning ${build.ID}"] }
}
)");
  ASSERT_EQ(r.code, 0) << r.output;
  auto snaps = snapshots();
  ASSERT_EQ(snaps.size(), 1u);
  const hcloud::Image& snap = snaps[0];
  EXPECT_EQ(snap.description, "nixos-snap");
  EXPECT_EQ(snap.labels.at("os"), "nixos");
  EXPECT_EQ(snap.labels.at("version"), "24.11");
  EXPECT_EQ(snap.labels.at("kiln.run"), "00000000-0000-4000-8000-000000000001");
  EXPECT_TRUE(has(r.output, "--> hcloud.nixos: A snapshot was created: 'nixos-snap' (ID: " +
                                std::to_string(snap.id) + ")"))
      << r.output;
  ASSERT_EQ(r.results.size(), 1u);
  ASSERT_EQ(r.results[0].artifacts.size(), 1u);
  const auto& a = r.results[0].artifacts[0];
  EXPECT_EQ(a.id, std::to_string(snap.id));
  EXPECT_EQ(a.state.at("architecture"), "x86");
  EXPECT_EQ(a.state.at("source_image"), "debian-12");
  EXPECT_TRUE(has(a.state.at("labels"), "\"os\":\"nixos\"")) << a.state.at("labels");
  EXPECT_TRUE(has(r.output, "==> hcloud.nixos: provisioning ")) << r.output;
  EXPECT_EQ(count_servers(), 0u);
  EXPECT_EQ(count_keys(), 0u);

  auto req = requests();
  std::vector<std::string> order = {"GET /server_types",
                                    "GET /images",
                                    "POST /servers",
                                    "POST /servers/N/actions/enable_rescue",
                                    "POST /servers/N/actions/reset",
                                    "POST /servers/N/actions/shutdown",
                                    "POST /servers/N/actions/create_image",
                                    "DELETE /servers/N"};
  size_t last = 0;
  for (auto& step : order) {
    size_t i = index_of(req, step);
    ASSERT_LT(i, req.size()) << step << " not sent";
    EXPECT_GE(i, last) << step << " out of order";
    last = i;
  }
  // The token never reaches output or journal.
  EXPECT_FALSE(has(r.output, kToken));
  EXPECT_FALSE(has(slurp(journal_->path()), kToken));
  EXPECT_TRUE(engine::read_journal_file(journal_->path()).leftovers().empty());
}

TEST_F(HcloudBuilder, SnapshotNameClashFailsEarlyAndForceReplacesAfterward) {
  std::string t = source("a", R"(
  communicator  = "none"
  snapshot_name = "same-name"
)") + "build { sources = [\"source.hcloud.a\"] }\n";
  auto first = build(t);
  ASSERT_EQ(first.code, 0) << first.output;
  auto old = snapshots();
  ASSERT_EQ(old.size(), 1u);

  auto clash = build(t);
  EXPECT_EQ(clash.code, 1);
  EXPECT_TRUE(has(clash.output, "snapshot name: 'same-name' is already in use")) << clash.output;
  EXPECT_EQ(count_servers(), 0u);

  ::truncate(log_.c_str(), 0);
  RunSetup force;
  force.force = true;
  auto forced = build(t, force);
  ASSERT_EQ(forced.code, 0) << forced.output;
  auto now = snapshots();
  ASSERT_EQ(now.size(), 1u);
  EXPECT_NE(now[0].id, old[0].id);
  auto req = requests();
  size_t create = index_of(req, "POST /servers/N/actions/create_image");
  size_t del = index_of(req, "DELETE /images/N");
  ASSERT_LT(del, req.size());
  EXPECT_LT(create, del) << "the old snapshot went before the new one existed";
}

TEST_F(HcloudBuilder, AbortLeavesAJournaledServerWithEveryOptionApplied) {
  RunSetup s;
  s.on_error = engine::OnError::kAbort;
  auto r = build(source("opts", R"(
  communicator        = "none"
  server_name         = "opts-server"
  upgrade_server_type = "cx33"
  server_labels       = { team = "infra" }
  user_data           = "#cloud-config\n"
)") + R"(
build {
  sources = ["source.hcloud.opts"]
  provisioner "shell-local" { inline = ["fail"] }
}
)",
                 s);
  EXPECT_EQ(r.code, 1) << r.output;
  auto srv = client_->servers().get_by_name("opts-server");
  ASSERT_TRUE(srv.ok() && srv.value()) << r.output;
  EXPECT_EQ(srv.value()->server_type.name, "cx33");
  EXPECT_EQ(srv.value()->labels.at("team"), "infra");
  EXPECT_EQ(srv.value()->labels.at("kiln.managed"), "true");
  EXPECT_EQ(srv.value()->labels.at("kiln.run"), "00000000-0000-4000-8000-000000000001");
  auto req = requests();
  EXPECT_LT(index_of(req, "POST /servers/N/actions/change_type"),
            index_of(req, "POST /servers/N/actions/poweron"));
  // Journaled, so `kiln cleanup` finds it.
  auto left = engine::read_journal_file(journal_->path()).leftovers();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].kind, "server");
  EXPECT_EQ(left[0].id, srv.value()->id);
  auto d = client_->servers().del(srv.value()->id);
  ASSERT_TRUE(d.ok());
}

TEST_F(HcloudBuilder, TemporaryKeyIsLabelledUploadedAndDeletedWhenSshNeverAnswers) {
  for (const char* type : {"ed25519", "rsa"}) {
    RunSetup s;
    s.on_error = engine::OnError::kAbort;
    auto r = build(source("key", std::string(R"(
  ssh_timeout             = "1s"
  ssh_keys_labels         = { purpose = "build" }
  temporary_key_pair_type = ")") + type +
                                     "\"\n") +
                       "build { sources = [\"source.hcloud.key\"] }\n",
                   s);
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_TRUE(has(r.output, "Waiting for SSH to become available...")) << r.output;
    auto keys = client_->ssh_keys().list();
    ASSERT_TRUE(keys.ok());
    ASSERT_EQ(keys->size(), 1u) << r.output;
    const auto& k = keys->front();
    EXPECT_EQ(k.labels.at("purpose"), "build");
    EXPECT_EQ(k.labels.at("kiln.managed"), "true");
    EXPECT_EQ(k.public_key.rfind(std::string("ssh-") + type, 0), 0u) << k.public_key;
    EXPECT_FALSE(has(r.output, "PRIVATE KEY")) << r.output;
    auto servers = client_->servers().list();
    ASSERT_TRUE(servers.ok());
    for (auto& srv : servers.value()) ASSERT_TRUE(client_->servers().del(srv.id).ok());
    ASSERT_TRUE(client_->ssh_keys().del(k.id).ok());
  }
  // With -on-error=cleanup the same failure leaves nothing.
  auto r = build(source("key", "  ssh_timeout = \"1s\"\n") +
                 "build { sources = [\"source.hcloud.key\"] }\n");
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_EQ(count_servers(), 0u);
  EXPECT_EQ(count_keys(), 0u);
  auto req = requests();
  EXPECT_LT(index_of(req, "DELETE /servers/N"), index_of(req, "DELETE /ssh_keys/N"));
}

TEST_F(HcloudBuilder, InterruptDuringProvisioningCleansUp) {
  fake_log().provisioning = false;
  RunSetup s;
  s.during = [](engine::Runner& runner) {
    while (!fake_log().provisioning) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    runner.interrupt(SIGTERM);
  };
  auto r = build(source("cancel", "  communicator = \"none\"\n") + R"(
build {
  sources = ["source.hcloud.cancel"]
  provisioner "shell-local" { inline = ["block"] }
}
)",
                 s);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.output, "Cancelling build after receiving terminated")) << r.output;
  EXPECT_TRUE(has(r.output, "Destroying server...")) << r.output;
  EXPECT_EQ(count_servers(), 0u);
  EXPECT_EQ(count_keys(), 0u);
  EXPECT_TRUE(snapshots().empty());
}

TEST_F(HcloudBuilder, ImageFilterPicksTheNewestLabelledSnapshot) {
  auto base = build(source("base", R"(
  communicator    = "none"
  snapshot_name   = "base-1"
  snapshot_labels = { role = "base" }
)") + "build { sources = [\"source.hcloud.base\"] }\n");
  ASSERT_EQ(base.code, 0) << base.output;
  auto r = build(
      "source \"hcloud\" \"f\" {\n  token = \"" + std::string(kToken) + "\"\n  endpoint = \"" +
      endpoint() +
      "\"\n  location = \"nbg1\"\n  server_type = \"cx23\"\n  communicator = \"none\"\n"
      "  snapshot_name = \"from-filter\"\n"
      "  image_filter {\n    with_selector = [\"role=base\"]\n    most_recent = true\n  }\n}\n"
      "build { sources = [\"source.hcloud.f\"] }\n");
  ASSERT_EQ(r.code, 0) << r.output;
  ASSERT_EQ(r.results[0].artifacts.size(), 1u);
  EXPECT_EQ(r.results[0].artifacts[0].state.at("source_image"), "base-1");
}

}  // namespace
}  // namespace kiln::builders

namespace kiln::builders {
namespace {

// The options whose effect shows on the server itself: existing SSH keys,
// firewalls, location, IPv4 disabled; and skip_create_snapshot.
TEST_F(HcloudBuilder, ServerOptionsShowOnTheServerAndSkipCreateSnapshotMakesNone) {
  auto key = client_->ssh_keys().create(
      {"existing-key",
       "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBq6UR9m2cQnDbn3MyZMBp6FCZgM0lxs7v+E1vZgGJmN test",
       {}});
  ASSERT_TRUE(key.ok()) << key.error().to_string();
  hcloud::CreateFirewallOpts fo;
  fo.name = "build-fw";
  auto fw = client_->firewalls().create(fo);
  ASSERT_TRUE(fw.ok()) << fw.error().to_string();

  RunSetup s;
  s.on_error = engine::OnError::kAbort;
  std::string t = "source \"hcloud\" \"o\" {\n  token = \"" + std::string(kToken) +
                  "\"\n  endpoint = \"" + endpoint() +
                  "\"\n  location = \"fsn1\"\n  server_type = \"cx23\"\n  image = \"debian-12\"\n"
                  "  communicator = \"none\"\n  server_name = \"opt-server\"\n"
                  "  ssh_keys = [\"existing-key\"]\n  firewalls = [\"build-fw\"]\n"
                  "  public_ipv4_disabled = true\n  skip_create_snapshot = true\n}\n"
                  "build {\n  sources = [\"source.hcloud.o\"]\n"
                  "  provisioner \"shell-local\" { inline = [\"fail\"] }\n}\n";
  auto r = build(t, s);
  EXPECT_EQ(r.code, 1) << r.output;
  auto srv = client_->servers().get_by_name("opt-server");
  ASSERT_TRUE(srv.ok() && srv.value()) << r.output;
  EXPECT_EQ(srv.value()->location_name(), "fsn1");
  EXPECT_FALSE(srv.value()->ipv4.has_value() && !srv.value()->ipv4->ip.empty());
  ASSERT_EQ(srv.value()->firewalls.size(), 1u);
  EXPECT_EQ(srv.value()->firewalls[0].id, fw->firewall.id);
  ASSERT_TRUE(client_->servers().del(srv.value()->id).ok());

  // The same without the failure: no snapshot, no artifact, nothing left.
  t = t.substr(0, t.find("build {")) + "build { sources = [\"source.hcloud.o\"] }\n";
  r = build(t);
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "Skipping snapshot creation...")) << r.output;
  EXPECT_TRUE(has(r.output, "==> Builds finished but no artifacts were created.")) << r.output;
  EXPECT_TRUE(snapshots().empty());
  EXPECT_EQ(count_servers(), 0u);
  ASSERT_TRUE(client_->ssh_keys().del(key->id).ok());
  ASSERT_TRUE(client_->firewalls().del(fw->firewall.id).ok());
}

}  // namespace
}  // namespace kiln::builders

#include "builders/hcloud/tcp_forwarder_test_util.h"
#include "ssh/sshd_fixture.h"

namespace kiln::builders {
namespace {

// The whole pipeline over real SSH: kiln local's servers do not run sshd
// in this slice, so a test sshd answers for them (through a forwarder
// listening on every loopback address). The key is ssh_private_key_file:
// its public half is what the builder uploads; build.Host is the server's.
TEST_F(HcloudBuilder, ProvisionsOverSshThenSnapshots) {
  std::string err = ssh::testing::ensure_openssh();
  ASSERT_EQ(err, "");
  auto sshd = ssh::testing::Sshd::start({}, &err);
  ASSERT_TRUE(sshd) << err;
  testing::TcpForwarder fwd(sshd->port());
  auto r =
      build(source("ssh", "  ssh_username = \"" + sshd->user() +
                              "\"\n  ssh_port = " + std::to_string(fwd.port()) +
                              "\n  ssh_private_key_file = \"" + sshd->client_key() +
                              "\"\n  ssh_timeout = \"60s\"\n  snapshot_name = \"over-ssh\"\n") +
            R"(
build {
  sources = ["source.hcloud.ssh"]
  provisioner "shell" {
    inline = ["echo provisioned on ${build.Host}", "echo to-stderr >&2"]
    remote_folder = ")" +
            sshd->dir() + R"("  # this host's /tmp is shared with other tests
  }
}
)");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "==> hcloud.ssh: Connected to SSH!")) << r.output;
  EXPECT_TRUE(
      std::regex_search(r.output, std::regex("==> hcloud.ssh: provisioned on 127\\.[0-9.]+\n")))
      << r.output;
  EXPECT_TRUE(has(r.output, "==> hcloud.ssh: to-stderr")) << r.output;
  EXPECT_TRUE(has(r.output, "A snapshot was created: 'over-ssh'")) << r.output;
  EXPECT_FALSE(has(r.output, "PRIVATE KEY")) << r.output;
  EXPECT_EQ(count_servers(), 0u);
  EXPECT_EQ(count_keys(), 0u);
}

}  // namespace
}  // namespace kiln::builders

namespace kiln::builders {
namespace {

TEST_F(HcloudBuilder, ParallelBuildsMakeOneSnapshotEach) {
  auto r = build(source("x86", "  communicator = \"none\"\n  snapshot_name = \"par-x86\"\n") +
                 source("big", "  communicator = \"none\"\n  snapshot_name = \"par-big\"\n") +
                 "build { sources = [\"source.hcloud.x86\", \"source.hcloud.big\"] }\n");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(has(r.output, "--> hcloud.x86: A snapshot was created: 'par-x86'")) << r.output;
  EXPECT_TRUE(has(r.output, "--> hcloud.big: A snapshot was created: 'par-big'")) << r.output;
  EXPECT_EQ(snapshots().size(), 2u);
  EXPECT_EQ(count_servers(), 0u);
  // Both ran at once: the second server was created before the first was gone.
  auto req = requests();
  auto first_delete = index_of(req, "DELETE /servers/N");
  size_t creates = 0;
  for (size_t i = 0; i < first_delete && i < req.size(); ++i) creates += req[i] == "POST /servers";
  EXPECT_EQ(creates, 2u);
}

}  // namespace
}  // namespace kiln::builders

namespace kiln::builders {
namespace {

// poll_interval spaces the waiter's looks: at 3 s, each action of the build
// (create_server 2 s, start_server 1 s, shutdown 1 s, delete 0.8 s) is seen
// finished at its first look: one poll per action. (The waiter alone would
// look at the 2 s server create after 500 ms, see its progress, and look
// again.)
TEST_F(HcloudBuilderTimed, PollIntervalSpacesTheLooksAtActions) {
  auto r = build(source("slow", R"(
  communicator         = "none"
  skip_create_snapshot = true
  poll_interval        = "3s")") +
                 "build { sources = [\"source.hcloud.slow\"] }\n");
  ASSERT_EQ(r.code, 0) << r.output;
  std::istringstream in(slurp(log_));
  std::vector<std::string> polls;
  std::regex re("hcloud: GET /actions\\?id=([0-9]+) ");
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, m, re)) polls.push_back(m[1].str());
  std::set<std::string> actions(polls.begin(), polls.end());
  EXPECT_GE(actions.size(), 4u) << slurp(log_);
  EXPECT_EQ(polls.size(), actions.size()) << slurp(log_);
  EXPECT_EQ(count_servers(), 0u);
}

}  // namespace
}  // namespace kiln::builders
