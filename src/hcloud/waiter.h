// The process-wide action waiter. Any thread registers actions; one poller
// fetches all outstanding actions of a client together with
// GET /actions?id=..&id=.. (at most 25 ids a request), on a schedule fitted
// to each action's command (a server create takes seconds, a snapshot
// minutes), reports progress, supports cancellation and completes futures.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string_view>
#include <thread>
#include <vector>

#include "hcloud/client.h"

namespace hcloud {

struct WaitOptions {
  // Called (from the poller, without locks held) when progress or status changes.
  std::function<void(const Action&)> on_progress;
  // Requesting stop completes the wait with a kCancelled error.
  std::stop_token stop;
};

struct WaiterConfig {
  Duration min_interval{500};            // never poll one action more often
  Duration final_interval{100};          // ...but one last look when progress pins the end down
  Duration max_interval{8'000};          // never leave one action unpolled longer
  Duration max_overrun_interval{2'000};  // cap once an action runs past its expected end
  int overrun_divisor = 32;              // late: interval grows by overrun / divisor
  int max_missing = 3;                   // polls an action may be absent from before it fails
  bool start_thread = true;              // false: driven by run_due() (tests, benchmarks)
};

class ActionWaiter {
 public:
  explicit ActionWaiter(WaiterConfig config = {}, std::shared_ptr<Clock> clock = nullptr);
  ~ActionWaiter();
  ActionWaiter(const ActionWaiter&) = delete;
  ActionWaiter& operator=(const ActionWaiter&) = delete;

  // The one waiter of this process (real clock, own thread).
  static ActionWaiter& process();

  // The client must outlive the wait. A failed action gives kActionFailed
  // with the action's error code and message.
  std::future<Result<Action>> wait(Client& client, const Action& action, WaitOptions opts = {});
  // Waits for every action; the first failure wins.
  Status wait_all(Client& client, const std::vector<Action>& actions, WaitOptions opts = {});

  // Completes every outstanding wait with kCancelled.
  void cancel_all();

  // Manual driving: the earliest due poll, and polling what is due now.
  std::optional<TimePoint> next_due() const;
  int run_due();  // returns the number of requests sent

  size_t outstanding() const;
  std::uint64_t requests_sent() const;

  // How long an action of this command usually takes.
  static Duration expected_duration(std::string_view command);

 private:
  struct Tracked;
  using Completion = std::pair<std::shared_ptr<Tracked>, Result<Action>>;

  Duration interval_for(const Tracked& t, TimePoint now) const;
  void cancel(std::uint64_t key);
  void loop();
  static void finish(std::vector<Completion>& done);

  WaiterConfig config_;
  std::shared_ptr<Clock> clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::uint64_t, std::shared_ptr<Tracked>> tracked_;
  std::uint64_t next_key_ = 1;
  std::uint64_t requests_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hcloud
