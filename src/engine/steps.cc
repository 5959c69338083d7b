#include "engine/steps.h"

namespace kiln::engine {

std::optional<OnError> parse_on_error(const std::string& s) {
  if (s == "cleanup" || s.empty()) return OnError::kCleanup;
  if (s == "abort") return OnError::kAbort;
  if (s == "ask") return OnError::kAsk;
  if (s == "run-cleanup-provisioner") return OnError::kRunCleanupProvisioner;
  return std::nullopt;
}

Status run_steps(const std::vector<Step>& steps, Ui& ui, const BuildContext& ctx,
                 const Cancel& cancel) {
  size_t ran = 0;
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
            ui.ask("Step \"" + s.name +
                   "\" failed\n[c] Clean up and exit, [a] abort without cleanup, or [r] retry step "
                   "(build may fail even if retry succeeds)?");
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
    if (ctx.debug && ctx.info && ctx.info->interactive)
      ui.ask("Pausing after run of step '" + s.name + "'. Press enter to continue.");
  }
  if (skip_cleanup) {
    ui.error(
        "Skipping cleanup as -on-error asked: what the build created is left in place and "
        "recorded in the journal (`kiln cleanup` removes it).");
    return result;
  }
  for (size_t i = ran; i-- > 0;) {
    if (!steps[i].cleanup) continue;
    if (ctx.debug && ctx.info && ctx.info->interactive && !cancel.cancelled())
      ui.ask("Pausing before cleanup of step '" + steps[i].name + "'. Press enter to continue.");
    steps[i].cleanup();
  }
  return result;
}

}  // namespace kiln::engine
