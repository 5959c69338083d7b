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
#include <string>
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
  // The hcloud builder's poll_interval: the waiter schedules no look at
  // this action sooner than this after the previous one (nor its first look
  // sooner after registration), whatever its schedule would do; 0 or less
  // than WaiterConfig::min_interval changes nothing. Looks that ride along in
  // a request sent for other actions cost nothing and may come sooner.
  Duration min_interval{0};
};

struct WaiterConfig {
  Duration min_interval{500};            // never poll one action more often
  Duration final_interval{100};          // ...but within the end's window, as progress bounds it
  Duration max_interval{8'000};          // never leave one action unpolled longer
  Duration max_overrun_interval{2'000};  // cap once an action runs past its expected end
  int overrun_divisor = 32;              // late: interval grows by overrun / divisor
  int max_missing = 3;                   // polls an action may be absent from before it fails
  // Spare polls: Packer spends 2 requests a second on every running action.
  // While two or more actions of a client run without reporting progress,
  // each earns it this many requests a second (1/4 of Packer's rate, less a
  // margin); what the schedule has not spent goes to polling the client's
  // whole batch as soon as a request is earned (never twice within
  // min_interval), which cuts detection time when the schedule is only a
  // guess. A lone action earns nothing. 0 disables it.
  double spare_rate = 0.4;
  // Earned requests kept for later, when fewer actions remain (the last
  // one of a batch is then still watched closely).
  double max_spare_credit = 120;
  bool start_thread = true;  // false: driven by run_due() (tests, benchmarks)
  // Until this waiter has seen an action end, new actions get their first
  // look after min_interval: one request that tells a cloud whose actions
  // take a fraction of the table's durations (kiln local with
  // --time-scale, a fast region) from one that matches it. What it learns
  // scales every command's expectation (see expected_for).
  bool probe_until_observed = true;
  // A command whose completions have kept within this mean relative
  // deviation of the estimate (or any command, while completions of all
  // commands keep within it of their expectations) is trusted: its actions
  // (when they report no progress) are looked at where the window around
  // the estimate opens and then often inside it, instead of halving the
  // distance to the estimate. 0 disables it.
  double trust_deviation = 0.03;
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

  // How long an action of this command usually takes (a fixed table).
  static Duration expected_duration(std::string_view command);
  // What this waiter expects now: the table's figure scaled by the speed
  // of the cloud seen so far (observed/table over every completion, a
  // geometric running mean), then refined by the completions of the same
  // command (a running mean that weighs the scaled table as one
  // observation and forgets beyond 8).
  Duration expected_for(std::string_view command) const;
  // observed/table so far (1 before any completion).
  double speed() const;

 private:
  struct Tracked;
  using Completion = std::pair<std::shared_ptr<Tracked>, Result<Action>>;

  struct Observed {
    Duration estimate{0};
    int weight = 0;  // observations behind the estimate, the table counting as one
    int seen = 0;    // completions observed
    double dev = 1;  // mean |ln(observed/estimate before it)| since the second completion
  };

  // Request budget of one client (see WaiterConfig::spare_rate).
  struct Budget {
    double credit = 0;
    TimePoint updated{};
    TimePoint last_request{};
    size_t running = 0;
  };

  Duration interval_for(const Tracked& t, TimePoint now) const;
  // The window around a command's expectation, as a fraction of it, when its
  // completions (or all completions) have matched expectations; 0: not trusted.
  double trust_locked(std::string_view command) const;
  static void note_progress_locked(Tracked& t, TimePoint now);
  void accrue_locked(TimePoint now);
  std::optional<TimePoint> spare_due_locked(const Budget& b) const;
  std::optional<TimePoint> next_due_locked() const;
  Duration expected_locked(std::string_view command) const;
  void observe_locked(const Tracked& t, TimePoint now);
  void cancel(std::uint64_t key);
  void loop();
  static void finish(std::vector<Completion>& done);

  WaiterConfig config_;
  std::shared_ptr<Clock> clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::uint64_t, std::shared_ptr<Tracked>> tracked_;
  std::map<std::string, Observed, std::less<>> observed_;
  double log_speed_ = 0;  // log(observed/table), a running mean
  // How far completions landed from what was expected when each action was
  // registered, over all commands: mean |ln(observed/expected)| from the
  // second completion on. Small: the expectations are right (a command not
  // yet seen is trusted too).
  double global_dev_ = 1;
  int global_seen_ = 0;
  int speed_weight_ = 0;  // completions behind it (capped at 8)
  std::map<Client*, Budget> budgets_;
  std::uint64_t next_key_ = 1;
  std::uint64_t requests_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hcloud
