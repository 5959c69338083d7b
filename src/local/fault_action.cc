#include "local/fault_action.h"

#include <map>

namespace kiln::local {

using json = nlohmann::json;

void finish_failed_action(Store& store, json& action, const std::string& finished) {
  const int64_t id = action["id"];
  const std::string cmd = action["command"];
  json eff = action.value("_effect", json::object());
  for (auto& r : action["resources"]) {
    if (r["type"] != "server") continue;
    auto server = store.get("server", r["id"].get<int64_t>());
    if (!server) continue;
    json& s = *server;
    // A transition that did not happen falls back to where it started.
    static const std::map<std::string, std::string> back = {
        {"initializing", "off"}, {"starting", "off"},   {"stopping", "running"},
        {"migrating", "off"},    {"rebuilding", "off"}, {"deleting", "off"}};
    auto it = back.find(s.value("status", std::string()));
    if (it != back.end()) s["status"] = it->second;
    // create_image and delete_server record the status they started from.
    if (eff.contains("was") && eff["was"].is_string()) s["status"] = eff["was"];
    if (s.value("_lock", int64_t{0}) == id) s["_lock"] = 0;
    store.put("server", r["id"].get<int64_t>(), s);
  }
  // A snapshot whose creation failed does not stay behind.
  if (cmd == "create_image" && eff.contains("image") && eff["image"].is_number_integer())
    store.erase("image", eff["image"].get<int64_t>());
  json err = action["_fail"];
  action["status"] = "error";
  action["progress"] = 100;
  action["finished"] = finished;
  action["error"] = {{"code", err.value("code", std::string("action_failed"))},
                     {"message", err.value("message", std::string("Action failed"))}};
  store.put("action", id, action, std::nullopt);
}

}  // namespace kiln::local
