// The hcloud builder's options (packer-plugin-hcloud v1.7.2, config.go),
// read from the decoded source with Prepare's defaults and checks.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "builders/communicator.h"
#include "engine/plugin.h"

namespace kiln::builders::hcloud_builder {

struct Config {
  std::string token;     // secret: never printed, never journaled
  std::string endpoint;  // "" : HCLOUD_ENDPOINT, else the public API
  std::chrono::milliseconds poll_interval{500};
  std::string server_name;  // default packer-<uuid>
  std::string location;
  std::string server_type;
  std::string upgrade_server_type;
  std::map<std::string, std::string> server_labels;
  std::string image;
  std::vector<std::string> image_filter_selectors;  // with_selector
  bool image_filter_most_recent = false;
  bool has_image_filter = false;
  bool skip_create_snapshot = false;
  std::string snapshot_name;  // default packer-<unix time>
  std::map<std::string, std::string> snapshot_labels;
  std::optional<std::string> user_data;  // user_data or the contents of user_data_file
  std::vector<std::string> ssh_keys;
  std::map<std::string, std::string> ssh_keys_labels;
  std::vector<std::int64_t> networks;
  std::string public_ipv4, public_ipv6;
  bool public_ipv4_disabled = false, public_ipv6_disabled = false;
  std::vector<std::string> firewalls;
  std::string rescue;
  CommConfig comm;
};

// Reads and checks the configuration (Packer's Prepare); run_uuid makes
// the default server name.
engine::Status decode_config(const hcl::Value& cfg, const std::string& run_uuid, Config& out);

}  // namespace kiln::builders::hcloud_builder
