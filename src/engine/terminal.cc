#include "engine/terminal.h"

#include <fcntl.h>
#include <unistd.h>

namespace kiln::engine {

Terminal open_terminal() {
  int fd = ::open("/dev/tty", O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return nullptr;
  // Reading from the terminal in the background would stop the process
  // (SIGTTIN) until it is brought to the foreground.
  if (::tcgetpgrp(fd) != ::getpgrp()) {
    ::close(fd);
    return nullptr;
  }
  std::FILE* f = ::fdopen(fd, "r");
  if (!f) ::close(fd);
  return Terminal(f);
}

}  // namespace kiln::engine
