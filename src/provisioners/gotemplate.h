// Packer's Go-template interpolation of plugin strings ({{.Path}},
// {{.Vars}}, {{build `Host`}}, {{timestamp}} ...). After HCL evaluation
// Packer renders string options such as execute_command, inline lines and
// custom_data with Go's text/template and its own functions; this is the
// subset templates use: fields, string literals, function calls, pipes,
// comments and {{- -}} trimming. Control structures (if, range, with) are
// reported as unsupported rather than guessed at.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kiln::prov {

struct TemplateData {
  // {{.Name}} values (Path, Vars, EnvVarFile, Script, BuildName, ...).
  std::map<std::string, std::string> fields;
  // {{build `Key`}}: the builder's generated data (Host, ID, ...).
  std::map<std::string, std::string> build;
  std::string build_name;    // {{build_name}}
  std::string builder_type;  // {{build_type}}
  std::string template_dir;  // {{template_dir}}
  // A field missing from `fields` is an error when true (Packer's structs),
  // "<no value>" when false (Packer's maps and nil data).
  bool strict_fields = false;
};

// Renders text; nullopt and *error (a text/template-like message) when the
// template is malformed or uses what kiln does not have.
std::optional<std::string> render_template(std::string_view text, const TemplateData& data,
                                           std::string* error);

}  // namespace kiln::prov
