#include "local/api.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <random>
#include <regex>
#include <set>
#include <thread>
#include <variant>

#include "local/catalog.h"
#include "local/fault_action.h"
#include "local/labels.h"
#include "local/netaddr.h"
#include "local/pagination.h"
#include "local/ssh_key.h"

namespace kiln::local {

using json = nlohmann::json;

namespace {

// ---- helpers -------------------------------------------------------------

std::string rfc3339(double t) {
  std::time_t s = static_cast<std::time_t>(std::floor(t));
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string random_string(size_t n, const char* alphabet) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string a = alphabet;
  std::uniform_int_distribution<size_t> d(0, a.size() - 1);
  std::string out;
  for (size_t i = 0; i < n; ++i) out += a[d(rng)];
  return out;
}

struct Error {
  int status;
  std::string code, message;
  json details = json::object();
};

Error invalid(const std::string& field, const std::string& msg) {
  return {422,
          "invalid_input",
          "invalid input in field '" + field + "': " + msg,
          {{"fields", json::array({{{"name", field}, {"messages", json::array({msg})}}})}}};
}
Error not_found(const std::string& what) {
  return {404, "not_found", what + " not found"};
}
Error method_not_allowed() {
  return {405, "method_not_allowed", "method not allowed"};
}
// A root password as the API gives one (create, rescue, rebuild): 20
// characters without look-alikes.
std::string new_root_password() {
  return random_string(20, "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789");
}
// user_data of a create or rebuild: a string of at most 32 KiB.
std::optional<Error> check_user_data(const json& v) {
  if (!v.is_string()) return invalid("user_data", "must be a string");
  if (v.get<std::string>().size() > 32768)
    return invalid("user_data", "is too long (maximum is 32 KiB)");
  return std::nullopt;
}
// A create's "name": present, a string, not empty.
std::optional<Error> require_name(const json& body) {
  if (!body.contains("name") || !body["name"].is_string() ||
      body["name"].get<std::string>().empty())
    return invalid("name", "is required");
  return std::nullopt;
}

std::optional<int64_t> as_id(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  return std::stoll(s);
}

Labels labels_of(const json& doc) {
  Labels out;
  if (doc.contains("labels") && doc["labels"].is_object())
    for (auto& [k, v] : doc["labels"].items())
      if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

bool valid_hostname(const std::string& n) {
  static const std::regex re(
      "^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-"
      "9-]{0,61}[a-zA-Z0-9]))*$");
  return !n.empty() && n.size() <= 253 && std::regex_match(n, re);
}

std::string ipv4_for(int64_t n) {
  int64_t x = n - 1;
  return "127." + std::to_string((x / (254 * 254)) % 254 + 1) + "." +
         std::to_string((x / 254) % 254 + 1) + "." + std::to_string(x % 254 + 1);
}

std::string ipv6_for(int64_t n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "2001:db8:%x:%x::/64", static_cast<unsigned>((n >> 16) & 0xffff),
                static_cast<unsigned>(n & 0xffff));
  return buf;
}

std::string reverse_ptr(const std::string& ip) {
  std::vector<std::string> o;
  size_t s = 0;
  while (true) {
    size_t d = ip.find('.', s);
    o.push_back(ip.substr(s, d == std::string::npos ? std::string::npos : d - s));
    if (d == std::string::npos) break;
    s = d + 1;
  }
  std::string r = "static";
  for (auto it = o.rbegin(); it != o.rend(); ++it) r += "." + *it;
  return r + ".clients.your-server.de";
}

}  // namespace

// ---- request context ------------------------------------------------------

struct Api::Ctx {
  const ApiRequest& req;
  double now;
  std::vector<std::string> seg;  // path segments after /v1
  json body;                     // parsed body (object), {} when empty
  json fail_action = nullptr;    // from a fault: the actions this request starts fail
  bool real = false;             // a backend does the servers' work
  int64_t ipv4_offset = 0;       // ApiOptions::ipv4_offset
  std::vector<int64_t> work{};   // actions whose work starts once committed
  std::vector<int64_t> deleted_images{};

  std::optional<std::string> q(const std::string& k) const {
    auto it = req.query.find(k);
    if (it == req.query.end()) return std::nullopt;
    return it->second;
  }
  std::vector<std::string> qall(const std::string& k) const {
    std::vector<std::string> out;
    auto [a, b] = req.query.equal_range(k);
    for (auto it = a; it != b; ++it) out.push_back(it->second);
    return out;
  }
};

Api::Api(Store& store, ApiOptions options)
    : store_(store),
      opt_(std::move(options)),
      bucket_(opt_.rate_limit, opt_.refill_per_second,
              opt_.clock ? opt_.clock()
                         : std::chrono::duration<double>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count()) {
  if (!opt_.clock)
    opt_.clock = [] {
      return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
}

double Api::base_duration(const std::string& command, double data_gb) {
  if (command == "create_server") return 10;
  if (command == "start_server") return 5;
  if (command == "stop_server") return 5;
  if (command == "shutdown_server") return 5;
  if (command == "reboot_server") return 8;
  if (command == "reset_server") return 5;
  if (command == "enable_rescue" || command == "disable_rescue") return 2;
  if (command == "create_image") return 60 + 60 * data_gb;  // about a minute per GB held
  if (command == "change_server_type") return 30;
  if (command == "delete_server") return 4;
  if (command == "change_protection") return 1;
  if (command == "rebuild_server") return 20;
  return 2;
}

namespace {

// ---- JSON views of stored documents ---------------------------------------

json public_doc(json d) {
  for (auto it = d.begin(); it != d.end();) {
    if (!it.key().empty() && it.key()[0] == '_')
      it = d.erase(it);
    else
      ++it;
  }
  return d;
}

json action_view(const json& a, double now) {
  json v = public_doc(a);
  if (v["status"] == "running") {
    double start = a.value("_start", now), due = a.value("_due", now);
    int p = 0;
    if (now > start && due > start)
      p = static_cast<int>(std::min(99.0, std::floor(100.0 * (now - start) / (due - start))));
    v["progress"] = p;
  }
  return v;
}

}  // namespace

// ---- the action engine ----------------------------------------------------

namespace {

// A factor in [1 - jitter, 1 + jitter] drawn from the action's id
// (splitmix64), so a run's durations are reproducible without state.
double jitter_factor(int64_t id, double jitter) {
  if (jitter <= 0) return 1;
  uint64_t z = static_cast<uint64_t>(id) + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  double u = static_cast<double>(z >> 11) / static_cast<double>(1ull << 53);  // [0, 1)
  return 1 + jitter * (2 * u - 1);
}

struct Engine {
  Store& st;
  double now;
  double scale;
  json fail = nullptr;                   // {"code", "message"} when a fault makes the actions fail
  std::vector<int64_t>* work = nullptr;  // with a backend: actions that have real work
  double jitter = 0;                     // ApiOptions::time_jitter

  json new_action(const std::string& command, const json& resources, double start, double data_gb,
                  json effect) {
    int64_t id = st.next_id("action", 1000);
    double due = start + Api::base_duration(command, data_gb) * scale * jitter_factor(id, jitter);
    json a = {{"id", id},
              {"command", command},
              {"status", "running"},
              {"progress", 0},
              {"started", rfc3339(start)},
              {"finished", nullptr},
              {"resources", resources},
              {"error", nullptr},
              {"_start", start},
              {"_due", due},
              {"_effect", std::move(effect)}};
    if (!fail.is_null()) a["_fail"] = fail;
    static const std::set<std::string> real = {
        "create_server", "start_server", "stop_server",   "shutdown_server",    "reboot_server",
        "reset_server",  "create_image", "delete_server", "change_server_type", "rebuild_server"};
    if (work && fail.is_null() && real.count(command)) {
      a["_work"] = "pending";
      work->push_back(id);
    }
    st.put("action", id, a, due);
    return a;
  }
};

}  // namespace

void Api::advance(double now) {
  for (int64_t id : store_.due_before("action", now)) {
    auto a = store_.get("action", id);
    if (!a) continue;
    json& act = *a;
    if (act.value("_work", std::string()) == "pending") continue;  // the real work goes on
    if (act.contains("_fail")) {
      finish_failed_action(store_, act, rfc3339(act.value("_due", now)));
      continue;
    }
    const std::string cmd = act["command"];
    json eff = act.value("_effect", json::object());
    int64_t sid = 0;
    for (auto& r : act["resources"])
      if (r["type"] == "server") sid = r["id"];
    auto server = sid ? store_.get("server", sid) : std::nullopt;
    if (server) {
      json& s = *server;
      if (cmd == "create_server") {
        s["status"] = eff.value("start", false) ? "starting" : "off";
      } else if (cmd == "start_server" || cmd == "reboot_server" || cmd == "reset_server") {
        s["status"] = "running";
        // Rescue is for one boot: it resets on the first boot into it.
        s["_in_rescue"] = eff.value("rescue", false);
        if (eff.value("rescue", false)) s["rescue_enabled"] = false;
      } else if (cmd == "stop_server" || cmd == "shutdown_server") {
        s["status"] = "off";
      } else if (cmd == "enable_rescue") {
        s["rescue_enabled"] = true;
      } else if (cmd == "disable_rescue") {
        s["rescue_enabled"] = false;
      } else if (cmd == "change_server_type") {
        s["server_type"] = eff["server_type"];
        if (eff.value("upgrade_disk", false)) s["primary_disk_size"] = eff["disk"];
        s["status"] = "off";
      } else if (cmd == "create_image") {
        s["status"] = eff.value("was", std::string("running"));
      } else if (cmd == "rebuild_server") {
        s["status"] = "running";
        s["_in_rescue"] = false;
      }
      if (s.value("_lock", int64_t{0}) == id) s["_lock"] = 0;
      if (cmd == "delete_server") {
        store_.erase("server", sid);
        for (auto& p : store_.list("primary_ip"))
          if (p.value("assignee_id", json()) == json(sid)) {
            if (p.value("auto_delete", false)) {
              store_.erase("primary_ip", p["id"]);
            } else {
              p["assignee_id"] = nullptr;
              store_.put("primary_ip", p["id"], p);
            }
          }
      } else {
        store_.put("server", sid, s);
      }
    }
    if (cmd == "create_image" && eff.contains("image")) {
      if (auto img = store_.get("image", eff["image"])) {
        (*img)["status"] = "available";
        (*img)["image_size"] = act.contains("_result") && act["_result"].contains("image_size")
                                   ? act["_result"]["image_size"]
                                   : json(eff.value("data_gb", 0.0));
        store_.put("image", eff["image"], *img);
      }
    }
    act["status"] = "success";
    act["progress"] = 100;
    act["finished"] = rfc3339(act.value("_due", now));
    store_.put("action", id, act, std::nullopt);
  }
}

// ---- routing ----------------------------------------------------------------

namespace {

struct Out {
  int status;
  json body;  // null for 204
  std::optional<json> list_meta;
};

using Result = std::variant<Out, Error>;

Out ok(json b, int status = 200) {
  return {status, std::move(b), std::nullopt};
}

// Sort by `sort` parameters ("field[:asc|:desc]"); Error on unknown fields.
std::optional<Error> sort_items(std::vector<json>& items, const std::vector<std::string>& sorts,
                                const std::set<std::string>& allowed) {
  struct Key {
    std::string field;
    bool desc;
  };
  std::vector<Key> keys;
  for (const auto& s : sorts) {
    auto colon = s.find(':');
    Key k{s.substr(0, colon), false};
    if (colon != std::string::npos) {
      std::string dir = s.substr(colon + 1);
      if (dir == "desc")
        k.desc = true;
      else if (dir != "asc")
        return invalid("sort", "invalid sort direction '" + dir + "'");
    }
    if (!allowed.count(k.field)) return invalid("sort", "invalid sort field '" + k.field + "'");
    keys.push_back(k);
  }
  keys.push_back({"id", false});
  std::stable_sort(items.begin(), items.end(), [&](const json& a, const json& b) {
    for (const auto& k : keys) {
      const json& x = a.contains(k.field) ? a[k.field] : json();
      const json& y = b.contains(k.field) ? b[k.field] : json();
      if (x == y) continue;
      bool less = x < y;
      return k.desc ? !less : less;
    }
    return false;
  });
  return std::nullopt;
}

}  // namespace

namespace {

// All the handlers, with the store and the context.
struct H {
  Store& st;
  Api::Ctx& c;
  double scale;
  double jitter;
  Engine eng() {
    return Engine{st, c.now, scale, c.fail_action, c.real ? &c.work : nullptr, jitter};
  }

  // A 409 uniqueness_error when another `kind` than `self` has this name.
  std::optional<Error> name_taken(const std::string& kind, const json& name,
                                  std::optional<int64_t> self = std::nullopt) {
    for (auto& o : st.list(kind))
      if (o["name"] == name && (!self || o["id"] != *self))
        return Error{409,
                     "uniqueness_error",
                     "name is already used",
                     {{"fields", json::array({{{"name", "name"}}})}}};
    return std::nullopt;
  }

  // A PUT's name (a non-empty string, not taken) and labels, stored.
  std::optional<Error> update_name_and_labels(const std::string& kind, int64_t id, const json& b,
                                              json* doc) {
    if (b.contains("name") && !b["name"].is_null()) {
      if (!b["name"].is_string() || b["name"].get<std::string>().empty())
        return invalid("name", "must be a non-empty string");
      if (auto e = name_taken(kind, b["name"], id)) return e;
      (*doc)["name"] = b["name"];
    }
    Labels labels;
    if (auto e = parse_labels(b, &labels)) return e;
    if (b.contains("labels") && !b["labels"].is_null()) (*doc)["labels"] = labels;
    st.put(kind, id, *doc);
    return std::nullopt;
  }

  // -- lists --
  Result list(const std::string& key, std::vector<json> items, const std::set<std::string>& sorts,
              json extra = json::object()) {
    if (auto lsel = c.q("label_selector")) {
      std::string e;
      auto sel = LabelSelector::parse(*lsel, &e);
      if (!sel) return invalid("label_selector", e);
      std::vector<json> kept;
      for (auto& i : items)
        if (sel->matches(labels_of(i))) kept.push_back(std::move(i));
      items = std::move(kept);
    }
    if (auto name = c.q("name")) {
      std::vector<json> kept;
      for (auto& i : items)
        if (i.contains("name") && i["name"] == *name) kept.push_back(std::move(i));
      items = std::move(kept);
    }
    if (auto e = sort_items(items, c.qall("sort"), sorts)) return *e;
    std::string perr;
    auto pr = parse_page_request(c.q("page"), c.q("per_page"), &perr);
    if (!pr) return invalid(perr, "must be a positive integer");
    Paged p = paginate(items, *pr);
    json b = extra;
    b[key] = p.items;
    b["meta"] = {{"pagination", p.pagination}};
    Out o = ok(b);
    o.list_meta = p.pagination;
    return o;
  }

  // -- lookups --
  std::optional<json> image_by_id(int64_t id) {
    if (auto si = find_system_image(id)) return system_image_json(*si);
    auto d = st.get("image", id);
    if (d) return public_doc(*d);
    return std::nullopt;
  }

  std::vector<json> all_images() {
    std::vector<json> v;
    for (auto& i : system_images()) v.push_back(system_image_json(i));
    for (auto& d : st.list("image")) v.push_back(public_doc(d));
    return v;
  }

  // ID (int or numeric string) or name; arch prefers the matching image.
  std::optional<json> resolve_image(const json& ref, const std::string& arch) {
    if (ref.is_number_integer()) return image_by_id(ref.get<int64_t>());
    if (!ref.is_string()) return std::nullopt;
    std::string s = ref;
    if (auto id = as_id(s)) return image_by_id(*id);
    std::optional<json> any;
    for (auto& i : all_images())
      if (i["name"] == s) {
        if (i["architecture"] == arch) return i;
        if (!any) any = i;
      }
    return any;
  }

  const ServerTypeInfo* resolve_type(const json& ref) {
    for (auto& t : server_types()) {
      if (ref.is_number_integer() && ref.get<int64_t>() == t.id) return &t;
      if (ref.is_string() && (ref == t.name || ref == std::to_string(t.id))) return &t;
    }
    return nullptr;
  }

  const LocationInfo* resolve_location(const json& ref) {
    for (auto& l : locations()) {
      if (ref.is_number_integer() && ref.get<int64_t>() == l.id) return &l;
      if (ref.is_string() && (ref == l.name || ref == std::to_string(l.id))) return &l;
    }
    return nullptr;
  }

  std::optional<json> resolve_doc(const std::string& kind, const json& ref) {
    if (ref.is_number_integer()) return st.get(kind, ref.get<int64_t>());
    if (!ref.is_string()) return std::nullopt;
    if (auto id = as_id(ref.get<std::string>())) return st.get(kind, *id);
    for (auto& d : st.list(kind))
      if (d["name"] == ref) return d;
    return std::nullopt;
  }

  std::optional<Error> parse_labels(const json& body, Labels* out) {
    if (!body.contains("labels") || body["labels"].is_null()) return std::nullopt;
    if (!body["labels"].is_object()) return invalid("labels", "must be an object");
    for (auto& [k, v] : body["labels"].items()) {
      if (!v.is_string()) return invalid("labels", "label values must be strings");
      (*out)[k] = v.get<std::string>();
    }
    std::string e = validate_labels(*out);
    if (!e.empty()) return invalid("labels", e);
    return std::nullopt;
  }

  std::optional<int64_t> seg_id(size_t i) {
    return i < c.seg.size() ? as_id(c.seg[i]) : std::nullopt;
  }

  // -- views --
  json server_view(const json& s) {
    json v = public_doc(s);
    const ServerTypeInfo* t = find_server_type(s["server_type"]);
    const LocationInfo* l = find_location(s["location"]);
    v["server_type"] = t ? server_type_json(*t) : json();
    v["location"] = l ? location_json(*l) : json();
    json image = nullptr;
    if (s.contains("_image") && !s["_image"].is_null()) {
      auto cur = image_by_id(s["_image"]["id"]);
      image = cur ? *cur : s["_image"];
    }
    v["image"] = image;
    bool locked = false;
    if (s.value("_lock", int64_t{0}) != 0) {
      auto a = st.get("action", s["_lock"]);
      locked = a && (*a)["status"] == "running";
    }
    v["locked"] = locked;
    json pn = {{"ipv4", nullptr}, {"ipv6", nullptr}, {"floating_ips", json::array()}};
    if (s.contains("_ipv4") && !s["_ipv4"].is_null()) {
      std::string ip = s["_ipv4"]["ip"];
      pn["ipv4"] = {
          {"id", s["_ipv4"]["id"]}, {"ip", ip}, {"blocked", false}, {"dns_ptr", reverse_ptr(ip)}};
    }
    if (s.contains("_ipv6") && !s["_ipv6"].is_null())
      pn["ipv6"] = {{"id", s["_ipv6"]["id"]},
                    {"ip", s["_ipv6"]["ip"]},
                    {"blocked", false},
                    {"dns_ptr", json::array()}};
    json fws = json::array();
    for (auto& f : s.value("_firewalls", json::array()))
      fws.push_back({{"id", f}, {"status", "applied"}});
    pn["firewalls"] = fws;
    v["public_net"] = pn;
    json priv = json::array();
    int n = 2;
    for (auto& nid : s.value("_networks", json::array())) {
      char mac[32];
      int64_t sid = s["id"];
      std::snprintf(mac, sizeof mac, "86:00:00:%02x:%02x:%02x", static_cast<int>((sid >> 8) & 0xff),
                    static_cast<int>(sid & 0xff), n);
      priv.push_back({{"network", nid},
                      {"ip", "10.0." + std::to_string((sid / 250) % 250) + "." +
                                 std::to_string(sid % 250 + 2)},
                      {"alias_ips", json::array()},
                      {"mac_address", mac}});
      ++n;
    }
    v["private_net"] = priv;
    v["volumes"] = json::array();
    v["load_balancers"] = json::array();
    v["placement_group"] = placement_group_of(s);
    v["iso"] = nullptr;
    return v;
  }

  // The next free address of a primary IP, "ipv4" or "ipv6".
  std::string next_address(const std::string& t) {
    int64_t n = st.next_id("ip_" + t, 0);
    std::string ip = t == "ipv4" ? ipv4_for(n + c.ipv4_offset) : ipv6_for(n);
    // Real servers: skip an address whose port 22 another kiln local's
    // server holds (unless a wildcard listener holds them all).
    if (t == "ipv4" && c.real && tcp_bind_problem("127.254.254.254", 22).empty())
      for (int i = 0; i < 64 && !tcp_bind_problem(ip, 22).empty(); ++i) {
        n = st.next_id("ip_" + t, 0);
        ip = ipv4_for(n + c.ipv4_offset);
      }
    return ip;
  }

  json primary_ip_view(const json& p) {
    json v = public_doc(p);
    const LocationInfo* l = find_location(p["_location"]);
    v["location"] = l ? location_json(*l) : json();
    return v;
  }

  json network_view(const json& n) {
    json v = public_doc(n);
    json servers = json::array();
    for (auto& s : st.list("server"))
      for (auto& nid : s.value("_networks", json::array()))
        if (nid == n["id"]) servers.push_back(s["id"]);
    v["servers"] = servers;
    v["load_balancers"] = json::array();
    return v;
  }

  json firewall_view(const json& f) {
    json v = public_doc(f);
    json applied = json::array();
    for (auto& s : st.list("server"))
      for (auto& fid : s.value("_firewalls", json::array()))
        if (fid == f["id"]) applied.push_back({{"type", "server"}, {"server", {{"id", s["id"]}}}});
    v["applied_to"] = applied;
    return v;
  }

  // ---- resources ----

  Result locations_(const std::string& m) {
    if (m != "GET") return method_not_allowed();
    if (c.seg.size() == 2) {
      auto id = seg_id(1);
      const LocationInfo* l = id ? find_location(*id) : nullptr;
      if (!l) return not_found("location");
      return ok({{"location", location_json(*l)}});
    }
    std::vector<json> v;
    for (auto& l : locations()) v.push_back(location_json(l));
    return list("locations", v, {"id", "name"});
  }

  Result datacenters_(const std::string& m) {
    if (m != "GET") return method_not_allowed();
    if (c.seg.size() == 2) {
      auto id = seg_id(1);
      for (auto& l : locations())
        if (id && l.datacenter_id == *id) return ok({{"datacenter", datacenter_json(l)}});
      return not_found("datacenter");
    }
    std::vector<json> v;
    for (auto& l : locations()) v.push_back(datacenter_json(l));
    return list("datacenters", v, {"id", "name"}, {{"recommendation", 4}});
  }

  Result server_types_(const std::string& m) {
    if (m != "GET") return method_not_allowed();
    if (c.seg.size() == 2) {
      auto id = seg_id(1);
      const ServerTypeInfo* t = id ? find_server_type(*id) : nullptr;
      if (!t) return not_found("server_type");
      return ok({{"server_type", server_type_json(*t)}});
    }
    std::vector<json> v;
    for (auto& t : server_types()) v.push_back(server_type_json(t));
    return list("server_types", v, {"id", "name"});
  }

  // -- actions --
  Result actions_list(std::vector<json> acts) {
    auto ids = c.qall("id");
    if (!ids.empty()) {
      std::set<int64_t> want;
      for (auto& s : ids) {
        auto id = as_id(s);
        if (!id) return invalid("id", "must be an integer");
        want.insert(*id);
      }
      std::vector<json> kept;
      for (auto& a : acts)
        if (want.count(a["id"].get<int64_t>())) kept.push_back(std::move(a));
      acts = std::move(kept);
    }
    auto statuses = c.qall("status");
    if (!statuses.empty()) {
      std::vector<json> kept;
      for (auto& a : acts)
        if (std::find(statuses.begin(), statuses.end(), a["status"].get<std::string>()) !=
            statuses.end())
          kept.push_back(std::move(a));
      acts = std::move(kept);
    }
    return list("actions", acts, {"id", "command", "status", "started", "finished"});
  }

  std::vector<json> actions_of(const std::string& type, std::optional<int64_t> id) {
    std::vector<json> out;
    for (auto& a : st.list("action")) {
      bool match = false;
      for (auto& r : a["resources"])
        if (r["type"] == type && (!id || r["id"] == *id)) match = true;
      if (match) out.push_back(action_view(a, c.now));
    }
    return out;
  }

  Result actions_(const std::string& m) {
    if (m != "GET") return method_not_allowed();
    if (c.seg.size() == 2) {
      auto id = seg_id(1);
      auto a = id ? st.get("action", *id) : std::nullopt;
      if (!a) return not_found("action");
      return ok({{"action", action_view(*a, c.now)}});
    }
    if (c.qall("id").empty())
      return Error{410,
                   "deprecated_api_endpoint",
                   "API functionality was removed",
                   {{"announcement",
                     "https://docs.hetzner.cloud/"
                     "changelog#2023-07-20-actions-list-endpoint-is-deprecated"}}};
    std::vector<json> all;
    for (auto& a : st.list("action")) all.push_back(action_view(a, c.now));
    // Today's GET /actions?id= has no meta (clients then stop paging).
    Result r = actions_list(all);
    if (auto* o = std::get_if<Out>(&r)) {
      o->body.erase("meta");
      o->list_meta.reset();
    }
    return r;
  }

  // Sub-resource actions: /<res>/actions[/id], /<res>/{id}/actions[/aid]
  std::optional<Result> resource_actions(const std::string& type, const std::string& kind) {
    if (c.req.method != "GET") return std::nullopt;
    if (c.seg.size() >= 2 && c.seg[1] == "actions") {
      if (c.seg.size() == 2) return actions_list(actions_of(type, std::nullopt));
      auto aid = seg_id(2);
      for (auto& a : actions_of(type, std::nullopt))
        if (aid && a["id"] == *aid) return Result(ok({{"action", a}}));
      return Result(not_found("action"));
    }
    if (c.seg.size() >= 3 && c.seg[2] == "actions") {
      auto id = seg_id(1);
      bool exists =
          id && (kind == "image" ? image_by_id(*id).has_value() : st.get(kind, *id).has_value());
      if (!exists) return Result(not_found(type));
      if (c.seg.size() == 3) return actions_list(actions_of(type, id));
      auto aid = seg_id(3);
      for (auto& a : actions_of(type, id))
        if (aid && a["id"] == *aid) return Result(ok({{"action", a}}));
      return Result(not_found("action"));
    }
    return std::nullopt;
  }

  // -- ssh keys --
  Result ssh_keys_(const std::string& m) {
    if (c.seg.size() == 1) {
      if (m == "GET") {
        auto v = st.list("ssh_key");
        if (auto fp = c.q("fingerprint")) {
          std::vector<json> kept;
          for (auto& k : v)
            if (k["fingerprint"] == *fp) kept.push_back(k);
          v = kept;
        }
        return list("ssh_keys", v, {"id", "name"});
      }
      if (m != "POST") return method_not_allowed();
      auto& b = c.body;
      if (auto e = require_name(b)) return *e;
      if (!b.contains("public_key") || !b["public_key"].is_string())
        return invalid("public_key", "is required");
      std::string key = b["public_key"];
      key.erase(0, key.find_first_not_of(" \t\r\n"));
      key.erase(key.find_last_not_of(" \t\r\n") + 1);
      std::string err;
      auto fp = ssh_key_fingerprint(key, &err);
      if (!fp) return invalid("public_key", err);
      Labels labels;
      if (auto e = parse_labels(b, &labels)) return *e;
      if (auto e = name_taken("ssh_key", b["name"])) return *e;
      for (auto& k : st.list("ssh_key")) {
        if (k["fingerprint"] == *fp)
          return Error{409,
                       "uniqueness_error",
                       "SSH key with the same fingerprint already exists",
                       {{"fields", json::array({{{"name", "public_key"}}})}}};
      }
      int64_t id = st.next_id("ssh_key", 10000);
      json k = {{"id", id},          {"name", b["name"]}, {"fingerprint", *fp},
                {"public_key", key}, {"labels", labels},  {"created", rfc3339(c.now)}};
      st.put("ssh_key", id, k);
      return ok({{"ssh_key", k}}, 201);
    }
    auto id = seg_id(1);
    auto k = id && c.seg.size() == 2 ? st.get("ssh_key", *id) : std::nullopt;
    if (!k) return not_found("ssh_key");
    if (m == "GET") return ok({{"ssh_key", *k}});
    if (m == "DELETE") {
      st.erase("ssh_key", *id);
      return ok(nullptr, 204);
    }
    if (m == "PUT") {
      auto& b = c.body;
      if (auto e = update_name_and_labels("ssh_key", *id, b, &*k)) return *e;
      return ok({{"ssh_key", *k}});
    }
    return method_not_allowed();
  }

  // -- images --
  Result images_(const std::string& m) {
    if (auto r = resource_actions("image", "image")) return *r;
    if (c.seg.size() == 4 && c.seg[2] == "actions" && c.seg[3] == "change_protection" &&
        m == "POST") {
      auto id = seg_id(1);
      auto img = id ? st.get("image", *id) : std::nullopt;
      if (!img) {
        if (id && find_system_image(*id))
          return Error{422, "unsupported_error", "only snapshots and backups can be protected"};
        return not_found("image");
      }
      if (c.body.contains("delete") && c.body["delete"].is_boolean())
        (*img)["protection"]["delete"] = c.body["delete"];
      st.put("image", *id, *img);
      json a =
          eng().new_action("change_protection", json::array({{{"id", *id}, {"type", "image"}}}),
                           c.now, 0, json::object());
      return ok({{"action", action_view(a, c.now)}}, 201);
    }
    if (c.seg.size() == 1) {
      if (m != "GET") return method_not_allowed();
      std::vector<json> v = all_images();
      auto filter = [&](const std::string& key, const std::string& field) {
        auto vals = c.qall(key);
        if (vals.empty()) return;
        std::vector<json> kept;
        for (auto& i : v)
          if (i[field].is_string() &&
              std::find(vals.begin(), vals.end(), i[field].get<std::string>()) != vals.end())
            kept.push_back(i);
        v = kept;
      };
      for (auto& t : c.qall("type"))
        if (t != "system" && t != "snapshot" && t != "backup" && t != "app")
          return invalid("type", "invalid value '" + t + "'");
      for (auto& a : c.qall("architecture"))
        if (a != "x86" && a != "arm") return invalid("architecture", "invalid value '" + a + "'");
      filter("type", "type");
      filter("status", "status");
      filter("architecture", "architecture");
      if (auto bt = c.q("bound_to")) {
        std::vector<json> kept;
        for (auto& i : v)
          if (i["bound_to"].is_number() && std::to_string(i["bound_to"].get<int64_t>()) == *bt)
            kept.push_back(i);
        v = kept;
      }
      bool incl = c.q("include_deprecated").value_or("false") == "true";
      if (!incl) {
        std::vector<json> kept;
        for (auto& i : v)
          if (i["deprecated"].is_null()) kept.push_back(i);
        v = kept;
      }
      return list("images", v, {"id", "name", "created"});
    }
    auto id = seg_id(1);
    if (!id || c.seg.size() != 2) return not_found("image");
    if (find_system_image(*id)) {
      if (m == "GET") return ok({{"image", *image_by_id(*id)}});
      if (m == "PUT" || m == "DELETE")
        return Error{403, "forbidden", "only snapshots and backups can be changed or deleted"};
      return method_not_allowed();
    }
    auto img = st.get("image", *id);
    if (!img) return not_found("image");
    if (m == "GET") return ok({{"image", public_doc(*img)}});
    if (m == "DELETE") {
      if ((*img)["protection"].value("delete", false))
        return Error{423, "protected", "snapshot deletion is protected"};
      st.erase("image", *id);
      c.deleted_images.push_back(*id);
      return ok(nullptr, 204);
    }
    if (m == "PUT") {
      auto& b = c.body;
      if (b.contains("description") && !b["description"].is_null()) {
        if (!b["description"].is_string()) return invalid("description", "must be a string");
        (*img)["description"] = b["description"];
      }
      if (b.contains("type") && !b["type"].is_null()) {
        if (b["type"] != "snapshot") return invalid("type", "can only be converted to snapshot");
        (*img)["type"] = "snapshot";
        (*img)["bound_to"] = nullptr;
      }
      Labels labels;
      if (auto e = parse_labels(b, &labels)) return *e;
      if (b.contains("labels") && !b["labels"].is_null()) (*img)["labels"] = labels;
      st.put("image", *id, *img);
      return ok({{"image", public_doc(*img)}});
    }
    return method_not_allowed();
  }

  // -- servers --
  // The "image" of a create or rebuild: given, found, available and of the
  // server type's architecture.
  std::optional<Error> server_image(const json& b, const std::string& arch, json* out) {
    if (!b.contains("image") || b["image"].is_null()) return invalid("image", "is required");
    auto image = resolve_image(b["image"], arch);
    if (!image || (*image)["status"] != "available") return invalid("image", "image not found");
    if ((*image)["architecture"] != arch)
      return invalid("image", "image has incompatible architecture");
    *out = std::move(*image);
    return std::nullopt;
  }

  Result create_server() {
    auto& b = c.body;
    if (!b.contains("name") || !b["name"].is_string()) return invalid("name", "is required");
    std::string name = b["name"];
    if (!valid_hostname(name)) return invalid("name", "must be a valid hostname (RFC 1123)");
    if (!b.contains("server_type") || b["server_type"].is_null())
      return invalid("server_type", "is required");
    const ServerTypeInfo* type = resolve_type(b["server_type"]);
    if (!type) return invalid("server_type", "server type not found");
    json image;
    if (auto e = server_image(b, type->architecture, &image)) return *e;
    const LocationInfo* loc = nullptr;
    if (b.contains("location") && !b["location"].is_null()) {
      loc = resolve_location(b["location"]);
      if (!loc) return invalid("location", "location not found");
    } else if (b.contains("datacenter") && !b["datacenter"].is_null()) {
      for (auto& l : locations())
        if (b["datacenter"] == l.datacenter_name ||
            b["datacenter"] == std::to_string(l.datacenter_id))
          loc = &l;
      if (!loc) return invalid("datacenter", "datacenter not found");
    } else {
      for (auto& l : locations())
        if (!loc && server_type_in_location(*type, l)) loc = &l;
    }
    if (!server_type_in_location(*type, *loc))
      return Error{412, "resource_unavailable",
                   "server type " + type->name + " is not available in " + loc->name};
    json keys = json::array();
    if (b.contains("ssh_keys") && !b["ssh_keys"].is_null()) {
      if (!b["ssh_keys"].is_array()) return invalid("ssh_keys", "must be an array");
      for (auto& r : b["ssh_keys"]) {
        auto k = resolve_doc("ssh_key", r);
        if (!k) return invalid("ssh_keys", "ssh key " + r.dump() + " not found");
        keys.push_back((*k)["id"]);
      }
    }
    json user_data = nullptr;
    if (b.contains("user_data") && !b["user_data"].is_null()) {
      if (auto e = check_user_data(b["user_data"])) return *e;
      user_data = b["user_data"];
    }
    Labels labels;
    if (auto e = parse_labels(b, &labels)) return *e;
    bool start = b.value("start_after_create", json(true)).is_boolean()
                     ? b.value("start_after_create", true)
                     : true;
    bool v4 = true, v6 = true;
    if (b.contains("public_net") && b["public_net"].is_object()) {
      auto& pn = b["public_net"];
      if (pn.contains("enable_ipv4") && pn["enable_ipv4"].is_boolean()) v4 = pn["enable_ipv4"];
      if (pn.contains("enable_ipv6") && pn["enable_ipv6"].is_boolean()) v6 = pn["enable_ipv6"];
    }
    std::map<std::string, json> given_ips;  // public_net.ipv4/ipv6: primary IPs to assign
    if (auto e = given_primary_ips(b, *loc, &given_ips)) return *e;
    json nets = json::array(), fws = json::array();
    if (b.contains("networks") && b["networks"].is_array())
      for (auto& n : b["networks"]) {
        if (!n.is_number_integer() || !st.get("network", n.get<int64_t>()))
          return invalid("networks", "network " + n.dump() + " not found");
        nets.push_back(n);
      }
    if (b.contains("firewalls") && b["firewalls"].is_array())
      for (auto& f : b["firewalls"]) {
        json fid = f.is_object() ? f.value("firewall", json()) : json();
        if (!fid.is_number_integer() || !st.get("firewall", fid.get<int64_t>()))
          return invalid("firewalls", "firewall " + f.dump() + " not found");
        fws.push_back(fid);
      }
    if (b.contains("volumes") && b["volumes"].is_array() && !b["volumes"].empty())
      return invalid("volumes", "volume " + b["volumes"][0].dump() + " not found");
    json pgroup = nullptr;
    if (b.contains("placement_group") && !b["placement_group"].is_null()) {
      auto g = b["placement_group"].is_number_integer()
                   ? st.get("placement_group", b["placement_group"].get<int64_t>())
                   : std::nullopt;
      if (!g) return invalid("placement_group", "placement group not found");
      if (placement_group_view(*g)["servers"].size() >= kSpreadMax)
        return Error{422, "placement_error",
                     "placement group " + b["placement_group"].dump() + " is full"};
      pgroup = (*g)["id"];
    }
    if (auto e = name_taken("server", name)) return *e;

    int64_t id = st.next_id("server", 100000);
    json s = {{"id", id},
              {"name", name},
              {"status", "initializing"},
              {"created", rfc3339(c.now)},
              {"rescue_enabled", false},
              {"backup_window", nullptr},
              {"outgoing_traffic", 0},
              {"ingoing_traffic", 0},
              {"included_traffic", loc->network_zone == "eu-central" ? int64_t{21990232555520}
                                                                     : int64_t{1099511627776}},
              {"protection", {{"delete", false}, {"rebuild", false}}},
              {"labels", labels},
              {"primary_disk_size", type->disk},
              {"server_type", type->id},
              {"location", loc->id},
              {"_image", image},
              {"_user_data", user_data},
              {"_ssh_keys", keys},
              {"_networks", nets},
              {"_firewalls", fws},
              {"_placement_group", pgroup},
              {"_ipv4", nullptr},
              {"_ipv6", nullptr}};
    auto make_ip = [&](const std::string& t) {
      int64_t pid = st.next_id("primary_ip", 500000);
      std::string ip = next_address(t);
      json dns = json::array();
      if (t == "ipv4") dns.push_back({{"ip", ip}, {"dns_ptr", reverse_ptr(ip)}});
      json p = {{"id", pid},
                {"name", "primary_ip-" + std::to_string(pid)},
                {"ip", ip},
                {"type", t},
                {"assignee_id", id},
                {"assignee_type", "server"},
                {"auto_delete", true},
                {"blocked", false},
                {"created", rfc3339(c.now)},
                {"dns_ptr", dns},
                {"labels", json::object()},
                {"protection", {{"delete", false}}},
                {"_location", loc->id}};
      st.put("primary_ip", pid, p);
      return json{{"id", pid}, {"ip", ip}};
    };
    for (auto& [t, p] : given_ips) {
      p["assignee_id"] = id;
      p["assignee_type"] = "server";
      st.put("primary_ip", p["id"], p);
      s["_" + t] = {{"id", p["id"]}, {"ip", p["ip"]}};
    }
    if (v4 && !given_ips.count("ipv4")) s["_ipv4"] = make_ip("ipv4");
    if (v6 && !given_ips.count("ipv6")) s["_ipv6"] = make_ip("ipv6");
    Engine e = eng();
    json res = json::array({{{"id", id}, {"type", "server"}}});
    json create = e.new_action("create_server", res, c.now, 0, {{"start", start}});
    json next = json::array();
    s["_lock"] = create["id"];
    if (start) {
      json a = e.new_action("start_server", res, create["_due"], 0, json::object());
      s["_lock"] = a["id"];
      next.push_back(action_view(a, c.now));
    }
    json root_password = nullptr;
    if (keys.empty()) root_password = new_root_password();
    if (!root_password.is_null()) s["_root_password"] = root_password;
    st.put("server", id, s);
    return ok({{"server", server_view(s)},
               {"action", action_view(create, c.now)},
               {"next_actions", next},
               {"root_password", root_password}},
              201);
  }

  Result server_action(json& s, const std::string& name) {
    int64_t id = s["id"];
    if (s["status"] == "deleting") return Error{423, "locked", "server is being deleted"};
    if (s.value("_lock", int64_t{0}) != 0) {
      auto a = st.get("action", s["_lock"]);
      if (a && (*a)["status"] == "running")
        return Error{423, "locked",
                     "server " + std::to_string(id) + " is locked by action " +
                         std::to_string((*a)["id"].get<int64_t>())};
    }
    auto& b = c.body;
    Engine e = eng();
    json res = json::array({{{"id", id}, {"type", "server"}}});
    json extra = json::object();
    std::string command;
    json effect = json::object();
    double data_gb = 0;
    std::string status = s["status"];
    if (name == "poweron" || name == "reboot" || name == "reset")
      effect = {{"rescue", s.value("rescue_enabled", false)}};
    if (name == "poweron") {
      command = "start_server";
      if (status == "off") s["status"] = "starting";
    } else if (name == "poweroff") {
      command = "stop_server";
      if (status == "running") s["status"] = "stopping";
    } else if (name == "shutdown") {
      command = "shutdown_server";
    } else if (name == "reboot") {
      command = "reboot_server";
    } else if (name == "reset") {
      command = "reset_server";
    } else if (name == "enable_rescue") {
      if (b.contains("type") && !b["type"].is_null()) {
        if (!b["type"].is_string()) return invalid("type", "must be a string");
        std::string t = b["type"];
        if (!t.empty() && t != "linux64")
          return invalid("type", "rescue type '" + t + "' is not supported");
      }
      if (b.contains("ssh_keys") && !b["ssh_keys"].is_null()) {
        if (!b["ssh_keys"].is_array()) return invalid("ssh_keys", "must be an array");
        for (auto& r : b["ssh_keys"])
          if (!resolve_doc("ssh_key", r))
            return invalid("ssh_keys", "ssh key " + r.dump() + " not found");
      }
      command = "enable_rescue";
      extra["root_password"] = new_root_password();
      // For the boot into rescue (kept in the private state, never shown).
      json rkeys = json::array();
      if (b.contains("ssh_keys") && b["ssh_keys"].is_array())
        for (auto& r : b["ssh_keys"]) rkeys.push_back((*resolve_doc("ssh_key", r))["id"]);
      s["_rescue"] = {{"keys", rkeys}, {"password", extra["root_password"]}};
    } else if (name == "disable_rescue") {
      command = "disable_rescue";
    } else if (name == "create_image") {
      std::string type = "snapshot";
      if (b.contains("type") && !b["type"].is_null()) {
        if (!b["type"].is_string() || (b["type"] != "snapshot" && b["type"] != "backup"))
          return invalid("type", "must be 'snapshot' or 'backup'");
        type = b["type"];
      }
      if (type == "backup")
        return Error{422, "unsupported_error", "backups are not enabled for this server"};
      std::string desc;
      if (b.contains("description") && b["description"].is_string()) desc = b["description"];
      if (desc.empty()) desc = "snapshot of " + s["name"].get<std::string>() + " " + rfc3339(c.now);
      Labels labels;
      if (auto er = parse_labels(b, &labels)) return *er;
      json src = s.value("_image", json());
      data_gb = 1.0;
      if (src.is_object()) {
        if (src["image_size"].is_number())
          data_gb = src["image_size"];
        else if (src.contains("id") && find_system_image(src["id"]))
          data_gb = find_system_image(src["id"])->data_gb;
      }
      int64_t iid = st.next_id("image", 300000000);
      json img = {{"id", iid},
                  {"type", type},
                  {"status", "creating"},
                  {"name", nullptr},
                  {"description", desc},
                  {"image_size", nullptr},
                  {"disk_size", s["primary_disk_size"]},
                  {"created", rfc3339(c.now)},
                  {"created_from", {{"id", id}, {"name", s["name"]}}},
                  {"bound_to", nullptr},
                  {"os_flavor",
                   src.is_object() ? src.value("os_flavor", json("unknown")) : json("unknown")},
                  {"os_version", src.is_object() ? src.value("os_version", json()) : json()},
                  {"architecture", find_server_type(s["server_type"])->architecture},
                  {"rapid_deploy", false},
                  {"protection", {{"delete", false}}},
                  {"deprecated", nullptr},
                  {"deleted", nullptr},
                  {"labels", labels}};
      st.put("image", iid, img);
      command = "create_image";
      effect = {{"image", iid}, {"data_gb", data_gb}, {"was", status}};
      extra["image"] = public_doc(img);
    } else if (name == "change_type") {
      if (!b.contains("server_type") || b["server_type"].is_null())
        return invalid("server_type", "is required");
      if (!b.contains("upgrade_disk") || !b["upgrade_disk"].is_boolean())
        return invalid("upgrade_disk", "is required");
      const ServerTypeInfo* t = resolve_type(b["server_type"]);
      if (!t) return invalid("server_type", "server type not found");
      const ServerTypeInfo* cur = find_server_type(s["server_type"]);
      if (status != "off")
        return Error{422, "server_not_stopped", "server must be stopped to change its type"};
      if (t->architecture != cur->architecture)
        return Error{422, "invalid_server_type", "server type has a different architecture"};
      if (t->disk < s["primary_disk_size"].get<int64_t>())
        return Error{422, "invalid_server_type", "disk of the new server type is too small"};
      if (!server_type_in_location(*t, *find_location(s["location"])))
        return Error{422, "invalid_server_type", "server type is not available in this location"};
      command = "change_server_type";
      effect = {{"server_type", t->id}, {"upgrade_disk", b["upgrade_disk"]}, {"disk", t->disk}};
      s["status"] = "migrating";
    } else if (name == "rebuild") {
      // OpenTofu rebuilds a server whose image changed (the newest snapshot
      // by label): the disk becomes a copy of the image, and the server runs
      // again with the keys it was created with.
      if (s["protection"].value("rebuild", false))
        return Error{423, "protected", "server rebuild is protected"};
      json image;
      if (auto e = server_image(b, find_server_type(s["server_type"])->architecture, &image))
        return *e;
      if (b.contains("user_data") && !b["user_data"].is_null()) {
        if (auto e = check_user_data(b["user_data"])) return *e;
        s["_user_data"] = b["user_data"];
      }
      s["_image"] = image;
      json root_password = nullptr;
      if (s.value("_ssh_keys", json::array()).empty()) {
        root_password = new_root_password();
        s["_root_password"] = root_password;
      }
      extra["root_password"] = root_password;
      command = "rebuild_server";
      s["status"] = "rebuilding";
    } else if (name == "change_protection") {
      // OpenTofu's delete_protection / rebuild_protection. The flags show at
      // once (as for images); the action is the record. "Both flags
      // currently must have the same value" (the reference).
      // Judged on the result: {"delete": true} alone on an unprotected
      // server would leave the two unequal.
      json p = s["protection"];
      for (const char* f : {"delete", "rebuild"}) {
        if (!b.contains(f) || b[f].is_null()) continue;
        if (!b[f].is_boolean()) return invalid(f, "must be a boolean");
        p[f] = b[f];
      }
      if (p.value("delete", false) != p.value("rebuild", false))
        return invalid("rebuild", "delete and rebuild protection must have the same value");
      s["protection"] = p;
      command = "change_protection";
    } else {
      return not_found("action");
    }
    json a = e.new_action(command, res, c.now, data_gb, effect);
    s["_lock"] = a["id"];
    st.put("server", id, s);
    extra["action"] = action_view(a, c.now);
    return ok(extra, 201);
  }

  Result servers_(const std::string& m) {
    if (auto r = resource_actions("server", "server")) return *r;
    if (c.seg.size() == 1) {
      if (m == "POST") return create_server();
      if (m != "GET") return method_not_allowed();
      std::vector<json> v;
      auto statuses = c.qall("status");
      for (auto& s : st.list("server"))
        if (statuses.empty() || std::find(statuses.begin(), statuses.end(),
                                          s["status"].get<std::string>()) != statuses.end())
          v.push_back(server_view(s));
      return list("servers", v, {"id", "name", "created"});
    }
    auto id = seg_id(1);
    auto s = id ? st.get("server", *id) : std::nullopt;
    if (!s) return not_found("server");
    if (c.seg.size() == 4 && c.seg[2] == "actions") {
      if (m != "POST") return method_not_allowed();
      return server_action(*s, c.seg[3]);
    }
    if (c.seg.size() != 2) return not_found("resource");
    if (m == "GET") return ok({{"server", server_view(*s)}});
    if (m == "PUT") {
      auto& b = c.body;
      if (b.contains("name") && !b["name"].is_null() &&
          (!b["name"].is_string() || !valid_hostname(b["name"])))
        return invalid("name", "must be a valid hostname (RFC 1123)");
      if (auto e = update_name_and_labels("server", *id, b, &*s)) return *e;
      return ok({{"server", server_view(*s)}});
    }
    if (m == "DELETE") {
      if ((*s)["protection"].value("delete", false))
        return Error{423, "protected", "server deletion is protected"};
      if ((*s)["status"] == "deleting") {
        auto a = st.get("action", (*s)["_lock"]);
        if (a) return ok({{"action", action_view(*a, c.now)}});
      }
      // "was": where a failed deletion (a fault) leaves the server.
      json a = eng().new_action("delete_server", json::array({{{"id", *id}, {"type", "server"}}}),
                                c.now, 0, {{"was", (*s)["status"]}});
      (*s)["status"] = "deleting";
      (*s)["_lock"] = a["id"];
      st.put("server", *id, *s);
      return ok({{"action", action_view(a, c.now)}});
    }
    return method_not_allowed();
  }

  // -- placement groups (type spread: at most kSpreadMax servers) --
  static constexpr size_t kSpreadMax = 10;

  json placement_group_view(const json& g) {
    json v = public_doc(g);
    json servers = json::array();
    for (auto& s : st.list("server"))
      if (s.value("_placement_group", json()) == g["id"]) servers.push_back(s["id"]);
    v["servers"] = servers;
    return v;
  }

  json placement_group_of(const json& s) {
    json id = s.value("_placement_group", json());
    if (!id.is_number_integer()) return nullptr;
    auto g = st.get("placement_group", id.get<int64_t>());
    return g ? placement_group_view(*g) : json();
  }

  Result placement_groups_(const std::string& m) {
    auto& b = c.body;
    if (c.seg.size() == 1) {
      if (m == "GET") {
        std::vector<json> v;
        auto types = c.qall("type");
        for (auto& g : st.list("placement_group"))
          if (types.empty() || std::find(types.begin(), types.end(), g["type"]) != types.end())
            v.push_back(placement_group_view(g));
        return list("placement_groups", v, {"id", "name", "created"});
      }
      if (m != "POST") return method_not_allowed();
      if (auto e = require_name(b)) return *e;
      if (!b.contains("type") || b["type"] != "spread") return invalid("type", "must be spread");
      Labels labels;
      if (auto e = parse_labels(b, &labels)) return *e;
      if (auto e = name_taken("placement_group", b["name"])) return *e;
      int64_t id = st.next_id("placement_group", 40000);
      json g = {{"id", id},
                {"name", b["name"]},
                {"type", "spread"},
                {"labels", labels},
                {"created", rfc3339(c.now)}};
      st.put("placement_group", id, g);
      return ok({{"placement_group", placement_group_view(g)}, {"action", nullptr}}, 201);
    }
    auto id = seg_id(1);
    auto g = id && c.seg.size() == 2 ? st.get("placement_group", *id) : std::nullopt;
    if (!g) return not_found("placement_group");
    if (m == "GET") return ok({{"placement_group", placement_group_view(*g)}});
    if (m == "PUT") {
      if (auto e = update_name_and_labels("placement_group", *id, b, &*g)) return *e;
      return ok({{"placement_group", placement_group_view(*g)}});
    }
    if (m == "DELETE") {
      // Allowed with servers in it (they leave it), so that deleting a server
      // and then its group right away works while the server is still deleting.
      st.erase("placement_group", *id);
      return ok(nullptr, 204);
    }
    return method_not_allowed();
  }

  // public_net.ipv4 / .ipv6 of POST /servers: IDs of unassigned primary IPs
  // of that type in the server's location (Packer's public_ipv4/_ipv6).
  std::optional<Error> given_primary_ips(const json& b, const LocationInfo& loc,
                                         std::map<std::string, json>* out) {
    if (!b.contains("public_net") || !b["public_net"].is_object()) return std::nullopt;
    for (const std::string t : {"ipv4", "ipv6"}) {
      const json& pn = b["public_net"];
      if (!pn.contains(t) || pn[t].is_null()) continue;
      const std::string field = "public_net." + t;
      if (!pn[t].is_number_integer()) return invalid(field, "must be a primary IP ID");
      auto p = st.get("primary_ip", pn[t].get<int64_t>());
      if (!p) return invalid(field, "primary IP " + pn[t].dump() + " not found");
      if ((*p)["type"] != t)
        return Error{422, "primary_ip_version_mismatch",
                     "primary IP " + pn[t].dump() + " is not of type " + t};
      if (!(*p)["assignee_id"].is_null())
        return Error{422, "primary_ip_assigned",
                     "primary IP " + pn[t].dump() + " is already assigned"};
      if ((*p)["_location"] != loc.id)
        return Error{422, "primary_ip_datacenter_mismatch",
                     "primary IP " + pn[t].dump() + " is not in location " + loc.name};
      (*out)[t] = *p;
    }
    return std::nullopt;
  }

  Result create_primary_ip() {
    auto& b = c.body;
    if (auto e = require_name(b)) return *e;
    if (!b.contains("type") || (b["type"] != "ipv4" && b["type"] != "ipv6"))
      return invalid("type", "must be ipv4 or ipv6");
    if (!b.contains("assignee_type") || b["assignee_type"] != "server")
      return invalid("assignee_type", "must be server");
    std::string t = b["type"];
    Labels labels;
    if (auto e = parse_labels(b, &labels)) return *e;
    std::optional<json> server;
    const LocationInfo* loc = nullptr;
    if (b.contains("assignee_id") && !b["assignee_id"].is_null()) {
      if (!b["assignee_id"].is_number_integer() ||
          !(server = st.get("server", b["assignee_id"].get<int64_t>())))
        return invalid("assignee_id", "server not found");
      if (!(*server)["_" + t].is_null())
        return Error{422, t == "ipv4" ? "server_has_ipv4" : "server_has_ipv6",
                     "server already has a primary " + t};
      if ((*server)["status"] != "off")
        return Error{422, "server_not_stopped", "server must be stopped to assign a primary IP"};
      loc = find_location((*server)["location"]);
    } else if (b.contains("location") && !b["location"].is_null()) {
      loc = resolve_location(b["location"]);
      if (!loc) return invalid("location", "location not found");
    } else if (b.contains("datacenter") && !b["datacenter"].is_null()) {
      for (auto& l : locations())
        if (b["datacenter"] == l.datacenter_name ||
            b["datacenter"] == std::to_string(l.datacenter_id))
          loc = &l;
      if (!loc) return invalid("datacenter", "datacenter not found");
    } else {
      return invalid("location", "location or assignee_id is required");
    }
    if (auto e = name_taken("primary_ip", b["name"])) return *e;
    int64_t pid = st.next_id("primary_ip", 500000);
    std::string ip = next_address(t);
    json dns = json::array();
    if (t == "ipv4") dns.push_back({{"ip", ip}, {"dns_ptr", reverse_ptr(ip)}});
    bool auto_delete =
        b.contains("auto_delete") && b["auto_delete"].is_boolean() && b["auto_delete"].get<bool>();
    json p = {{"id", pid},
              {"name", b["name"]},
              {"ip", ip},
              {"type", t},
              {"assignee_id", server ? (*server)["id"] : json()},
              {"assignee_type", "server"},
              {"auto_delete", auto_delete},
              {"blocked", false},
              {"created", rfc3339(c.now)},
              {"dns_ptr", dns},
              {"labels", labels},
              {"protection", {{"delete", false}}},
              {"_location", loc->id}};
    st.put("primary_ip", pid, p);
    json res = json::array({{{"id", pid}, {"type", "primary_ip"}}});
    if (server) {
      (*server)["_" + t] = {{"id", pid}, {"ip", ip}};
      st.put("server", (*server)["id"], *server);
      res.push_back({{"id", (*server)["id"]}, {"type", "server"}});
    }
    // The document's example: a create_primary_ip action, also when unassigned.
    json a = eng().new_action("create_primary_ip", res, c.now, 0, json::object());
    return ok({{"primary_ip", primary_ip_view(p)}, {"action", action_view(a, c.now)}}, 201);
  }

  // -- primary ips, networks, firewalls --
  Result primary_ips_(const std::string& m) {
    if (auto r = resource_actions("primary_ip", "primary_ip")) return *r;
    if (c.seg.size() == 1) {
      if (m == "POST") return create_primary_ip();
      if (m != "GET") return method_not_allowed();
      std::vector<json> v;
      auto ip = c.q("ip");
      for (auto& p : st.list("primary_ip"))
        if (!ip || p["ip"] == *ip) v.push_back(primary_ip_view(p));
      return list("primary_ips", v, {"id", "name", "created"});
    }
    auto id = seg_id(1);
    auto p = id && c.seg.size() == 2 ? st.get("primary_ip", *id) : std::nullopt;
    if (!p) return not_found("primary_ip");
    if (m == "GET") return ok({{"primary_ip", primary_ip_view(*p)}});
    if (m == "DELETE") {
      if (!(*p)["assignee_id"].is_null())
        return Error{422,
                     "invalid_input",
                     "primary IP is assigned to a server",
                     {{"fields", json::array({{{"name", "id"}, {"messages", {"is assigned"}}}})}}};
      st.erase("primary_ip", *id);
      return ok(nullptr, 204);
    }
    return method_not_allowed();
  }

  // GET of a collection without filters of its own, and GET, PUT (name,
  // labels) or DELETE of one of its items, for resources whose update and
  // delete have no further rules.
  Result plain_list(const std::string& kind, const std::string& key, json (H::*view)(const json&)) {
    std::vector<json> v;
    for (auto& o : st.list(kind)) v.push_back((this->*view)(o));
    return list(key, v, {"id", "name", "created"});
  }
  Result plain_item(const std::string& m, const std::string& kind, json (H::*view)(const json&)) {
    auto id = seg_id(1);
    auto o = id && c.seg.size() == 2 ? st.get(kind, *id) : std::nullopt;
    if (!o) return not_found(kind);
    if (m == "GET") return ok({{kind, (this->*view)(*o)}});
    if (m == "PUT") {
      if (auto e = update_name_and_labels(kind, *id, c.body, &*o)) return *e;
      return ok({{kind, (this->*view)(*o)}});
    }
    if (m == "DELETE") {
      st.erase(kind, *id);
      return ok(nullptr, 204);
    }
    return method_not_allowed();
  }

  Result networks_(const std::string& m) {
    if (auto r = resource_actions("network", "network")) return *r;
    if (c.seg.size() == 1) {
      if (m == "GET") return plain_list("network", "networks", &H::network_view);
      if (m != "POST") return method_not_allowed();
      auto& b = c.body;
      if (auto e = require_name(b)) return *e;
      if (!b.contains("ip_range") || !b["ip_range"].is_string())
        return invalid("ip_range", "is required");
      Labels labels;
      if (auto e = parse_labels(b, &labels)) return *e;
      if (auto e = name_taken("network", b["name"])) return *e;
      int64_t id = st.next_id("network", 20000);
      json subnets = json::array();
      if (b.contains("subnets") && b["subnets"].is_array())
        for (auto& sn : b["subnets"]) {
          json x = sn;
          if (!x.contains("gateway")) x["gateway"] = "10.0.0.1";
          subnets.push_back(x);
        }
      json n = {{"id", id},
                {"name", b["name"]},
                {"ip_range", b["ip_range"]},
                {"subnets", subnets},
                {"routes", b.value("routes", json::array())},
                {"servers", json::array()},
                {"protection", {{"delete", false}}},
                {"labels", labels},
                {"created", rfc3339(c.now)},
                {"expose_routes_to_vswitch", b.contains("expose_routes_to_vswitch") &&
                                                 b["expose_routes_to_vswitch"].is_boolean() &&
                                                 b["expose_routes_to_vswitch"].get<bool>()}};
      st.put("network", id, n);
      return ok({{"network", network_view(n)}}, 201);
    }
    return plain_item(m, "network", &H::network_view);
  }

  Result firewalls_(const std::string& m) {
    if (auto r = resource_actions("firewall", "firewall")) return *r;
    if (c.seg.size() == 1) {
      if (m == "GET") return plain_list("firewall", "firewalls", &H::firewall_view);
      if (m != "POST") return method_not_allowed();
      auto& b = c.body;
      if (auto e = require_name(b)) return *e;
      Labels labels;
      if (auto e = parse_labels(b, &labels)) return *e;
      json rules = json::array();
      if (b.contains("rules") && b["rules"].is_array())
        for (auto& r : b["rules"]) {
          if (!r.is_object() || !r.contains("direction") || !r.contains("protocol"))
            return invalid("rules", "each rule needs direction and protocol");
          json x = {{"direction", r["direction"]},
                    {"protocol", r["protocol"]},
                    {"port", r.value("port", json())},
                    {"source_ips", r.value("source_ips", json::array())},
                    {"destination_ips", r.value("destination_ips", json::array())},
                    {"description", r.value("description", json())}};
          rules.push_back(x);
        }
      if (auto e = name_taken("firewall", b["name"])) return *e;
      int64_t id = st.next_id("firewall", 30000);
      json f = {{"id", id},
                {"name", b["name"]},
                {"labels", labels},
                {"rules", rules},
                {"created", rfc3339(c.now)}};
      st.put("firewall", id, f);
      return ok({{"firewall", firewall_view(f)}, {"actions", json::array()}}, 201);
    }
    return plain_item(m, "firewall", &H::firewall_view);
  }
};

}  // namespace

ApiResponse Api::handle(const ApiRequest& request) {
  FaultDecision fault = faults_.decide(request.method, request.path);
  // Slept before taking the lock: a slow endpoint does not stall the others.
  if (fault.latency_ms > 0)
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(fault.latency_ms));
  if (fault.drop) {
    counters_.record(request.method, request.path, 0);
    ApiResponse r;
    r.drop = true;
    return r;
  }
  ApiResponse r = handle_guarded(request, fault);
  counters_.record(request.method, request.path, r.status);
  return r;
}

ApiResponse Api::handle_guarded(const ApiRequest& request, const FaultDecision& fault) {
  std::lock_guard<std::mutex> lock(mu_);
  try {
    return handle_locked(request, fault);
  } catch (const std::exception& e) {
    // A bug, not bad input: answer 500 rather than abort, keep no partial write.
    store_.rollback();
    ApiResponse r;
    r.status = 500;
    r.body = json{{"error",
                   {{"code", "server_error"},
                    {"message", std::string("internal error: ") + e.what()},
                    {"details", json::object()}}}}
                 .dump();
    return r;
  }
}

ApiResponse Api::handle_locked(const ApiRequest& request, const FaultDecision& fault) {
  double now = opt_.clock();
  ApiResponse resp;
  resp.headers.push_back({"X-Correlation-Id", random_string(16, "0123456789abcdef")});
  auto finish = [&](int status, const json& body) {
    resp.status = status;
    if (!body.is_null()) resp.body = body.dump();
    return resp;
  };
  auto error = [&](const Error& e) {
    return finish(e.status,
                  {{"error", {{"code", e.code}, {"message", e.message}, {"details", e.details}}}});
  };

  TokenBucket::Result rl = bucket_.take(now);
  resp.headers.push_back({"RateLimit-Limit", std::to_string(rl.limit)});
  resp.headers.push_back({"RateLimit-Remaining", std::to_string(rl.remaining)});
  resp.headers.push_back({"RateLimit-Reset", std::to_string(rl.reset)});
  if (!rl.allowed)
    return error({429, "rate_limit_exceeded",
                  "limit of " + std::to_string(rl.limit) + " requests per hour reached"});

  const std::string prefix = "Bearer ";
  if (request.authorization.size() <= prefix.size() ||
      request.authorization.compare(0, prefix.size(), prefix) != 0 ||
      request.authorization.substr(prefix.size()) != opt_.token)
    return error({401, "unauthorized", "unable to authenticate"});
  // Injected errors come from behind the authentication, as the backend's do.
  if (fault.error)
    return error(
        {fault.error->status, fault.error->code, fault.error->message, fault.error->details});

  Ctx c{request, now, {}, json::object()};
  c.real = opt_.backend != nullptr;
  c.ipv4_offset = opt_.ipv4_offset;
  if (fault.fail_action)
    c.fail_action = {{"code", fault.fail_action->code}, {"message", fault.fail_action->message}};
  std::string path = request.path;
  if (path.rfind("/v1/", 0) != 0) return error(not_found("resource"));
  size_t s = 4;
  while (s <= path.size()) {
    size_t e = path.find('/', s);
    std::string part = path.substr(s, e == std::string::npos ? std::string::npos : e - s);
    if (!part.empty()) c.seg.push_back(part);
    if (e == std::string::npos) break;
    s = e + 1;
  }
  if (c.seg.empty()) return error(not_found("resource"));
  if (!request.body.empty() && (request.method == "POST" || request.method == "PUT")) {
    c.body = json::parse(request.body, nullptr, false);
    if (c.body.is_discarded()) return error({400, "json_error", "invalid JSON in request body"});
    if (c.body.is_null()) c.body = json::object();
    if (!c.body.is_object())
      return error({400, "json_error", "request body must be a JSON object"});
  }

  if (!store_.begin())
    return error({500, "server_error", "state database: " + store_.last_error()});
  advance(now);
  H h{store_, c, opt_.time_scale, opt_.time_jitter};
  Result r = Error{404, "not_found", "resource not found"};
  const std::string& res = c.seg[0];
  const std::string& m = request.method;
  if (res == "locations")
    r = h.locations_(m);
  else if (res == "datacenters")
    r = h.datacenters_(m);
  else if (res == "server_types")
    r = h.server_types_(m);
  else if (res == "actions")
    r = h.actions_(m);
  else if (res == "ssh_keys")
    r = h.ssh_keys_(m);
  else if (res == "images")
    r = h.images_(m);
  else if (res == "servers")
    r = h.servers_(m);
  else if (res == "primary_ips")
    r = h.primary_ips_(m);
  else if (res == "networks")
    r = h.networks_(m);
  else if (res == "placement_groups")
    r = h.placement_groups_(m);
  else if (res == "firewalls")
    r = h.firewalls_(m);
  if (auto* e = std::get_if<Error>(&r)) {
    // Errors still commit what advance() did; handlers validate before writing.
    if (!store_.commit()) store_.rollback();
    return error(*e);
  }
  if (!store_.commit()) {
    std::string why = store_.last_error();
    store_.rollback();
    return error({500, "server_error", "state database: " + why});
  }
  // Committed: now the real work may start.
  if (opt_.backend) {
    for (int64_t aid : c.work) opt_.backend->submit(work_for(aid));
    for (int64_t iid : c.deleted_images) opt_.backend->image_deleted(iid);
  }
  Out& o = std::get<Out>(r);
  if (o.list_meta) {
    // Link header for paginated lists.
    std::string base =
        (request.host.empty() ? "" : "http://" + request.host) + request.path + "?page=";
    const json& p = *o.list_meta;
    std::string per = "&per_page=" + std::to_string(p["per_page"].get<long>());
    std::vector<std::string> links;
    if (!p["previous_page"].is_null())
      links.push_back("<" + base + std::to_string(p["previous_page"].get<long>()) + per +
                      ">; rel=\"prev\"");
    if (!p["next_page"].is_null())
      links.push_back("<" + base + std::to_string(p["next_page"].get<long>()) + per +
                      ">; rel=\"next\"");
    links.push_back("<" + base + std::to_string(p["last_page"].get<long>()) + per +
                    ">; rel=\"last\"");
    std::string l;
    for (auto& x : links) l += (l.empty() ? "" : ", ") + x;
    resp.headers.push_back({"Link", l});
  }
  return finish(o.status, o.body);
}

ServerWork Api::work_for(int64_t action_id) {
  ServerWork w;
  w.action_id = action_id;
  auto a = store_.get("action", action_id);
  if (!a) return w;
  w.command = (*a)["command"];
  w.effect = a->value("_effect", json::object());
  for (auto& r : (*a)["resources"])
    if (r["type"] == "server")
      if (auto s = store_.get("server", r["id"].get<int64_t>())) w.server = *s;
  if (w.server.is_null()) return w;
  bool rescue = w.effect.value("rescue", false);
  json ids = rescue ? w.server.value("_rescue", json::object()).value("keys", json::array())
                    : w.server.value("_ssh_keys", json::array());
  for (auto& id : ids)
    if (id.is_number_integer())
      if (auto k = store_.get("ssh_key", id.get<int64_t>()))
        w.ssh_keys.push_back((*k)["public_key"]);
  if (rescue)
    w.root_password = w.server.value("_rescue", json::object()).value("password", std::string());
  else
    w.root_password = w.server.value("_root_password", std::string());
  return w;
}

json Api::action_timeline() {
  std::lock_guard<std::mutex> lock(mu_);
  advance(opt_.clock());
  json out = json::array();
  for (const json& a : store_.list("action")) {
    json end = nullptr;
    if (a.value("status", std::string()) != "running")
      end = std::max(a.value("_due", 0.0), a.value("_work_end", 0.0));
    out.push_back({{"id", a["id"]},
                   {"command", a["command"]},
                   {"status", a["status"]},
                   {"start", a.value("_start", 0.0)},
                   {"end", end}});
  }
  return out;
}

void Api::work_done(int64_t action_id, const std::string& error, const json& result) {
  if (action_id == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (!store_.begin()) return;
  auto a = store_.get("action", action_id);
  if (a) {
    (*a)["_work"] = error.empty() ? "done" : "failed";
    (*a)["_work_end"] = opt_.clock();
    if (!error.empty()) (*a)["_fail"] = {{"code", "action_failed"}, {"message", error}};
    // A boot that failed leaves the server off, whatever it was before.
    static const std::set<std::string> boots = {"start_server", "reboot_server", "reset_server"};
    if (!error.empty() && boots.count((*a)["command"].get<std::string>()))
      for (auto& r : (*a)["resources"])
        if (r["type"] == "server")
          if (auto s = store_.get("server", r["id"].get<int64_t>())) {
            (*s)["status"] = "off";
            store_.put("server", r["id"].get<int64_t>(), *s);
          }
    if (!result.is_null()) (*a)["_result"] = result;
    store_.put("action", action_id, *a, a->value("_due", 0.0));
  }
  if (!store_.commit()) store_.rollback();
}

std::vector<ServerWork> Api::recover() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ServerWork> boots;
  if (!store_.begin()) return boots;
  for (auto& a : store_.list("action"))
    if (a.value("_work", std::string()) == "pending") {
      a["_work"] = "failed";
      a["_fail"] = {{"code", "action_failed"},
                    {"message", "kiln local was restarted while the action ran"}};
      store_.put("action", a["id"], a, a.value("_due", 0.0));
    }
  for (auto& s : store_.list("server"))
    if (s.value("status", std::string()) == "running") {
      ServerWork w;
      w.command = "start_server";
      w.server = s;
      bool rescue = s.value("_in_rescue", false);
      w.effect = {{"rescue", rescue}};
      json ids = rescue ? s.value("_rescue", json::object()).value("keys", json::array())
                        : s.value("_ssh_keys", json::array());
      for (auto& id : ids)
        if (id.is_number_integer())
          if (auto k = store_.get("ssh_key", id.get<int64_t>()))
            w.ssh_keys.push_back((*k)["public_key"]);
      if (rescue)
        w.root_password = s.value("_rescue", json::object()).value("password", std::string());
      boots.push_back(w);
    }
  if (!store_.commit()) store_.rollback();
  return boots;
}

}  // namespace kiln::local
