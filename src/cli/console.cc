// `kiln console`: Packer's console command in HCL2 mode. Piped input:
// every line is evaluated, errors are printed as they happen and the last
// line's result is printed at the end. On a terminal: a "> " prompt and a
// result per line.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/template_cmd.h"

namespace kiln::cli {

namespace {

constexpr const char* kHelp =
    "Usage: kiln console [options] [TEMPLATE]\n"
    "\n"
    "  Creates a console for testing variable interpolation.\n"
    "  If a template is provided, this command will load the template and any\n"
    "  variables defined therein into its context to be referenced during\n"
    "  interpolation.\n"
    "\n"
    "Options:\n"
    "  -var 'key=value'              Variable for templates, can be used multiple times.\n"
    "  -var-file=path                JSON or HCL2 file containing user variables.\n"
    "  -config-type                  Set to 'hcl2' to run in HCL2 mode when no file is "
    "passed. Defaults to json.\n"
    "  -use-sequential-evaluation    Fallback to using a sequential approach for "
    "local/datasource evaluation.\n";

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

}  // namespace

int cmd_console(const Args& raw_args) {
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
  if (!err.empty() || f.positional.size() > 1) {
    // Packer shows the help first, then Go flag's complaint.
    std::fputs(kHelp, stdout);
    if (!err.empty()) ui.error(err);
    return 1;
  }
  tmpl::Config cfg;
  ui.set_config(&cfg);
  bool have_template = !f.positional.empty();
  if (have_template) {
    opts.path = f.positional[0];
    hcl::Diagnostics diags = cfg.load(opts);
    if (write_diags(ui, cfg, diags) != 0) return 1;
    // As Packer's console, evaluation problems (failed validations, bad
    // locals) are not reported here; what cannot be computed stays unknown.
    (void)cfg.initialize(/*skip_datasources=*/false);
  } else {
    char buf[4096];
    cfg.cwd = ::getcwd(buf, sizeof buf) ? buf : ".";
    cfg.path_root = "";
  }

  bool interactive = ::isatty(0) != 0;
  int ret = 0;
  std::string last;
  std::string line;
  if (interactive) std::fputs("> ", stdout), std::fflush(stdout);
  while (std::getline(std::cin, line)) {
    std::string input = trim(line);
    bool exit = false;
    hcl::Diagnostics diags;
    // As Packer, diagnostics about the input show no snippet.
    std::string result = tmpl::console_eval(&cfg, input, &exit, diags);
    if (diags.has_errors()) {
      write_diags(ui, cfg, diags);
      if (!interactive) ret = 1;
    }
    if (exit) break;
    last = result;
    if (interactive) {
      if (!diags.has_errors() && !input.empty()) ui.say(result);
      std::fputs("> ", stdout);
      std::fflush(stdout);
    }
  }
  if (!interactive) ui.say(last);
  return ret;
}

}  // namespace kiln::cli
