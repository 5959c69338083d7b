// Running the external tools that build images (debootstrap, mkfs, sfdisk,
// chroot ...): argv only, never a shell string, so that paths with spaces
// or quotes cannot change what runs. Internal to the image_* files.
#pragma once

#include <string>
#include <vector>

namespace kiln::local::image {

struct RunResult {
  int status = -1;     // exit status, or 128+signal, or -1 when it could not start
  std::string output;  // stdout and stderr interleaved
};

// Runs argv[0] (looked up in PATH) with stdin from /dev/null and waits.
// Extra environment entries ("NAME=value") are added to the process's own.
RunResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});

// run() that succeeds on exit status 0; otherwise *error says which command
// failed, how, and the last lines it printed.
bool run_ok(const std::vector<std::string>& argv, std::string* error,
            const std::vector<std::string>& env = {});

// The last `lines` lines of text, for error messages.
std::string tail_lines(const std::string& text, int lines);

}  // namespace kiln::local::image
