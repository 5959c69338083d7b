// `kiln build`: Packer's build command (command/build.go) on kiln's engine.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "builders/registry.h"
#include "cli/template_cmd.h"
#include "engine/journal.h"
#include "engine/runner.h"
#include "engine/signals.h"
#include "engine/terminal.h"
#include "engine/uuid.h"

namespace kiln::cli {

namespace {

constexpr const char* kHelp =
    "Usage: kiln build [options] TEMPLATE\n"
    "\n"
    "  Will execute multiple builds in parallel as defined in the template.\n"
    "  The various artifacts created by the template will be outputted.\n"
    "\n"
    "Options:\n"
    "\n"
    "  -color=false                  Disable color output. (Default: color)\n"
    "  -debug                        Debug mode enabled for builds.\n"
    "  -except=foo,bar,baz           Run all builds and post-processors other than these.\n"
    "  -only=foo,bar,baz             Build only the specified builds.\n"
    "  -force                        Force a build to continue if artifacts exist, deletes "
    "existing artifacts.\n"
    "  -machine-readable             Produce machine-readable output.\n"
    "  -on-error=[cleanup|abort|ask|run-cleanup-provisioner] If the build fails do: clean up "
    "(default), abort, ask, or run-cleanup-provisioner.\n"
    "  -parallel-builds=1            Number of builds to run in parallel. 1 disables "
    "parallelization. 0 means no limit (Default: 0)\n"
    "  -timestamp-ui                 Enable prefixing of each ui output with an RFC3339 "
    "timestamp.\n"
    "  -var 'key=value'              Variable for templates, can be used multiple times.\n"
    "  -var-file=path                JSON or HCL2 file containing user variables, can be used "
    "multiple times.\n"
    "  -warn-on-undeclared-var       Show warnings for variable files containing undeclared "
    "variables.\n"
    "  -ignore-prerelease-plugins    Disable the loading of prerelease plugin binaries "
    "(x.y.z-dev).\n"
    "  -use-sequential-evaluation    Fallback to using a sequential approach for "
    "local/datasource evaluation.\n"
    "  -local                        (kiln) Build against a `kiln local` started for this run "
    "(its\n"
    "                                default state, servers in sandboxes); hcloud sources' "
    "endpoint\n"
    "                                and token are replaced by it.\n"
    "  -local-time-scale=F           (kiln) The local cloud's time scale (default 0).\n"
    "\n"
    "  Every cloud resource a build creates is recorded in a journal under\n"
    "  $XDG_STATE_HOME/kiln (or ~/.local/state/kiln); `kiln cleanup` removes what\n"
    "  a killed build left.\n";

// A `kiln local` child for -local: started with our own binary, stopped
// (SIGTERM, so its sandboxes go) when the build ends; PR_SET_PDEATHSIG
// stops it if the build is killed.
struct LocalCloud {
  pid_t pid = -1;
  std::string endpoint, token;
  FILE* out_ = nullptr;
  ~LocalCloud() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      int st;
      ::waitpid(pid, &st, 0);
    }
    if (out_) std::fclose(out_);
  }
  bool start(const std::string& time_scale, std::string* error) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      *error = "pipe failed";
      return false;
    }
    const char* argv[] = {
        "kiln", "local", "--listen", "127.0.0.1:0", "--time-scale", time_scale.c_str(), nullptr};
    pid = ::fork();
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      // A process group of its own: a Ctrl-C at the terminal goes to the
      // build, which cancels and cleans up against this cloud before
      // stopping it, rather than to both at once.
      ::setpgid(0, 0);
      // A background group's write to the terminal (its stderr) would stop
      // it under `stty tostop`; ignored, the write goes through.
      ::signal(SIGTTOU, SIG_IGN);
      ::dup2(fds[1], 1);
      ::execv("/proc/self/exe", const_cast<char* const*>(argv));
      ::_exit(127);
    }
    ::close(fds[1]);
    if (pid < 0) {
      ::close(fds[0]);
      *error = "fork failed";
      return false;
    }
    FILE* in = ::fdopen(fds[0], "r");
    char line[4096];
    while (in && std::fgets(line, sizeof line, in)) {
      std::string l = line;
      while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.pop_back();
      if (l.rfind("export HCLOUD_ENDPOINT=", 0) == 0) endpoint = l.substr(23);
      if (l.rfind("export HCLOUD_TOKEN=", 0) == 0) token = l.substr(20);
      if (l.rfind("kiln local: ", 0) == 0) std::printf("%s\n", l.c_str());
      if (!endpoint.empty() && !token.empty()) break;
    }
    // Kept open (not read) until kiln local stops: a closed pipe would
    // kill it with SIGPIPE at its next line.
    out_ = in;
    if (endpoint.empty() || token.empty()) {
      *error = "kiln local did not start (see `kiln local` for why)";
      return false;
    }
    return true;
  }
};

}  // namespace

int cmd_build(const Args& raw_args) {
  Args args = raw_args;
  bool machine = extract_machine_readable(args);
  Ui ui(machine);
  auto specs = meta_flag_specs();
  for (const char* b : {"debug", "force", "timestamp-ui", "warn-on-undeclared-var",
                        "ignore-prerelease-plugins", "use-sequential-evaluation", "color", "local"})
    specs.push_back({b, true});
  for (const char* v : {"on-error", "parallel-builds", "local-time-scale"})
    specs.push_back({v, false});
  ParsedFlags f = parse_flags(args, specs);
  if (f.help) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  tmpl::LoadOptions opts;
  std::string err = f.error;
  if (err.empty()) load_options_from_flags(f, &opts, &err);
  engine::RunOptions ro;
  if (err.empty() && f.has("on-error")) {
    auto oe = engine::parse_on_error(f.values.at("on-error").back());
    if (!oe)
      err = "invalid value \"" + f.values.at("on-error").back() +
            "\" for flag -on-error: must be one of cleanup, abort, ask, run-cleanup-provisioner";
    else
      ro.on_error = *oe;
  }
  if (err.empty() && f.has("parallel-builds")) {
    const std::string& v = f.values.at("parallel-builds").back();
    char* end = nullptr;
    long n = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end || n < 0)
      err = "invalid value \"" + v + "\" for flag -parallel-builds: parse error";
    else
      ro.parallel_builds = static_cast<int>(n);
  }
  if (!err.empty() || f.positional.size() != 1) {
    std::fputs(kHelp, stdout);
    if (!err.empty()) ui.error(err);
    return 1;
  }
  opts.path = f.positional[0];
  opts.warn_undeclared_var = f.get_bool("warn-on-undeclared-var");

  LocalCloud local;
  if (f.get_bool("local")) {
    std::string scale = f.has("local-time-scale") ? f.values.at("local-time-scale").back() : "0";
    std::string lerr;
    if (!local.start(scale, &lerr)) {
      ui.error("Error: -local: " + lerr);
      return 1;
    }
    // Seen by the templates (env("HCLOUD_TOKEN")) and forced onto every
    // hcloud source by the builder.
    ::setenv("HCLOUD_ENDPOINT", local.endpoint.c_str(), 1);
    ::setenv("HCLOUD_TOKEN", local.token.c_str(), 1);
    ::setenv("KILN_LOCAL_ENDPOINT", local.endpoint.c_str(), 1);
    ::setenv("KILN_LOCAL_TOKEN", local.token.c_str(), 1);
  }

  tmpl::Config cfg;
  ui.set_config(&cfg);
  hcl::Diagnostics diags = cfg.load(opts);
  if (write_diags(ui, cfg, diags) != 0) return 1;
  diags = tmpl::check_required_plugins(cfg, nullptr);
  diags.append(cfg.initialize(false));
  if (write_diags(ui, cfg, diags) != 0) return 1;
  diags.clear();
  std::vector<tmpl::CoreBuild> builds =
      cfg.get_builds(split_list_flag(f, "only"), split_list_flag(f, "except"), diags);
  cfg.add_build_secrets(builds);
  if (!local.token.empty()) cfg.extra_secrets.push_back(local.token);
  if (write_diags(ui, cfg, diags) != 0) return 1;

  engine::OutputOptions oo;
  oo.machine = machine;
  oo.color = !machine && (!f.has("color") || f.get_bool("color"));
  for (const char* env : {"NO_COLOR", "PACKER_NO_COLOR"})
    if (const char* v = std::getenv(env); v && *v) oo.color = false;
  oo.timestamp = f.get_bool("timestamp-ui");
  oo.filter = [&cfg](std::string s) { return cfg.filter_secrets(std::move(s)); };
  // Answers come from the controlling terminal, as Packer's do (see
  // engine/terminal.h); the machine-readable UI never asks.
  engine::Terminal tty = machine ? nullptr : engine::open_terminal();
  if (tty) oo.in = tty.get();
  oo.interactive = tty != nullptr;
  engine::Output out(oo);

  ro.force = f.get_bool("force");
  ro.debug = f.get_bool("debug");
  ro.interactive = oo.interactive;
  ro.run_uuid = engine::new_uuid();
  ro.make_builder = builders::make_builder;
  ::setenv("PACKER_RUN_UUID", ro.run_uuid.c_str(), 1);

  std::string jerr;
  auto journal = engine::Journal::open(engine::state_dir(), ro.run_uuid, &jerr);
  if (!journal) out.error("Warning: " + jerr + " (resources will not be journaled)");
  ro.journal = journal.get();

  engine::Runner runner(cfg, out, ro);
  if (!runner.prepare(builds)) {
    if (journal) journal->finish();
    return 1;
  }
  int code;
  {
    // Once the builds have ended a signal has nothing left to cancel: the
    // watch leaves SIGINT/SIGTERM ignored rather than at the default, so a
    // late Ctrl-C cannot kill kiln while it finishes its journal and exits.
    engine::SignalWatch sig([&runner](int, int signo) { runner.interrupt(signo); },
                            /*ignore_after=*/true);
    code = runner.run();
  }
  if (journal) journal->finish();
  return code;
}

}  // namespace kiln::cli
