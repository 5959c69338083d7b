#include <cstdio>

#include "cli/commands.h"

namespace kiln::cli {
int cmd_fmt(const Args&) {
  std::fprintf(stderr, "kiln fmt: not built yet\n");
  return 1;
}
}  // namespace kiln::cli
