// kiln local [--listen 127.0.0.1:PORT] [--state DIR] [--time-scale F]
//            [--token TOKEN] [--faults FILE] [--image-cache DIR]
// Serves the Hetzner Cloud API on loopback until SIGINT or SIGTERM; as root,
// its servers run in sandboxes (docs/local-servers.md).
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "cli/commands.h"
#include "local/api.h"
#include "local/http.h"
#include "local/image_cache.h"
#include "local/machine.h"
#include "local/machine_backend.h"
#include "local/netaddr.h"
#include "local/sandbox.h"
#include "local/store.h"

namespace kiln::cli {
namespace {

int usage() {
  std::fprintf(stderr,
               "Usage: kiln local [--listen 127.0.0.1:PORT] [--state DIR] [--time-scale F] "
               "[--time-jitter F] [--token TOKEN] [--faults FILE] [--image-cache DIR]\n\n"
               "  Serves the Hetzner Cloud API on loopback until SIGINT or SIGTERM.\n"
               "  --listen      address to listen on (default 127.0.0.1:8780; port 0 = any)\n"
               "  --state DIR   state directory (default ~/.local/state/kiln/local)\n"
               "  --time-scale  factor on action durations (default 1; 0 = at once)\n"
               "  --time-jitter F  vary each action's duration by up to +-F (0 <= F < 1;\n"
               "                default 0), reproducibly by action id\n"
               "  --token       API token to accept (default: generated and kept in DIR)\n"
               "  --image-cache DIR  built system images (default $KILN_IMAGE_CACHE, else "
               "$XDG_CACHE_HOME/kiln/images)\n"
               "  --faults FILE inject faults (JSON rules; docs/local-faults.md); also\n"
               "                /_kiln/faults and /_kiln/counters on loopback\n");
  return 1;
}

std::string random_token() {
  std::random_device rd;
  std::mt19937_64 rng(rd());
  const std::string a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<size_t> d(0, a.size() - 1);
  std::string t;
  for (int i = 0; i < 64; ++i) t += a[d(rng)];
  return t;
}

}  // namespace

int cmd_local(const Args& args) {
  std::string listen = "127.0.0.1:8780";
  std::string state;
  std::string token;
  double scale = 1.0;
  double jitter = 0;
  std::string faults_file;
  std::string image_cache;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    std::string val;
    auto eq = a.find('=');
    if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
      val = a.substr(eq + 1);
      a = a.substr(0, eq);
    } else if (a == "--listen" || a == "--state" || a == "--time-scale" || a == "--token" ||
               a == "--faults" || a == "--image-cache" || a == "--time-jitter") {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "kiln local: %s needs a value\n", a.c_str());
        return 1;
      }
      val = args[++i];
    }
    if (a == "--listen" || a == "-listen")
      listen = val;
    else if (a == "--state" || a == "-state")
      state = val;
    else if (a == "--token" || a == "-token")
      token = val;
    else if (a == "--faults" || a == "-faults")
      faults_file = val;
    else if (a == "--image-cache" || a == "-image-cache")
      image_cache = val;
    else if (a == "--time-scale" || a == "-time-scale") {
      char* end = nullptr;
      scale = std::strtod(val.c_str(), &end);
      if (val.empty() || *end != '\0' || scale < 0) {
        std::fprintf(stderr, "kiln local: --time-scale wants a number >= 0, got '%s'\n",
                     val.c_str());
        return 1;
      }
    } else if (a == "--time-jitter" || a == "-time-jitter") {
      char* end = nullptr;
      jitter = std::strtod(val.c_str(), &end);
      if (val.empty() || *end != '\0' || jitter < 0 || jitter >= 1) {
        std::fprintf(stderr, "kiln local: --time-jitter wants a number in [0, 1), got '%s'\n",
                     val.c_str());
        return 1;
      }
    } else if (a == "-h" || a == "--help" || a == "-help") {
      usage();
      return 0;
    } else {
      std::fprintf(stderr, "kiln local: unknown argument '%s'\n\n", args[i].c_str());
      return usage();
    }
  }
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "kiln local: --listen wants HOST:PORT, got '%s'\n", listen.c_str());
    return 1;
  }
  std::string host = listen.substr(0, colon);
  int port = std::atoi(listen.substr(colon + 1).c_str());
  if (state.empty()) {
    const char* home = std::getenv("HOME");
    state = std::string(home ? home : ".") + "/.local/state/kiln/local";
  }

  std::string err;
  auto store = kiln::local::Store::open(state, &err);
  if (!store) {
    std::fprintf(stderr, "kiln local: %s\n", err.c_str());
    return 1;
  }
  // The token is kept in the state so that clients survive a restart.
  auto saved = store->get("config", 1);
  if (token.empty())
    token =
        saved && saved->contains("token") ? (*saved)["token"].get<std::string>() : random_token();
  if (!store->put("config", 1, {{"token", token}})) {
    std::fprintf(stderr, "kiln local: cannot write state: %s\n", store->last_error().c_str());
    return 1;
  }

  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  kiln::local::ApiOptions opt;
  opt.token = token;
  opt.time_scale = scale;
  opt.time_jitter = jitter;
  // Real servers when this process may make sandboxes; else the API alone.
  const std::string no_servers = kiln::local::sandbox_unavailable_reason();
  std::unique_ptr<kiln::local::ImageCache> images;
  std::unique_ptr<kiln::local::Machines> machines;
  std::unique_ptr<kiln::local::MachineBackend> backend;
  if (no_servers.empty()) {
    // Absolute: loop devices are found again by their backing files' paths.
    std::error_code ec;
    const std::string state_abs = std::filesystem::canonical(state, ec).string();
    const std::string inst = kiln::local::instance_for_state(state_abs);
    std::string reaped = kiln::local::Machines::reap(state_abs, inst);
    if (!reaped.empty())
      std::fprintf(stderr, "kiln local: reaped what a previous run left: %s\n", reaped.c_str());
    if (image_cache.empty()) {
      // KILN_IMAGE_CACHE: one cache for every kiln local of a machine
      // (CI, tests), as --image-cache would.
      if (const char* env = std::getenv("KILN_IMAGE_CACHE"); env && *env) image_cache = env;
    }
    if (image_cache.empty()) {
      const char* xdg = std::getenv("XDG_CACHE_HOME");
      const char* home = std::getenv("HOME");
      image_cache = xdg && *xdg ? std::string(xdg) + "/kiln/images"
                                : std::string(home ? home : ".") + "/.cache/kiln/images";
    }
    images = std::make_unique<kiln::local::ImageCache>(image_cache);
    images->set_log(
        [](const std::string& line) { std::fprintf(stderr, "kiln local: %s\n", line.c_str()); });
    kiln::local::Machines::Options mo;
    mo.state_dir = state_abs;
    mo.instance = inst;
    mo.images = images.get();
    machines = std::make_unique<kiln::local::Machines>(mo);
    backend = std::make_unique<kiln::local::MachineBackend>(*machines);
    opt.backend = backend.get();
    opt.ipv4_offset = kiln::local::ipv4_offset_for_state(state);
  }
  kiln::local::Api api(*store, opt);
  if (backend) {
    backend->set_api(&api);
    for (auto& w : api.recover()) backend->submit(w);  // servers that were running boot again
  }
  if (!faults_file.empty() && !api.faults().load_file(faults_file, &err)) {
    std::fprintf(stderr, "kiln local: --faults: %s\n", err.c_str());
    return 1;
  }
  if (!faults_file.empty())
    std::fprintf(stderr, "kiln local: %zu fault rule(s) from %s\n",
                 api.faults().to_json()["rules"].size(), faults_file.c_str());
  kiln::local::HttpServer http(api);
  int bound = http.bind(host, port, &err);
  if (bound < 0) {
    std::fprintf(stderr, "kiln local: %s\n", err.c_str());
    return 1;
  }
  std::thread serve([&] { http.run(); });
  std::printf("kiln local: Hetzner Cloud API on http://%s:%d/v1 (state %s, time scale %g)\n",
              host.c_str(), bound, state.c_str(), scale);
  if (!no_servers.empty())
    std::printf("kiln local: servers are not reachable (%s); the API works\n", no_servers.c_str());
  else
    std::printf("kiln local: servers run in sandboxes (images in %s)\n", image_cache.c_str());
  std::printf("export HCLOUD_ENDPOINT=http://%s:%d/v1\n", host.c_str(), bound);
  std::printf("export HCLOUD_TOKEN=%s\n", token.c_str());
  std::fflush(stdout);

  int sig = 0;
  sigwait(&set, &sig);
  std::fprintf(stderr, "kiln local: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  http.stop();
  serve.join();
  machines.reset();  // stops every sandbox; before the Api it reports to goes
  return 0;
}

}  // namespace kiln::cli
