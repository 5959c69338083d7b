// The configuration schemas of kiln's built-in plugins, as the HCL2 specs
// (FlatConfig.HCL2Spec) of Packer's plugins define them: the hcloud and
// null builders; the shell, file, shell-local and breakpoint provisioners;
// the manifest, checksum, compress and shell-local post-processors. Plus
// each plugin's Prepare checks (required options, conflicts).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hcl/body.h"
#include "hcl/eval_context.h"
#include "hcl/value.h"

namespace kiln::tmpl {

enum class PluginKind { Builder, Provisioner, PostProcessor, DataSource };

struct PluginSchema;

struct FieldSpec {
  std::string name;
  hcl::Type type;
  bool duration = false;  // a Go duration string ("5m", "500ms")
};

struct NestedBlockSpec {
  std::string name;
  bool list = false;  // a list of blocks (else at most one)
  const PluginSchema* schema = nullptr;
};

struct PluginSchema {
  std::vector<FieldSpec> fields;
  std::vector<NestedBlockSpec> blocks;
  // Prepare-time checks on the decoded configuration (an object with every
  // field, null when unset). Returns the plugin's error messages, in order.
  std::vector<std::string> (*prepare)(const hcl::Value& config) = nullptr;
};

// The schema of a plugin of the given kind and type; null when kiln has no
// such plugin.
const PluginSchema* find_plugin(PluginKind kind, const std::string& type);
// The type names of a kind, sorted (for "known builders: [...]").
std::vector<std::string> plugin_names(PluginKind kind);

// Decodes a plugin body against its schema as hcldec does: unknown
// arguments and blocks are "Unsupported argument" / "Unsupported block type"
// errors with a "Did you mean" hint, values of the wrong type "Incorrect
// attribute value type". The result is an object with one attribute per
// field (null when unset) and one per nested block (a list of objects, or an
// object or null). What mapstructure would then reject (bad durations) is
// appended to decode_errors as "error decoding 'x': time: ..." messages.
hcl::Value decode_plugin_body(const PluginSchema& schema, const hcl::Body& body,
                              const hcl::EvalContext* ctx, hcl::Diagnostics& diags,
                              std::vector<std::string>* decode_errors);

// Go's time.ParseDuration: nullopt and Go's message on error.
std::optional<double> parse_go_duration(const std::string& s, std::string* error);

}  // namespace kiln::tmpl
