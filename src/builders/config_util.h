// Reading a decoded plugin configuration (an hcl object with every schema
// field, null where unset) into plain values.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hcl/value.h"

namespace kiln::builders {

// nullptr when the field is absent, null or unknown.
const hcl::Value* field(const hcl::Value& cfg, const std::string& name);
std::string get_string(const hcl::Value& cfg, const std::string& name,
                       const std::string& dflt = "");
std::optional<long long> get_int(const hcl::Value& cfg, const std::string& name);
bool get_bool(const hcl::Value& cfg, const std::string& name, bool dflt = false);
std::vector<std::string> get_strings(const hcl::Value& cfg, const std::string& name);
std::map<std::string, std::string> get_string_map(const hcl::Value& cfg, const std::string& name);
// A duration field ("5m"); nullopt when unset; *error on a malformed one.
std::optional<std::chrono::milliseconds> get_duration(const hcl::Value& cfg,
                                                      const std::string& name, std::string* error);

}  // namespace kiln::builders
