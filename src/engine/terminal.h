// The terminal that -debug pauses, -on-error=ask and the breakpoint
// provisioner read their answers from. As Packer (main.go openTTY), it is
// the controlling terminal, /dev/tty, not stdin: `kiln build -debug . <
// file` does not answer the pauses, and a build whose stdin is a pipe that
// never closes does not hang. A process in the background of its terminal
// gets none (Packer: "Running in background, not using a TTY").
#pragma once

#include <cstdio>
#include <memory>

namespace kiln::engine {

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using Terminal = std::unique_ptr<std::FILE, FileCloser>;

// The controlling terminal opened for reading; null without one, or when
// this process is not in its foreground process group.
Terminal open_terminal();

}  // namespace kiln::engine
