// The breakpoint provisioner (Packer's provisioner/breakpoint): pauses the
// build until Enter is pressed, so a user can look at the machine.
#include "provisioners/plugin_config.h"
#include "provisioners/plugins.h"
#include "provisioners/ui_output.h"

namespace kiln::prov {

namespace {

using engine::Status;

class Breakpoint : public engine::Provisioner {
 public:
  Status prepare(const hcl::Value& cfg, const engine::BuildInfo&) override {
    std::vector<std::string> errs;
    schema_checks(tmpl::PluginKind::Provisioner, "breakpoint", cfg, errs);
    if (!errs.empty()) return multi_error(errs);
    disable_ = cfg_bool(cfg, "disable");
    note_ = cfg_string(cfg, "note");
    return Status::ok();
  }
  Status provision(engine::Ui& raw_ui, ssh::Client*, const engine::BuildInfo& info,
                   const engine::Cancel& cancel) override {
    FilteredUi ui(raw_ui, info);
    if (disable_) {
      ui.say(note_.empty()
                 ? "Breakpoint provisioner disabled; continuing..."
                 : "Breakpoint provisioner with note \"" + note_ + "\" disabled; continuing...");
      return Status::ok();
    }
    ui.say(note_.empty() ? "Pausing at breakpoint provisioner."
                         : "Pausing at breakpoint provisioner with note \"" + note_ + "\".");
    // Packer fails here without a terminal (its Ask has no tty to read);
    // the message is Packer's.
    if (!info.interactive) return fail(info, "Error asking for input: no available tty");
    // An interrupt ends the wait (Packer's breakpoint is cancelled by it too).
    ui.ask_cancellable("Press enter to continue.", cancel);
    if (cancel.cancelled()) return fail(info, "Provisioning was cancelled");
    return Status::ok();
  }

 private:
  bool disable_ = false;
  std::string note_;
};

}  // namespace

std::unique_ptr<engine::Provisioner> new_breakpoint() {
  return std::make_unique<Breakpoint>();
}

}  // namespace kiln::prov
