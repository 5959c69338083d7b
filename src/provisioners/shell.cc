// The shell provisioner (Packer's provisioner/shell): uploads each script
// (inline lines become one) and runs it over SSH with execute_command,
// Packer's environment variables, exit-code checks, retries while the
// machine is unreachable (start_retry_timeout) and cleanup.
#include <random>

#include "provisioners/build_context.h"
#include "provisioners/plugin_config.h"
#include "provisioners/plugins.h"
#include "provisioners/temp_file.h"
#include "provisioners/ui_output.h"
#include "ssh/client.h"

namespace kiln::prov {

namespace {

using engine::Status;
using namespace std::chrono_literals;

int rand_intn(int n) {
  static thread_local std::mt19937 gen{std::random_device{}()};
  return std::uniform_int_distribution<int>(0, n - 1)(gen);
}

// Packer's UnixReader: every line ends in "\n", CRLF becomes LF.
std::string unix_text(const std::string& in) {
  std::string out;
  out.reserve(in.size() + 1);
  size_t start = 0;
  while (start < in.size()) {
    size_t nl = in.find('\n', start);
    size_t end = nl == std::string::npos ? in.size() : nl;
    size_t e = end;
    if (e > start && in[e - 1] == '\r') --e;
    out.append(in, start, e - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

class Shell : public engine::Provisioner {
 public:
  Status prepare(const hcl::Value& cfg, const engine::BuildInfo& info) override;
  Status provision(engine::Ui& ui, ssh::Client* comm, const engine::BuildInfo& info,
                   const engine::Cancel& cancel) override;

 private:
  // The communicator to use now: comm, or a new connection when comm's
  // session dropped (a reboot); "" or why it could not connect.
  // A failed try reconnects on the next (retry=true): libssh may not have
  // noticed yet that the session is gone.
  std::string ensure_connected(ssh::Client*& c, std::chrono::steady_clock::time_point deadline,
                               const engine::Cancel& cancel, bool retry);
  // Runs fn until it returns "" or start_retry_timeout passes (Packer's
  // retry.Config{StartTimeout}: a try every 2 s); the last error otherwise.
  std::string retry(
      const std::function<std::string(std::chrono::steady_clock::time_point, bool)>& fn,
      const engine::Cancel& cancel);
  std::string cleanup_remote(ssh::Client*& c, const std::string& path,
                             const engine::Cancel& cancel);

  std::vector<std::string> inline_, scripts_, environment_vars_;
  std::map<std::string, std::string> env_;
  std::string inline_shebang_, execute_command_, env_var_format_, remote_path_, remote_folder_;
  bool inline_shebang_set_ = false, binary_ = false, use_env_var_file_ = false,
       expect_disconnect_ = false, skip_clean_ = false;
  std::vector<int64_t> valid_exit_codes_;
  std::chrono::milliseconds start_retry_timeout_{5min}, pause_after_{0};
  std::unique_ptr<ssh::Client> own_;  // a reconnection, when the first session dropped
};

Status Shell::prepare(const hcl::Value& cfg, const engine::BuildInfo&) {
  std::vector<std::string> errs;
  schema_checks(tmpl::PluginKind::Provisioner, "shell", cfg, errs);
  if (!errs.empty()) return multi_error(errs);
  inline_ = cfg_strings(cfg, "inline");
  if (cfg_set(cfg, "script"))
    scripts_ = {cfg_string(cfg, "script")};
  else
    scripts_ = cfg_strings(cfg, "scripts");
  environment_vars_ = cfg_strings(cfg, "environment_vars");
  env_ = cfg_map(cfg, "env");
  inline_shebang_set_ = cfg_set(cfg, "inline_shebang");
  inline_shebang_ = cfg_string(cfg, "inline_shebang", "/bin/sh -e");
  binary_ = cfg_bool(cfg, "binary");
  use_env_var_file_ = cfg_bool(cfg, "use_env_var_file");
  expect_disconnect_ = cfg_bool(cfg, "expect_disconnect");
  skip_clean_ = cfg_bool(cfg, "skip_clean");
  execute_command_ = cfg_string(cfg, "execute_command");
  if (execute_command_.empty())
    execute_command_ = use_env_var_file_ ? "chmod +x {{.Path}}; . {{.EnvVarFile}} && {{.Path}}"
                                         : "chmod +x {{.Path}}; {{.Vars}} {{.Path}}";
  env_var_format_ = cfg_string(cfg, "env_var_format");
  if (env_var_format_.empty())
    env_var_format_ = use_env_var_file_ ? "export %s='%s'\n" : "%s='%s' ";
  remote_folder_ = cfg_string(cfg, "remote_folder", "/tmp");
  std::string remote_file = cfg_string(cfg, "remote_file");
  if (remote_file.empty()) remote_file = "script_" + std::to_string(rand_intn(9999)) + ".sh";
  remote_path_ = cfg_string(cfg, "remote_path");
  if (remote_path_.empty()) remote_path_ = remote_folder_ + "/" + remote_file;
  valid_exit_codes_ = cfg_ints(cfg, "valid_exit_codes");
  if (valid_exit_codes_.empty()) valid_exit_codes_ = {0};
  std::string err;
  auto srt = cfg_duration(cfg, "start_retry_timeout", 5min, &err);
  if (!srt) errs.push_back(err);
  auto pa = cfg_duration(cfg, "pause_after", 0ms, &err);
  if (!pa) errs.push_back(err);
  if (srt) start_retry_timeout_ = *srt;
  if (pa) pause_after_ = *pa;
  return multi_error(errs);
}

std::string Shell::ensure_connected(ssh::Client*& c, std::chrono::steady_clock::time_point deadline,
                                    const engine::Cancel& cancel, bool retry) {
  if (!retry && c->connected()) return "";
  ssh::Config cfg = c->config();
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  cfg.timeout = std::max(left, std::chrono::milliseconds(1));
  cfg.retry_interval = std::min<std::chrono::milliseconds>(cfg.retry_interval, 2s);
  cfg.on_attempt = nullptr;
  cfg.cancelled = [&cancel] { return cancel.cancelled(); };
  auto r = ssh::Client::connect(cfg);
  if (!r) return r.error().to_string();
  own_ = std::move(r).value();
  c = own_.get();
  return "";
}

std::string Shell::retry(
    const std::function<std::string(std::chrono::steady_clock::time_point, bool)>& fn,
    const engine::Cancel& cancel) {
  // 0 means "forever" to Packer; a day is forever for a build.
  auto deadline =
      std::chrono::steady_clock::now() +
      (start_retry_timeout_.count() == 0 ? std::chrono::milliseconds(24h) : start_retry_timeout_);
  int tries = 0;
  for (;;) {
    std::string err = fn(deadline, tries++ > 0);
    if (err.empty()) return "";
    if (cancel.cancelled()) return err;
    if (std::chrono::steady_clock::now() >= deadline) return err;
    if (!cancel.sleep_for(2s)) return err;
  }
}

std::string Shell::cleanup_remote(ssh::Client*& c, const std::string& path,
                                  const engine::Cancel& cancel) {
  return retry(
      [&](std::chrono::steady_clock::time_point deadline, bool again) -> std::string {
        std::string cerr = ensure_connected(c, deadline, cancel, again);
        if (!cerr.empty()) return "Error removing temporary script at " + path + ": " + cerr;
        auto r = c->exec("rm -f " + path);
        if (!r) {
          if (r.error().kind == ssh::ErrorKind::kDisconnected)
            return "Disconnect while removing temporary script.";
          return "Error removing temporary script at " + path + ": " + r.error().to_string();
        }
        if (r->exit_status != 0) return "Error removing temporary script at " + path + "!";
        return "";
      },
      cancel);
}

Status Shell::provision(engine::Ui& raw_ui, ssh::Client* comm, const engine::BuildInfo& info,
                        const engine::Cancel& cancel) {
  FilteredUi ui(raw_ui, info);
  if (comm == nullptr)
    return fail(info, "the shell provisioner needs a communicator, but the build has none");
  own_.reset();
  ssh::Client* c = comm;
  TemplateData data = template_data(info);

  std::vector<std::string> scripts = scripts_;
  TempFile inline_file;
  if (!inline_.empty()) {
    std::string text;
    std::string joined;
    for (auto& l : inline_) joined += l + "\n";
    // Packer 1.13+: no shebang when the lines bring their own, unless
    // inline_shebang was set explicitly.
    if (inline_shebang_set_ || joined.rfind("#!", 0) != 0) text = "#!" + inline_shebang_ + "\n";
    for (auto& l : inline_) {
      std::string err;
      auto r = render_template(l, data, &err);
      if (!r) return fail(info, "Error interpolating Inline: " + err);
      text += *r + "\n";
    }
    std::string err = inline_file.create("packer-shell", "", text, 0600);
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
  auto vars = packer_env(info, rendered_vars, env_);

  std::string env_var_file;
  if (use_env_var_file_) {
    env_var_file = remote_folder_ + "/varfile_" + std::to_string(rand_intn(9999)) + ".sh";
    std::string content = flatten_env(vars, env_var_format_);
    std::string err = retry(
        [&](std::chrono::steady_clock::time_point deadline, bool again) -> std::string {
          std::string cerr = ensure_connected(c, deadline, cancel, again);
          if (!cerr.empty()) return "Error uploading envVarFile: " + cerr;
          auto up = c->upload_data(content, env_var_file, 0600);
          if (!up) return "Error uploading envVarFile: " + up.error().to_string();
          return "";
        },
        cancel);
    if (!err.empty()) return fail(info, err);
  }

  TemplateData cmd_data = data;
  cmd_data.strict_fields = true;
  cmd_data.fields["Path"] = remote_path_;
  cmd_data.fields["Vars"] = use_env_var_file_ ? "" : flatten_env(vars, env_var_format_);
  cmd_data.fields["EnvVarFile"] = env_var_file;
  std::string err;
  auto command = render_template(execute_command_, cmd_data, &err);
  if (!command) return fail(info, "Error processing command: " + err);

  for (auto& path : scripts) {
    ui.say("Provisioning with shell script: " + path);
    std::string body;
    if (!read_file(path, &body, &err)) return fail(info, "Error opening shell script: " + err);
    if (!binary_) body = unix_text(body);

    ssh::ExecResult result;
    err = retry(
        [&](std::chrono::steady_clock::time_point deadline, bool again) -> std::string {
          std::string cerr = ensure_connected(c, deadline, cancel, again);
          if (!cerr.empty()) return "Error uploading script: " + cerr;
          // One SFTP write with the final mode instead of Packer's upload
          // plus a remote "chmod 0755": one round trip less, same file.
          auto up = c->upload_data(body, remote_path_, 0755);
          if (!up) return "Error uploading script: " + up.error().to_string();
          ssh::ExecOptions opt;
          opt.on_stdout = [&](std::string_view l) { ui.message(output_line(l)); };
          opt.on_stderr = [&](std::string_view l) { ui.error(output_line(l)); };
          opt.cancelled = [&cancel] { return cancel.cancelled(); };
          auto r = c->exec(*command, opt);
          if (!r) {
            const ssh::Error& e = r.error();
            // A session lost while the script ran is Packer's CmdDisconnect
            // (judged below); failing to start it is retried.
            if (e.kind == ssh::ErrorKind::kDisconnected &&
                e.message.find("while the command ran") != std::string::npos) {
              result = ssh::ExecResult{};
              result.exit_status = static_cast<int>(kCmdDisconnect);
              result.disconnected = true;
              return "";
            }
            return e.to_string();
          }
          result = *r;
          return "";
        },
        cancel);
    if (cancel.cancelled()) return fail(info, "Provisioning was cancelled");
    if (!err.empty()) return fail(info, err);

    int64_t status = result.exit_status;
    if (status == kCmdDisconnect) {
      bool allowed = expect_disconnect_;
      for (auto v : valid_exit_codes_) allowed = allowed || v == kCmdDisconnect;
      if (!allowed)
        return fail(info,
                    "Script disconnected unexpectedly. If you expected your script to disconnect, "
                    "i.e. from a restart, you can try adding `\"expect_disconnect\": true` or "
                    "`\"valid_exit_codes\": [0, 2300218]` to the shell provisioner parameters.");
    } else {
      std::string bad = check_exit_code(status, valid_exit_codes_);
      if (!bad.empty()) return fail(info, bad);
    }
    if (skip_clean_) continue;
    err = cleanup_remote(c, remote_path_, cancel);
    if (!err.empty()) return fail(info, err);
  }
  // Packer runs "rm -f " even with no variables file; kiln skips that no-op.
  if (!skip_clean_ && !env_var_file.empty()) {
    err = cleanup_remote(c, env_var_file, cancel);
    if (!err.empty()) return fail(info, err);
  }
  if (pause_after_.count() > 0) {
    ui.say("Pausing " + go_duration(pause_after_) + " after this provisioner...");
    if (!cancel.sleep_for(pause_after_)) return fail(info, "Provisioning was cancelled");
  }
  return Status::ok();
}

}  // namespace

std::unique_ptr<engine::Provisioner> new_shell() {
  return std::make_unique<Shell>();
}

}  // namespace kiln::prov
