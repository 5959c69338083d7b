// The kiln commands. Each takes the arguments after its name and returns
// the process exit code (Packer's: 0 ok, 1 error).
#pragma once

#include <string>
#include <vector>

namespace kiln::cli {

using Args = std::vector<std::string>;

int cmd_version(const Args& args);
int cmd_hcldec(const Args& args);    // hcldec.cc
int cmd_fmt(const Args& args);       // fmt.cc
int cmd_validate(const Args& args);  // validate.cc
int cmd_inspect(const Args& args);   // inspect.cc
int cmd_console(const Args& args);   // console.cc
int cmd_init(const Args& args);      // init.cc
int cmd_local(const Args& args);     // local.cc
int cmd_build(const Args& args);     // build.cc
int cmd_cleanup(const Args& args);   // cleanup.cc
int cmd_upload(const Args& args);    // upload.cc

// The command line split as Packer reads it: the command name and its
// arguments, with a leading -machine-readable moved after the command's own
// arguments (Packer accepts it anywhere). False when there is no command.
bool split_command(int argc, char** argv, std::string* cmd, Args* args);

// True for the commands kiln-cloud runs (build, local, upload, cleanup).
bool is_cloud_command(const std::string& cmd);

// Replaces this process with kiln-cloud, passing argv unchanged (same pid,
// so signals and exit codes are the command's own). Returns only on
// failure, after printing why; the result is the exit code to use.
int exec_cloud(char** argv);

}  // namespace kiln::cli
