// `kiln build`'s engine: prepares every build of a template (builder,
// provisioners, post-processors), runs them in parallel up to a limit, runs
// provisioners with their meta-arguments (pause_before, timeout,
// max_retries, the error-cleanup provisioner), post-processor chains with
// keep_input_artifact, and prints Packer's lines and closing summary.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/builder.h"
#include "engine/output.h"
#include "engine/plugin.h"
#include "template/template.h"

namespace kiln::engine {

struct RunOptions {
  int parallel_builds = 0;  // 0: no limit
  OnError on_error = OnError::kCleanup;
  bool force = false;
  bool debug = false;
  bool interactive = false;
  std::string run_uuid;
  Journal* journal = nullptr;
  BuilderFactory make_builder;
  std::function<std::unique_ptr<Provisioner>(const std::string&)> make_provisioner =
      engine::make_provisioner;
  std::function<std::unique_ptr<PostProcessor>(const std::string&)> make_post_processor =
      engine::make_post_processor;
};

// What one build ended with.
struct BuildResult {
  std::string name;
  bool ok = false;
  std::string error;
  std::vector<Artifact> artifacts;
};

class Runner {
 public:
  Runner(const tmpl::Config& cfg, Output& out, RunOptions options);
  ~Runner();

  // Creates and prepares every build's builder, provisioners and
  // post-processors; prints the errors and returns false when any failed.
  bool prepare(const std::vector<tmpl::CoreBuild>& builds);
  // Runs the prepared builds and prints the summary; Packer's exit code.
  int run();

  // The first signal: cancels every build. The second: cleanups hurry.
  void interrupt(int signo);
  void hurry() { hurry_ = true; }
  bool interrupted() const { return interrupted_; }

  const std::vector<BuildResult>& results() const { return results_; }

 private:
  struct Build;
  void run_build(Build& b);
  Status provision(Build& b, Ui& ui, ssh::Client* comm);
  Status run_provisioner(Build& b, const tmpl::CoreProvisioner& p, Ui& ui, ssh::Client* comm);
  Status post_process(Build& b, const Artifact& builder_artifact, std::vector<Artifact>& artifacts);
  std::map<std::string, hcl::Value> build_values(const Build& b) const;

  const tmpl::Config& cfg_;
  Output& out_;
  RunOptions opt_;
  std::vector<std::unique_ptr<Build>> builds_;
  std::vector<BuildResult> results_;
  std::atomic<bool> interrupted_{false};
  bool finished_ = false;  // the builds have ended; guarded by mu_
  std::atomic<bool> hurry_{false};
  std::mutex mu_;
};

}  // namespace kiln::engine
