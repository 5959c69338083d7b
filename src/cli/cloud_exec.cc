// How `kiln` hands the cloud commands to `kiln-cloud`. kiln-cloud is looked
// for next to the kiln executable (the build tree and a flat install), then
// in ../libexec/kiln/ (an FHS install); KILN_CLOUD names it explicitly.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "cli/commands.h"

namespace kiln::cli {

bool split_command(int argc, char** argv, std::string* cmd, Args* args) {
  Args all(argv + 1, argv + argc);
  Args machine;
  while (!all.empty() && (all[0] == "-machine-readable" || all[0] == "--machine-readable")) {
    machine.push_back(all[0]);
    all.erase(all.begin());
  }
  if (all.empty()) return false;
  *cmd = all[0];
  args->assign(all.begin() + 1, all.end());
  args->insert(args->end(), machine.begin(), machine.end());
  return true;
}

bool is_cloud_command(const std::string& cmd) {
  return cmd == "build" || cmd == "local" || cmd == "upload" || cmd == "cleanup";
}

int exec_cloud(char** argv) {
  std::string path;
  if (const char* e = std::getenv("KILN_CLOUD"); e && *e) {
    path = e;
  } else {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
      std::fprintf(stderr, "kiln: cannot find its own executable: %s\n", ec.message().c_str());
      return 1;
    }
    auto dir = self.parent_path();
    path = (dir / "kiln-cloud").string();
    if (::access(path.c_str(), X_OK) != 0) {
      auto fhs = (dir / ".." / "libexec" / "kiln" / "kiln-cloud").lexically_normal().string();
      if (::access(fhs.c_str(), X_OK) == 0) path = fhs;
    }
  }
  ::execv(path.c_str(), argv);
  std::fprintf(stderr,
               "kiln: cannot run %s, which carries the build, local, upload and cleanup "
               "commands: %s\n",
               path.c_str(), std::strerror(errno));
  return 1;
}

}  // namespace kiln::cli
