#include "local/catalog.h"

#include <cstdio>

namespace kiln::local {

const std::vector<LocationInfo>& locations() {
  static const std::vector<LocationInfo> v = {
      {1, "fsn1", "Falkenstein DC Park 1", "DE", "Falkenstein", 50.47612, 12.370071, "eu-central",
       4, "fsn1-dc14", "Falkenstein 1 virtual DC 14"},
      {2, "nbg1", "Nuremberg DC Park 1", "DE", "Nuremberg", 49.452102, 11.076665, "eu-central", 2,
       "nbg1-dc3", "Nuremberg 1 virtual DC 3"},
      {3, "hel1", "Helsinki DC Park 1", "FI", "Helsinki", 60.169855, 24.938379, "eu-central", 3,
       "hel1-dc2", "Helsinki 1 virtual DC 2"},
      {4, "ash", "Ashburn, VA", "US", "Ashburn, VA", 39.045821, -77.487073, "us-east", 5, "ash-dc1",
       "Ashburn virtual DC 1"},
      {5, "hil", "Hillsboro, OR", "US", "Hillsboro, OR", 45.54222, -122.951924, "us-west", 6,
       "hil-dc1", "Hillsboro virtual DC 1"},
      {6, "sin", "Singapore", "SG", "Singapore", 1.283333, 103.833333, "ap-southeast", 7, "sin-dc1",
       "Singapore virtual DC 1"},
  };
  return v;
}

const std::vector<ServerTypeInfo>& server_types() {
  static const std::vector<ServerTypeInfo> v = {
      {45, "cax11", 2, 4, 40, "shared", "arm", "Cost-Optimized", 3.79, true},
      {93, "cax21", 4, 8, 80, "shared", "arm", "Cost-Optimized", 6.49, true},
      {94, "cax31", 8, 16, 160, "shared", "arm", "Cost-Optimized", 12.49, true},
      {95, "cax41", 16, 32, 320, "shared", "arm", "Cost-Optimized", 24.49, true},
      {96, "ccx13", 2, 8, 80, "dedicated", "x86", "Dedicated vCPU", 12.49, false},
      {97, "ccx23", 4, 16, 160, "dedicated", "x86", "Dedicated vCPU", 24.49, false},
      {98, "ccx33", 8, 32, 240, "dedicated", "x86", "Dedicated vCPU", 48.49, false},
      {99, "ccx43", 16, 64, 360, "dedicated", "x86", "Dedicated vCPU", 96.49, false},
      {100, "ccx53", 32, 128, 600, "dedicated", "x86", "Dedicated vCPU", 192.49, false},
      {101, "ccx63", 48, 192, 960, "dedicated", "x86", "Dedicated vCPU", 288.49, false},
      {109, "cpx22", 2, 4, 80, "shared", "x86", "Regular Purpose", 7.99, false},
      {110, "cpx32", 4, 8, 160, "shared", "x86", "Regular Purpose", 13.99, false},
      {114, "cx23", 2, 4, 40, "shared", "x86", "Cost-Optimized", 3.49, true},
      {115, "cx33", 4, 8, 80, "shared", "x86", "Cost-Optimized", 5.49, true},
      {116, "cx43", 8, 16, 160, "shared", "x86", "Cost-Optimized", 9.49, true},
      {117, "cx53", 16, 32, 320, "shared", "x86", "Cost-Optimized", 17.49, true},
  };
  return v;
}

const std::vector<SystemImageInfo>& system_images() {
  static const std::vector<SystemImageInfo> v = {
      {114690387, "debian-12", "Debian 12", "debian", "12", "x86", 5, 1.1},
      {114690389, "debian-12", "Debian 12", "debian", "12", "arm", 5, 1.1},
      {203000001, "debian-13", "Debian 13", "debian", "13", "x86", 5, 1.2},
      {203000002, "debian-13", "Debian 13", "debian", "13", "arm", 5, 1.2},
      {103908070, "ubuntu-22.04", "Ubuntu 22.04", "ubuntu", "22.04", "x86", 5, 1.4},
      {103908130, "ubuntu-22.04", "Ubuntu 22.04", "ubuntu", "22.04", "arm", 5, 1.4},
      {161547269, "ubuntu-24.04", "Ubuntu 24.04", "ubuntu", "24.04", "x86", 5, 1.5},
      {161547270, "ubuntu-24.04", "Ubuntu 24.04", "ubuntu", "24.04", "arm", 5, 1.5},
  };
  return v;
}

const LocationInfo* find_location(int64_t id) {
  for (const auto& l : locations())
    if (l.id == id) return &l;
  return nullptr;
}
const ServerTypeInfo* find_server_type(int64_t id) {
  for (const auto& t : server_types())
    if (t.id == id) return &t;
  return nullptr;
}
const SystemImageInfo* find_system_image(int64_t id) {
  for (const auto& i : system_images())
    if (i.id == id) return &i;
  return nullptr;
}

bool server_type_in_location(const ServerTypeInfo& t, const LocationInfo& l) {
  if (t.eu_only) return l.network_zone == "eu-central";
  return true;
}

nlohmann::json location_json(const LocationInfo& l) {
  return {{"id", l.id},
          {"name", l.name},
          {"description", l.description},
          {"country", l.country},
          {"city", l.city},
          {"latitude", l.latitude},
          {"longitude", l.longitude},
          {"network_zone", l.network_zone}};
}

nlohmann::json datacenter_json(const LocationInfo& l) {
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& t : server_types())
    if (server_type_in_location(t, l)) ids.push_back(t.id);
  return {
      {"id", l.datacenter_id},
      {"name", l.datacenter_name},
      {"description", l.datacenter_description},
      {"location", location_json(l)},
      {"server_types", {{"supported", ids}, {"available", ids}, {"available_for_migration", ids}}}};
}

namespace {
std::string decimal(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}
}  // namespace

nlohmann::json server_type_json(const ServerTypeInfo& t) {
  nlohmann::json prices = nlohmann::json::array();
  nlohmann::json locs = nlohmann::json::array();
  for (const auto& l : locations()) {
    if (!server_type_in_location(t, l)) continue;
    bool eu = l.network_zone == "eu-central";
    double hourly = t.monthly_net / 730.0;
    double tb = eu ? 1.0 : 1.0 * 1.0;
    prices.push_back(
        {{"location", l.name},
         {"price_hourly", {{"net", decimal(hourly, 10)}, {"gross", decimal(hourly * 1.19, 16)}}},
         {"price_monthly",
          {{"net", decimal(t.monthly_net, 10)}, {"gross", decimal(t.monthly_net * 1.19, 16)}}},
         {"included_traffic", eu ? int64_t{21990232555520} : int64_t{1099511627776}},
         {"price_per_tb_traffic", {{"net", decimal(tb, 10)}, {"gross", decimal(tb * 1.19, 16)}}}});
    locs.push_back({{"id", l.id},
                    {"name", l.name},
                    {"deprecation", nullptr},
                    {"available", true},
                    {"recommended", true}});
  }
  std::string desc = t.name;
  for (auto& c : desc) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return {{"id", t.id},
          {"name", t.name},
          {"description", desc},
          {"category", t.category},
          {"cores", t.cores},
          {"memory", t.memory},
          {"disk", t.disk},
          {"cpu_type", t.cpu_type},
          {"storage_type", "local"},
          {"architecture", t.architecture},
          {"deprecated", false},
          {"deprecation", nullptr},
          {"prices", prices},
          {"locations", locs}};
}

nlohmann::json system_image_json(const SystemImageInfo& i) {
  return {{"id", i.id},
          {"type", "system"},
          {"status", "available"},
          {"name", i.name},
          {"description", i.description},
          {"image_size", nullptr},
          {"disk_size", i.disk_size},
          {"created", kCatalogCreated},
          {"created_from", nullptr},
          {"bound_to", nullptr},
          {"os_flavor", i.os_flavor},
          {"os_version", i.os_version},
          {"architecture", i.architecture},
          {"rapid_deploy", true},
          {"protection", {{"delete", false}}},
          {"deprecated", nullptr},
          {"deleted", nullptr},
          {"labels", nlohmann::json::object()}};
}

}  // namespace kiln::local
