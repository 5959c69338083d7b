#include "engine/runner.h"

#include <chrono>
#include <condition_variable>
#include <thread>

#include "engine/duration.h"
#include "engine/signals.h"

namespace kiln::engine {

namespace {

using Clock = std::chrono::steady_clock;

// A Cancel that follows a parent and may also fire on its own (a
// provisioner's timeout). A watcher thread polls the parent: Cancel has no
// callbacks, and a tenth of a second is quick enough for a person.
class LinkedCancel {
 public:
  LinkedCancel(const Cancel& parent, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    bool has_deadline = timeout.count() > 0;
    watcher_ = std::thread([this, &parent, deadline, has_deadline] {
      while (!done_.cancelled()) {
        if (parent.cancelled()) {
          child.cancel();
          return;
        }
        if (has_deadline && Clock::now() >= deadline) {
          timed_out = true;
          child.cancel();
          return;
        }
        done_.sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~LinkedCancel() {
    done_.cancel();
    watcher_.join();
  }
  Cancel child;
  std::atomic<bool> timed_out{false};

 private:
  Cancel done_;
  std::thread watcher_;
};

std::string post_processor_title(const tmpl::PostProcessorBlock& pp) {
  if (pp.name == pp.type) return pp.type;
  return pp.name + " (type " + pp.type + ")";
}

}  // namespace

struct Runner::Build {
  const tmpl::CoreBuild* core = nullptr;
  int index = 0;
  std::unique_ptr<Builder> builder;
  BuildInfo info;
  std::unique_ptr<BuildUi> ui;
  Cancel cancel;
  BuildResult result;
};

Runner::Runner(const tmpl::Config& cfg, Output& out, RunOptions options)
    : cfg_(cfg), out_(out), opt_(std::move(options)) {}

Runner::~Runner() = default;

bool Runner::prepare(const std::vector<tmpl::CoreBuild>& builds) {
  bool ok = true;
  auto fail = [&](const std::string& msg) {
    out_.error("Error: " + msg + "\n");
    ok = false;
  };
  int index = 0;
  for (const auto& core : builds) {
    auto b = std::make_unique<Build>();
    b->core = &core;
    b->index = index++;
    b->info.build_name = core.source_name;
    b->info.builder_type = core.builder_type;
    b->info.full_name = core.name;
    b->info.run_uuid = opt_.run_uuid;
    b->info.config = &cfg_;
    b->info.debug = opt_.debug;
    b->info.force = opt_.force;
    b->info.interactive = opt_.interactive;
    b->info.generated["PackerRunUUID"] = opt_.run_uuid;
    b->ui = std::make_unique<BuildUi>(out_, core.name, b->index);
    b->result.name = core.name;
    b->builder = opt_.make_builder ? opt_.make_builder(core.builder_type) : nullptr;
    if (!b->builder) {
      fail("Failed preparing build " + core.name + ": kiln has no builder of type \"" +
           core.builder_type + "\"");
    } else if (Status st = b->builder->prepare(core.builder_config, b->info); st.failed()) {
      fail("Failed preparing build " + core.name + ":\n\n" + st.message());
    }
    auto prep_prov = [&](const tmpl::CoreProvisioner& p, const char* what) {
      auto prov = opt_.make_provisioner(p.block->type);
      if (!prov) {
        fail(std::string("Failed preparing ") + what + " \"" + p.block->type + "\" for build " +
             core.name + ": kiln has no provisioner of type \"" + p.block->type + "\"");
        return;
      }
      if (Status st = prov->prepare(p.config, b->info); st.failed())
        fail(std::string("Failed preparing ") + what + " \"" + p.block->type + "\" for build " +
             core.name + ":\n\n" + st.message());
    };
    for (auto& p : core.provisioners) prep_prov(p, "provisioner-block");
    if (core.error_cleanup_provisioner)
      prep_prov(*core.error_cleanup_provisioner, "error-cleanup-provisioner-block");
    for (auto& chain : core.post_processors) {
      for (auto& pp : chain) {
        auto post = opt_.make_post_processor(pp.block->type);
        if (!post) {
          fail("Failed preparing post-processor-block \"" + pp.block->type + "\" for build " +
               core.name + ": kiln has no post-processor of type \"" + pp.block->type + "\"");
          continue;
        }
        if (Status st = post->prepare(pp.config, b->info); st.failed())
          fail("Failed preparing post-processor-block \"" + pp.block->type + "\" for build " +
               core.name + ":\n\n" + st.message());
      }
    }
    builds_.push_back(std::move(b));
  }
  return ok;
}

void Runner::interrupt(int signo) {
  // Under mu_ with run()'s end, so a signal is either a cancel that run()
  // reports ("Cleanly cancelled", exit 1) or, once the builds have ended,
  // nothing at all: never "Cancelling build" followed by success.
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  if (interrupted_.exchange(true)) {
    hurry_ = true;
    out_.error("Interrupted again: cleaning up without waiting for the cloud's actions.");
    return;
  }
  out_.error(std::string("Cancelling build after receiving ") + signal_text(signo));
  for (auto& b : builds_) b->cancel.cancel();
}

std::map<std::string, hcl::Value> Runner::build_values(const Build& b) const {
  std::map<std::string, hcl::Value> out;
  for (auto& [k, v] : b.info.generated) out[k] = hcl::Value::string(v);
  return out;
}

Status Runner::run_provisioner(Build& b, const tmpl::CoreProvisioner& p, Ui& ui,
                               ssh::Client* comm) {
  const tmpl::ProvisionerBlock& blk = *p.block;
  std::chrono::milliseconds timeout{0};
  if (!blk.pause_before.empty()) {
    auto d = parse_duration(blk.pause_before).value_or(std::chrono::milliseconds(0));
    ui.say("Pausing " + go_duration_string(d) + " before the next provisioner...");
    if (!b.cancel.sleep_for(d)) return Status::fail("Build was cancelled.");
  } else if (!blk.timeout.empty()) {
    // Packer ignores timeout when pause_before is set (an else-if); so does kiln.
    timeout = parse_duration(blk.timeout).value_or(std::chrono::milliseconds(0));
    if (timeout.count() > 0)
      ui.say("Setting a " + go_duration_string(timeout) + " timeout for the next provisioner...");
  }
  // Decoded again with what the builder learnt (build.Host, build.ID, ...),
  // then prepared again, as Packer's HCL2Provisioner does at run time.
  hcl::Diagnostics diags;
  hcl::Value config = cfg_.decode_at_runtime(*b.core, tmpl::PluginKind::Provisioner, blk.type,
                                             *blk.rest, blk.override_value, build_values(b), diags);
  if (diags.has_errors()) return Status::fail(cfg_.render(diags));
  int tries = blk.max_retries + 1;
  Status last = Status::ok();
  for (int attempt = 0; attempt < tries; ++attempt) {
    if (attempt > 0) {
      ui.error("Provisioner failed with \"" + last.message() + "\", retrying with " +
               std::to_string(tries - attempt) + " trie(s) left");
      // Linear back-off as Packer's retry.Backoff: 1 s, 2 s, ... up to 30 s.
      auto pause = std::chrono::seconds(std::min(attempt, 30));
      if (!b.cancel.sleep_for(pause)) return Status::fail("Build was cancelled.");
    }
    auto prov = opt_.make_provisioner(blk.type);
    if (!prov) return Status::fail("kiln has no provisioner of type \"" + blk.type + "\"");
    if (Status st = prov->prepare(config, b.info); st.failed()) return st;
    LinkedCancel lc(b.cancel, timeout);
    last = prov->provision(ui, comm, b.info, lc.child);
    if (lc.timed_out) {
      ui.error("Cancelling provisioner after a timeout...");
      last = Status::fail("context deadline exceeded");
    }
    if (!last.failed()) return last;
    if (b.cancel.cancelled()) return Status::fail("Build was cancelled.");
  }
  if (tries > 1) ui.error("retry limit reached.");
  return last;
}

Status Runner::provision(Build& b, Ui& ui, ssh::Client* comm) {
  for (const auto& p : b.core->provisioners) {
    if (b.cancel.cancelled()) return Status::fail("Build was cancelled.");
    Status st = run_provisioner(b, p, ui, comm);
    if (!st.failed()) continue;
    if (p.block->continue_on_error && !b.cancel.cancelled()) {
      ui.error("Warning: Provisioner failed with \"" + st.message() +
               "\", but continue_on_error is set; continuing the build.");
      continue;
    }
    if (!b.cancel.cancelled() && opt_.on_error != OnError::kAbort &&
        b.core->error_cleanup_provisioner) {
      ui.say("Provisioning step had errors: Running the cleanup provisioner, if present...");
      Status cs = run_provisioner(b, *b.core->error_cleanup_provisioner, ui, comm);
      if (cs.failed()) ui.error("Error-cleanup provisioner failed: " + cs.message());
    }
    return st;
  }
  return Status::ok();
}

Status Runner::post_process(Build& b, const Artifact& builder_artifact,
                            std::vector<Artifact>& artifacts) {
  // Packer's CoreBuild.Run: each chain starts from the builder's artifact;
  // the builder's artifact is kept when there are no post-processors or
  // the first post-processor of some chain keeps it.
  bool keep_original = b.core->post_processors.empty();
  std::vector<std::string> errors;
  for (const auto& chain : b.core->post_processors) {
    std::optional<Artifact> prior = builder_artifact;
    for (size_t i = 0; i < chain.size(); ++i) {
      const tmpl::PostProcessorBlock& blk = *chain[i].block;
      if (b.cancel.cancelled()) return Status::fail("Build was cancelled.");
      b.ui->say("Running post-processor: " + post_processor_title(blk));
      BuildUi ppui(out_, b.core->name + " (" + blk.type + ")", b.index);
      hcl::Diagnostics diags;
      hcl::Value config = cfg_.decode_at_runtime(*b.core, tmpl::PluginKind::PostProcessor, blk.type,
                                                 *blk.rest, hcl::Value(), build_values(b), diags);
      auto pp = opt_.make_post_processor(blk.type);
      Status st = Status::ok();
      if (diags.has_errors())
        st = Status::fail(cfg_.render(diags));
      else if (!pp)
        st = Status::fail("kiln has no post-processor of type \"" + blk.type + "\"");
      else
        st = pp->prepare(config, b.info);
      Artifact out;
      bool keep = true, force_keep = false;
      if (!st.failed())
        st = pp->post_process(ppui, b.info, *prior, out, keep, force_keep, b.cancel);
      if (st.failed()) {
        errors.push_back("Post-processor failed: " + st.message());
        prior.reset();
        break;
      }
      if (blk.keep_input_artifact.has_value() && !(keep && !*blk.keep_input_artifact && force_keep))
        keep = *blk.keep_input_artifact;
      if (i == 0) {
        keep_original = keep_original || keep;
      } else if (!keep && prior->destroy) {
        if (Status d = prior->destroy(); d.failed()) errors.push_back(d.message());
      }
      prior = std::move(out);
    }
    if (prior) artifacts.push_back(std::move(*prior));
  }
  if (keep_original) {
    artifacts.insert(artifacts.begin(), builder_artifact);
  } else if (builder_artifact.destroy) {
    if (Status d = builder_artifact.destroy(); d.failed()) errors.push_back(d.message());
  }
  if (errors.empty()) return Status::ok();
  if (errors.size() == 1) return Status::fail(errors[0]);
  std::string msg = std::to_string(errors.size()) + " errors occurred:";
  for (auto& e : errors) msg += "\n\t* " + e;
  return Status::fail(msg);
}

void Runner::run_build(Build& b) {
  auto start = Clock::now();
  BuildContext ctx;
  ctx.info = &b.info;
  ctx.on_error = opt_.on_error;
  ctx.force = opt_.force;
  ctx.debug = opt_.debug;
  ctx.journal = opt_.journal;
  ctx.hurry = &hurry_;
  ctx.provision = [this, &b](Ui& ui, ssh::Client* comm) { return provision(b, ui, comm); };
  std::optional<Artifact> artifact;
  Status st = b.builder->run(*b.ui, ctx, b.cancel, artifact);
  if (!st.failed() && b.cancel.cancelled()) st = Status::fail("Build was cancelled.");
  if (!st.failed()) {
    std::vector<Artifact> arts;
    if (artifact) {
      st = post_process(b, *artifact, arts);
    } else if (!b.core->post_processors.empty()) {
      b.ui->say("Builder produced no artifact: the post-processors have nothing to process.");
    }
    b.result.artifacts = std::move(arts);
  }
  std::string took = format_duration(Clock::now() - start);
  if (st.failed()) {
    b.result.ok = false;
    b.result.error = st.message();
    b.ui->plain("Build '" + b.core->name + "' errored after " + took + ": " + st.message(), true);
  } else {
    b.result.ok = true;
    b.ui->plain("Build '" + b.core->name + "' finished after " + took + ".");
  }
}

int Runner::run() {
  auto start = Clock::now();
  if (opt_.debug) out_.say("Debug mode enabled. Builds will not be parallelized.");
  for (auto& b : builds_) b->ui->announce();
  if (!out_.options().machine && out_.options().color && !builds_.empty()) out_.write("\n");

  int limit = opt_.debug ? 1 : opt_.parallel_builds;
  std::mutex sem_mu;
  std::condition_variable sem_cv;
  int running = 0;
  std::vector<std::thread> threads;
  for (auto& bp : builds_) {
    Build* b = bp.get();
    {
      std::unique_lock<std::mutex> lock(sem_mu);
      sem_cv.wait(lock, [&] { return limit <= 0 || running < limit; });
      running++;
    }
    threads.emplace_back([&, b] {
      if (interrupted_)
        b->result.error = "Build was cancelled.";
      else
        run_build(*b);
      std::lock_guard<std::mutex> lock(sem_mu);
      running--;
      sem_cv.notify_all();
    });
  }
  for (auto& t : threads) t.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
  }

  out_.say("\n==> Wait completed after " + format_duration(Clock::now() - start));
  for (auto& b : builds_) results_.push_back(b->result);
  if (interrupted_) {
    out_.say("Cleanly cancelled builds after being interrupted.");
    return 1;
  }
  size_t errors = 0;
  for (auto& r : results_) errors += !r.ok;
  if (errors > 0) {
    if (out_.options().machine) out_.machine("", "error-count", {std::to_string(errors)});
    out_.error("\n==> Some builds didn't complete successfully and had errors:");
    for (auto& r : results_) {
      if (r.ok) continue;
      if (out_.options().machine) out_.machine(r.name, "error", {r.error});
      out_.error("--> " + r.name + ": " + r.error);
    }
  }
  bool any = false;
  for (auto& r : results_) any |= r.ok && !r.artifacts.empty();
  if (any) {
    out_.say("\n==> Builds finished. The artifacts of successful builds are:");
    for (auto& r : results_) {
      if (!r.ok || r.artifacts.empty()) continue;
      bool m = out_.options().machine;
      if (m) out_.machine(r.name, "artifact-count", {std::to_string(r.artifacts.size())});
      for (size_t i = 0; i < r.artifacts.size(); ++i) {
        const Artifact& a = r.artifacts[i];
        std::string is = std::to_string(i);
        if (m) {
          out_.machine(r.name, "artifact", {is, "builder-id", a.builder_id});
          out_.machine(r.name, "artifact", {is, "id", a.id});
          out_.machine(r.name, "artifact", {is, "string", a.description});
          out_.machine(r.name, "artifact", {is, "files-count", std::to_string(a.files.size())});
          for (size_t f = 0; f < a.files.size(); ++f)
            out_.machine(r.name, "artifact", {is, "file", std::to_string(f), a.files[f]});
          out_.machine(r.name, "artifact", {is, "end"});
        }
        out_.say("--> " + r.name + ": " + a.description);
      }
    }
  } else {
    out_.say("\n==> Builds finished but no artifacts were created.");
  }
  return errors > 0 ? 1 : 0;
}

}  // namespace kiln::engine
