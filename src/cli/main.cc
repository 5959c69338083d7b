// kiln: bakes Hetzner Cloud images from Packer templates.
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
      "    fmt         Rewrites HCL2 config files to canonical format\n"
      "    hcldec      Decode HCL with a spec (the interface of HashiCorp's hcldec)\n"
      "    version     Prints the kiln version\n",
      out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 127;
  }
  std::string cmd = argv[1];
  kiln::cli::Args args(argv + 2, argv + argc);
  if (cmd == "-h" || cmd == "--help" || cmd == "-help" || cmd == "help") {
    usage(stdout);
    return 0;
  }
  if (cmd == "version" || cmd == "-v" || cmd == "--version" || cmd == "-version")
    return kiln::cli::cmd_version(args);
  if (cmd == "hcldec") return kiln::cli::cmd_hcldec(args);
  if (cmd == "fmt") return kiln::cli::cmd_fmt(args);
  std::fprintf(stderr, "kiln: unknown command %s\n\n", cmd.c_str());
  usage(stderr);
  return 127;
}
