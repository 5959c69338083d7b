// `kiln inspect`: Packer's inspect command for HCL2 templates.
#include <cstdio>

#include "cli/template_cmd.h"

namespace kiln::cli {

namespace {

constexpr const char* kHelp =
    "Usage: kiln inspect TEMPLATE\n"
    "\n"
    "  Inspects a template, parsing and outputting the components a template\n"
    "  defines. This does not validate the contents of a template (other than\n"
    "  basic syntax by necessity).\n"
    "\n"
    "Options:\n"
    "\n"
    "  -machine-readable             Machine-readable output\n"
    "  -use-sequential-evaluation    Fallback to using a sequential approach for "
    "local/datasource evaluation.\n";

}  // namespace

int cmd_inspect(const Args& raw_args) {
  Args args = raw_args;
  bool machine = extract_machine_readable(args);
  Ui ui(machine);
  auto specs = meta_flag_specs();
  specs.push_back({"use-sequential-evaluation", true});
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
  // Inspect shows what it can: evaluation problems leave values unknown.
  cfg.initialize(true);
  for (auto& part : tmpl::inspect_parts(cfg)) ui.say(part);
  return 0;
}

}  // namespace kiln::cli
