// Shared by the template commands (validate, inspect, console, init):
// Go-flag-style parsing of Packer's MetaArgs, and Packer's UI output
// (everything on stdout; -machine-readable lines).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "hcl/diagnostic.h"
#include "template/template.h"

namespace kiln::cli {

struct FlagSpec {
  std::string name;
  bool is_bool = false;
};

struct ParsedFlags {
  std::map<std::string, std::vector<std::string>> values;  // in order
  std::vector<std::string> positional;
  bool help = false;
  std::string error;  // Go flag's message, e.g. "flag provided but not defined: -x"
  bool has(const std::string& n) const { return values.count(n) > 0; }
  bool get_bool(const std::string& n) const;
};

// Go's flag package: `-f`, `--f`, `-f=v`, `-f v` (bool flags only `-f` or
// `-f=bool`); stops at the first non-flag argument or after `--`.
ParsedFlags parse_flags(const Args& args, const std::vector<FlagSpec>& specs);

// Removes -machine-readable (any dash count) from args; true if present.
bool extract_machine_readable(Args& args);

// Packer's UI: say/error both go to stdout; machine-readable mode prints
// "<unix>,,ui,<say|error>,<escaped>" lines. Secrets are filtered.
class Ui {
 public:
  explicit Ui(bool machine) : machine_(machine) {}
  void say(const std::string& msg) const;
  void error(const std::string& msg) const;
  void machine(const std::string& type, const std::vector<std::string>& args) const;
  void set_config(const tmpl::Config* cfg) { cfg_ = cfg; }
  bool machine_readable() const { return machine_; }

 private:
  void emit(const char* kind, const std::string& msg) const;
  bool machine_;
  const tmpl::Config* cfg_ = nullptr;
};

// writeDiags: renders diags; errors through Ui.error (returns 1), warnings
// only through Ui.say (returns 0).
int write_diags(const Ui& ui, const tmpl::Config& cfg, const hcl::Diagnostics& diags);

// MetaArgs: -only, -except, -var, -var-file (shared flag specs).
std::vector<FlagSpec> meta_flag_specs();
// Fills LoadOptions from parsed flags; false (and *error set, Go's message)
// on a malformed -var.
bool load_options_from_flags(const ParsedFlags& f, tmpl::LoadOptions* opts, std::string* error);
// Splits -only/-except values on ",".
std::vector<std::string> split_list_flag(const ParsedFlags& f, const std::string& name);

}  // namespace kiln::cli
