// `kiln validate`: Packer's validate command (command/validate.go).
#include <cstdio>

#include "cli/template_cmd.h"

namespace kiln::cli {

namespace {

constexpr const char* kHelp =
    "Usage: kiln validate [options] TEMPLATE\n"
    "\n"
    "  Checks the template is valid by parsing the template and also\n"
    "  checking the configuration with the various builders, provisioners, etc.\n"
    "\n"
    "  If it is not valid, the errors will be shown and the command will exit\n"
    "  with a non-zero exit status. If it is valid, it will exit with a zero\n"
    "  exit status.\n"
    "\n"
    "Options:\n"
    "\n"
    "  -syntax-only                  Only check syntax. Do not verify config of the template.\n"
    "  -except=foo,bar,baz           Validate all builds other than these.\n"
    "  -only=foo,bar,baz             Validate only these builds.\n"
    "  -machine-readable             Produce machine-readable output.\n"
    "  -var 'key=value'              Variable for templates, can be used multiple times.\n"
    "  -var-file=path                JSON or HCL2 file containing user variables, can be used "
    "multiple times.\n"
    "  -no-warn-undeclared-var       Disable warnings for user variable files containing "
    "undeclared variables.\n"
    "  -evaluate-datasources         Evaluate data sources during validation (HCL2 only, may "
    "incur costs); Defaults to false.\n"
    "  -ignore-prerelease-plugins    Disable the loading of prerelease plugin binaries "
    "(x.y.z-dev).\n"
    "  -use-sequential-evaluation    Fallback to using a sequential approach for "
    "local/datasource evaluation.\n";

}  // namespace

int cmd_validate(const Args& raw_args) {
  Args args = raw_args;
  bool machine = extract_machine_readable(args);
  Ui ui(machine);
  auto specs = meta_flag_specs();
  for (const char* b : {"syntax-only", "no-warn-undeclared-var", "evaluate-datasources",
                        "ignore-prerelease-plugins", "use-sequential-evaluation"})
    specs.push_back({b, true});
  ParsedFlags f = parse_flags(args, specs);
  if (f.help) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  tmpl::LoadOptions opts;
  std::string err = f.error;
  if (err.empty()) load_options_from_flags(f, &opts, &err);
  if (!err.empty() || f.positional.size() != 1) {
    // Packer shows the help first, then Go flag's complaint.
    std::fputs(kHelp, stdout);
    if (!err.empty()) ui.error(err);
    return 1;
  }
  opts.path = f.positional[0];
  opts.warn_undeclared_var = !f.get_bool("no-warn-undeclared-var");

  tmpl::Config cfg;
  ui.set_config(&cfg);
  hcl::Diagnostics diags = cfg.load(opts);
  if (write_diags(ui, cfg, diags) != 0) return 1;
  if (f.get_bool("syntax-only")) {
    ui.say("Syntax-only check passed. Everything looks okay.");
    return 0;
  }
  diags = tmpl::check_required_plugins(cfg, nullptr);
  diags.append(cfg.initialize(!f.get_bool("evaluate-datasources")));
  if (write_diags(ui, cfg, diags) != 0) return 1;
  diags.clear();
  cfg.add_build_secrets(
      cfg.get_builds(split_list_flag(f, "only"), split_list_flag(f, "except"), diags));
  if (write_diags(ui, cfg, diags) != 0) return 1;
  ui.say("The configuration is valid.");
  return 0;
}

}  // namespace kiln::cli
