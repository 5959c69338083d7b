// Reading a plugin's decoded configuration (an hcl::Value object with every
// field of its schema, null where unset) and the small Packer conventions
// all plugins share: Prepare's error list, Go durations, exit-code checks.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/plugin.h"
#include "hcl/value.h"
#include "template/schemas.h"

namespace kiln::prov {

// Field accessors: the default when the field is null, unknown or absent.
// Sensitive marks are dropped (output filtering hides secrets instead).
bool cfg_set(const hcl::Value& cfg, const std::string& name);      // non-empty
bool cfg_present(const hcl::Value& cfg, const std::string& name);  // non-null, even ""
std::string cfg_string(const hcl::Value& cfg, const std::string& name, std::string def = "");
bool cfg_bool(const hcl::Value& cfg, const std::string& name, bool def = false);
std::vector<std::string> cfg_strings(const hcl::Value& cfg, const std::string& name);
std::vector<int64_t> cfg_ints(const hcl::Value& cfg, const std::string& name);
std::map<std::string, std::string> cfg_map(const hcl::Value& cfg, const std::string& name);
// A Go duration field; def when unset, nullopt and *error when malformed.
std::optional<std::chrono::milliseconds> cfg_duration(const hcl::Value& cfg,
                                                      const std::string& name,
                                                      std::chrono::milliseconds def,
                                                      std::string* error);

// Runs the schema's Prepare checks (src/template/schemas.cc) and appends
// them to errs. A config that is not an object is an error too.
void schema_checks(tmpl::PluginKind kind, const std::string& type, const hcl::Value& cfg,
                   std::vector<std::string>& errs);
// Packer's go-multierror text: "1 error occurred:\n\t* msg\n\n" and
// "N errors occurred:\n\t* a\n\t* b\n\n". ok() when errs is empty.
engine::Status multi_error(const std::vector<std::string>& errs);

// Go's time.Duration.String(): "500ms", "1s", "1m30s", "2h0m0s".
std::string go_duration(std::chrono::milliseconds d);

// Go's fmt %v of a []int: "[0 2300218]".
std::string go_int_list(const std::vector<int64_t>& v);
// The SDK's ValidExitCode: "" when code is allowed, else Packer's message.
std::string check_exit_code(int64_t code, const std::vector<int64_t>& valid);

// Packer's sentinel exit status for a dropped session (packer.CmdDisconnect).
constexpr int64_t kCmdDisconnect = 2300218;

}  // namespace kiln::prov
