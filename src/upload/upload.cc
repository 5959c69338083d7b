#include "upload/upload.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <tuple>
#include <vector>

#include "ssh/client.h"
#include "ssh/keygen.h"
#include "ssh/probe.h"
#include "upload/progress.h"
#include "upload/writer.h"

namespace upload {

namespace {

bool label_part_ok(const std::string& s, bool allow_empty) {
  if (s.empty()) return allow_empty;
  if (s.size() > 63) return false;
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  for (char c : s)
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

bool label_key_ok(const std::string& k) {
  auto slash = k.rfind('/');
  if (slash == std::string::npos) return label_part_ok(k, false);
  std::string prefix = k.substr(0, slash);
  if (prefix.empty() || prefix.size() > 253) return false;
  for (char c : prefix)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  return label_part_ok(k.substr(slash + 1), false);
}

std::string short_id(const std::string& run_id) {
  std::string s;
  for (char c : run_id)
    if (c != '-' && s.size() < 8) s += c;
  return s;
}

}  // namespace

bool parse_labels(const std::string& text, std::map<std::string, std::string>* out,
                  std::string* error) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string pair =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? text.size() + 1 : comma + 1;
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    if (eq == std::string::npos) {
      *error = "label \"" + pair + "\" is not key=value";
      return false;
    }
    std::string k = pair.substr(0, eq), v = pair.substr(eq + 1);
    if (!label_key_ok(k)) {
      *error = "label key \"" + k +
               "\" is invalid (up to 63 letters, digits, '-', '_', '.', starting and ending "
               "with a letter or digit, optionally prefix/)";
      return false;
    }
    if (!label_part_ok(v, true)) {
      *error = "label value \"" + v + "\" of \"" + k +
               "\" is invalid (up to 63 letters, digits, '-', '_', '.', starting and ending "
               "with a letter or digit)";
      return false;
    }
    (*out)[k] = v;
  }
  return true;
}

bool sha256_file(const std::string& path, std::string* hex, std::string* error,
                 const std::function<void(std::uint64_t, std::uint64_t)>& progress,
                 const std::stop_token& stop) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  off_t size = lseek(fd, 0, SEEK_END);
  lseek(fd, 0, SEEK_SET);
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 20);
  std::uint64_t done = 0;
  for (;;) {
    if (stop.stop_requested()) {
      ::close(fd);
      *error = "cancelled";
      return false;
    }
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = path + ": read failed: " + std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n));
    done += static_cast<std::uint64_t>(n);
    if (progress) progress(done, static_cast<std::uint64_t>(size));
  }
  ::close(fd);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  static const char* digits = "0123456789abcdef";
  hex->clear();
  for (unsigned i = 0; i < len; ++i) {
    *hex += digits[md[i] >> 4];
    *hex += digits[md[i] & 15];
  }
  return true;
}

namespace {

// The temporary server and key, deleted when this goes away, whatever
// happened before (errors, cancellation).
class Temporaries {
 public:
  Temporaries(hcloud::Client& c, const UploadOptions& o) : c_(c), o_(o) {}
  ~Temporaries() { release(); }
  void release() {
    auto& waiter = o_.waiter ? *o_.waiter : hcloud::ActionWaiter::process();
    if (server_id_ != 0) {
      say("Deleting the temporary server " + std::to_string(server_id_) + "...");
      auto r = c_.servers().del(server_id_);
      if (r.ok() && r.value()) {
        auto w = waiter.wait(c_, *r.value()).get();
        if (!w.ok()) say("Warning: deleting the server: " + w.error().to_string());
      }
      if (!r.ok() && !r.error().not_found()) {
        say("Warning: the temporary server " + std::to_string(server_id_) +
            " could not be deleted (" + r.error().to_string() + "); run `kiln cleanup`");
      } else if (o_.hooks.deleted) {
        o_.hooks.deleted("server", server_id_);
      }
      server_id_ = 0;
    }
    if (key_id_ != 0) {
      auto r = c_.ssh_keys().del(key_id_);
      if (!r.ok() && !r.error().not_found()) {
        say("Warning: the temporary SSH key " + std::to_string(key_id_) +
            " could not be deleted (" + r.error().to_string() + "); run `kiln cleanup`");
      } else if (o_.hooks.deleted) {
        o_.hooks.deleted("ssh_key", key_id_);
      }
      key_id_ = 0;
    }
  }
  void say(const std::string& s) const {
    if (o_.say) o_.say(s);
  }
  std::int64_t server_id_ = 0;
  std::int64_t key_id_ = 0;

 private:
  hcloud::Client& c_;
  const UploadOptions& o_;
};

}  // namespace

bool run_upload(hcloud::Client& client, const UploadOptions& o, UploadResult* result,
                std::string* error) {
  auto say = [&](const std::string& s) {
    if (o.say) o.say(s);
  };
  auto cancelled = [&] { return o.stop.stop_requested(); };
  const bool from_url = !o.image_url.empty();
  if (from_url == !o.input.path.empty()) {
    *error = "give exactly one of --image-path and --image-url";
    return false;
  }
  if (!o.architecture.empty() && !o.server_type.empty()) {
    *error = "--architecture and --server-type exclude each other";
    return false;
  }
  std::string arch = o.architecture.empty() ? "x86" : o.architecture;
  if (arch != "x86" && arch != "arm") {
    *error = "--architecture must be x86 or arm, not \"" + arch + "\"";
    return false;
  }
  std::string type = o.server_type.empty() ? (arch == "arm" ? "cax11" : "cx23") : o.server_type;

  // Everything about the input is checked before anything is created.
  PreparedImage image;
  if (!from_url) {
    if (!prepare_image(o.input, &image, error)) return false;
    say("Image " + o.input.path + ": " + std::string(format_name(image.format)) +
        (image.compression != Compression::kNone
             ? ", " + std::string(compression_name(image.compression)) +
                   "-compressed (decompressed on the server)"
             : ", parsed here and sent as data extents"));
    std::string hex;
    ProgressMeter hp("Hashing", 0, o.terminal);
    std::uint64_t hashed = 0;
    if (!sha256_file(
            o.input.path, &hex, error,
            [&](std::uint64_t d, std::uint64_t) {
              hashed = d;
              if (o.terminal) hp.update(d);
            },
            o.stop))
      return false;
    if (o.terminal) hp.finish(hashed);
    // Label values hold at most 63 characters: the first 63 hex digits.
    result->hash_label = hex.substr(0, 63);
  }

  // A type given by name: its architecture decides the snapshot's.
  auto st = client.server_types().get_by_name(type);
  if (!st.ok()) {
    *error = "looking up server type " + type + ": " + st.error().to_string();
    return false;
  }
  if (!st.value()) {
    *error = "server type \"" + type + "\" does not exist";
    return false;
  }
  arch = st.value()->architecture;

  if (!from_url && !o.force) {
    hcloud::ImageListOpts lo;
    lo.types = {"snapshot"};
    lo.label_selector = "kiln.sha256=" + result->hash_label;
    lo.architecture = arch;
    auto found = client.images().list(lo);
    if (!found.ok()) {
      *error = "looking for an earlier upload: " + found.error().to_string();
      return false;
    }
    for (const auto& im : found.value()) {
      if (im.status == "unavailable") continue;
      result->image_id = im.id;
      result->reused = true;
      say("A snapshot of this image exists already: " + std::to_string(im.id) + " (" +
          im.description + "); not uploading again (--force does)");
      return true;
    }
  }

  Temporaries tmp(client, o);
  auto& waiter = o.waiter ? *o.waiter : hcloud::ActionWaiter::process();
  hcloud::WaitOptions wo;
  wo.stop = o.stop;
  auto wait = [&](const hcloud::Action& a, const std::string& what) {
    auto r = waiter.wait(client, a, wo).get();
    if (!r.ok()) *error = what + ": " + r.error().to_string();
    return r.ok();
  };
  const std::string name = "kiln-upload-" + short_id(o.run_id);
  hcloud::Labels labels = {
      {"kiln.managed", "true"}, {"kiln.run", o.run_id}, {"kiln.upload", "true"}};

  auto kp = ssh::generate_key_pair(ssh::KeyType::kEd25519, 0, name);
  if (!kp.ok()) {
    *error = "generating the temporary key: " + kp.error().to_string();
    return false;
  }
  say("Creating a temporary SSH key...");
  if (o.hooks.creating) o.hooks.creating("ssh_key", name, labels);
  auto key = client.ssh_keys().create({name, kp->public_key, labels});
  if (!key.ok()) {
    if (o.hooks.not_created && !key.error().outcome_unknown) o.hooks.not_created("ssh_key", name);
    *error = "creating the SSH key: " + key.error().to_string();
    return false;
  }
  tmp.key_id_ = key->id;
  if (o.hooks.created) o.hooks.created("ssh_key", name, key->id);

  say("Creating a temporary " + type + " server" + (o.location.empty() ? "" : " in " + o.location) +
      "...");
  hcloud::CreateServerOpts so;
  so.name = name;
  so.server_type = type;
  so.image = o.base_image;
  so.location = o.location;
  so.ssh_keys = {std::to_string(key->id)};  // also stops the root password e-mail
  so.labels = labels;
  so.start_after_create = false;
  if (o.hooks.creating) o.hooks.creating("server", name, labels);
  auto srv = client.servers().create(so);
  if (!srv.ok()) {
    if (o.hooks.not_created && !srv.error().outcome_unknown) o.hooks.not_created("server", name);
    *error = "creating the server: " + srv.error().to_string();
    return false;
  }
  tmp.server_id_ = srv->server.id;
  if (o.hooks.created) o.hooks.created("server", name, srv->server.id);
  const std::int64_t id = srv->server.id;
  if (!wait(srv->action, "creating the server")) return false;
  for (const auto& a : srv->next_actions)
    if (!wait(a, "creating the server")) return false;

  say("Booting the rescue system...");
  auto rescue = client.servers().enable_rescue(id, "linux64", {key->id});
  if (!rescue.ok()) {
    *error = "enabling rescue: " + rescue.error().to_string();
    return false;
  }
  if (!wait(rescue->action, "enabling rescue")) return false;
  auto on = client.servers().poweron(id);
  if (!on.ok()) {
    *error = "powering on: " + on.error().to_string();
    return false;
  }
  if (!wait(*on, "powering on")) return false;
  auto fresh = client.servers().get(id);
  if (!fresh.ok() || !fresh.value() || !fresh.value()->ipv4) {
    *error = "the server has no public IPv4 address to reach over SSH";
    return false;
  }
  std::string host = fresh.value()->ipv4->ip;
  int port = 22;
  if (o.ssh_target) std::tie(host, port) = o.ssh_target(kp->public_key);

  say("Waiting for SSH on " + host + "...");
  ssh::Config sc;
  sc.host = host;
  sc.port = port;
  sc.auth.user = "root";
  sc.auth.private_key = kp->private_key;
  sc.timeout = o.ssh_timeout;
  sc.retry_interval = o.ssh_retry_interval;
  sc.cancelled = cancelled;
  auto conn = ssh::Client::connect(sc);
  if (!conn.ok()) {
    *error = "connecting over SSH: " + conn.error().to_string();
    return false;
  }
  ssh::Client& ssh = **conn;

  auto discard = ssh.exec(discard_command(o.device));
  if (!discard.ok() || discard->exit_status != 0) {
    // Not fatal: without discard the old image's blocks stay in the snapshot.
    say("Warning: discarding the disk failed; the snapshot may be larger than needed");
  }

  WriteOptions wopt;
  wopt.device = o.device;
  wopt.cancelled = cancelled;
  auto t0 = std::chrono::steady_clock::now();
  if (from_url) {
    say("The server fetches " + o.image_url + "...");
    if (!write_from_url(ssh, o.image_url,
                        o.url_compression.value_or(compression_of_url(o.image_url)), wopt, error))
      return false;
  } else {
    ProgressMeter pm("Uploading", image.bytes->input_total(), o.terminal, stderr, o.say);
    wopt.progress = [&](std::uint64_t d, std::uint64_t) { pm.update(d); };
    if (!write_image(ssh, image, wopt, error)) return false;
    pm.finish(image.bytes->input_done());
    result->bytes_sent = image.bytes->sent();
  }
  result->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ssh.disconnect();

  say("Powering off...");
  auto off = client.servers().poweroff(id);
  if (!off.ok()) {
    *error = "powering off: " + off.error().to_string();
    return false;
  }
  if (!wait(*off, "powering off")) return false;

  hcloud::CreateImageOpts io;
  io.type = "snapshot";
  io.description = o.description.empty() ? "kiln upload " + (from_url ? o.image_url : o.input.path)
                                         : o.description;
  io.labels = o.labels;
  io.labels["kiln.upload"] = "true";
  if (!result->hash_label.empty()) io.labels["kiln.sha256"] = result->hash_label;
  say("Creating the snapshot...");
  auto snap = client.servers().create_image(id, io);
  if (!snap.ok()) {
    *error = "creating the snapshot: " + snap.error().to_string();
    return false;
  }
  if (!wait(snap->action, "creating the snapshot")) return false;
  result->image_id = snap->image.id;
  tmp.release();
  return true;
}

}  // namespace upload
