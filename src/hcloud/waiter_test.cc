// The process-wide action waiter: batched polling, schedule, progress,
// failures, cancellation. Time is simulated; the waiter is driven by hand.
#include <gtest/gtest.h>

#include <map>

#include "hcloud/hcloud.h"
#include "hcloud/test_fixtures.h"

namespace hcloud {
namespace {

using testing::CannedResponse;
using testing::TestServer;
using Json = nlohmann::json;

// Actions that finish after known durations of simulated time.
struct SimulatedActions {
  struct Sim {
    std::string command;
    TimePoint start;
    Duration duration;
    bool fails = false;
    bool vanished = false;
  };
  explicit SimulatedActions(std::shared_ptr<Clock> c) : clock(std::move(c)) {}
  std::shared_ptr<Clock> clock;
  std::mutex mu;
  std::map<std::int64_t, Sim> sims;
  std::vector<size_t> ids_per_request;
  bool report_progress = true;  // false: 0 until done, as many actions do

  Json state(std::int64_t id, const Sim& s) {
    auto elapsed = clock->now() - s.start;
    bool done = elapsed >= s.duration;
    int progress = done ? 100
                        : static_cast<int>(100 * std::chrono::duration<double>(elapsed).count() /
                                           std::chrono::duration<double>(s.duration).count());
    if (!report_progress && !done) progress = 0;
    return testing::action_json(id, s.command, done ? (s.fails ? "error" : "success") : "running",
                                progress);
  }
  Action add(std::int64_t id, std::string command, Duration d, bool fails = false) {
    std::lock_guard lock(mu);
    sims[id] = Sim{command, clock->now(), d, fails};
    Action a;
    a.id = id;
    a.command = command;
    a.status = "running";
    return a;
  }
  CannedResponse handle(const testing::RecordedRequest& r) {
    std::lock_guard lock(mu);
    if (r.path != "/actions") return CannedResponse::error(404, "not_found", "no");
    Json out = Json::array();
    auto ids = r.params("id");
    ids_per_request.push_back(ids.size());
    for (const auto& s : ids) {
      auto it = sims.find(std::stoll(s));
      if (it != sims.end() && !it->second.vanished) out.push_back(state(it->first, it->second));
    }
    return CannedResponse::json(200, {{"actions", out}});
  }
};

struct WaiterTest : ::testing::Test {
  TestServer server;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  SimulatedActions sim{clock};
  Client client{testing::test_options(server, clock)};
  ActionWaiter waiter{WaiterConfig{.start_thread = false}, clock};

  void SetUp() override {
    server.set_handler([this](const testing::RecordedRequest& r) { return sim.handle(r); });
  }
  // Advances simulated time from poll to poll until nothing is outstanding.
  void drive(std::function<void()> after_each = {}) {
    for (int guard = 0; guard < 100'000; ++guard) {
      auto due = waiter.next_due();
      if (!due) return;
      clock->set(*due);
      waiter.run_due();
      if (after_each) after_each();
    }
    FAIL() << "waiter did not finish";
  }
};

TEST_F(WaiterTest, ManyActionsArePolledTogetherInBatchesOf25) {
  const int n = 60;
  std::vector<std::future<Result<Action>>> futures;
  std::vector<TimePoint> finished(n);
  std::vector<bool> done(n, false);
  for (int i = 0; i < n; ++i)
    futures.push_back(
        waiter.wait(client, sim.add(100 + i, "create_server", Duration(12'000 + 100 * i))));
  drive([&] {
    for (int i = 0; i < n; ++i) {
      if (!done[i] && futures[i].wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        done[i] = true;
        finished[i] = clock->now();
      }
    }
  });
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(done[i]);
    auto r = futures[i].get();
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_TRUE(r->succeeded());
    // Detected no later than 500 ms polling would have.
    auto latency = finished[i] - (TimePoint{} + Duration(12'000 + 100 * i));
    EXPECT_LE(latency, Duration(500)) << "action " << i;
  }
  for (size_t ids : sim.ids_per_request) EXPECT_LE(ids, 25u);
  // Polling each action every 500 ms would cost about n * 25 requests.
  const size_t naive = static_cast<size_t>(n) * 25;
  EXPECT_LT(server.request_count() * 4, naive) << server.request_count() << " requests";
  EXPECT_EQ(waiter.requests_sent(), server.request_count());
}

TEST_F(WaiterTest, ScheduleFollowsTheCommand) {
  // Once the cloud's speed is known (here: as the table says), a snapshot
  // is first looked at much later than a server start.
  auto warm = waiter.wait(client, sim.add(9, "start_server", Duration(10'000)));
  drive();
  ASSERT_TRUE(warm.get().ok());
  const size_t warmup_requests = server.request_count();
  auto img = waiter.wait(client, sim.add(1, "create_image", Duration(600'000)));
  auto first_image = *waiter.next_due();
  waiter.cancel_all();
  auto srv = waiter.wait(client, sim.add(2, "start_server", Duration(5'000)));
  auto first_start = *waiter.next_due();
  waiter.cancel_all();
  EXPECT_GT(first_image - clock->now(), first_start - clock->now());
  EXPECT_GE(first_image - clock->now(), Duration(8'000));
  EXPECT_LE(first_start - clock->now(), Duration(6'000));
  EXPECT_EQ(server.request_count(), warmup_requests);
}

TEST_F(WaiterTest, FirstActionsAreProbedEarlyUntilOneEnds) {
  // Nothing seen yet: even a snapshot gets a look after min_interval...
  auto img = waiter.wait(client, sim.add(1, "create_image", Duration(600'000)));
  EXPECT_EQ(*waiter.next_due() - clock->now(), WaiterConfig{}.min_interval);
  waiter.cancel_all();
  // ...which a waiter configured without the probe does not spend.
  ActionWaiter plain{WaiterConfig{.start_thread = false, .probe_until_observed = false}, clock};
  auto img2 = plain.wait(client, sim.add(2, "create_image", Duration(600'000)));
  EXPECT_GE(*plain.next_due() - clock->now(), Duration(8'000));
  plain.cancel_all();
}

TEST_F(WaiterTest, AMinimumIntervalSpacesTheLooksAtAnAction) {
  // poll_interval = "3s": a 10 s server start with progress is looked at
  // no more often than every 3 s (the first look too), and still seen done.
  std::vector<TimePoint> looks;
  server.set_handler([this, &looks](const testing::RecordedRequest& r) {
    looks.push_back(clock->now());
    return sim.handle(r);
  });
  WaitOptions o;
  o.min_interval = Duration(3'000);
  auto f = waiter.wait(client, sim.add(1, "start_server", Duration(10'000)), o);
  const TimePoint registered = clock->now();
  drive();
  auto r = f.get();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->succeeded());
  ASSERT_FALSE(looks.empty());
  EXPECT_GE(looks.front() - registered, Duration(3'000));
  for (size_t i = 1; i < looks.size(); ++i) EXPECT_GE(looks[i] - looks[i - 1], Duration(3'000));
  // A fresh waiter without it looks sooner (its 500 ms probe) and more often.
  const size_t with_floor = looks.size();
  looks.clear();
  ActionWaiter plain{WaiterConfig{.start_thread = false}, clock};
  auto g = plain.wait(client, sim.add(2, "start_server", Duration(10'000)));
  const TimePoint again = clock->now();
  while (auto due = plain.next_due()) {
    clock->set(*due);
    plain.run_due();
  }
  ASSERT_TRUE(g.get().ok());
  ASSERT_FALSE(looks.empty());
  EXPECT_LT(looks.front() - again, Duration(3'000));
  EXPECT_GT(looks.size(), with_floor);
}

TEST_F(WaiterTest, TheDefaultPollIntervalLeavesTheFinalLooksFast) {
  // poll_interval's default (500 ms, the waiter's own floor) changes
  // nothing: once progress pins the end of an action down, looks come every
  // final_interval and each end is seen within it, whatever the duration.
  for (int i = 0; i < 10; ++i) {
    SCOPED_TRACE(i);
    const Duration d(9'130 + 97 * i);
    WaitOptions o;
    o.min_interval = Duration(500);
    const TimePoint start = clock->now();
    auto f = waiter.wait(client, sim.add(1 + i, "start_server", d), o);
    TimePoint seen{};
    drive([&] {
      if (seen == TimePoint{} && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
        seen = clock->now();
    });
    ASSERT_TRUE(f.get().ok());
    EXPECT_LE(seen - (start + d), WaiterConfig{}.final_interval);
  }
}

TEST_F(WaiterTest, ACommandThatKeepsToItsDurationIsWatchedInItsWindow) {
  // No progress reported. Start_server keeps to the table (10 s, within
  // 0.5 %): once four have ended, a fifth that ends 3.5 % early is seen within
  // 200 ms of its end, where looking right after the expected end would
  // see it ~250 ms late; and it costs no more than a quarter of the
  // 20 looks that polling every 500 ms would spend on it.
  sim.report_progress = false;
  const int warm[] = {9'950, 10'050, 9'980, 10'020};
  for (int i = 0; i < 4; ++i) {
    auto f = waiter.wait(client, sim.add(1 + i, "start_server", Duration(warm[i])));
    drive();
    ASSERT_TRUE(f.get().ok());
  }
  const size_t before = server.request_count();
  const TimePoint start = clock->now();
  const Duration d(9'650);
  auto f = waiter.wait(client, sim.add(5, "start_server", d));
  TimePoint seen{};
  drive([&] {
    if (seen == TimePoint{} && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
      seen = clock->now();
  });
  ASSERT_TRUE(f.get().ok());
  EXPECT_LE(seen - (start + d), Duration(200));
  EXPECT_LE(server.request_count() - before, 5u);
  // A waiter that does not trust (trust_deviation 0) sees it later.
  ActionWaiter plain{WaiterConfig{.start_thread = false, .trust_deviation = 0}, clock};
  for (int i = 0; i < 4; ++i) {
    auto g = plain.wait(client, sim.add(11 + i, "start_server", Duration(warm[i])));
    while (auto due = plain.next_due()) {
      clock->set(*due);
      plain.run_due();
    }
    ASSERT_TRUE(g.get().ok());
  }
  const TimePoint start2 = clock->now();
  auto g = plain.wait(client, sim.add(15, "start_server", d));
  TimePoint seen2{};
  while (auto due = plain.next_due()) {
    clock->set(*due);
    plain.run_due();
    if (seen2 == TimePoint{} && g.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
      seen2 = clock->now();
  }
  ASSERT_TRUE(g.get().ok());
  EXPECT_GT(seen2 - (start2 + d), seen - (start + d));
}

TEST_F(WaiterTest, AFastCloudIsLearnedAcrossCommands) {
  // kiln local at --time-scale 0: every action ends within milliseconds.
  auto srv = waiter.wait(client, sim.add(1, "create_server", Duration(20)));
  drive();
  ASSERT_TRUE(srv.get().ok());
  EXPECT_LT(waiter.speed(), 0.1);
  // A snapshot, never seen before, is now expected in a fraction of the
  // table's two minutes, and found done at the first look.
  EXPECT_LT(waiter.expected_for("create_image"), Duration(10'000));
  auto before = server.request_count();
  auto start = clock->now();
  auto img = waiter.wait(client, sim.add(2, "create_image", Duration(50)));
  drive();
  ASSERT_TRUE(img.get().ok());
  EXPECT_LE(clock->now() - start, Duration(1'000));
  EXPECT_EQ(server.request_count() - before, 1u);
}

TEST_F(WaiterTest, ProgressSeenAtTheFirstLookPinsTheEnd) {
  // A create that ends at 1.5 s (kiln local at --time-scale 0.1) reports
  // a third done at the 500 ms probe: the next look is at its end, not
  // at the table's schedule (15 s expected: 8 s later).
  auto start = clock->now();
  auto f = waiter.wait(client, sim.add(1, "create_server", Duration(1'500)));
  drive();
  ASSERT_TRUE(f.get().ok());
  EXPECT_LE(clock->now() - start, Duration(2'000));
  EXPECT_LE(server.request_count(), 3u);
}

TEST_F(WaiterTest, ATableSpeedCloudKeepsTheTable) {
  // A real-cloud create (12 s against the table's 15 s) barely moves the
  // other commands' expectations.
  auto srv = waiter.wait(client, sim.add(1, "create_server", Duration(12'000)));
  drive();
  ASSERT_TRUE(srv.get().ok());
  EXPECT_GT(waiter.speed(), 0.5);
  EXPECT_LT(waiter.speed(), 1.5);
  EXPECT_GT(waiter.expected_for("create_image"), Duration(60'000));
}

TEST_F(WaiterTest, LongActionCostsFewRequests) {
  auto f = waiter.wait(client, sim.add(1, "create_image", Duration(180'000)));
  drive();
  auto r = f.get();
  ASSERT_TRUE(r.ok());
  // 500 ms polling would have cost 360 requests.
  EXPECT_LT(server.request_count(), 40u) << server.request_count();
}

TEST_F(WaiterTest, FailedActionCarriesItsError) {
  auto f = waiter.wait(client, sim.add(5, "enable_rescue", Duration(2'000), /*fails=*/true));
  drive();
  auto r = f.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kActionFailed);
  EXPECT_EQ(r.error().code, "action_failed");
  EXPECT_EQ(r.error().message, "Action failed");
  EXPECT_EQ(r.error().request, "action 5 (enable_rescue)");
}

TEST_F(WaiterTest, ProgressIsReported) {
  std::vector<int> seen;
  WaitOptions o;
  o.on_progress = [&](const Action& a) { seen.push_back(a.progress); };
  auto f = waiter.wait(client, sim.add(6, "create_image", Duration(120'000)), o);
  drive();
  ASSERT_TRUE(f.get().ok());
  ASSERT_GE(seen.size(), 3u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.back(), 100);
}

TEST_F(WaiterTest, CancellationCompletesTheWaitAndStopsPolling) {
  std::stop_source stop;
  WaitOptions o;
  o.stop = stop.get_token();
  auto f = waiter.wait(client, sim.add(7, "create_server", Duration(20'000)), o);
  auto other = waiter.wait(client, sim.add(8, "create_server", Duration(20'000)));
  clock->set(*waiter.next_due());
  waiter.run_due();
  stop.request_stop();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  auto r = f.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
  EXPECT_EQ(waiter.outstanding(), 1u);
  drive();
  ASSERT_TRUE(other.get().ok());
  // Once cancelled, action 7 was not asked for again.
  auto reqs = server.requests();
  auto ids = reqs.back().params("id");
  EXPECT_EQ(ids, std::vector<std::string>{"8"});
}

TEST_F(WaiterTest, StopRequestedBeforeRegistering) {
  std::stop_source stop;
  stop.request_stop();
  WaitOptions o;
  o.stop = stop.get_token();
  auto f = waiter.wait(client, sim.add(9, "create_server", Duration(20'000)), o);
  auto r = f.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kCancelled);
  EXPECT_EQ(waiter.outstanding(), 0u);
}

TEST_F(WaiterTest, VanishedActionFailsAfterAFewPolls) {
  auto f = waiter.wait(client, sim.add(10, "reset_server", Duration(2'000)));
  sim.sims[10].vanished = true;
  drive();
  auto r = f.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "not_found");
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(WaiterTest, FinishedActionsNeedNoRequest) {
  Action done;
  done.id = 1;
  done.command = "create_server";
  done.status = "success";
  ASSERT_TRUE(waiter.wait(client, done).get().ok());
  done.status = "error";
  done.error_code = "action_failed";
  done.error_message = "boom";
  EXPECT_EQ(waiter.wait(client, done).get().error().message, "boom");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(WaiterTest, PollErrorsFailTheWaits) {
  server.push(CannedResponse::error(401, "unauthorized", "unable to authenticate"));
  auto f = waiter.wait(client, sim.add(11, "reset_server", Duration(2'000)));
  drive();
  auto r = f.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "unauthorized");
}

TEST_F(WaiterTest, ActionsOfTwoProjectsGoToTheirOwnClients) {
  TestServer other_server;
  SimulatedActions other_sim{clock};
  other_server.set_handler([&](const testing::RecordedRequest& r) { return other_sim.handle(r); });
  Client other(testing::test_options(other_server, clock));
  auto a = waiter.wait(client, sim.add(1, "create_server", Duration(9'000)));
  auto b = waiter.wait(other, other_sim.add(2, "create_server", Duration(9'000)));
  drive();
  EXPECT_TRUE(a.get().ok());
  EXPECT_TRUE(b.get().ok());
  for (const auto& r : server.requests()) EXPECT_EQ(r.params("id"), std::vector<std::string>{"1"});
  for (const auto& r : other_server.requests())
    EXPECT_EQ(r.params("id"), std::vector<std::string>{"2"});
  EXPECT_GT(other_server.request_count(), 0u);
}

TEST(WaiterThread, BackgroundThreadCompletesFutures) {
  TestServer server;
  auto clock = std::make_shared<RealClock>();
  SimulatedActions sim{clock};
  server.set_handler([&](const testing::RecordedRequest& r) { return sim.handle(r); });
  auto opts = testing::test_options(server, clock);
  Client client(opts);
  ActionWaiter waiter(WaiterConfig{.min_interval = Duration(10), .max_interval = Duration(50)},
                      clock);
  std::vector<std::future<Result<Action>>> fs;
  for (int i = 0; i < 5; ++i) fs.push_back(waiter.wait(client, sim.add(i + 1, "x", Duration(100))));
  for (auto& f : fs) {
    ASSERT_EQ(f.wait_for(std::chrono::seconds(20)), std::future_status::ready);
    EXPECT_TRUE(f.get().ok());
  }
  Status all =
      waiter.wait_all(client, {sim.add(20, "x", Duration(50)), sim.add(21, "x", Duration(80))});
  EXPECT_TRUE(all.ok());
}

}  // namespace
}  // namespace hcloud

namespace hcloud {
namespace {

TEST_F(WaiterTest, LearnsTheDurationOfACommandFromItsCompletions) {
  // The table says a server create takes 15 s; this project's take 4 s.
  EXPECT_EQ(waiter.expected_for("create_server"), ActionWaiter::expected_duration("create_server"));
  auto first = waiter.wait(client, sim.add(1, "create_server", Duration(4'000)));
  drive();
  ASSERT_TRUE(first.get().ok());
  Duration learned = waiter.expected_for("create_server");
  EXPECT_LT(learned, ActionWaiter::expected_duration("create_server"));
  for (int i = 0; i < 10; ++i) {
    auto f = waiter.wait(client, sim.add(10 + i, "create_server", Duration(4'000)));
    drive();
    ASSERT_TRUE(f.get().ok());
  }
  // Converges on what it sees (the end is only known to a poll interval).
  EXPECT_LT(waiter.expected_for("create_server"), Duration(5'500));
  EXPECT_GT(waiter.expected_for("create_server"), Duration(2'500));
  // Other commands are scaled by the speed seen (about 4/15 here), not
  // taken from this command; failures teach nothing.
  Duration image = waiter.expected_for("create_image");
  EXPECT_LT(image, ActionWaiter::expected_duration("create_image") / 2);
  EXPECT_GT(image, ActionWaiter::expected_duration("create_image") / 10);
  Duration rescue = waiter.expected_for("enable_rescue");
  auto failing = waiter.wait(client, sim.add(200, "enable_rescue", Duration(500), true));
  drive();
  EXPECT_FALSE(failing.get().ok());
  EXPECT_EQ(waiter.expected_for("enable_rescue"), rescue);
}

// Six snapshots, reporting no progress, that end at 20-25 s, far sooner
// than a snapshot usually does (120 s): the schedule alone looks at them
// every 8 s by then; the requests the batch earns (1/4 of Packer's rate,
// less a margin) watch them closely instead.
std::pair<Duration, size_t> snapshots_ending_early(double spare_rate) {
  TestServer server;
  auto clock = std::make_shared<FakeClock>();
  SimulatedActions sim{clock};
  sim.report_progress = false;
  server.set_handler([&](const testing::RecordedRequest& r) { return sim.handle(r); });
  Client client{testing::test_options(server, clock)};
  WaiterConfig config{.start_thread = false};
  config.spare_rate = spare_rate;
  ActionWaiter waiter{config, clock};
  std::vector<std::future<Result<Action>>> futures;
  std::vector<Duration> ends;
  double naive = 0;
  for (int i = 0; i < 6; ++i) {
    Duration d(20'000 + 1'100 * i);
    ends.push_back(d);
    naive += std::chrono::duration<double>(d).count() * 2;
    futures.push_back(waiter.wait(client, sim.add(1 + i, "create_image", d)));
  }
  TimePoint t0 = clock->now();
  Duration worst{0};
  std::vector<bool> done(6, false);
  for (int guard = 0; guard < 100'000 && waiter.outstanding() > 0; ++guard) {
    clock->set(*waiter.next_due());
    waiter.run_due();
    for (size_t i = 0; i < 6; ++i) {
      if (done[i] || futures[i].wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        continue;
      done[i] = true;
      EXPECT_TRUE(futures[i].get().ok());
      worst = std::max(worst, std::chrono::duration_cast<Duration>(clock->now() - t0 - ends[i]));
    }
  }
  EXPECT_LE(static_cast<double>(server.request_count()) * 4, naive);
  return {worst, server.request_count()};
}

TEST(WaiterSpare, SeveralActionsAreWatchedCloselyWithinAQuarterOfPackersRequests) {
  auto [worst, requests] = snapshots_ending_early(WaiterConfig{}.spare_rate);
  EXPECT_LE(worst, Duration(1'000)) << requests << " requests";
  auto [worst_without, requests_without] = snapshots_ending_early(0);
  EXPECT_GT(worst_without, Duration(2'000)) << requests_without << " requests";
  EXPECT_LT(requests_without, requests);
}

}  // namespace
}  // namespace hcloud
