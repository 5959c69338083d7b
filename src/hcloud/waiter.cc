#include "hcloud/waiter.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "hcloud/actions.h"

namespace hcloud {

struct ActionWaiter::Tracked {
  std::uint64_t key = 0;
  Client* client = nullptr;
  Action action;
  TimePoint registered{};
  TimePoint last_running{};  // when it was last seen running
  TimePoint next_poll{};
  Duration expected{0};
  Duration floor{0};  // the shortest scheduled interval (WaitOptions::min_interval)
  // Where the end lies, from registration, as the progress reports seen so
  // far bound it (each look at progress p after e says the end is in
  // [e*100/(p+1), e*100/p]; the looks intersect). Unset without progress.
  Duration end_lo{0};
  std::optional<Duration> end_hi;
  int missing = 0;
  std::promise<Result<Action>> promise;
  std::function<void(const Action&)> on_progress;
  std::unique_ptr<std::stop_callback<std::function<void()>>> stop_cb;
};

namespace {

Error action_failed(const Action& a) {
  Error e;
  e.kind = ErrorKind::kActionFailed;
  e.code = a.error_code.value_or("action_failed");
  e.message = a.error_message.value_or("action failed");
  e.request = fmt::format("action {} ({})", a.id, a.command);
  return e;
}

Error cancelled(const Action& a) {
  Error e;
  e.kind = ErrorKind::kCancelled;
  e.code = "cancelled";
  e.message = "waiting was cancelled";
  e.request = fmt::format("action {} ({})", a.id, a.command);
  return e;
}

}  // namespace

Duration ActionWaiter::expected_duration(std::string_view command) {
  using std::chrono::seconds;
  struct Entry {
    std::string_view command;
    Duration expected;
  };
  static constexpr Entry kTable[] = {
      {"create_server", seconds(15)},    {"start_server", seconds(10)},
      {"stop_server", seconds(5)},       {"shutdown_server", seconds(5)},
      {"reboot_server", seconds(10)},    {"reset_server", seconds(5)},
      {"enable_rescue", seconds(3)},     {"disable_rescue", seconds(3)},
      {"create_image", seconds(120)},    {"change_server_type", seconds(60)},
      {"rebuild_server", seconds(30)},   {"delete_server", seconds(5)},
      {"apply_firewall", seconds(3)},    {"set_firewall_rules", seconds(3)},
      {"attach_to_network", seconds(3)}, {"change_protection", seconds(2)},
      {"assign_primary_ip", seconds(3)}, {"create_primary_ip", seconds(3)},
  };
  for (const auto& e : kTable)
    if (e.command == command) return e.expected;
  return seconds(10);
}

Duration ActionWaiter::expected_locked(std::string_view command) const {
  auto it = observed_.find(command);
  if (it != observed_.end()) return it->second.estimate;
  auto table = std::chrono::duration<double, std::milli>(expected_duration(command));
  return Duration(static_cast<Duration::rep>(table.count() * std::exp(log_speed_)));
}

double ActionWaiter::speed() const {
  std::lock_guard lock(mu_);
  return std::exp(log_speed_);
}

Duration ActionWaiter::expected_for(std::string_view command) const {
  std::lock_guard lock(mu_);
  return expected_locked(command);
}

void ActionWaiter::observe_locked(const Tracked& t, TimePoint now) {
  // It ended between the last poll that saw it running and this one.
  auto lo = std::chrono::duration_cast<Duration>(t.last_running - t.registered);
  auto hi = std::chrono::duration_cast<Duration>(now - t.registered);
  Duration seen = lo + (hi - lo) / 2;
  // The cloud's speed against the table, over all commands: a cloud that
  // ends a create_server in a tenth of the table's time will likely do the
  // same with a snapshot. Clamped so one odd observation cannot run away.
  double table = std::chrono::duration<double>(expected_duration(t.action.command)).count();
  double ratio = std::clamp(std::chrono::duration<double>(seen).count() / table, 1e-3, 10.0);
  speed_weight_ = std::min(speed_weight_ + 1, 8);
  log_speed_ += (std::log(ratio) - log_speed_) / speed_weight_;
  auto [it, fresh] = observed_.try_emplace(t.action.command);
  Observed& o = it->second;
  if (fresh) o = {expected_duration(t.action.command), 1};
  if (fresh) {
    auto scaled =
        std::chrono::duration<double, std::milli>(o.estimate).count() * std::exp(log_speed_);
    o.estimate = Duration(static_cast<Duration::rep>(scaled));
  }
  // How far an expectation was from the end, which lies in [lo, hi]: 0
  // when it was within, else the log distance to the nearer bound (the
  // midpoint `seen` is only as good as the polls were close).
  auto miss = [&](Duration expected) {
    double e = std::max(1e-3, std::chrono::duration<double>(expected).count());
    double l = std::max(1e-3, std::chrono::duration<double>(lo).count());
    double h = std::max(1e-3, std::chrono::duration<double>(hi).count());
    return e < l ? std::log(l / e) : e > h ? std::log(e / h) : 0.0;
  };
  if (t.expected > Duration(0)) {
    double d = miss(t.expected);
    global_dev_ =
        global_seen_ == 0 ? d : global_dev_ + (d - global_dev_) / std::min(global_seen_ + 1, 8);
    ++global_seen_;
  }
  if (o.seen >= 1) {
    double d = miss(o.estimate);
    o.dev = o.seen == 1 ? d : o.dev + (d - o.dev) / std::min(o.seen, 8);  // from the 2nd on
  }
  ++o.seen;
  o.weight = std::min(o.weight + 1, 8);
  o.estimate += (seen - o.estimate) / o.weight;
}

void ActionWaiter::accrue_locked(TimePoint now) {
  std::map<Client*, size_t> running;
  // Only actions that report no progress earn spare polls: progress
  // already pins the end down. Nor do actions whose owner asked for a
  // longer interval (WaitOptions::min_interval).
  for (const auto& [key, t] : tracked_)
    if (t->action.progress == 0 && t->floor <= config_.min_interval) ++running[t->client];
  for (auto it = budgets_.begin(); it != budgets_.end();) {
    Budget& b = it->second;
    double secs = std::chrono::duration<double>(now - b.updated).count();
    if (secs > 0 && b.running > 1)
      b.credit += secs * config_.spare_rate * double(b.running > 1 ? b.running : 0);
    b.credit = std::min(b.credit, config_.max_spare_credit);
    b.updated = now;
    auto r = running.find(it->first);
    b.running = r == running.end() ? 0 : r->second;
    if (b.running == 0)
      it = budgets_.erase(it);
    else
      ++it;
  }
  for (const auto& [client, n] : running) {
    auto [it, fresh] = budgets_.try_emplace(client);
    if (fresh) it->second = Budget{0, now, now, n};
  }
}

std::optional<TimePoint> ActionWaiter::spare_due_locked(const Budget& b) const {
  if (config_.spare_rate <= 0 || b.running == 0) return std::nullopt;
  // Credit is earned while several actions run, and spent even on the last.
  double rate = config_.spare_rate * double(b.running > 1 ? b.running : 0);
  TimePoint at = b.updated;
  if (b.credit < 1) {
    if (rate <= 0) return std::nullopt;
    auto ms = static_cast<std::int64_t>((1 - b.credit) / rate * 1000.0) + 1;
    at += Duration(ms);
  }
  return std::max(at, b.last_request + config_.min_interval);
}

std::optional<TimePoint> ActionWaiter::next_due_locked() const {
  std::optional<TimePoint> due;
  for (const auto& [key, t] : tracked_)
    if (!due || t->next_poll < *due) due = t->next_poll;
  for (const auto& [client, b] : budgets_)
    if (auto s = spare_due_locked(b); s && (!due || *s < *due)) due = s;
  return due;
}

ActionWaiter::ActionWaiter(WaiterConfig config, std::shared_ptr<Clock> clock)
    : config_(config), clock_(clock ? std::move(clock) : std::make_shared<RealClock>()) {
  if (config_.start_thread) thread_ = std::thread([this] { loop(); });
}

ActionWaiter::~ActionWaiter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  cancel_all();
}

ActionWaiter& ActionWaiter::process() {
  static ActionWaiter waiter;
  return waiter;
}

double ActionWaiter::trust_locked(std::string_view command) const {
  if (config_.trust_deviation <= 0) return 0;
  auto o = observed_.find(command);
  double dev = 1;
  if (o != observed_.end() && o->second.seen >= 2)
    dev = o->second.dev;
  else if (global_seen_ >= 2)
    dev = global_dev_;
  if (dev > config_.trust_deviation) return 0;
  return std::clamp(2.5 * dev, 0.02, 2.5 * config_.trust_deviation);
}

Duration ActionWaiter::interval_for(const Tracked& t, TimePoint now) const {
  auto elapsed = std::chrono::duration_cast<Duration>(now - t.registered);
  Duration expected = t.expected;
  // Progress, where the API reports it, bounds the end (see Tracked::end_lo).
  // Far from the window: halve the distance to it (later progress narrows
  // it). Close: look right after its start. Inside it: look every
  // final_interval until the end shows, which is what makes detection fast;
  // the window is about 1 % of the action's duration, so this costs a few
  // requests per action, where polling every 500 ms costs two a second
  // throughout. Past its end (progress that is not linear in time): as late.
  int p = t.action.progress;
  if (t.end_hi && p > 0 && p < 100 && elapsed <= *t.end_hi + config_.min_interval) {
    Duration lo = t.end_lo;
    Duration interval;
    if (lo - elapsed > 2 * config_.min_interval)
      interval = (lo - elapsed) / 2;
    else if (lo > elapsed)
      interval = lo - elapsed + Duration(20);
    else
      interval = config_.final_interval;
    return std::clamp(interval, std::max(config_.final_interval, t.floor),
                      std::max(config_.max_interval, t.floor));
  }
  if (t.end_hi && p > 0 && p < 100) expected = *t.end_hi;
  double tol = trust_locked(t.action.command);
  if (tol > 0 && p == 0) {
    // A trusted command (WaiterConfig::trust_deviation), no progress: look
    // where the window around the estimate opens, then often inside it.
    Duration margin =
        std::max(Duration(static_cast<Duration::rep>(static_cast<double>(expected.count()) * tol)),
                 config_.final_interval);
    Duration opens = expected - margin, closes = expected + margin;
    if (elapsed < closes) {
      Duration interval;
      if (elapsed >= opens) {
        // Inside: spend about what a quarter of 500 ms polling would spend
        // on the whole action (less a margin) on the window.
        double looks = std::max(2.0, 0.4 * std::chrono::duration<double>(expected).count());
        interval = std::clamp(Duration(static_cast<Duration::rep>(
                                  static_cast<double>((closes - opens).count()) / looks)),
                              config_.final_interval, config_.min_interval);
      } else if (opens - elapsed > 2 * config_.max_interval) {
        interval = (opens - elapsed) / 2;  // far: halve the distance (beyond max_interval)
        return std::max(interval, t.floor);
      } else {
        interval = opens - elapsed;
      }
      return std::clamp(interval, std::max(config_.final_interval, t.floor),
                        std::max(config_.max_interval, t.floor));
    }
    // Past the window: late, as below.
  }
  Duration remaining = expected - elapsed;
  Duration interval;
  if (remaining > 2 * config_.min_interval) {
    // Far from the end: halve the distance, so polls thicken towards it.
    interval = remaining / 2;
  } else if (remaining > Duration(0)) {
    // Close: look right after the expected end.
    interval = remaining + Duration(50);
  } else if (-remaining < config_.min_interval) {
    // Just late (the common case when the expectation is right): look
    // again soon, twice as often as 500 ms polling would.
    return std::max(config_.min_interval / 2, t.floor);
  } else {
    // Late: back off gently with the overrun.
    interval = std::min(config_.max_overrun_interval,
                        config_.min_interval + (-remaining) / config_.overrun_divisor);
  }
  Duration lo = std::max(config_.min_interval, t.floor);
  return std::clamp(interval, lo, std::max(config_.max_interval, lo));
}

void ActionWaiter::note_progress_locked(Tracked& t, TimePoint now) {
  auto e = std::chrono::duration_cast<Duration>(now - t.registered);
  int p = t.action.progress;
  if (p <= 0 || p >= 100 || e <= Duration(0)) return;
  Duration lo = e * 100 / (p + 1), hi = e * 100 / p;
  if (t.end_hi && std::max(lo, t.end_lo) <= std::min(hi, *t.end_hi)) {
    t.end_lo = std::max({lo, t.end_lo, e});
    t.end_hi = std::min(hi, *t.end_hi);
  } else {
    // The first report, or one that contradicts the earlier ones
    // (progress not linear in time): this look alone.
    t.end_lo = std::max(lo, e);
    t.end_hi = hi;
  }
}

std::future<Result<Action>> ActionWaiter::wait(Client& client, const Action& action,
                                               WaitOptions opts) {
  auto t = std::make_shared<Tracked>();
  auto future = t->promise.get_future();
  if (!action.running()) {
    if (action.failed())
      t->promise.set_value(action_failed(action));
    else
      t->promise.set_value(action);
    return future;
  }
  t->client = &client;
  t->action = action;
  t->registered = clock_->now();
  t->last_running = t->registered;
  t->on_progress = std::move(opts.on_progress);
  // Up to the waiter's own floor it changes nothing (the hcloud builder's
  // default poll_interval, 500 ms, must not slow the final looks).
  t->floor = opts.min_interval > config_.min_interval ? opts.min_interval : Duration(0);
  std::uint64_t key;
  {
    std::lock_guard lock(mu_);
    key = next_key_++;
    t->key = key;
    t->expected = expected_locked(action.command);

    t->next_poll = t->registered + interval_for(*t, t->registered);
    if (config_.probe_until_observed && speed_weight_ == 0)
      t->next_poll =
          std::min(t->next_poll, t->registered + std::max(config_.min_interval, t->floor));
  }
  if (opts.stop.stop_possible()) {
    // Set up before the poller can see the entry (it resets the callback
    // when done). Runs at once if stop was already requested; the entry is
    // not registered yet then, hence the check below.
    t->stop_cb = std::make_unique<std::stop_callback<std::function<void()>>>(
        opts.stop, std::function<void()>([this, key] { cancel(key); }));
  }
  {
    std::lock_guard lock(mu_);
    accrue_locked(clock_->now());
    tracked_[key] = t;
    accrue_locked(clock_->now());
  }
  if (opts.stop.stop_requested()) cancel(key);
  cv_.notify_all();
  return future;
}

Status ActionWaiter::wait_all(Client& client, const std::vector<Action>& actions,
                              WaitOptions opts) {
  std::vector<std::future<Result<Action>>> futures;
  futures.reserve(actions.size());
  for (const auto& a : actions) futures.push_back(wait(client, a, opts));
  std::optional<Error> first;
  for (auto& f : futures) {
    auto r = f.get();
    if (!r.ok() && !first) first = r.error();
  }
  if (first) return *first;
  return Unit{};
}

void ActionWaiter::finish(std::vector<Completion>& done) {
  for (auto& [t, result] : done) {
    t->promise.set_value(std::move(result));
    t->stop_cb.reset();  // outside the lock: it may be waiting for a running callback
  }
  done.clear();
}

void ActionWaiter::cancel(std::uint64_t key) {
  std::shared_ptr<Tracked> t;
  {
    std::lock_guard lock(mu_);
    auto it = tracked_.find(key);
    if (it == tracked_.end()) return;
    t = it->second;
    tracked_.erase(it);
    accrue_locked(clock_->now());
  }
  // Not finish(): this may run inside the stop callback itself.
  t->promise.set_value(cancelled(t->action));
  cv_.notify_all();
}

void ActionWaiter::cancel_all() {
  std::vector<Completion> done;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, t] : tracked_) done.emplace_back(t, cancelled(t->action));
    tracked_.clear();
    budgets_.clear();
  }
  finish(done);
}

std::optional<TimePoint> ActionWaiter::next_due() const {
  std::lock_guard lock(mu_);
  return next_due_locked();
}

size_t ActionWaiter::outstanding() const {
  std::lock_guard lock(mu_);
  return tracked_.size();
}

std::uint64_t ActionWaiter::requests_sent() const {
  std::lock_guard lock(mu_);
  return requests_;
}

int ActionWaiter::run_due() {
  // Which action ids to fetch, per client: every due one, and as many not
  // yet due ones (soonest first) as fit in the last request for free.
  std::map<Client*, std::vector<std::int64_t>> batches;
  {
    std::lock_guard lock(mu_);
    TimePoint now = clock_->now();
    accrue_locked(now);
    std::map<Client*, std::vector<std::shared_ptr<Tracked>>> by_client;
    for (auto& [key, t] : tracked_) by_client[t->client].push_back(t);
    for (auto& [client, list] : by_client) {
      std::sort(list.begin(), list.end(),
                [](const auto& a, const auto& b) { return a->next_poll < b->next_poll; });
      std::vector<std::int64_t> ids;
      std::set<std::int64_t> seen;
      size_t due = 0;
      for (const auto& t : list) {
        if (t->next_poll > now) break;
        ++due;
        if (seen.insert(t->action.id).second) ids.push_back(t->action.id);
      }
      auto b = budgets_.find(client);
      auto spare = b == budgets_.end() ? std::nullopt : spare_due_locked(b->second);
      if (spare && *spare <= now) {
        // A spare poll the client has earned: its whole batch.
        for (const auto& t : list)
          if (seen.insert(t->action.id).second) ids.push_back(t->action.id);
      } else if (due == 0) {
        continue;
      }
      for (size_t i = due;
           i < list.size() && (ids.empty() || ids.size() % kMaxActionIdsPerRequest != 0); ++i) {
        // Only worth it when the action would be due before long anyway.
        if (seen.insert(list[i]->action.id).second) ids.push_back(list[i]->action.id);
      }
      batches[client] = std::move(ids);
    }
  }

  int sent = 0;
  std::vector<Completion> done;
  std::vector<std::pair<std::function<void(const Action&)>, Action>> progress;
  for (auto& [client, ids] : batches) {
    for (size_t i = 0; i < ids.size(); i += kMaxActionIdsPerRequest) {
      std::vector<std::int64_t> chunk(ids.begin() + static_cast<std::ptrdiff_t>(i),
                                      ids.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                        ids.size(), i + kMaxActionIdsPerRequest)));
      auto r = client->actions().get_many(chunk);
      ++sent;
      std::lock_guard lock(mu_);
      ++requests_;
      TimePoint now = clock_->now();
      accrue_locked(now);
      if (auto b = budgets_.find(client); b != budgets_.end()) {
        b->second.credit -= 1;  // scheduled polls spend the budget too
        b->second.last_request = now;
      }
      std::map<std::int64_t, const Action*> got;
      if (r.ok())
        for (const auto& a : r.value()) got[a.id] = &a;
      std::set<std::int64_t> wanted(chunk.begin(), chunk.end());
      for (auto it = tracked_.begin(); it != tracked_.end();) {
        auto& t = it->second;
        if (t->client != client || !wanted.count(t->action.id)) {
          ++it;
          continue;
        }
        if (!r.ok()) {
          // The client already retried what was worth retrying.
          Error e = r.error();
          done.emplace_back(t, std::move(e));
          it = tracked_.erase(it);
          continue;
        }
        auto g = got.find(t->action.id);
        if (g == got.end()) {
          if (++t->missing >= config_.max_missing) {
            Error e;
            e.kind = ErrorKind::kMalformed;
            e.code = "not_found";
            e.message = fmt::format("action {} is missing from the answers", t->action.id);
            e.request = fmt::format("GET /actions?id={}", t->action.id);
            done.emplace_back(t, std::move(e));
            it = tracked_.erase(it);
            continue;
          }
          t->next_poll = now + std::max(config_.min_interval, t->floor);
          ++it;
          continue;
        }
        t->missing = 0;
        const Action& a = *g->second;
        bool changed = a.progress != t->action.progress || a.status != t->action.status;
        t->action = a;
        if (changed && t->on_progress) progress.emplace_back(t->on_progress, a);
        if (!a.running()) {
          if (a.failed()) {
            done.emplace_back(t, action_failed(a));
          } else {
            observe_locked(*t, now);
            done.emplace_back(t, a);
          }
          it = tracked_.erase(it);
          continue;
        }
        t->last_running = now;
        note_progress_locked(*t, now);
        // A ride-along (or spare) poll counts as the action's poll: the
        // schedule goes on from what it saw.
        TimePoint planned = now + interval_for(*t, now);
        t->next_poll = planned;
        ++it;
      }
      accrue_locked(now);  // the finished ones no longer earn requests
    }
  }
  for (auto& [fn, a] : progress) fn(a);
  finish(done);
  return sent;
}

void ActionWaiter::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    std::optional<TimePoint> due = next_due_locked();
    if (!due) {
      cv_.wait(lock);
      continue;
    }
    auto wait = *due - clock_->now();
    if (wait > std::chrono::steady_clock::duration::zero()) {
      cv_.wait_for(lock, wait);
      continue;
    }
    lock.unlock();
    run_due();
    lock.lock();
  }
}

}  // namespace hcloud
