// `kiln cleanup`: finds what killed builds left in the cloud (servers and
// temporary SSH keys), by the journal of runs whose process is gone and by
// the kiln.managed=true label, lists it, and deletes it with --yes or after
// a confirmation at the prompt. Snapshots are products and never touched.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/template_cmd.h"
#include "engine/journal.h"
#include "hcloud/hcloud.h"

namespace kiln::cli {

namespace {

constexpr const char* kHelp =
    "Usage: kiln cleanup [options]\n"
    "\n"
    "  Lists the servers and temporary SSH keys that killed or aborted builds\n"
    "  left behind, found through the run journal ($XDG_STATE_HOME/kiln, or\n"
    "  ~/.local/state/kiln) and the kiln.managed=true label, and deletes them.\n"
    "  Resources of runs still in progress are never touched. The token comes\n"
    "  from HCLOUD_TOKEN, the API from HCLOUD_ENDPOINT or -endpoint.\n"
    "\n"
    "Options:\n"
    "\n"
    "  -yes                 Delete without asking.\n"
    "  -endpoint=URL        The API to clean up (default: HCLOUD_ENDPOINT or the public API).\n"
    "  -include-foreign     Also delete labelled resources of runs this machine has no\n"
    "                       journal of (builds started elsewhere may still be running).\n";

struct Leftover {
  std::string kind;  // server | ssh_key
  std::int64_t id = 0;
  std::string name;
  std::string run;
  std::string build;
  std::string journal;  // the run's journal file, "" when found by label only
};

}  // namespace

int cmd_cleanup(const Args& raw_args) {
  Args args = raw_args;
  bool machine = extract_machine_readable(args);
  Ui ui(machine);
  ParsedFlags f =
      parse_flags(args, {{"yes", true}, {"endpoint", false}, {"include-foreign", true}});
  if (f.help) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (!f.error.empty() || !f.positional.empty()) {
    std::fputs(kHelp, stdout);
    if (!f.error.empty()) ui.error(f.error);
    return 1;
  }
  hcloud::ClientOptions co;
  if (f.has("endpoint")) co.endpoint = f.values.at("endpoint").back();
  const char* token = std::getenv("HCLOUD_TOKEN");
  if (!token || !*token) {
    ui.error("Error: HCLOUD_TOKEN must be set to the token of the project to clean up");
    return 1;
  }
  hcloud::Client client(co);
  const std::string& endpoint = client.endpoint();

  std::string dir = engine::state_dir();
  std::vector<engine::JournalRun> runs = engine::read_journal(dir);
  std::set<std::string> live_runs, known_runs;
  for (auto& r : runs) {
    known_runs.insert(r.run_id);
    if (r.alive()) live_runs.insert(r.run_id);
  }

  std::vector<Leftover> found;
  std::set<std::pair<std::string, std::int64_t>> seen;
  auto add = [&](Leftover l) {
    if (seen.insert({l.kind, l.id}).second) found.push_back(std::move(l));
  };
  // A journaled resource the cloud no longer has is recorded as gone, so
  // that its run's journal is done with (a build killed while deleting).
  auto record_gone = [&](const std::string& journal, nlohmann::json event) {
    event["endpoint"] = endpoint;
    std::ofstream(journal, std::ios::app) << event.dump() << "\n";
  };
  int other_endpoints = 0;
  for (auto& r : runs) {
    if (r.alive()) continue;
    for (auto& res : r.leftovers()) {
      if (res.endpoint != endpoint) {
        other_endpoints++;
        continue;
      }
      std::int64_t id = res.id;
      if (id == 0) {
        // Killed between "creating" and "created": look it up by its unique
        // name and check it is this run's.
        bool absent = false;
        if (res.kind == "server") {
          auto s = client.servers().get_by_name(res.name);
          absent = s.ok() && !s.value();
          if (s.ok() && s.value() && s.value()->labels.count("kiln.run") &&
              s.value()->labels.at("kiln.run") == r.run_id)
            id = s.value()->id;
        } else {
          auto k = client.ssh_keys().get_by_name(res.name);
          absent = k.ok() && !k.value();
          if (k.ok() && k.value() && k.value()->labels.count("kiln.run") &&
              k.value()->labels.at("kiln.run") == r.run_id)
            id = k.value()->id;
        }
        // Never made (the run is dead, so no create is still on its way).
        if (absent)
          record_gone(r.path, {{"event", "not_created"}, {"kind", res.kind}, {"name", res.name}});
        if (id == 0) continue;
      } else {
        bool gone = false;
        if (res.kind == "server") {
          auto s = client.servers().get(id);
          gone = s.ok() && !s.value();
        } else {
          auto k = client.ssh_keys().get(id);
          gone = k.ok() && !k.value();
        }
        if (gone) {
          record_gone(r.path, {{"event", "deleted"}, {"kind", res.kind}, {"id", id}});
          continue;
        }
      }
      add({res.kind, id, res.name, r.run_id, res.build, r.path});
    }
  }
  hcloud::ServerListOpts so;
  so.label_selector = "kiln.managed=true";
  auto servers = client.servers().list(so);
  hcloud::SshKeyListOpts ko;
  ko.label_selector = "kiln.managed=true";
  auto keys = client.ssh_keys().list(ko);
  if (!servers.ok() || !keys.ok()) {
    ui.error("Error listing labelled resources: " +
             (servers.ok() ? keys.error().to_string() : servers.error().to_string()));
    return 1;
  }
  int foreign = 0;
  auto by_label = [&](const char* kind, std::int64_t id, const std::string& name,
                      const hcloud::Labels& labels) {
    auto it = labels.find("kiln.run");
    std::string run = it == labels.end() ? "" : it->second;
    if (live_runs.count(run)) return;
    if (!known_runs.count(run) && !f.get_bool("include-foreign")) {
      foreign++;
      return;
    }
    add({kind, id, name, run, "", ""});
  };
  for (auto& s : servers.value()) by_label("server", s.id, s.name, s.labels);
  for (auto& k : keys.value()) by_label("ssh_key", k.id, k.name, k.labels);

  if (other_endpoints > 0)
    ui.say("Note: the journal holds " + std::to_string(other_endpoints) +
           " resource(s) of other endpoints; run kiln cleanup with -endpoint for them.");
  if (foreign > 0)
    ui.say("Note: " + std::to_string(foreign) +
           " labelled resource(s) belong to runs without a journal on this machine (maybe "
           "running elsewhere); -include-foreign deletes them too.");
  if (found.empty()) {
    ui.say("Nothing to clean up.");
    // Journals of dead runs with nothing left are done with (read again:
    // what was found gone is recorded now).
    for (auto& r : engine::read_journal(dir))
      if (!r.alive() && r.leftovers().empty()) std::filesystem::remove(r.path);
    return 0;
  }
  ui.say("Left over by killed or aborted builds:");
  for (auto& l : found)
    ui.say("  " + l.kind + " " + std::to_string(l.id) + " '" + l.name + "' (run " +
           (l.run.empty() ? "?" : l.run) + (l.build.empty() ? "" : ", build " + l.build) + ")");
  if (!f.get_bool("yes")) {
    if (!::isatty(0)) {
      ui.say("Run `kiln cleanup -yes` to delete them.");
      return 0;
    }
    std::fputs("Delete them? [y/N] ", stdout);
    std::fflush(stdout);
    char buf[16] = {0};
    if (!std::fgets(buf, sizeof buf, stdin) || (buf[0] != 'y' && buf[0] != 'Y')) {
      ui.say("Nothing deleted.");
      return 0;
    }
  }
  int failed = 0;
  // Servers first: a key in use by a server's creation is still deletable,
  // but deleting the server first mirrors the build's own cleanup order.
  for (const char* kind : {"server", "ssh_key"}) {
    for (auto& l : found) {
      if (l.kind != kind) continue;
      bool ok = true;
      std::string why;
      if (l.kind == "server") {
        auto r = client.servers().del(l.id);
        if (!r.ok() && !r.error().not_found()) {
          ok = false;
          why = r.error().to_string();
        } else if (r.ok() && r.value()) {
          auto w = hcloud::ActionWaiter::process().wait(client, *r.value()).get();
          if (!w.ok()) {
            ok = false;
            why = w.error().to_string();
          }
        }
      } else {
        auto r = client.ssh_keys().del(l.id);
        if (!r.ok() && !r.error().not_found()) {
          ok = false;
          why = r.error().to_string();
        }
      }
      if (!ok) {
        failed++;
        ui.error("Could not delete " + l.kind + " " + std::to_string(l.id) + ": " + why);
        continue;
      }
      ui.say("Deleted " + l.kind + " " + std::to_string(l.id) + " '" + l.name + "'");
      if (!l.journal.empty()) {
        std::ofstream j(l.journal, std::ios::app);
        j << nlohmann::json{{"event", "deleted"},
                            {"kind", l.kind},
                            {"id", l.id},
                            {"endpoint", endpoint}}
                 .dump()
          << "\n";
      }
    }
  }
  for (auto& r : engine::read_journal(dir))
    if (!r.alive() && r.leftovers().empty()) std::filesystem::remove(r.path);
  return failed > 0 ? 1 : 0;
}

}  // namespace kiln::cli
