// Plain structs for the API's objects, parsed defensively from JSON: a
// missing or mistyped required field is an Error naming the field, unknown
// fields are ignored, nullable fields are std::optional.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hcloud/error.h"

namespace hcloud {

using Labels = std::map<std::string, std::string>;
using Json = nlohmann::json;

struct ActionResource {
  std::int64_t id = 0;
  std::string type;
};

struct Action {
  std::int64_t id = 0;
  std::string command;
  std::string status;  // running | success | error
  int progress = 0;
  std::string started;
  std::optional<std::string> finished;
  std::vector<ActionResource> resources;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;

  bool running() const { return status == "running"; }
  bool succeeded() const { return status == "success"; }
  bool failed() const { return status == "error"; }
};

struct Location {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  std::string country;
  std::string city;
  double latitude = 0;
  double longitude = 0;
  std::string network_zone;
};

struct Datacenter {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  Location location;
};

struct ServerTypeLocation {
  std::int64_t id = 0;
  std::string name;
  bool deprecated = false;          // a deprecation object is present
  std::optional<bool> available;    // since 2026-04-01
  std::optional<bool> recommended;  // since 2026-04-01
};

struct ServerType {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  int cores = 0;
  double memory = 0;
  double disk = 0;
  std::string cpu_type;
  std::string storage_type;
  std::string architecture;  // x86 | arm
  std::optional<std::string> category;
  bool deprecated = false;
  std::vector<ServerTypeLocation> locations;
};

struct ImageCreatedFrom {
  std::int64_t id = 0;
  std::string name;
};

struct Image {
  std::int64_t id = 0;
  std::string type;    // system | snapshot | backup | app
  std::string status;  // available | creating | unavailable
  std::optional<std::string> name;
  std::string description;
  std::optional<double> image_size;
  double disk_size = 0;
  std::string created;
  std::optional<ImageCreatedFrom> created_from;
  std::optional<std::int64_t> bound_to;
  std::string os_flavor;
  std::optional<std::string> os_version;
  std::string architecture;
  std::optional<std::string> deprecated;
  std::optional<std::string> deleted;
  bool protection_delete = false;
  Labels labels;
};

struct SshKey {
  std::int64_t id = 0;
  std::string name;
  std::string fingerprint;
  std::string public_key;
  Labels labels;
  std::string created;
};

struct ServerIpv4 {
  std::optional<std::int64_t> id;  // Primary IP
  std::string ip;
  bool blocked = false;
};

struct ServerIpv6 {
  std::optional<std::int64_t> id;
  std::string ip;  // the /64 network
  bool blocked = false;
};

struct ServerPrivateNet {
  std::int64_t network = 0;
  std::string ip;
  std::vector<std::string> alias_ips;
};

struct ServerFirewall {
  std::int64_t id = 0;
  std::string status;  // applied | pending
};

struct Server {
  std::int64_t id = 0;
  std::string name;
  std::string status;
  std::string created;
  std::optional<ServerIpv4> ipv4;
  std::optional<ServerIpv6> ipv6;
  std::vector<ServerFirewall> firewalls;
  std::vector<ServerPrivateNet> private_net;
  ServerType server_type;
  std::optional<Location> location;      // today's API
  std::optional<Datacenter> datacenter;  // removed 2026-07-01, read when present
  std::optional<Image> image;
  bool rescue_enabled = false;
  bool locked = false;
  std::optional<std::int64_t> primary_disk_size;
  bool protection_delete = false;
  bool protection_rebuild = false;
  Labels labels;

  // Where the server's location name is, whichever of the two the API sent.
  std::string location_name() const;
};

struct PrimaryIp {
  std::int64_t id = 0;
  std::string name;
  std::string ip;
  std::string type;  // ipv4 | ipv6
  std::optional<std::int64_t> assignee_id;
  std::string assignee_type;
  bool auto_delete = false;
  bool blocked = false;
  std::optional<std::string> location;  // location name (or the datacenter's)
  Labels labels;
};

struct Subnet {
  std::string type;
  std::string ip_range;
  std::string network_zone;
  std::optional<std::string> gateway;
};

struct Network {
  std::int64_t id = 0;
  std::string name;
  std::string ip_range;
  std::vector<Subnet> subnets;
  std::vector<std::int64_t> servers;
  Labels labels;
};

struct FirewallRule {
  std::string direction;  // in | out
  std::string protocol;   // tcp | udp | icmp | esp | gre
  std::optional<std::string> port;
  std::vector<std::string> source_ips;
  std::vector<std::string> destination_ips;
  std::optional<std::string> description;
};

struct FirewallAppliedTo {
  std::string type;  // server | label_selector
  std::optional<std::int64_t> server;
  std::optional<std::string> label_selector;
};

struct Firewall {
  std::int64_t id = 0;
  std::string name;
  std::vector<FirewallRule> rules;
  std::vector<FirewallAppliedTo> applied_to;
  Labels labels;
};

// Each parser names `request` in its errors.
Result<Action> parse_action(const Json& j, const std::string& request);
Result<Location> parse_location(const Json& j, const std::string& request);
Result<Datacenter> parse_datacenter(const Json& j, const std::string& request);
Result<ServerType> parse_server_type(const Json& j, const std::string& request);
Result<Image> parse_image(const Json& j, const std::string& request);
Result<SshKey> parse_ssh_key(const Json& j, const std::string& request);
Result<Server> parse_server(const Json& j, const std::string& request);
Result<PrimaryIp> parse_primary_ip(const Json& j, const std::string& request);
Result<Network> parse_network(const Json& j, const std::string& request);
Result<Firewall> parse_firewall(const Json& j, const std::string& request);

}  // namespace hcloud
