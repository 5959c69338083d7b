// Runs a local command (shell-local) with its output streamed line by line,
// in its own process group so that cancellation stops the whole tree.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/plugin.h"

namespace kiln::prov {

struct LocalResult {
  int exit_status = -1;  // -1 when killed by a signal or not started
  std::string error;     // why it could not start, or "cancelled"; "" otherwise
};

// argv[0] is looked up in PATH; standard input is /dev/null. On cancel the
// process group gets SIGTERM, then SIGKILL after two seconds.
LocalResult run_local(const std::vector<std::string>& argv,
                      const std::function<void(std::string_view)>& on_stdout,
                      const std::function<void(std::string_view)>& on_stderr,
                      const engine::Cancel& cancel);

}  // namespace kiln::prov
