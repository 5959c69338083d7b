#include "engine/steps.h"

namespace kiln::engine {

std::optional<OnError> parse_on_error(const std::string& s) {
  if (s == "cleanup" || s.empty()) return OnError::kCleanup;
  if (s == "abort") return OnError::kAbort;
  if (s == "ask") return OnError::kAsk;
  if (s == "run-cleanup-provisioner") return OnError::kRunCleanupProvisioner;
  return std::nullopt;
}

namespace {

// Packer's DebugRunner puts a pause step after every step: its run pauses
// "after run of" the step, its cleanup "before cleanup of" it. So a step
// that failed gets no pause, and every step that succeeded gets one before
// the cleanups, whether it has a cleanup or not. Without a terminal Packer's
// ask fails at once and nothing is printed; an interrupt ends a pause.
void debug_pause(Ui& ui, const BuildContext& ctx, const Cancel& cancel, const char* where,
                 const std::string& step) {
  if (!ctx.debug || !ctx.info || !ctx.info->interactive || cancel.cancelled()) return;
  ui.ask_cancellable(
      std::string("Pausing ") + where + " step '" + step + "'. Press enter to continue.", cancel);
}

}  // namespace

Status run_steps(const std::vector<Step>& steps, Ui& ui, const BuildContext& ctx,
                 const Cancel& cancel) {
  size_t ran = 0;
  size_t paused = 0;  // steps whose "after run" pause was reached
  Status result = Status::ok();
  bool skip_cleanup = false;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (cancel.cancelled()) {
      result = Status::fail("Build was cancelled.");
      break;
    }
    const Step& s = steps[i];
    ran = i + 1;
    Status st = s.run();
    if (!st.failed() && cancel.cancelled()) st = Status::fail("Build was cancelled.");
    if (st.failed()) {
      if (cancel.cancelled()) {
        // An interrupt always cleans up, whatever -on-error says (as Packer).
        result = Status::fail("Build was cancelled.");
        break;
      }
      ui.error(st.message());
      if (ctx.on_error == OnError::kAsk) {
        std::string answer =
            ui.ask_cancellable("Step \"" + s.name +
                                   "\" failed\n[c] Clean up and exit, [a] abort without cleanup, "
                                   "or [r] retry step (build may fail even if retry succeeds)?",
                               cancel);
        if (answer == "r" || answer == "R") {
          --i;  // the same step again; its cleanup runs once
          continue;
        }
        skip_cleanup = answer == "a" || answer == "A";
      } else if (ctx.on_error == OnError::kAbort ||
                 ctx.on_error == OnError::kRunCleanupProvisioner) {
        skip_cleanup = true;
      }
      result = st;
      break;
    }
    paused = i + 1;
    debug_pause(ui, ctx, cancel, "after run of", s.name);
  }
  if (skip_cleanup) {
    ui.error(
        "Skipping cleanup as -on-error asked: what the build created is left in place and "
        "recorded in the journal (`kiln cleanup` removes it).");
    return result;
  }
  for (size_t i = ran; i-- > 0;) {
    if (i < paused) debug_pause(ui, ctx, cancel, "before cleanup of", steps[i].name);
    if (steps[i].cleanup) steps[i].cleanup();
  }
  return result;
}

}  // namespace kiln::engine
