// kiln-cloud: the commands that talk to a cloud, SSH or the kernel (build,
// local, upload, cleanup). `kiln` executes it with its own argv, so argv[0]
// is normally "kiln" and messages read as kiln's.
#include <csignal>
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
  // A write to a closed socket or pipe fails with EPIPE instead of killing
  // kiln: libcurl runs with CURLOPT_NOSIGNAL and OpenSSL writes TLS records
  // with write(), and a build killed mid-way would leave its server billed.
  // Output to a closed stdout then goes nowhere while the build goes on to
  // its cleanup. Child processes get the default back (local_command.cc,
  // sandbox.cc, image_run.cc).
  std::signal(SIGPIPE, SIG_IGN);
  if (cmd == "local") return kiln::cli::cmd_local(args);
  if (cmd == "build") return kiln::cli::cmd_build(args);
  if (cmd == "cleanup") return kiln::cli::cmd_cleanup(args);
  return kiln::cli::cmd_upload(args);
}
