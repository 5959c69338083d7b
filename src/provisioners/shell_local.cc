#include "provisioners/shell_local.h"

#include <algorithm>
#include <filesystem>

#include "provisioners/build_context.h"
#include "provisioners/local_command.h"
#include "provisioners/plugin_config.h"
#include "provisioners/plugins.h"
#include "provisioners/temp_file.h"
#include "provisioners/ui_output.h"

namespace kiln::prov {

using engine::Status;

Status ShellLocal::prepare(tmpl::PluginKind kind, const hcl::Value& cfg) {
  std::vector<std::string> errs;
  schema_checks(kind, "shell-local", cfg, errs);
  if (!errs.empty()) return multi_error(errs);
  // As the SDK: `command` is one inline line.
  inline_ = cfg_set(cfg, "command") ? std::vector<std::string>{cfg_string(cfg, "command")}
                                    : cfg_strings(cfg, "inline");
  if (cfg_set(cfg, "script"))
    scripts_ = {cfg_string(cfg, "script")};
  else
    scripts_ = cfg_strings(cfg, "scripts");
  environment_vars_ = cfg_strings(cfg, "environment_vars");
  env_ = cfg_map(cfg, "env");
  execute_command_ = cfg_strings(cfg, "execute_command");
  if (execute_command_.empty()) execute_command_ = {"/bin/sh", "-c", "{{.Vars}} {{.Script}}"};
  inline_shebang_ = cfg_string(cfg, "inline_shebang", "/bin/sh -e");
  env_var_format_ = cfg_string(cfg, "env_var_format", "%s='%s' ");
  tempfile_extension_ = cfg_string(cfg, "tempfile_extension");
  only_on_ = cfg_strings(cfg, "only_on");
  valid_exit_codes_ = cfg_ints(cfg, "valid_exit_codes");
  if (valid_exit_codes_.empty()) valid_exit_codes_ = {0};
  return Status::ok();
}

Status ShellLocal::run(engine::Ui& raw_ui, const engine::BuildInfo& info,
                       const engine::Cancel& cancel) {
  FilteredUi ui(raw_ui, info);
  if (!only_on_.empty() && std::find(only_on_.begin(), only_on_.end(), "linux") == only_on_.end()) {
    ui.say("Skipping shell-local due to runtime OS");
    return Status::ok();
  }
  TemplateData data = template_data(info);
  std::vector<std::string> scripts = scripts_;
  TempFile inline_file;
  if (!inline_.empty()) {
    std::string text = "#!" + inline_shebang_ + "\n";
    for (auto& l : inline_) {
      std::string err;
      auto r = render_template(l, data, &err);
      if (!r) return fail(info, "Error interpolating Inline: " + err);
      text += *r + "\n";
    }
    std::string ext = tempfile_extension_;
    if (!ext.empty() && ext[0] != '.') ext = "." + ext;
    std::string err = inline_file.create("packer-shell", ext, text, 0700);
    if (!err.empty()) return fail(info, err);
    scripts.push_back(inline_file.path());
  }
  std::vector<std::string> rendered_vars;
  for (auto& kv : environment_vars_) {
    std::string err;
    auto r = render_template(kv, data, &err);
    if (!r) return fail(info, "Error interpolating environment_vars: " + err);
    rendered_vars.push_back(*r);
  }
  std::string vars = flatten_env(packer_env(info, rendered_vars, env_), env_var_format_);

  for (auto& script : scripts) {
    std::error_code ec;
    std::string abs = std::filesystem::absolute(script, ec).string();
    if (ec) abs = script;
    ui.say("Running local shell script: " + script);
    TemplateData cmd_data = data;
    cmd_data.strict_fields = true;
    cmd_data.fields["Vars"] = vars;
    cmd_data.fields["Script"] = abs;
    cmd_data.fields["Command"] = abs;
    std::vector<std::string> argv;
    for (auto& part : execute_command_) {
      std::string err;
      auto r = render_template(part, cmd_data, &err);
      if (!r) return fail(info, "Error processing command: " + err);
      argv.push_back(*r);
    }
    LocalResult res = run_local(
        argv, [&](std::string_view l) { ui.message(output_line(l)); },
        [&](std::string_view l) { ui.error(output_line(l)); }, cancel);
    if (res.error == "cancelled") return fail(info, "Provisioning was cancelled");
    if (!res.error.empty())
      return fail(info, "Error executing script: " + abs + "\n\n" + res.error +
                            "\nPlease see output above for more information.");
    std::string bad = check_exit_code(res.exit_status, valid_exit_codes_);
    if (!bad.empty()) return fail(info, bad);
  }
  return Status::ok();
}

namespace {

class ShellLocalProvisioner : public engine::Provisioner {
 public:
  Status prepare(const hcl::Value& cfg, const engine::BuildInfo&) override {
    return core_.prepare(tmpl::PluginKind::Provisioner, cfg);
  }
  Status provision(engine::Ui& ui, ssh::Client*, const engine::BuildInfo& info,
                   const engine::Cancel& cancel) override {
    return core_.run(ui, info, cancel);
  }

 private:
  ShellLocal core_;
};

}  // namespace

std::unique_ptr<engine::Provisioner> new_shell_local() {
  return std::make_unique<ShellLocalProvisioner>();
}

}  // namespace kiln::prov
