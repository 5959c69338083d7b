#include "builders/hcloud/state.h"

#include <chrono>
#include <future>
#include <stop_token>

namespace kiln::builders::hcloud_builder {

std::map<std::string, std::string> State::run_labels() const {
  return {{"kiln.run", ctx->info->run_uuid}, {"kiln.managed", "true"}};
}

engine::Status wait_action(State& s, const hcloud::Action& action, const std::string& what,
                           bool cancellable) {
  if (!action.running()) {
    if (action.failed())
      return engine::Status::fail(what + ": action " + action.command + " failed: " +
                                  action.error_message.value_or(action.error_code.value_or("")));
    return engine::Status::ok();
  }
  std::stop_source stop;
  hcloud::WaitOptions wo;
  wo.stop = stop.get_token();
  // poll_interval: upstream polls every action at this interval (500 ms by
  // default). kiln's waiter schedules its looks by the action's kind and
  // progress instead, and takes poll_interval as the shortest interval
  // between two looks it schedules; the default equals the waiter's own
  // floor, so it only matters when set longer (fewer requests).
  if (s.config) wo.min_interval = s.config->poll_interval;
  auto fut = hcloud::ActionWaiter::process().wait(*s.client, action, wo);
  // The waiter cannot see our Cancel: look at it between short waits.
  while (fut.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    if ((cancellable && s.cancel->cancelled()) || (!cancellable && s.ctx->hurried()))
      stop.request_stop();
  }
  auto r = fut.get();
  if (!r.ok()) {
    if (r.error().kind == hcloud::ErrorKind::kCancelled)
      return engine::Status::fail(what + ": cancelled while waiting for action " + action.command +
                                  " (" + std::to_string(action.id) + ")");
    return engine::Status::fail(what + ": " + r.error().to_string());
  }
  return engine::Status::ok();
}

engine::Status wait_actions(State& s, const std::vector<hcloud::Action>& actions,
                            const std::string& what) {
  for (auto& a : actions)
    if (engine::Status st = wait_action(s, a, what); st.failed()) return st;
  return engine::Status::ok();
}

}  // namespace kiln::builders::hcloud_builder
