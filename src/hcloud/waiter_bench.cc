// Benchmark: requests spent and time to detect completion when waiting on N
// concurrent actions of known durations, kiln's waiter against polling each
// action every 500 ms (Packer's default), both against the scripted server
// on 127.0.0.1 with simulated time.
//
//   hcloud_waiter_bench [N...]      (default: 1 4 10 25 100)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "hcloud/hcloud.h"
#include "hcloud/test_server.h"

namespace {

using hcloud::Duration;
using hcloud::TimePoint;
using hcloud::testing::CannedResponse;
using Json = nlohmann::json;

struct Spec {
  std::int64_t id;
  std::string command;
  Duration start;  // offset from the scenario start
  Duration duration;
};

enum class Spread {
  kWide,       // each action's duration drawn from a wide range around the waiter's table
  kClustered,  // one typical duration per command and run (0.5x..2x the table), each action +-10 %
  kKnown       // the table's duration per command (the waiter's expectation), each action +-3 %
};

// Actions as a build would produce them, with durations around (not equal
// to) the waiter's expectations, and staggered starts.
std::vector<Spec> scenario(int n, std::uint64_t seed, Spread spread) {
  std::mt19937_64 rng(seed);
  struct Kind {
    const char* command;
    int lo_ms, hi_ms;
  };
  const Kind kinds[] = {{"create_server", 8'000, 30'000},
                        {"start_server", 4'000, 15'000},
                        {"shutdown_server", 1'000, 8'000},
                        {"create_image", 40'000, 300'000},
                        {"enable_rescue", 1'000, 5'000}};
  std::map<std::string, double> typical;
  std::uniform_real_distribution<double> factor(0.5, 2.0), jitter(0.9, 1.1), known(0.97, 1.03);
  for (const auto& k : kinds)
    typical[k.command] =
        factor(rng) *
        static_cast<double>(hcloud::ActionWaiter::expected_duration(k.command).count());
  std::vector<Spec> out;
  for (int i = 0; i < n; ++i) {
    const Kind& k = kinds[i % 5];
    std::uniform_int_distribution<int> d(k.lo_ms, k.hi_ms), s(0, 30'000);
    Duration start(s(rng));
    Duration dur =
        spread == Spread::kWide ? Duration(d(rng))
        : spread == Spread::kKnown
            ? Duration(static_cast<std::int64_t>(
                  static_cast<double>(hcloud::ActionWaiter::expected_duration(k.command).count()) *
                  known(rng)))
            : Duration(static_cast<std::int64_t>(typical[k.command] * jitter(rng)));
    out.push_back({1000 + i, k.command, start, dur});
  }
  return out;
}

struct Outcome {
  size_t requests = 0;
  double mean_latency_ms = 0;
  double max_latency_ms = 0;
  size_t actions = 0;
  void add(const Outcome& o) {  // pools runs: requests summed, latency over all actions
    double sum = mean_latency_ms * static_cast<double>(actions) +
                 o.mean_latency_ms * static_cast<double>(o.actions);
    requests += o.requests;
    actions += o.actions;
    mean_latency_ms = sum / static_cast<double>(actions);
    max_latency_ms = std::max(max_latency_ms, o.max_latency_ms);
  }
};

// The scripted API: actions progress linearly over simulated time (or
// report 0 until done, when `progress` is false).
class SimApi {
 public:
  SimApi(std::shared_ptr<hcloud::FakeClock> clock, const std::vector<Spec>& specs, bool progress)
      : clock_(std::move(clock)), progress_(progress) {
    for (const auto& s : specs) specs_[s.id] = s;
  }
  Json state(const Spec& s) {
    auto now = clock_->now() - TimePoint{};
    auto elapsed = now - s.start;
    bool done = elapsed >= s.duration;
    int progress = done ? 100
                        : static_cast<int>(100.0 * std::chrono::duration<double>(elapsed).count() /
                                           std::chrono::duration<double>(s.duration).count());
    return {{"id", s.id},
            {"command", s.command},
            {"status", done ? "success" : "running"},
            {"progress", progress_ || done ? std::max(0, progress) : 0},
            {"started", "2026-11-25T08:00:00Z"},
            {"finished", done ? Json("2026-11-25T08:01:00Z") : Json(nullptr)},
            {"resources", Json::array()},
            {"error", nullptr}};
  }
  CannedResponse handle(const hcloud::testing::RecordedRequest& r) {
    std::lock_guard lock(mu_);
    if (r.path == "/actions") {
      Json list = Json::array();
      for (const auto& id : r.params("id")) list.push_back(state(specs_.at(std::stoll(id))));
      if (std::getenv("BENCH_TRACE")) {
        std::printf("  t=%.3f", std::chrono::duration<double>(clock_->now() - TimePoint{}).count());
        for (const auto& a : list)
          std::printf(" %lld:%s:%d", static_cast<long long>(a["id"].get<std::int64_t>()),
                      a["status"].get<std::string>().c_str(), a["progress"].get<int>());
        std::printf("\n");
      }
      return CannedResponse::json(200, {{"actions", list}});
    }
    auto id = std::stoll(r.path.substr(std::string("/actions/").size()));
    return CannedResponse::json(200, {{"action", state(specs_.at(id))}});
  }

 private:
  std::shared_ptr<hcloud::FakeClock> clock_;
  bool progress_;
  std::mutex mu_;
  std::map<std::int64_t, Spec> specs_;
};

hcloud::ClientOptions options(const hcloud::testing::TestServer& server,
                              std::shared_ptr<hcloud::Clock> clock) {
  hcloud::ClientOptions o;
  o.endpoint = server.endpoint();
  o.token = "bench";
  o.clock = std::move(clock);
  o.logger = std::make_shared<hcloud::Logger>();
  return o;
}

hcloud::Action running(const Spec& s) {
  hcloud::Action a;
  a.id = s.id;
  a.command = s.command;
  a.status = "running";
  return a;
}

void account(Outcome& out, const std::vector<Spec>& specs,
             const std::map<std::int64_t, Duration>& seen) {
  double sum = 0;
  for (const auto& s : specs) {
    double lat =
        std::chrono::duration<double, std::milli>(seen.at(s.id) - (s.start + s.duration)).count();
    sum += lat;
    if (std::getenv("BENCH_VERBOSE") && lat > 500)
      std::printf("  late: %s dur=%lld lat=%.0f\n", s.command.c_str(),
                  static_cast<long long>(s.duration.count()), lat);
    out.max_latency_ms = std::max(out.max_latency_ms, lat);
  }
  out.mean_latency_ms = sum / static_cast<double>(specs.size());
  out.actions = specs.size();
}

// Packer: every action polled on its own, GET /actions/{id} every 500 ms.
Outcome naive(const std::vector<Spec>& specs, bool progress) {
  hcloud::testing::TestServer server;
  auto clock = std::make_shared<hcloud::FakeClock>();
  SimApi api(clock, specs, progress);
  server.set_handler([&](const auto& r) { return api.handle(r); });
  hcloud::Client client(options(server, clock));
  std::map<std::int64_t, Duration> next, seen;
  for (const auto& s : specs) next[s.id] = s.start + Duration(500);
  while (!next.empty()) {
    auto it = std::min_element(next.begin(), next.end(),
                               [](const auto& a, const auto& b) { return a.second < b.second; });
    clock->set(TimePoint{} + it->second);
    auto r = client.actions().get(it->first);
    if (r.ok() && r.value() && !r.value()->running()) {
      seen[it->first] = it->second;
      next.erase(it);
    } else {
      it->second += Duration(500);
    }
  }
  Outcome out;
  out.requests = server.request_count();
  account(out, specs, seen);
  return out;
}

// kiln: one waiter for everything.
Outcome kiln(const std::vector<Spec>& specs, bool progress) {
  hcloud::testing::TestServer server;
  auto clock = std::make_shared<hcloud::FakeClock>();
  SimApi api(clock, specs, progress);
  server.set_handler([&](const auto& r) { return api.handle(r); });
  hcloud::Client client(options(server, clock));
  hcloud::WaiterConfig config{.start_thread = false};
  if (const char* v = std::getenv("BENCH_MAX_MS")) config.max_interval = Duration(std::atoi(v));
  if (const char* v = std::getenv("BENCH_OVERRUN_MS"))
    config.max_overrun_interval = Duration(std::atoi(v));
  if (const char* v = std::getenv("BENCH_DIV")) config.overrun_divisor = std::atoi(v);
  if (const char* v = std::getenv("BENCH_SPARE")) config.spare_rate = std::atof(v);
  if (const char* v = std::getenv("BENCH_BANK")) config.max_spare_credit = std::atof(v);
  hcloud::ActionWaiter waiter(config, clock);
  std::vector<Spec> pending = specs;
  std::sort(pending.begin(), pending.end(),
            [](const auto& a, const auto& b) { return a.start < b.start; });
  std::map<std::int64_t, std::future<hcloud::Result<hcloud::Action>>> futures;
  std::map<std::int64_t, Duration> seen;
  size_t next_start = 0;
  while (next_start < pending.size() || waiter.outstanding() > 0) {
    auto due = waiter.next_due();
    Duration t = due ? std::chrono::duration_cast<Duration>(*due - TimePoint{}) : Duration::max();
    if (next_start < pending.size() && pending[next_start].start <= t) {
      clock->set(TimePoint{} + pending[next_start].start);
      futures[pending[next_start].id] = waiter.wait(client, running(pending[next_start]));
      ++next_start;
      continue;
    }
    clock->set(*due);
    waiter.run_due();
    for (auto it = futures.begin(); it != futures.end();) {
      if (it->second.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        seen[it->first] = std::chrono::duration_cast<Duration>(clock->now() - TimePoint{});
        it = futures.erase(it);
      } else {
        ++it;
      }
    }
  }
  Outcome out;
  out.requests = server.request_count();
  account(out, specs, seen);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {1, 2, 4, 10, 25, 100};
  int seeds = 10;
  if (const char* v = std::getenv("BENCH_SEEDS")) seeds = std::max(1, std::atoi(v));
  struct Case {
    bool progress;
    Spread spread;
    const char* title;
  };
  const Case cases[] = {
      {true, Spread::kWide, "actions report linear progress; durations spread widely"},
      {false, Spread::kWide, "actions report no progress; durations spread widely"},
      {false, Spread::kClustered,
       "actions report no progress; durations cluster per command (0.5x..2x the table, +-10 %)"},
      {false, Spread::kKnown,
       "actions report no progress; durations known (the waiter's table, +-3 %)"},
  };
  std::printf("each row pools %d runs (seeds); latency = poll that saw it done - its end\n", seeds);
  std::vector<std::string> missed;
  for (const Case& c : cases) {
    std::printf("\n%s\n", c.title);
    std::printf("%6s | %22s | %22s | %9s %s\n", "", "500 ms polling", "kiln waiter", "", "");
    std::printf("%6s | %8s %6s %6s | %8s %6s %6s | %9s %s\n", "N", "requests", "mean", "max",
                "requests", "mean", "max", "req ratio", "target");
    for (int n : sizes) {
      Outcome a, b;
      for (int seed = 0; seed < seeds; ++seed) {
        auto specs = scenario(
            n, 42 + static_cast<std::uint64_t>(n) * 1000 + static_cast<std::uint64_t>(seed),
            c.spread);
        a.add(naive(specs, c.progress));
        b.add(kiln(specs, c.progress));
      }
      double ratio = static_cast<double>(b.requests) / static_cast<double>(a.requests);
      bool met = ratio <= 0.25 && b.mean_latency_ms <= a.mean_latency_ms;
      if (!met) missed.push_back(std::string(c.title) + ", N=" + std::to_string(n));
      std::printf("%6d | %8zu %4.0fms %4.0fms | %8zu %4.0fms %4.0fms | %9.3f %s\n", n,
                  a.requests / static_cast<size_t>(seeds), a.mean_latency_ms, a.max_latency_ms,
                  b.requests / static_cast<size_t>(seeds), b.mean_latency_ms, b.max_latency_ms,
                  ratio, met ? "met" : "MISSED");
    }
  }
  std::printf("\ntarget (<= 1/4 of the requests, mean detection no later): %s\n",
              missed.empty() ? "met everywhere" : "missed in:");
  for (const auto& m : missed) std::printf("  %s\n", m.c_str());
  return missed.empty() ? 0 : 1;
}
