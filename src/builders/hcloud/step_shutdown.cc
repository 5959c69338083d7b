// stepShutdownServer: an ACPI shutdown, then the server is confirmed off
// (the shutdown action only says the request reached the guest); a guest
// that is still running after a minute is powered off.
#include <chrono>

#include "builders/hcloud/state.h"

namespace kiln::builders::hcloud_builder {

namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(60);

}  // namespace

engine::Status step_shutdown(State& s) {
  if (s.comm) s.comm->disconnect();  // the guest is about to go away
  s.ui->say("Shutting down server...");
  auto r = s.client->servers().shutdown(s.server_id);
  if (!r.ok()) return engine::Status::fail("Error stopping server: " + r.error().to_string());
  if (engine::Status st = wait_action(s, r.value(), "Error stopping server"); st.failed())
    return st;
  auto deadline = std::chrono::steady_clock::now() + kShutdownGrace;
  auto pause = std::chrono::milliseconds(500);
  while (true) {
    auto srv = s.client->servers().get(s.server_id);
    if (!srv.ok()) return engine::Status::fail("Error getting server: " + srv.error().to_string());
    if (!srv.value())
      return engine::Status::fail("Server " + std::to_string(s.server_id) + " is gone");
    if (srv.value()->status == "off") return engine::Status::ok();
    if (std::chrono::steady_clock::now() >= deadline) break;
    if (!s.cancel->sleep_for(pause)) return engine::Status::fail("Build was cancelled.");
    pause = std::min<std::chrono::milliseconds>(pause * 2, std::chrono::seconds(5));
  }
  s.ui->say("The server is still running after " + std::to_string(kShutdownGrace.count()) +
            " seconds; powering it off...");
  auto off = s.client->servers().poweroff(s.server_id);
  if (!off.ok())
    return engine::Status::fail("Error powering off server: " + off.error().to_string());
  return wait_action(s, off.value(), "Error powering off server");
}

}  // namespace kiln::builders::hcloud_builder
