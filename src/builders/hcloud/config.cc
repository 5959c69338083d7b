#include "builders/hcloud/config.h"

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include "builders/config_util.h"

namespace kiln::builders::hcloud_builder {

engine::Status decode_config(const hcl::Value& cfg, const std::string& run_uuid, Config& c) {
  std::vector<std::string> errs;
  if (engine::Status st = decode_communicator(cfg, c.comm); st.failed())
    errs.push_back(st.message());
  c.token = get_string(cfg, "token");
  if (c.token.empty())
    if (const char* t = std::getenv("HCLOUD_TOKEN"); t) c.token = t;
  if (c.token.empty()) errs.push_back("token for auth must be specified");
  c.endpoint = get_string(cfg, "endpoint");
  if (c.endpoint.empty())
    if (const char* e = std::getenv("HCLOUD_ENDPOINT"); e) c.endpoint = e;
  // `kiln build -local`: every hcloud source goes to the local cloud.
  if (const char* e = std::getenv("KILN_LOCAL_ENDPOINT"); e && *e) {
    c.endpoint = e;
    if (const char* t = std::getenv("KILN_LOCAL_TOKEN"); t && *t) c.token = t;
  }
  std::string err;
  c.poll_interval =
      get_duration(cfg, "poll_interval", &err).value_or(std::chrono::milliseconds(500));
  if (!err.empty()) errs.push_back(err);
  c.server_name = get_string(cfg, "server_name", "packer-" + run_uuid);
  c.location = get_string(cfg, "location");
  if (c.location.empty()) errs.push_back("location is required");
  c.server_type = get_string(cfg, "server_type");
  if (c.server_type.empty()) errs.push_back("server type is required");
  c.upgrade_server_type = get_string(cfg, "upgrade_server_type");
  c.server_labels = get_string_map(cfg, "server_labels");
  c.image = get_string(cfg, "image");
  if (const hcl::Value* f = field(cfg, "image_filter")) {
    c.has_image_filter = true;
    c.image_filter_selectors = get_strings(*f, "with_selector");
    c.image_filter_most_recent = get_bool(*f, "most_recent");
    if (c.image_filter_selectors.empty())
      errs.push_back("image_filter.with_selector is required when specifying filter");
    else if (!c.image.empty())
      errs.push_back("only one of image or image_filter can be specified");
  }
  if (c.image.empty() && !c.has_image_filter) errs.push_back("image or image_filter is required");
  c.skip_create_snapshot = get_bool(cfg, "skip_create_snapshot");
  c.snapshot_name =
      get_string(cfg, "snapshot_name", "packer-" + std::to_string(std::time(nullptr)));
  c.snapshot_labels = get_string_map(cfg, "snapshot_labels");
  std::string ud = get_string(cfg, "user_data"), udf = get_string(cfg, "user_data_file");
  if (!ud.empty() && !udf.empty()) {
    errs.push_back("only one of user_data or user_data_file can be specified");
  } else if (!ud.empty()) {
    c.user_data = ud;
  } else if (!udf.empty()) {
    std::ifstream in(udf, std::ios::binary);
    if (!in) {
      errs.push_back("user_data_file not found: " + udf);
    } else {
      std::stringstream ss;
      ss << in.rdbuf();
      c.user_data = ss.str();
    }
  }
  c.ssh_keys = get_strings(cfg, "ssh_keys");
  c.ssh_keys_labels = get_string_map(cfg, "ssh_keys_labels");
  for (auto& n : get_strings(cfg, "networks"))
    c.networks.push_back(std::strtoll(n.c_str(), nullptr, 10));
  c.public_ipv4 = get_string(cfg, "public_ipv4");
  c.public_ipv6 = get_string(cfg, "public_ipv6");
  c.public_ipv4_disabled = get_bool(cfg, "public_ipv4_disabled");
  c.public_ipv6_disabled = get_bool(cfg, "public_ipv6_disabled");
  c.firewalls = get_strings(cfg, "firewalls");
  c.rescue = get_string(cfg, "rescue");
  if (errs.empty()) return engine::Status::ok();
  std::string msg;
  for (auto& e : errs) msg += (msg.empty() ? "* " : "\n* ") + e;
  return engine::Status::fail(msg);
}

}  // namespace kiln::builders::hcloud_builder
