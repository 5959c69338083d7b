// Packer's HCL2 template model (hcl2template): loading a file or directory,
// input variables with Packer's precedence, locals, data sources, sources
// and builds, and the builds' decoded plugin configurations.
//
// Use: load() (parse and decode the blocks, collect variable values), then
// initialize() (validate variables, evaluate data sources and locals), then
// get_builds() (decode sources, provisioners and post-processors against
// their schemas). Every step reports Packer's diagnostics.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hcl/body.h"
#include "hcl/diagnostic.h"
#include "hcl/eval_context.h"
#include "hcl/value.h"
#include "template/schemas.h"
#include "template/type_expr.h"

namespace kiln::tmpl {

// The Packer version kiln is compatible with: packer.version, and what
// `required_version` constraints are checked against.
inline constexpr const char* kPackerVersion = "1.16.0";
// kiln's own version.
inline constexpr const char* kKilnVersion = "0.1.0";

struct VariableAssignment {
  std::string from;  // "default", "env", "varfile", "cmd"
  hcl::Value value;
  hcl::Range range;
};

struct ValidationRule {
  hcl::ExpressionPtr condition;
  hcl::ExpressionPtr error_message;
  hcl::Range range;
};

struct Variable {
  std::string name;
  std::string description;
  hcl::Type type = hcl::Type::dynamic();
  bool has_type = false;
  std::shared_ptr<const TypeDefaults> defaults;
  bool sensitive = false;
  std::vector<VariableAssignment> values;  // the last one wins
  std::vector<ValidationRule> validations;
  hcl::Range range;  // the block's definition
  // The value: the last assignment's, an unknown when there is none (not
  // marked sensitive: output is filtered instead, as Packer does).
  hcl::Value value() const;
};

struct LocalDef {
  std::string name;
  hcl::ExpressionPtr expr;
  bool sensitive = false;
  hcl::Range range;
};

struct SourceBlock {
  std::string type, name;
  hcl::BodyPtr body;
  hcl::Range def_range;
  hcl::Range type_range;
};

// A source as a build uses it: a reference to a top-level source, with an
// optional local rename and extra attributes from a nested source block.
struct SourceUse {
  std::string type, name;  // the referenced top-level source
  std::string local_name;  // rename from a nested block's `name`, or ""
  hcl::BodyPtr extra;      // the nested block's other attributes, or null
  hcl::Range range;
  const std::string& effective_name() const { return local_name.empty() ? name : local_name; }
  std::string ref() const { return type + "." + effective_name(); }
};

struct ProvisionerBlock {
  std::string type, name;
  std::vector<std::string> only, except;
  std::string pause_before, timeout;  // duration strings, "" when unset
  int max_retries = 0;
  bool continue_on_error = false;
  hcl::Value override_value;  // null or an object
  hcl::BodyPtr rest;
  hcl::Range def_range;
  hcl::Range type_range;
};

struct PostProcessorBlock {
  std::string type, name;
  std::vector<std::string> only, except;
  std::optional<bool> keep_input_artifact;
  hcl::BodyPtr rest;
  hcl::Range def_range;
  hcl::Range type_range;
};

struct BuildBlock {
  std::string name, description;
  std::vector<SourceUse> sources;
  std::vector<ProvisionerBlock> provisioners;
  std::optional<ProvisionerBlock> error_cleanup_provisioner;
  std::vector<std::vector<PostProcessorBlock>> post_processors;  // chains
  hcl::Range range;
};

struct DataBlock {
  std::string type, name;
  hcl::BodyPtr body;
  hcl::Range def_range;
  hcl::Range type_range;
  hcl::Value output;  // after initialize(): the outputs (unknown when skipped)
};

struct RequiredPlugin {
  std::string local_name, source, version;
  hcl::Range range;
};

struct LoadOptions {
  std::string path;  // a file or a directory
  std::vector<std::string> var_files;
  // -var k=v, in command-line order (a later one for the same name wins).
  std::vector<std::pair<std::string, std::string>> vars;
  // Environment as "K=V" strings; nullopt: the process environment.
  std::optional<std::vector<std::string>> env;
  // Warn about names in var files that no variable declares.
  bool warn_undeclared_var = true;
  std::string cwd;  // "" : the process's working directory
};

// A build as Packer's GetBuilds gives it, with configurations decoded.
struct CoreProvisioner {
  const ProvisionerBlock* block = nullptr;
  hcl::Value config;  // object: every schema field (null when unset)
};
struct CorePostProcessor {
  const PostProcessorBlock* block = nullptr;
  hcl::Value config;
};
struct CoreBuild {
  std::string name;          // "[build.]type.name"
  std::string builder_type;  // source type
  std::string source_name;   // effective (renamed) source name
  const BuildBlock* build = nullptr;
  const SourceUse* use = nullptr;
  hcl::Value builder_config;
  std::vector<CoreProvisioner> provisioners;
  std::optional<CoreProvisioner> error_cleanup_provisioner;
  std::vector<std::vector<CorePostProcessor>> post_processors;
};

class Config {
 public:
  // Parsed sources by filename (for diagnostics' snippets).
  std::map<std::string, std::string> files;
  std::string path_root;
  std::string cwd;
  std::vector<hcl::File> parsed;
  std::vector<hcl::File> var_files;

  std::vector<RequiredPlugin> required_plugins;
  std::map<std::string, Variable> variables;
  std::vector<LocalDef> locals;  // declaration order
  std::map<std::string, hcl::Value> local_values;
  std::map<std::string, bool> local_sensitive;
  std::vector<DataBlock> data_blocks;
  std::vector<SourceBlock> sources;
  std::vector<BuildBlock> builds;
  bool hcp_packer_registry = false;
  bool initialized = false;

  // Loads and decodes; see the file comment.
  hcl::Diagnostics load(const LoadOptions& opts);
  // skip_datasources: data sources are not run; their outputs are unknown
  // placeholders of the output type (validate without
  // -evaluate-datasources, inspect).
  hcl::Diagnostics initialize(bool skip_datasources = true);
  std::vector<CoreBuild> get_builds(const std::vector<std::string>& only,
                                    const std::vector<std::string>& except,
                                    hcl::Diagnostics& diags) const;

  const SourceBlock* find_source(const std::string& type, const std::string& name) const;

  // Decodes a provisioner's or post-processor's body again with the build's
  // real values (build.ID, build.Host, ... as the engine learns them; any
  // key not given stays "<unknown>"), as Packer's HCL2Provisioner does at
  // run time. override_value is the provisioner's `override` (or null).
  hcl::Value decode_at_runtime(const CoreBuild& build, PluginKind kind, const std::string& type,
                               const hcl::Body& body, const hcl::Value& override_value,
                               const std::map<std::string, hcl::Value>& build_values,
                               hcl::Diagnostics& diags) const;

  // The evaluation context Packer gives to locals, sources and builds.
  // source_use: sets source.name/type; build: sets build.*. Its parent
  // scope (the functions) belongs to this Config, which must outlive it.
  hcl::EvalContext eval_context(const SourceUse* source_use = nullptr,
                                const BuildBlock* build = nullptr) const;
  // Values of var.* (unmarked, as Packer; see filter_secrets).
  hcl::Value var_object() const;
  hcl::Value local_object() const;

  // Secrets plugins register (the hcloud token, as the plugin's Prepare
  // does with LogSecretFilter); filtered like sensitive values.
  std::vector<std::string> extra_secrets;
  // Registers the secrets of decoded builds (each hcloud builder's token).
  void add_build_secrets(const std::vector<CoreBuild>& builds);

  // Every non-empty string of a sensitive variable or local (for output
  // filtering, as Packer's LogSecretFilter), and the extra secrets.
  std::vector<std::string> secrets() const;
  // Replaces each secret in text with "<sensitive>".
  std::string filter_secrets(std::string text) const;

  // Renders diagnostics as Packer prints them (with snippets), secrets
  // filtered.
  std::string render(const hcl::Diagnostics& diags) const;

 private:
  hcl::Diagnostics decode_file(const hcl::File& file);
  hcl::Diagnostics collect_values(const LoadOptions& opts);
  hcl::Diagnostics evaluate_locals();
  hcl::Diagnostics decode_sources_and_builds();
  // A scope holding Packer's functions (created on first use; the contexts
  // eval_context() returns have it as their parent).
  const hcl::EvalContext* function_scope() const;
  mutable std::shared_ptr<hcl::EvalContext> fn_ctx_;
  // var.* and local.* objects, built once they are needed.
  mutable std::optional<hcl::Value> var_obj_cache_, local_obj_cache_;
  // Indexes into locals and sources (by name; by type and name).
  std::map<std::string, size_t> local_index_;
  std::map<std::pair<std::string, std::string>, size_t> source_index_;
  // The context dynamic blocks' for_each is evaluated in (stable address).
  std::shared_ptr<hcl::EvalContext> dyn_ctx_;
  bool skip_datasources_ = true;
};

// Packer's console/inspect formatting (repl.FormatValue).
std::string format_value(const hcl::Value& v, int indent = 0);
// The console's result: a top-level string unquoted, else format_value.
std::string format_result(const hcl::Value& v);
// Go's %q for strings.
std::string go_quote(const std::string& s);
// Go's strconv.FormatFloat(f, 'g', -1, 64) rendering as the console uses
// for non-integral or large numbers; integers in int64 range print as such.
std::string format_number(const hcl::Number& n);

// Evaluates one console line against the config (null: no template).
// Returns the text to print; sets *exit for "exit".
std::string console_eval(const Config* cfg, const std::string& line, bool* exit,
                         hcl::Diagnostics& diags);

// `packer inspect` output for the config: the three messages Packer's
// InspectConfig says (each printed with a newline after it), and all of them
// as printed.
std::vector<std::string> inspect_parts(const Config& cfg);
std::string inspect_text(const Config& cfg);

// go-version constraint check ("~> 1.2, >= 1.0"); nullopt on a malformed
// constraint, with the error in *error.
std::optional<bool> version_satisfies(const std::string& version, const std::string& constraint,
                                      std::string* error);

}  // namespace kiln::tmpl

namespace kiln::tmpl {

// The plugins built into kiln that satisfy `required_plugins` entries.
struct BuiltinPlugin {
  const char* source;   // e.g. "github.com/hetznercloud/hcloud"
  const char* version;  // the upstream plugin version kiln mirrors
};
const std::vector<BuiltinPlugin>& builtin_plugins();

// Checks each required plugin against the built-in ones: an error naming
// every plugin kiln cannot satisfy ("Missing plugins"). For each satisfied
// requirement, *satisfied (if given) receives a line saying which built-in
// plugin satisfies it.
hcl::Diagnostics check_required_plugins(const Config& cfg, std::vector<std::string>* satisfied);

}  // namespace kiln::tmpl
