// shell-local's core, shared by the provisioner and the post-processor
// (the SDK's shell-local package): runs inline lines, a command or scripts
// on this machine through execute_command, with Packer's variables.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/plugin.h"
#include "template/schemas.h"

namespace kiln::prov {

class ShellLocal {
 public:
  engine::Status prepare(tmpl::PluginKind kind, const hcl::Value& cfg);
  engine::Status run(engine::Ui& ui, const engine::BuildInfo& info, const engine::Cancel& cancel);

 private:
  std::vector<std::string> inline_, scripts_, environment_vars_, execute_command_, only_on_;
  std::map<std::string, std::string> env_;
  std::string inline_shebang_, env_var_format_, tempfile_extension_;
  std::vector<int64_t> valid_exit_codes_;
};

}  // namespace kiln::prov
