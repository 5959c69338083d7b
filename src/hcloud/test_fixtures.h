// Test support: API objects shaped like today's API answers, and a client
// wired to a TestServer with a simulated clock.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "hcloud/client.h"
#include "hcloud/test_server.h"

namespace hcloud::testing {

inline nlohmann::json action_json(std::int64_t id, const std::string& command,
                                  const std::string& status = "running", int progress = 0,
                                  std::int64_t server = 42) {
  nlohmann::json a = {{"id", id},
                      {"command", command},
                      {"status", status},
                      {"progress", progress},
                      {"started", "2026-11-25T08:00:00Z"},
                      {"finished", nullptr},
                      {"resources", {{{"id", server}, {"type", "server"}}}},
                      {"error", nullptr}};
  if (status != "running") a["finished"] = "2026-11-25T08:00:30Z";
  if (status == "error") a["error"] = {{"code", "action_failed"}, {"message", "Action failed"}};
  return a;
}

inline nlohmann::json location_json() {
  return {{"id", 1},
          {"name", "fsn1"},
          {"description", "Falkenstein DC Park 1"},
          {"country", "DE"},
          {"city", "Falkenstein"},
          {"latitude", 50.47612},
          {"longitude", 12.370071},
          {"network_zone", "eu-central"}};
}

inline nlohmann::json server_type_json() {
  return {{"id", 114},
          {"name", "cx23"},
          {"description", "CX23"},
          {"category", "Shared vCPU"},
          {"cores", 2},
          {"memory", 4.0},
          {"disk", 40},
          {"cpu_type", "shared"},
          {"storage_type", "local"},
          {"architecture", "x86"},
          {"deprecated", false},
          {"deprecation", nullptr},
          {"prices", nlohmann::json::array()},
          {"locations",
           {{{"id", 1},
             {"name", "fsn1"},
             {"deprecation", nullptr},
             {"available", true},
             {"recommended", true}}}}};
}

inline nlohmann::json image_json(std::int64_t id, const std::string& type = "snapshot",
                                 const std::string& status = "available",
                                 nlohmann::json labels = nlohmann::json::object(),
                                 const std::string& description = "kiln image",
                                 std::int64_t from_server = 42) {
  return {{"id", id},
          {"type", type},
          {"status", status},
          {"name", type == "system" ? nlohmann::json("debian-12") : nlohmann::json(nullptr)},
          {"description", description},
          {"image_size", nullptr},
          {"disk_size", 40},
          {"created", "2026-11-25T08:00:00Z"},
          {"created_from", {{"id", from_server}, {"name", "packer-1"}}},
          {"bound_to", nullptr},
          {"os_flavor", "debian"},
          {"os_version", "12"},
          {"architecture", "x86"},
          {"rapid_deploy", false},
          {"protection", {{"delete", false}}},
          {"deprecated", nullptr},
          {"deleted", nullptr},
          {"labels", std::move(labels)}};
}

inline nlohmann::json server_json(std::int64_t id, const std::string& name,
                                  nlohmann::json labels = nlohmann::json::object(),
                                  const std::string& status = "running") {
  return {{"id", id},
          {"name", name},
          {"status", status},
          {"created", "2026-11-25T08:00:00Z"},
          {"public_net",
           {{"ipv4",
             {{"id", 1001},
              {"ip", "192.0.2.10"},
              {"blocked", false},
              {"dns_ptr", "static.10.2.0.192.clients.your-server.de"}}},
            {"ipv6",
             {{"id", 1002},
              {"ip", "2001:db8::/64"},
              {"blocked", false},
              {"dns_ptr", nlohmann::json::array()}}},
            {"floating_ips", nlohmann::json::array()},
            {"firewalls", nlohmann::json::array()}}},
          {"private_net", nlohmann::json::array()},
          {"server_type", server_type_json()},
          {"location", location_json()},
          {"image", image_json(114690387, "system")},
          {"iso", nullptr},
          {"rescue_enabled", false},
          {"locked", false},
          {"backup_window", nullptr},
          {"outgoing_traffic", 0},
          {"ingoing_traffic", 0},
          {"included_traffic", 21990232555520},
          {"protection", {{"delete", false}, {"rebuild", false}}},
          {"labels", std::move(labels)},
          {"volumes", nlohmann::json::array()},
          {"load_balancers", nlohmann::json::array()},
          {"primary_disk_size", 40},
          {"placement_group", nullptr}};
}

inline nlohmann::json ssh_key_json(std::int64_t id, const std::string& name,
                                   const std::string& public_key,
                                   nlohmann::json labels = nlohmann::json::object()) {
  return {{"id", id},
          {"name", name},
          {"fingerprint", "b7:2f:30:a0:2f:6c:58:6c:21:04:58:61:ba:06:3b:2f"},
          {"public_key", public_key},
          {"labels", std::move(labels)},
          {"created", "2026-11-25T08:00:00Z"}};
}

inline nlohmann::json pagination(int page, int last, int per_page = 50) {
  return {{"pagination",
           {{"page", page},
            {"per_page", per_page},
            {"previous_page", page > 1 ? nlohmann::json(page - 1) : nlohmann::json(nullptr)},
            {"next_page", page < last ? nlohmann::json(page + 1) : nlohmann::json(nullptr)},
            {"last_page", last},
            {"total_entries", nullptr}}}};
}

inline ClientOptions test_options(const TestServer& server, std::shared_ptr<Clock> clock) {
  ClientOptions o;
  o.endpoint = server.endpoint();
  o.token = "test-token-abc123";
  o.clock = std::move(clock);
  o.logger = std::make_shared<Logger>();  // silent
  o.seed = 7;
  o.request_timeout = Duration(5000);
  o.connect_timeout = Duration(2000);
  return o;
}

}  // namespace hcloud::testing
