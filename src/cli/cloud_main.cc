// kiln-cloud: the commands that talk to a cloud, SSH or the kernel (build,
// local, upload, cleanup). `kiln` executes it with its own argv, so argv[0]
// is normally "kiln" and messages read as kiln's.
#include <cstdio>
#include <string>

#include "cli/commands.h"

int main(int argc, char** argv) {
  std::string cmd;
  kiln::cli::Args args;
  if (!kiln::cli::split_command(argc, argv, &cmd, &args) || !kiln::cli::is_cloud_command(cmd)) {
    std::fprintf(stderr,
                 "kiln-cloud: runs kiln's build, local, upload and cleanup commands; "
                 "use kiln (kiln --help)\n");
    return 127;
  }
  if (cmd == "local") return kiln::cli::cmd_local(args);
  if (cmd == "build") return kiln::cli::cmd_build(args);
  if (cmd == "cleanup") return kiln::cli::cmd_cleanup(args);
  return kiln::cli::cmd_upload(args);
}
