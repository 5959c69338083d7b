// Test support for the engine and builder tests: a template written to a
// temporary directory and run through the engine with its output captured,
// and fake plugins (a "shell" provisioner that runs its inline commands
// over the communicator, or interprets a few words without one; "checksum"
// and "manifest" post-processors).
#pragma once

#include <stdio.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "builders/config_util.h"
#include "engine/output.h"
#include "engine/runner.h"
#include "ssh/client.h"
#include "template/template.h"

namespace kiln::engine::testing {

// What the fakes saw, shared by every instance.
struct FakeLog {
  std::mutex mu;
  std::vector<std::string> ran;      // commands, in order
  std::map<std::string, int> tries;  // per command
  std::atomic<int> destroyed{0};     // artifacts destroyed
  std::atomic<bool> provisioning{false};
  void add(const std::string& c) {
    std::lock_guard<std::mutex> l(mu);
    ran.push_back(c);
    tries[c]++;
  }
  int count(const std::string& c) {
    std::lock_guard<std::mutex> l(mu);
    return tries.count(c) ? tries[c] : 0;
  }
};

inline FakeLog& fake_log() {
  static FakeLog log;
  return log;
}

// Commands without a communicator: "fail" fails, "block" waits until
// cancelled, anything else is said.
class FakeShell : public Provisioner {
 public:
  Status prepare(const hcl::Value& config, const BuildInfo&) override {
    inline_ = builders::get_strings(config, "inline");
    return Status::ok();
  }
  Status provision(Ui& ui, ssh::Client* comm, const BuildInfo&, const Cancel& cancel) override {
    for (auto& cmd : inline_) {
      fake_log().add(cmd);
      if (comm) {
        ssh::ExecOptions o;
        o.on_stdout = [&ui](std::string_view l) { ui.say(std::string(l)); };
        o.on_stderr = [&ui](std::string_view l) { ui.error(std::string(l)); };
        o.cancelled = [&cancel] { return cancel.cancelled(); };
        auto r = comm->exec(cmd, o);
        if (!r.ok()) return Status::fail(r.error().to_string());
        if (r->exit_status != 0)
          return Status::fail("Script exited with non-zero exit status: " +
                              std::to_string(r->exit_status) + ". Allowed exit codes are: [0]");
        continue;
      }
      if (cmd == "fail") return Status::fail("fake failure");
      if (cmd == "block") {
        fake_log().provisioning = true;
        while (cancel.sleep_for(std::chrono::seconds(60))) {
        }
        return Status::fail("cancelled");
      }
      ui.say(cmd);
    }
    return Status::ok();
  }

 private:
  std::vector<std::string> inline_;
};

class FakePostProcessor : public PostProcessor {
 public:
  explicit FakePostProcessor(std::string type) : type_(std::move(type)) {}
  Status prepare(const hcl::Value&, const BuildInfo&) override { return Status::ok(); }
  Status post_process(Ui& ui, const BuildInfo&, const Artifact& in, Artifact& out, bool& keep,
                      bool& force_keep, const Cancel&) override {
    ui.say("processing " + in.id);
    out.builder_id = "packer.post-processor." + type_;
    out.id = type_ + "-of-" + in.id;
    out.description = type_ + " of " + in.description;
    out.destroy = [] {
      fake_log().destroyed++;
      return Status::ok();
    };
    // As Packer's: manifest keeps its input whatever the block says;
    // checksum lets the block decide and defaults to not keeping.
    keep = type_ == "manifest";
    force_keep = type_ == "manifest";
    return Status::ok();
  }

 private:
  std::string type_;
};

struct TempDir {
  TempDir() {
    char t[] = "/tmp/kiln-engine-test.XXXXXX";
    path = mkdtemp(t);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string path;
};

// A template run through the engine.
struct Run {
  int code = -1;
  std::string output;
  std::string load_errors;
  std::vector<BuildResult> results;
};

struct RunSetup {
  std::vector<std::string> only, except;
  OnError on_error = OnError::kCleanup;
  bool machine = false;
  bool force = false;
  int parallel = 0;
  BuilderFactory make_builder;
  Journal* journal = nullptr;
  std::vector<std::pair<std::string, std::string>> vars;
  // Typed at the terminal (answers to -on-error=ask); "" : no terminal.
  std::string stdin_text;
  // Called with the runner once it runs (e.g. to interrupt it).
  std::function<void(Runner&)> during;
  // Called with the runner after run() has returned.
  std::function<void(Runner&)> after;
};

inline Run run_template(const std::string& hcl, const RunSetup& setup) {
  Run out;
  TempDir dir;
  {
    std::ofstream f(dir.path + "/t.pkr.hcl");
    f << hcl;
  }
  tmpl::Config cfg;
  tmpl::LoadOptions lo;
  lo.path = dir.path + "/t.pkr.hcl";
  lo.vars = setup.vars;
  hcl::Diagnostics d = cfg.load(lo);
  if (!d.has_errors()) d.append(cfg.initialize(false));
  std::vector<tmpl::CoreBuild> builds;
  if (!d.has_errors()) builds = cfg.get_builds(setup.only, setup.except, d);
  if (d.has_errors()) {
    out.load_errors = cfg.render(d);
    return out;
  }
  cfg.add_build_secrets(builds);
  char* buf = nullptr;
  size_t len = 0;
  FILE* mem = open_memstream(&buf, &len);
  std::string typed = setup.stdin_text;
  FILE* in = typed.empty() ? nullptr : fmemopen(typed.data(), typed.size(), "r");
  {
    OutputOptions oo;
    oo.machine = setup.machine;
    oo.color = false;
    oo.out = mem;
    if (in) {
      oo.in = in;
      oo.interactive = true;
    }
    oo.filter = [&cfg](std::string s) { return cfg.filter_secrets(std::move(s)); };
    Output o(oo);
    RunOptions ro;
    ro.on_error = setup.on_error;
    ro.force = setup.force;
    ro.parallel_builds = setup.parallel;
    ro.run_uuid = "00000000-0000-4000-8000-000000000001";
    ro.make_builder = setup.make_builder;
    ro.journal = setup.journal;
    ro.make_provisioner = [](const std::string& t) -> std::unique_ptr<Provisioner> {
      if (t == "shell" || t == "shell-local") return std::make_unique<FakeShell>();
      return nullptr;
    };
    ro.make_post_processor = [](const std::string& t) -> std::unique_ptr<PostProcessor> {
      if (t == "checksum" || t == "manifest") return std::make_unique<FakePostProcessor>(t);
      return nullptr;
    };
    Runner r(cfg, o, ro);
    if (r.prepare(builds)) {
      std::thread side;
      if (setup.during) side = std::thread([&] { setup.during(r); });
      out.code = r.run();
      if (side.joinable()) side.join();
      if (setup.after) setup.after(r);
      out.results = r.results();
    } else {
      out.code = 1;
    }
  }
  std::fclose(mem);
  if (in) std::fclose(in);
  out.output.assign(buf, len);
  std::free(buf);
  return out;
}

}  // namespace kiln::engine::testing
