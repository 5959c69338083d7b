#include "engine/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace kiln::engine {

namespace fs = std::filesystem;
using nlohmann::json;

std::string state_dir() {
  if (const char* k = std::getenv("KILN_STATE_DIR"); k && *k) return k;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x && x[0] == '/')
    return std::string(x) + "/kiln";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : "/root") + "/.local/state/kiln";
}

std::uint64_t process_start_time(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string s;
  if (!in || !std::getline(in, s)) return 0;
  // The command name may hold spaces and parentheses: fields follow the last ')'.
  auto close = s.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(s.substr(close + 2));
  std::string field;
  // Fields 3..22; the start time is the 22nd.
  for (int i = 3; i <= 22; ++i) {
    if (!(rest >> field)) return 0;
  }
  return std::strtoull(field.c_str(), nullptr, 10);
}

bool JournalRun::alive() const {
  if (pid <= 0) return false;
  std::uint64_t st = process_start_time(pid);
  return st != 0 && st == start_time;
}

std::vector<JournalResource> JournalRun::leftovers() const {
  std::vector<JournalResource> out;
  for (auto& r : resources)
    if (!r.deleted && (r.kind == "server" || r.kind == "ssh_key")) out.push_back(r);
  return out;
}

std::unique_ptr<Journal> Journal::open(const std::string& dir, const std::string& run_id,
                                       std::string* error) {
  std::error_code ec;
  fs::create_directories(dir + "/runs", ec);
  if (ec) {
    *error = "cannot create the journal directory " + dir + "/runs: " + ec.message();
    return nullptr;
  }
  auto j = std::unique_ptr<Journal>(new Journal());
  j->path_ = dir + "/runs/" + run_id + ".jsonl";
  j->fd_ = ::open(j->path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (j->fd_ < 0) {
    *error = "cannot open the journal " + j->path_ + ": " + std::strerror(errno);
    return nullptr;
  }
  json head = {{"event", "run"},
               {"run", run_id},
               {"pid", static_cast<long>(::getpid())},
               {"start_time", process_start_time(::getpid())},
               {"time", static_cast<long long>(std::time(nullptr))}};
  j->append(head.dump());
  return j;
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fd_ < 0) return;
  std::string l = line + "\n";
  const char* p = l.data();
  size_t left = l.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  // On disk before the request that creates the resource goes out.
  ::fdatasync(fd_);
}

void Journal::creating(const std::string& kind, const std::string& name,
                       const std::string& endpoint, const std::string& build,
                       const std::map<std::string, std::string>& labels) {
  append(json{{"event", "creating"},
              {"kind", kind},
              {"name", name},
              {"endpoint", endpoint},
              {"build", build},
              {"labels", labels}}
             .dump());
}

void Journal::created(const std::string& kind, const std::string& name, std::int64_t id,
                      const std::string& endpoint, const std::string& build) {
  append(json{{"event", "created"},
              {"kind", kind},
              {"name", name},
              {"id", id},
              {"endpoint", endpoint},
              {"build", build}}
             .dump());
}

void Journal::deleted(const std::string& kind, std::int64_t id, const std::string& endpoint) {
  append(json{{"event", "deleted"}, {"kind", kind}, {"id", id}, {"endpoint", endpoint}}.dump());
}

void Journal::not_created(const std::string& kind, const std::string& name,
                          const std::string& endpoint) {
  append(json{{"event", "not_created"}, {"kind", kind}, {"name", name}, {"endpoint", endpoint}}
             .dump());
}

void Journal::finish() {
  append(json{{"event", "end"}, {"time", static_cast<long long>(std::time(nullptr))}}.dump());
  JournalRun run = read_journal_file(path_);
  if (run.leftovers().empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    ::close(fd_);
    fd_ = -1;
    ::unlink(path_.c_str());
  }
}

JournalRun read_journal_file(const std::string& path) {
  JournalRun run;
  run.path = path;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;  // a torn last line
    std::string ev = j.value("event", "");
    if (ev == "run") {
      run.run_id = j.value("run", "");
      run.pid = j.value("pid", 0);
      run.start_time = j.value("start_time", std::uint64_t{0});
    } else if (ev == "end") {
      run.ended = true;
    } else if (ev == "creating" || ev == "created") {
      std::string kind = j.value("kind", ""), name = j.value("name", "");
      std::string endpoint = j.value("endpoint", "");
      auto it = std::find_if(run.resources.begin(), run.resources.end(), [&](auto& r) {
        return r.kind == kind && r.name == name && r.endpoint == endpoint && r.id == 0;
      });
      if (it == run.resources.end()) {
        run.resources.push_back({});
        it = std::prev(run.resources.end());
        it->kind = kind;
        it->name = name;
        it->endpoint = endpoint;
      }
      it->build = j.value("build", it->build);
      if (j.contains("labels") && j["labels"].is_object())
        for (auto& [k, v] : j["labels"].items())
          if (v.is_string()) it->labels[k] = v.get<std::string>();
      if (ev == "created") it->id = j.value("id", std::int64_t{0});
    } else if (ev == "not_created") {
      std::string kind = j.value("kind", ""), name = j.value("name", "");
      std::string endpoint = j.value("endpoint", "");
      for (auto& r : run.resources)
        if (r.kind == kind && r.name == name && r.endpoint == endpoint && r.id == 0)
          r.deleted = true;
    } else if (ev == "deleted") {
      std::string kind = j.value("kind", ""), endpoint = j.value("endpoint", "");
      std::int64_t id = j.value("id", std::int64_t{0});
      for (auto& r : run.resources)
        if (r.kind == kind && r.id == id && r.endpoint == endpoint) r.deleted = true;
    }
  }
  return run;
}

std::vector<JournalRun> read_journal(const std::string& dir) {
  std::vector<std::pair<fs::file_time_type, std::string>> files;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir + "/runs", ec)) {
    if (e.path().extension() != ".jsonl") continue;
    files.emplace_back(e.last_write_time(ec), e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<JournalRun> out;
  for (auto& [t, p] : files) out.push_back(read_journal_file(p));
  return out;
}

}  // namespace kiln::engine
