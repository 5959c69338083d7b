// kiln's SSH communicator against OpenSSH's ssh/scp, on the same local sshd
// (the test fixture's): latency of `true` and upload throughput.
//
//   ssh_bench [--runs N] [--mb M]
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "ssh/client.h"
#include "ssh/sshd_fixture.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 50;
  int mb = 100;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--runs") runs = std::atoi(argv[i + 1]);
    if (a == "--mb") mb = std::atoi(argv[i + 1]);
  }
  std::string err;
  auto sshd = ssh::testing::Sshd::start({}, &err);
  if (!sshd) {
    std::fprintf(stderr, "ssh_bench: %s\n", err.c_str());
    return 1;
  }
  ssh::Config cfg;
  cfg.host = "127.0.0.1";
  cfg.port = sshd->port();
  cfg.auth.user = sshd->user();
  cfg.auth.private_key_file = sshd->client_key();
  cfg.timeout = std::chrono::seconds(30);
  const std::string port = std::to_string(sshd->port());
  const std::string dest = sshd->user() + "@127.0.0.1";
  const std::vector<std::string> ssh_opts = {"-o", "StrictHostKeyChecking=no",
                                             "-o", "UserKnownHostsFile=/dev/null",
                                             "-o", "LogLevel=ERROR",
                                             "-o", "BatchMode=yes",
                                             "-F", "/dev/null",
                                             "-i", sshd->client_key()};
  auto ssh_cmd = [&](std::vector<std::string> tail, bool scp) {
    std::vector<std::string> a = {scp ? "scp" : "ssh", scp ? "-P" : "-p", port};
    a.insert(a.end(), ssh_opts.begin(), ssh_opts.end());
    a.insert(a.end(), tail.begin(), tail.end());
    return a;
  };

  // 1. New connection + `true` each time.
  std::vector<double> kiln_conn, ossh_conn, kiln_exec, ossh_mux;
  for (int i = 0; i < runs; ++i) {
    auto t = Clock::now();
    auto c = ssh::Client::connect(cfg);
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.error().to_string().c_str());
      return 1;
    }
    auto r = c.value()->exec("true");
    c.value().reset();
    kiln_conn.push_back(ms_since(t));
    if (!r.ok() || r->exit_status != 0) return 1;
    t = Clock::now();
    if (ssh::testing::run_command(ssh_cmd({dest, "true"}, false)) != 0) return 1;
    ossh_conn.push_back(ms_since(t));
  }
  // 2. `true` on an established connection (OpenSSH: ControlMaster).
  auto c = ssh::Client::connect(cfg);
  if (!c.ok()) return 1;
  for (int i = 0; i < runs; ++i) {
    auto t = Clock::now();
    auto r = c.value()->exec("true");
    kiln_exec.push_back(ms_since(t));
    if (!r.ok()) return 1;
  }
  const std::string ctl = sshd->dir() + "/ctl";
  auto mux = [&](std::vector<std::string> tail) {
    std::vector<std::string> a = {"-o", "ControlPath=" + ctl};
    a.insert(a.end(), tail.begin(), tail.end());
    return ssh_cmd(a, false);
  };
  ssh::testing::run_command(
      mux({"-o", "ControlMaster=yes", "-o", "ControlPersist=yes", "-f", "-N", dest}));
  for (int i = 0; i < runs; ++i) {
    auto t = Clock::now();
    ssh::testing::run_command(mux({dest, "true"}));
    ossh_mux.push_back(ms_since(t));
  }
  ssh::testing::run_command(mux({"-O", "exit", dest}));

  // 3. Upload of an M MB file.
  const std::string src = sshd->dir() + "/payload";
  {
    std::ofstream f(src, std::ios::binary);
    std::string block(1 << 20, '\0');
    for (std::size_t i = 0; i < block.size(); ++i)
      block[i] = static_cast<char>((i * 131) ^ (i >> 7));
    for (int i = 0; i < mb; ++i) f.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
  // Fresh connection for the upload, so that it compares with scp (which
  // connects each time); the time on the open connection is printed too.
  c.value().reset();
  auto t = Clock::now();
  c = ssh::Client::connect(cfg);
  if (!c.ok()) return 1;
  auto t_open = Clock::now();
  auto up = c.value()->upload(src, sshd->dir() + "/up_kiln");
  double kiln_up = ms_since(t);
  double kiln_up_open = ms_since(t_open);
  if (!up.ok()) {
    std::fprintf(stderr, "%s\n", up.error().to_string().c_str());
    return 1;
  }
  t = Clock::now();
  auto down = c.value()->download(sshd->dir() + "/up_kiln", sshd->dir() + "/down_kiln");
  double kiln_down = ms_since(t);
  if (!down.ok()) return 1;
  c.value().reset();
  t = Clock::now();
  if (ssh::testing::run_command(ssh_cmd({src, dest + ":" + sshd->dir() + "/up_scp"}, true)) != 0) {
    return 1;
  }
  double scp_up = ms_since(t);
  t = Clock::now();
  ssh::testing::run_command(
      ssh_cmd({dest + ":" + sshd->dir() + "/up_scp", sshd->dir() + "/down_scp"}, true));
  double scp_down = ms_since(t);

  std::printf("runs=%d payload=%d MB sshd=OpenSSH on 127.0.0.1:%d\n", runs, mb, sshd->port());
  std::printf("connect+auth+exec true (median ms): kiln %.2f   ssh %.2f\n", median(kiln_conn),
              median(ossh_conn));
  std::printf("exec true on open connection (median ms): kiln %.2f   ssh(ControlMaster) %.2f\n",
              median(kiln_exec), median(ossh_mux));
  std::printf(
      "upload %d MB incl. connect: kiln %.0f ms (%.1f MB/s)   scp %.0f ms (%.1f MB/s);"
      " kiln on the open connection %.0f ms\n",
      mb, kiln_up, mb / (kiln_up / 1000), scp_up, mb / (scp_up / 1000), kiln_up_open);
  std::printf(
      "download %d MB: kiln on the open connection %.0f ms (%.1f MB/s)   scp incl. connect %.0f "
      "ms (%.1f MB/s)\n",
      mb, kiln_down, mb / (kiln_down / 1000), scp_down, mb / (scp_down / 1000));
  return 0;
}
