// `kiln version`: Packer's version output shape. kiln reports the Packer
// version it is compatible with (the one templates' required_version is
// checked against and packer.version gives), with kiln's own version as
// the build metadata Packer prints for development builds:
//   Packer v1.16.0 (kiln 0.1.0)
#include <cstdio>
#include <string>

#include "cli/template_cmd.h"

namespace kiln::cli {

int cmd_version(const Args& raw_args) {
  Args args = raw_args;
  bool machine = extract_machine_readable(args);
  Ui ui(machine);
  std::string formatted = std::string(tmpl::kPackerVersion) + " (kiln " + tmpl::kKilnVersion + ")";
  if (machine) {
    ui.machine("version", {tmpl::kPackerVersion});
    ui.machine("version-prelease", {""});
    ui.machine("version-commit", {std::string("kiln-") + tmpl::kKilnVersion});
  }
  ui.say("Packer v" + formatted);
  return 0;
}

}  // namespace kiln::cli
