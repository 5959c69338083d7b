#include <cstdio>

#include "cli/commands.h"

namespace kiln::cli {

int cmd_version(const Args&) {
  std::printf("kiln v0.1.0\n");
  return 0;
}

}  // namespace kiln::cli
