// kiln: bakes Hetzner Cloud images from Packer templates. This executable
// runs the template commands itself and hands the cloud commands to
// kiln-cloud (cloud_main.cc), so checking a template loads nothing else.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/commands.h"

namespace {

void usage(FILE* out) {
  std::fputs(
      "Usage: kiln [--version] [--help] <command> [<args>]\n"
      "\n"
      "Available commands are:\n"
      "    build       build image(s) from template\n"
      "    cleanup     Find and delete what killed builds left in the cloud\n"
      "    console     creates a console for testing variable interpolation\n"
      "    fmt         Rewrites HCL2 config files to canonical format\n"
      "    hcldec      Decode HCL with a spec (the interface of HashiCorp's hcldec)\n"
      "    init        Check that the plugins a template requires are built in\n"
      "    inspect     see components of a template\n"
      "    local       Serve a local Hetzner Cloud API on loopback\n"
      "    upload      Turn a disk image into a Hetzner Cloud snapshot\n"
      "    validate    check that a template is valid\n"
      "    version     Prints the Packer version kiln is compatible with\n",
      out);
}

}  // namespace

int main(int argc, char** argv) {
  std::string cmd;
  kiln::cli::Args args;
  if (!kiln::cli::split_command(argc, argv, &cmd, &args)) {
    usage(stderr);
    return 127;
  }
  if (cmd == "-h" || cmd == "--help" || cmd == "-help" || cmd == "help") {
    usage(stdout);
    return 0;
  }
  if (cmd == "version" || cmd == "-v" || cmd == "--version" || cmd == "-version")
    return kiln::cli::cmd_version(args);
  if (cmd == "hcldec") return kiln::cli::cmd_hcldec(args);
  if (cmd == "fmt") return kiln::cli::cmd_fmt(args);
  if (cmd == "validate") return kiln::cli::cmd_validate(args);
  if (cmd == "inspect") return kiln::cli::cmd_inspect(args);
  if (cmd == "console") return kiln::cli::cmd_console(args);
  if (cmd == "init") return kiln::cli::cmd_init(args);
  if (kiln::cli::is_cloud_command(cmd)) return kiln::cli::exec_cloud(argv);
  std::fprintf(stderr, "kiln: unknown command %s\n\n", cmd.c_str());
  usage(stderr);
  return 127;
}
