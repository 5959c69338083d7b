// `kiln init`: Packer's init command. kiln downloads nothing: each
// required plugin must be satisfied by a plugin built into kiln.
#include <cstdio>

#include "cli/template_cmd.h"

namespace kiln::cli {

namespace {

constexpr const char* kHelp =
    "Usage: kiln init [options] [config.pkr.hcl|folder/]\n"
    "\n"
    "  Install all the missing plugins required in a Packer config. Note that Packer\n"
    "  does not have a state.\n"
    "\n"
    "  kiln has its plugins built in and downloads nothing: this command checks that\n"
    "  every required plugin is one kiln includes, and says which one satisfies it.\n"
    "\n"
    "  This is the first command that should be executed when working with a new\n"
    "  or existing template.\n"
    "\n"
    "  This command is always safe to run multiple times. Though subsequent runs may\n"
    "  give errors, this command will never delete anything.\n"
    "\n"
    "Options:\n"
    "  -upgrade                     On top of installing missing plugins, update\n"
    "                               installed plugins to the latest available\n"
    "                               version, if there is a new higher one. Note that\n"
    "                               this still takes into consideration the version\n"
    "                               constraint of the config.\n"
    "  -force                       Forces reinstallation of plugins, even if already\n"
    "                               installed.\n";

}  // namespace

int cmd_init(const Args& raw_args) {
  Args args = raw_args;
  bool machine = extract_machine_readable(args);
  Ui ui(machine);
  auto specs = meta_flag_specs();
  specs.push_back({"upgrade", true});
  specs.push_back({"force", true});
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
  tmpl::Config cfg;
  ui.set_config(&cfg);
  hcl::Diagnostics diags = cfg.load(opts);
  if (write_diags(ui, cfg, diags) != 0) return 1;
  if (cfg.required_plugins.empty()) {
    ui.say(
        "No plugins requirement found, make sure you reference a Packer config\n"
        "containing a packer.required_plugins block. See\n"
        "https://www.packer.io/docs/templates/hcl_templates/blocks/packer\n"
        "for more info.");
    return 0;
  }
  std::vector<std::string> satisfied;
  diags = tmpl::check_required_plugins(cfg, &satisfied);
  for (auto& s : satisfied) ui.say(s);
  return write_diags(ui, cfg, diags);
}

}  // namespace kiln::cli
