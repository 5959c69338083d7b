// The fixed part of the local cloud: locations, datacenters, server types and
// system images, as today's Hetzner Cloud offers them (hcloud-api.md 9, 10).
// Shapes are written here from the reference, not shared with src/hcloud.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiln::local {

struct LocationInfo {
  int64_t id;
  std::string name, description, country, city;
  double latitude, longitude;
  std::string network_zone;
  int64_t datacenter_id;
  std::string datacenter_name, datacenter_description;
};

struct ServerTypeInfo {
  int64_t id;
  std::string name;
  int cores;
  double memory;             // GB
  int64_t disk;              // GB
  std::string cpu_type;      // shared | dedicated
  std::string architecture;  // x86 | arm
  std::string category;
  double monthly_net;  // EUR
  bool eu_only;
};

struct SystemImageInfo {
  int64_t id;
  std::string name, description, os_flavor, os_version, architecture;
  int64_t disk_size;  // GB
  double data_gb;     // what a snapshot of a fresh server holds
};

const std::vector<LocationInfo>& locations();
const std::vector<ServerTypeInfo>& server_types();
const std::vector<SystemImageInfo>& system_images();

const LocationInfo* find_location(int64_t id);
const ServerTypeInfo* find_server_type(int64_t id);
const SystemImageInfo* find_system_image(int64_t id);
bool server_type_in_location(const ServerTypeInfo& t, const LocationInfo& l);

nlohmann::json location_json(const LocationInfo& l);
nlohmann::json datacenter_json(const LocationInfo& l);
nlohmann::json server_type_json(const ServerTypeInfo& t);
nlohmann::json system_image_json(const SystemImageInfo& i);

// The created timestamp used for catalog objects.
inline constexpr const char* kCatalogCreated = "2024-01-01T00:00:00Z";

}  // namespace kiln::local
