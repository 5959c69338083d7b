// The shell-local post-processor: the provisioner's core run after the
// build; the input artifact passes through and is always kept, as Packer's.
#include "provisioners/shell_local.h"
#include "postprocessors/plugins.h"

namespace kiln::pp {

namespace {

class ShellLocal : public engine::PostProcessor {
 public:
  engine::Status prepare(const hcl::Value& cfg, const engine::BuildInfo&) override {
    return core_.prepare(tmpl::PluginKind::PostProcessor, cfg);
  }
  engine::Status post_process(engine::Ui& ui, const engine::BuildInfo& info,
                              const engine::Artifact& in, engine::Artifact& out, bool& keep,
                              bool& force_keep, const engine::Cancel& cancel) override {
    engine::Status s = core_.run(ui, info, cancel);
    out = in;
    keep = true;
    force_keep = true;
    return s;
  }

 private:
  prov::ShellLocal core_;
};

}  // namespace

std::unique_ptr<engine::PostProcessor> new_shell_local() {
  return std::make_unique<ShellLocal>();
}

}  // namespace kiln::pp
