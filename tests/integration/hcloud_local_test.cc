// kiln's Hetzner Cloud client (src/hcloud) against `kiln local` (src/local).
// Each test serves the local API in-process on 127.0.0.1 (an ephemeral port)
// with a fresh temporary state directory and time scale 0 (actions finish at
// once), talks to it over HTTP with hcloud::Client, and checks at the end that
// everything it created was deleted again.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "hcloud/hcloud.h"
#include "local/api.h"
#include "local/http.h"
#include "local/store.h"

namespace {

constexpr const char* kToken = "integration-test-token";

std::string base64(const std::string& in) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += a[(v >> 18) & 63];
    out += a[(v >> 12) & 63];
    out += a[(v >> 6) & 63];
    out += a[v & 63];
  }
  if (in.size() - i == 1) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += a[(v >> 18) & 63];
    out += a[(v >> 12) & 63];
    out += "==";
  } else if (in.size() - i == 2) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += a[(v >> 18) & 63];
    out += a[(v >> 12) & 63];
    out += a[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// A well-formed ssh-ed25519 authorized_keys line; `seed` makes the 32-byte key
// (and so the fingerprint) distinct.
std::string ed25519_key(int seed) {
  std::string blob;
  auto put_string = [&blob](const std::string& s) {
    uint32_t n = static_cast<uint32_t>(s.size());
    blob += static_cast<char>((n >> 24) & 0xff);
    blob += static_cast<char>((n >> 16) & 0xff);
    blob += static_cast<char>((n >> 8) & 0xff);
    blob += static_cast<char>(n & 0xff);
    blob += s;
  };
  std::string key(32, '\0');
  for (int i = 0; i < 32; ++i) key[i] = static_cast<char>((seed * 131 + i * 17 + 7) & 0xff);
  key[0] = static_cast<char>(seed & 0xff);
  key[1] = static_cast<char>((seed >> 8) & 0xff);
  put_string("ssh-ed25519");
  put_string(key);
  return "ssh-ed25519 " + base64(blob) + " integration-" + std::to_string(seed);
}

hcloud::CreateSshKeyOpts key_opts(std::string name, std::string public_key,
                                  hcloud::Labels labels = {}) {
  hcloud::CreateSshKeyOpts o;
  o.name = std::move(name);
  o.public_key = std::move(public_key);
  o.labels = std::move(labels);
  return o;
}

hcloud::CreateServerOpts server_opts(std::string name, std::string type,
                                     hcloud::Labels labels = {}) {
  hcloud::CreateServerOpts o;
  o.name = std::move(name);
  o.server_type = std::move(type);
  o.image = "debian-12";
  o.location = "nbg1";
  o.labels = std::move(labels);
  return o;
}

class LocalApi : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiln-integration.XXXXXX";
    char* made = mkdtemp(tmpl);
    ASSERT_NE(made, nullptr) << "mkdtemp failed";
    dir_ = made;
    std::string err;
    store_ = kiln::local::Store::open(dir_, &err);
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
  }

  void TearDown() override {
    if (client_) {
      // Every test deletes what it made.
      expect_none("SSH keys", client_->ssh_keys().list());
      expect_none("servers", client_->servers().list());
      hcloud::ImageListOpts snaps;
      snaps.types = {"snapshot", "backup"};
      expect_none("snapshots", client_->images().list(snaps));
    }
    client_.reset();
    if (http_) http_->stop();
    if (serve_.joinable()) serve_.join();
    http_.reset();
    api_.reset();
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      EXPECT_FALSE(ec) << ec.message();
      EXPECT_FALSE(std::filesystem::exists(dir_));
    }
  }

  hcloud::Client& client() { return *client_; }

  template <class T>
  static void expect_none(const char* what, const hcloud::Result<std::vector<T>>& r) {
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_TRUE(r->empty()) << r->size() << " " << what << " left";
  }

  // Waits for an action with the process-wide waiter; the finished action.
  hcloud::Action wait(const hcloud::Action& a) {
    auto r = hcloud::ActionWaiter::process().wait(client(), a).get();
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    if (!r.ok()) return {};
    EXPECT_EQ(r->status, "success") << a.command;
    return r.value();
  }

 private:
  std::string dir_;
  std::unique_ptr<kiln::local::Store> store_;
  std::unique_ptr<kiln::local::Api> api_;
  std::unique_ptr<kiln::local::HttpServer> http_;
  std::thread serve_;
  std::unique_ptr<hcloud::Client> client_;
};

#define ASSERT_OK(r) ASSERT_TRUE((r).ok()) << (r).error().to_string()

TEST_F(LocalApi, ListsServerTypesAndLocations) {
  auto types = client().server_types().list();
  ASSERT_OK(types);
  auto cx23 = std::find_if(types->begin(), types->end(),
                           [](const hcloud::ServerType& t) { return t.name == "cx23"; });
  ASSERT_NE(cx23, types->end());
  EXPECT_EQ(cx23->architecture, "x86");
  EXPECT_FALSE(cx23->locations.empty());

  auto byname = client().server_types().get_by_name("cx23");
  ASSERT_OK(byname);
  ASSERT_TRUE(byname->has_value());
  EXPECT_EQ((*byname)->id, cx23->id);

  auto locs = client().locations().list();
  ASSERT_OK(locs);
  std::set<std::string> names;
  for (const auto& l : *locs) names.insert(l.name);
  EXPECT_TRUE(names.count("nbg1")) << "no nbg1";
  EXPECT_TRUE(names.count("fsn1")) << "no fsn1";
  auto nbg1 = client().locations().get_by_name("nbg1");
  ASSERT_OK(nbg1);
  ASSERT_TRUE(nbg1->has_value());
  EXPECT_EQ((*nbg1)->network_zone, "eu-central");
}

TEST_F(LocalApi, SshKeyCreateListBySelectorDelete) {
  auto a = client().ssh_keys().create(key_opts("integ-a", ed25519_key(1), {{"kiln.test", "a"}}));
  ASSERT_OK(a);
  auto b = client().ssh_keys().create(key_opts("integ-b", ed25519_key(2), {{"kiln.test", "b"}}));
  ASSERT_OK(b);
  EXPECT_EQ(a->name, "integ-a");
  EXPECT_EQ(a->labels.at("kiln.test"), "a");
  EXPECT_FALSE(a->fingerprint.empty());
  EXPECT_NE(a->fingerprint, b->fingerprint);

  hcloud::SshKeyListOpts sel;
  sel.label_selector = "kiln.test=a";
  auto found = client().ssh_keys().list(sel);
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().id, a->id);

  sel.label_selector = "kiln.test";
  found = client().ssh_keys().list(sel);
  ASSERT_OK(found);
  EXPECT_EQ(found->size(), 2u);

  auto byfp = client().ssh_keys().get_by_fingerprint(b->fingerprint);
  ASSERT_OK(byfp);
  ASSERT_TRUE(byfp->has_value());
  EXPECT_EQ((*byfp)->id, b->id);

  ASSERT_OK(client().ssh_keys().del(a->id));
  ASSERT_OK(client().ssh_keys().del(b->id));
  auto gone = client().ssh_keys().get(a->id);
  ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());
}

TEST_F(LocalApi, ServerRescuePoweroffSnapshotLifecycle) {
  auto created =
      client().servers().create(server_opts("integ-server", "cx23", {{"kiln.test", "server"}}));
  ASSERT_OK(created);
  EXPECT_FALSE(created->reconciled);
  // No SSH keys: the API sends a root password.
  ASSERT_TRUE(created->root_password.has_value());
  EXPECT_FALSE(created->root_password->empty());
  const std::int64_t id = created->server.id;
  EXPECT_EQ(wait(created->action).command, "create_server");
  for (const auto& next : created->next_actions) wait(next);

  auto server = client().servers().get(id);
  ASSERT_OK(server);
  ASSERT_TRUE(server->has_value());
  EXPECT_EQ((*server)->status, "running");
  EXPECT_EQ((*server)->server_type.name, "cx23");
  EXPECT_EQ((*server)->location_name(), "nbg1");
  EXPECT_EQ((*server)->labels.at("kiln.test"), "server");
  ASSERT_TRUE((*server)->ipv4.has_value());
  EXPECT_FALSE((*server)->ipv4->ip.empty());

  auto rescue = client().servers().enable_rescue(id);
  ASSERT_OK(rescue);
  ASSERT_TRUE(rescue->root_password.has_value());
  EXPECT_FALSE(rescue->root_password->empty());
  EXPECT_EQ(wait(rescue->action).command, "enable_rescue");
  server = client().servers().get(id);
  ASSERT_OK(server);
  ASSERT_TRUE(server->has_value());
  EXPECT_TRUE((*server)->rescue_enabled);

  auto off = client().servers().poweroff(id);
  ASSERT_OK(off);
  EXPECT_EQ(wait(*off).command, "stop_server");
  server = client().servers().get(id);
  ASSERT_OK(server);
  ASSERT_TRUE(server->has_value());
  EXPECT_EQ((*server)->status, "off");

  hcloud::CreateImageOpts io;
  io.description = "integration snapshot";
  io.labels = {{"kiln.test", "snap"}, {"kiln.run", "integ"}};
  auto img = client().servers().create_image(id, io);
  ASSERT_OK(img);
  EXPECT_EQ(img->image.type, "snapshot");
  EXPECT_EQ(wait(img->action).command, "create_image");

  hcloud::ImageListOpts sel;
  sel.label_selector = "kiln.test=snap,kiln.run=integ";
  auto listed = client().images().list(sel);
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 1u);
  const hcloud::Image snap = listed->front();
  EXPECT_EQ(snap.id, img->image.id);
  EXPECT_EQ(snap.type, "snapshot");
  EXPECT_EQ(snap.status, "available");
  EXPECT_EQ(snap.description, "integration snapshot");
  ASSERT_TRUE(snap.created_from.has_value());
  EXPECT_EQ(snap.created_from->id, id);

  sel.label_selector = "kiln.test=other";
  listed = client().images().list(sel);
  ASSERT_OK(listed);
  EXPECT_TRUE(listed->empty());

  auto del = client().servers().del(id);
  ASSERT_OK(del);
  ASSERT_TRUE(del->has_value());
  EXPECT_EQ(wait(**del).command, "delete_server");
  auto gone = client().servers().get(id);
  ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());

  // The snapshot outlives its server.
  auto still = client().images().get(snap.id);
  ASSERT_OK(still);
  ASSERT_TRUE(still->has_value());
  ASSERT_OK(client().images().del(snap.id));
  auto img_gone = client().images().get(snap.id);
  ASSERT_OK(img_gone);
  EXPECT_FALSE(img_gone->has_value());
}

TEST_F(LocalApi, NotFoundIsAnErrorValue) {
  auto off = client().servers().poweroff(987654321);
  ASSERT_FALSE(off.ok());
  const hcloud::Error& e = off.error();
  EXPECT_EQ(e.kind, hcloud::ErrorKind::kApi);
  EXPECT_TRUE(e.not_found());
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(e.request, "POST /servers/987654321/actions/poweroff");
  EXPECT_FALSE(e.outcome_unknown);
  EXPECT_EQ(e.attempts, 1);

  auto del = client().images().del(987654321);
  ASSERT_FALSE(del.ok());
  EXPECT_TRUE(del.error().not_found());

  // The typed getters turn not_found into an empty optional.
  auto get = client().servers().get(987654321);
  ASSERT_OK(get);
  EXPECT_FALSE(get->has_value());
}

TEST_F(LocalApi, WrongTokenIsUnauthorized) {
  hcloud::ClientOptions o;
  o.endpoint = client().endpoint();
  o.token = "not-the-token";
  hcloud::Client other(o);
  auto r = other.locations().list();
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is("unauthorized")) << r.error().to_string();
  EXPECT_EQ(r.error().http_status, 401);
  EXPECT_EQ(r.error().attempts, 1);
}

TEST_F(LocalApi, InvalidInputCarriesFields) {
  auto bad = client().ssh_keys().create(key_opts("integ-bad", "ssh-ed25519 !!!!"));
  ASSERT_FALSE(bad.ok());
  const hcloud::Error& e = bad.error();
  EXPECT_EQ(e.kind, hcloud::ErrorKind::kApi);
  EXPECT_TRUE(e.is("invalid_input")) << e.to_string();
  EXPECT_EQ(e.http_status, 422);
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].name, "public_key");
  EXPECT_FALSE(e.fields[0].messages.empty());
  EXPECT_NE(e.to_string().find("invalid_input"), std::string::npos);

  auto nosize = client().servers().create(server_opts("integ-bad", ""));
  ASSERT_FALSE(nosize.ok());
  EXPECT_TRUE(nosize.error().is("invalid_input")) << nosize.error().to_string();
  ASSERT_FALSE(nosize.error().fields.empty());
  EXPECT_EQ(nosize.error().fields[0].name, "server_type");
}

TEST_F(LocalApi, DuplicateSshKeyNameIsUniquenessError) {
  auto first = client().ssh_keys().create(key_opts("integ-dup", ed25519_key(10)));
  ASSERT_OK(first);
  auto second = client().ssh_keys().create(key_opts("integ-dup", ed25519_key(11)));
  ASSERT_FALSE(second.ok());
  const hcloud::Error& e = second.error();
  EXPECT_TRUE(e.is("uniqueness_error")) << e.to_string();
  EXPECT_EQ(e.http_status, 409);
  EXPECT_FALSE(e.outcome_unknown);
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].name, "name");
  // The same key under another name is a duplicate too.
  auto third = client().ssh_keys().create(key_opts("integ-dup2", ed25519_key(10)));
  ASSERT_FALSE(third.ok());
  EXPECT_TRUE(third.error().is("uniqueness_error")) << third.error().to_string();

  auto all = client().ssh_keys().list();
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 1u);
  ASSERT_OK(client().ssh_keys().del(first->id));
}

TEST_F(LocalApi, PaginatesOverMoreThan25Items) {
  constexpr int kKeys = 31;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < kKeys; ++i) {
    auto k = client().ssh_keys().create(
        key_opts("integ-page-" + std::to_string(i), ed25519_key(100 + i), {{"kiln.test", "page"}}));
    ASSERT_OK(k);
    ids.push_back(k->id);
  }
  // Pages of 10 (4 requests), of the client's default (50), and of the API's
  // default (25, over two pages).
  for (int per_page : {10, 0, 25}) {
    hcloud::SshKeyListOpts o;
    o.per_page = per_page;
    o.sort = {"id"};
    auto all = client().ssh_keys().list(o);
    ASSERT_OK(all);
    ASSERT_EQ(all->size(), static_cast<size_t>(kKeys)) << "per_page " << per_page;
    for (int i = 0; i < kKeys; ++i) EXPECT_EQ((*all)[i].id, ids[i]) << "per_page " << per_page;
  }
  // One page only.
  hcloud::SshKeyListOpts one;
  one.per_page = 25;
  one.page = 2;
  one.sort = {"id"};
  auto second = client().ssh_keys().list(one);
  ASSERT_OK(second);
  ASSERT_EQ(second->size(), static_cast<size_t>(kKeys - 25));
  EXPECT_EQ(second->front().id, ids[25]);
  // Selector and pagination together.
  hcloud::SshKeyListOpts sel;
  sel.per_page = 7;
  sel.label_selector = "kiln.test=page";
  auto selected = client().ssh_keys().list(sel);
  ASSERT_OK(selected);
  EXPECT_EQ(selected->size(), static_cast<size_t>(kKeys));

  for (auto id : ids) ASSERT_OK(client().ssh_keys().del(id));
}

}  // namespace
