// `kiln upload`: a local disk image (or a URL) to a Hetzner snapshot.
//
// The flow: hash the image and reuse a snapshot with the same content hash;
// otherwise a temporary SSH key and a 40 GB server of the architecture,
// rescue mode, power on, wait for SSH (TCP probe, then login), discard the
// disk, stream the image (writer.h), sync, power off, snapshot, and delete
// the server and the key on every exit path (cancellation included).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <string>

#include "hcloud/hcloud.h"
#include "upload/image_input.h"

namespace upload {

// What the caller records (kiln's run journal) so `kiln cleanup` finds what
// a killed upload left behind.
struct ResourceHooks {
  std::function<void(const std::string& kind, const std::string& name,
                     const std::map<std::string, std::string>& labels)>
      creating;
  std::function<void(const std::string& kind, const std::string& name, std::int64_t id)> created;
  std::function<void(const std::string& kind, std::int64_t id)> deleted;
  std::function<void(const std::string& kind, const std::string& name)> not_created;
};

struct UploadOptions {
  ImageInput input;       // --image-path (+ --compression, --format)
  std::string image_url;  // --image-url, instead of a path
  std::optional<Compression> url_compression;
  std::string architecture;  // x86 | arm (default x86 unless server_type)
  std::string server_type;   // default cx23 / cax11
  std::string location;      // empty: the API chooses
  std::string description;
  std::map<std::string, std::string> labels;
  bool force = false;                    // upload even if a snapshot has the hash
  std::string base_image = "debian-12";  // never booted; rescue is
  std::string run_id;
  std::chrono::milliseconds ssh_timeout = std::chrono::minutes(5);
  std::chrono::milliseconds ssh_retry_interval = std::chrono::seconds(2);
  bool terminal = false;  // progress bar instead of lines
  std::function<void(const std::string&)> say;
  std::stop_token stop;
  ResourceHooks hooks;
  // Where the image goes in the rescue system (a file in tests).
  std::string device = "/dev/sda";
  // null: the process-wide waiter.
  hcloud::ActionWaiter* waiter = nullptr;
  // Tests: SSH goes here (host, port) instead of the server's public IPv4
  // on port 22; receives the temporary public key to authorise.
  std::function<std::pair<std::string, int>(const std::string& public_key)> ssh_target;
};

struct UploadResult {
  std::int64_t image_id = 0;
  bool reused = false;
  std::string hash_label;  // kiln.sha256 value (63 hex digits), "" for URLs
  std::uint64_t bytes_sent = 0;
  double seconds = 0;
};

// Parses "k=v[,k=v]" into *out; false and *error on a malformed pair or a
// key or value outside Hetzner's label rules.
bool parse_labels(const std::string& text, std::map<std::string, std::string>* out,
                  std::string* error);

// The SHA-256 of a file, hex. progress(done, total) as it reads.
bool sha256_file(const std::string& path, std::string* hex, std::string* error,
                 const std::function<void(std::uint64_t, std::uint64_t)>& progress = {},
                 const std::stop_token& stop = {});

// Runs the whole flow. False and *error (for people) on failure; the
// temporary server and key are gone either way.
bool run_upload(hcloud::Client& client, const UploadOptions& options, UploadResult* result,
                std::string* error);

}  // namespace upload
