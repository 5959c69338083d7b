#include <cstdio>

#include "cli/commands.h"

namespace kiln::cli {
int cmd_hcldec(const Args&) {
  std::fprintf(stderr, "kiln hcldec: not built yet\n");
  return 1;
}
}  // namespace kiln::cli
