#include "hcloud/models.h"

#include <fmt/format.h>

namespace hcloud {
namespace {

// Reads fields of one JSON object, remembering the first problem.
class Reader {
 public:
  Reader(const Json& j, std::string where, const std::string& request)
      : j_(&j), where_(std::move(where)), request_(request) {
    if (!j.is_object()) {
      fail_self(fmt::format("expected an object, got {}", j.type_name()));
      j_ = nullptr;
    }
  }

  bool ok() const { return !err_.has_value(); }
  Error error() const { return *err_; }

  std::int64_t i64(const char* key) { return opt_i64(key, true).value_or(0); }
  std::optional<std::int64_t> opt_i64(const char* key, bool required = false) {
    const Json* v = field(key, required);
    if (!v) return std::nullopt;
    if (v->is_number_integer()) return v->get<std::int64_t>();
    // An integral float (80.0) is accepted: the value is what matters.
    if (v->is_number_float()) {
      double d = v->get<double>();
      if (d == static_cast<double>(static_cast<std::int64_t>(d)))
        return static_cast<std::int64_t>(d);
    }
    fail(key, "an integer", *v);
    return std::nullopt;
  }
  double num(const char* key) { return opt_num(key).value_or(0); }
  std::optional<double> opt_num(const char* key, bool required = false) {
    const Json* v = field(key, required);
    if (!v) return std::nullopt;
    if (v->is_number()) return v->get<double>();
    // Some numbers (prices) travel as decimal strings.
    if (v->is_string()) {
      try {
        size_t used = 0;
        double d = std::stod(v->get<std::string>(), &used);
        if (used == v->get<std::string>().size()) return d;
      } catch (...) {
      }
    }
    fail(key, "a number", *v);
    return std::nullopt;
  }
  std::string str(const char* key, bool required = false) {
    return opt_str(key, required).value_or(std::string());
  }
  std::optional<std::string> opt_str(const char* key, bool required = false) {
    const Json* v = field(key, required);
    if (!v) return std::nullopt;
    if (v->is_string()) return v->get<std::string>();
    fail(key, "a string", *v);
    return std::nullopt;
  }
  bool boolean(const char* key) { return opt_bool(key).value_or(false); }
  std::optional<bool> opt_bool(const char* key) {
    const Json* v = field(key, false);
    if (!v) return std::nullopt;
    if (v->is_boolean()) return v->get<bool>();
    fail(key, "a boolean", *v);
    return std::nullopt;
  }
  Labels labels(const char* key = "labels") {
    Labels out;
    const Json* v = field(key, false);
    if (!v) return out;
    if (!v->is_object()) {
      fail(key, "an object", *v);
      return out;
    }
    for (auto it = v->begin(); it != v->end(); ++it) {
      if (!it.value().is_string()) {
        fail(key, "string label values", it.value());
        return out;
      }
      out[it.key()] = it.value().get<std::string>();
    }
    return out;
  }
  // A nested object, or nullptr when absent or null.
  const Json* obj(const char* key, bool required = false) {
    const Json* v = field(key, required);
    if (!v) return nullptr;
    if (!v->is_object()) {
      fail(key, "an object", *v);
      return nullptr;
    }
    return v;
  }
  // The elements of an array (empty when absent or null).
  const Json* arr(const char* key) {
    const Json* v = field(key, false);
    if (!v) return nullptr;
    if (!v->is_array()) {
      fail(key, "an array", *v);
      return nullptr;
    }
    return v;
  }
  std::vector<std::string> strings(const char* key) {
    std::vector<std::string> out;
    if (const Json* a = arr(key)) {
      for (const auto& e : *a) {
        if (!e.is_string()) {
          fail(key, "an array of strings", e);
          break;
        }
        out.push_back(e.get<std::string>());
      }
    }
    return out;
  }
  std::vector<std::int64_t> ints(const char* key) {
    std::vector<std::int64_t> out;
    if (const Json* a = arr(key)) {
      for (const auto& e : *a) {
        if (!e.is_number_integer()) {
          fail(key, "an array of integers", e);
          break;
        }
        out.push_back(e.get<std::int64_t>());
      }
    }
    return out;
  }
  // Merges the outcome of a nested parse.
  template <class T>
  std::optional<T> sub(Result<T> r) {
    if (r.ok()) return std::move(r).value();
    if (!err_) err_ = std::move(r).error();
    return std::nullopt;
  }
  std::string path(const char* key) const { return where_ + "." + key; }
  const std::string& request() const { return request_; }

 private:
  const Json* field(const char* key, bool required) {
    if (!j_) return nullptr;
    auto it = j_->find(key);
    if (it == j_->end() || it->is_null()) {
      if (required && !err_) err_ = malformed(request_, fmt::format("{} is missing", path(key)));
      return nullptr;
    }
    return &*it;
  }
  void fail(const char* key, const char* expected, const Json& got) {
    if (!err_)
      err_ = malformed(
          request_, fmt::format("{}: expected {}, got {}", path(key), expected, got.type_name()));
  }
  void fail_self(std::string what) {
    if (!err_) err_ = malformed(request_, fmt::format("{}: {}", where_, what));
  }

  const Json* j_;
  std::string where_;
  const std::string& request_;
  std::optional<Error> err_;
};

template <class T>
Result<T> finish(Reader& r, T value) {
  if (!r.ok()) return r.error();
  return value;
}

}  // namespace

Result<Action> parse_action(const Json& j, const std::string& request) {
  Reader r(j, "action", request);
  Action a;
  a.id = r.i64("id");
  a.command = r.str("command", true);
  a.status = r.str("status", true);
  a.progress = static_cast<int>(r.opt_i64("progress").value_or(0));
  a.started = r.str("started");
  a.finished = r.opt_str("finished");
  if (const Json* res = r.arr("resources")) {
    for (const auto& e : *res) {
      Reader rr(e, "action.resources[]", request);
      ActionResource ar{rr.i64("id"), rr.str("type")};
      if (!rr.ok()) return rr.error();
      a.resources.push_back(std::move(ar));
    }
  }
  if (const Json* err = r.obj("error")) {
    Reader re(*err, "action.error", request);
    a.error_code = re.str("code");
    a.error_message = re.str("message");
    if (!re.ok()) return re.error();
  }
  if (r.ok() && a.status != "running" && a.status != "success" && a.status != "error")
    return malformed(request, fmt::format("action.status: unknown value \"{}\"", a.status));
  return finish(r, std::move(a));
}

Result<Location> parse_location(const Json& j, const std::string& request) {
  Reader r(j, "location", request);
  Location l;
  l.id = r.i64("id");
  l.name = r.str("name", true);
  l.description = r.str("description");
  l.country = r.str("country");
  l.city = r.str("city");
  l.latitude = r.num("latitude");
  l.longitude = r.num("longitude");
  l.network_zone = r.str("network_zone");
  return finish(r, std::move(l));
}

Result<Datacenter> parse_datacenter(const Json& j, const std::string& request) {
  Reader r(j, "datacenter", request);
  Datacenter d;
  d.id = r.i64("id");
  d.name = r.str("name", true);
  d.description = r.str("description");
  if (const Json* loc = r.obj("location")) {
    if (auto l = r.sub(parse_location(*loc, request))) d.location = std::move(*l);
  }
  return finish(r, std::move(d));
}

Result<ServerType> parse_server_type(const Json& j, const std::string& request) {
  Reader r(j, "server_type", request);
  ServerType t;
  t.id = r.i64("id");
  t.name = r.str("name", true);
  t.description = r.str("description");
  t.cores = static_cast<int>(r.opt_i64("cores").value_or(0));
  t.memory = r.num("memory");
  t.disk = r.num("disk");
  t.cpu_type = r.str("cpu_type");
  t.storage_type = r.str("storage_type");
  t.architecture = r.str("architecture");
  t.category = r.opt_str("category");
  t.deprecated = r.boolean("deprecated") || r.obj("deprecation") != nullptr;
  if (const Json* locs = r.arr("locations")) {
    for (const auto& e : *locs) {
      Reader rl(e, "server_type.locations[]", request);
      ServerTypeLocation l;
      l.id = rl.i64("id");
      l.name = rl.str("name");
      l.deprecated = rl.obj("deprecation") != nullptr;
      l.available = rl.opt_bool("available");
      l.recommended = rl.opt_bool("recommended");
      if (!rl.ok()) return rl.error();
      t.locations.push_back(std::move(l));
    }
  }
  return finish(r, std::move(t));
}

Result<Image> parse_image(const Json& j, const std::string& request) {
  Reader r(j, "image", request);
  Image i;
  i.id = r.i64("id");
  i.type = r.str("type", true);
  i.status = r.str("status", true);
  i.name = r.opt_str("name");
  i.description = r.str("description");
  i.image_size = r.opt_num("image_size");
  i.disk_size = r.num("disk_size");
  i.created = r.str("created");
  if (const Json* cf = r.obj("created_from")) {
    Reader rc(*cf, "image.created_from", request);
    ImageCreatedFrom from{rc.i64("id"), rc.str("name")};
    if (!rc.ok()) return rc.error();
    i.created_from = std::move(from);
  }
  i.bound_to = r.opt_i64("bound_to");
  i.os_flavor = r.str("os_flavor");
  i.os_version = r.opt_str("os_version");
  i.architecture = r.str("architecture");
  i.deprecated = r.opt_str("deprecated");
  i.deleted = r.opt_str("deleted");
  if (const Json* p = r.obj("protection")) {
    Reader rp(*p, "image.protection", request);
    i.protection_delete = rp.boolean("delete");
    if (!rp.ok()) return rp.error();
  }
  i.labels = r.labels();
  return finish(r, std::move(i));
}

Result<SshKey> parse_ssh_key(const Json& j, const std::string& request) {
  Reader r(j, "ssh_key", request);
  SshKey k;
  k.id = r.i64("id");
  k.name = r.str("name", true);
  k.fingerprint = r.str("fingerprint");
  k.public_key = r.str("public_key");
  k.labels = r.labels();
  k.created = r.str("created");
  return finish(r, std::move(k));
}

std::string Server::location_name() const {
  if (location) return location->name;
  if (datacenter) return datacenter->location.name;
  return {};
}

Result<Server> parse_server(const Json& j, const std::string& request) {
  Reader r(j, "server", request);
  Server s;
  s.id = r.i64("id");
  s.name = r.str("name", true);
  s.status = r.str("status", true);
  s.created = r.str("created");
  if (const Json* pn = r.obj("public_net")) {
    Reader rp(*pn, "server.public_net", request);
    if (const Json* v4 = rp.obj("ipv4")) {
      Reader r4(*v4, "server.public_net.ipv4", request);
      ServerIpv4 ip{r4.opt_i64("id"), r4.str("ip", true), r4.boolean("blocked")};
      if (!r4.ok()) return r4.error();
      s.ipv4 = std::move(ip);
    }
    if (const Json* v6 = rp.obj("ipv6")) {
      Reader r6(*v6, "server.public_net.ipv6", request);
      ServerIpv6 ip{r6.opt_i64("id"), r6.str("ip", true), r6.boolean("blocked")};
      if (!r6.ok()) return r6.error();
      s.ipv6 = std::move(ip);
    }
    if (const Json* fws = rp.arr("firewalls")) {
      for (const auto& e : *fws) {
        Reader rf(e, "server.public_net.firewalls[]", request);
        ServerFirewall f{rf.i64("id"), rf.str("status")};
        if (!rf.ok()) return rf.error();
        s.firewalls.push_back(std::move(f));
      }
    }
    if (!rp.ok()) return rp.error();
  }
  if (const Json* pn = r.arr("private_net")) {
    for (const auto& e : *pn) {
      Reader rn(e, "server.private_net[]", request);
      ServerPrivateNet n;
      n.network = rn.i64("network");
      n.ip = rn.str("ip");
      n.alias_ips = rn.strings("alias_ips");
      if (!rn.ok()) return rn.error();
      s.private_net.push_back(std::move(n));
    }
  }
  if (const Json* st = r.obj("server_type", true)) {
    if (auto t = r.sub(parse_server_type(*st, request))) s.server_type = std::move(*t);
  }
  if (const Json* loc = r.obj("location")) s.location = r.sub(parse_location(*loc, request));
  if (const Json* dc = r.obj("datacenter")) s.datacenter = r.sub(parse_datacenter(*dc, request));
  if (const Json* img = r.obj("image")) s.image = r.sub(parse_image(*img, request));
  s.rescue_enabled = r.boolean("rescue_enabled");
  s.locked = r.boolean("locked");
  s.primary_disk_size = r.opt_i64("primary_disk_size");
  if (const Json* p = r.obj("protection")) {
    Reader rp(*p, "server.protection", request);
    s.protection_delete = rp.boolean("delete");
    s.protection_rebuild = rp.boolean("rebuild");
    if (!rp.ok()) return rp.error();
  }
  s.labels = r.labels();
  return finish(r, std::move(s));
}

Result<PrimaryIp> parse_primary_ip(const Json& j, const std::string& request) {
  Reader r(j, "primary_ip", request);
  PrimaryIp p;
  p.id = r.i64("id");
  p.name = r.str("name");
  p.ip = r.str("ip", true);
  p.type = r.str("type");
  p.assignee_id = r.opt_i64("assignee_id");
  p.assignee_type = r.str("assignee_type");
  p.auto_delete = r.boolean("auto_delete");
  p.blocked = r.boolean("blocked");
  if (const Json* loc = r.obj("location")) {
    if (auto l = r.sub(parse_location(*loc, request))) p.location = l->name;
  } else if (const Json* dc = r.obj("datacenter")) {
    if (auto d = r.sub(parse_datacenter(*dc, request))) p.location = d->location.name;
  }
  p.labels = r.labels();
  return finish(r, std::move(p));
}

Result<Network> parse_network(const Json& j, const std::string& request) {
  Reader r(j, "network", request);
  Network n;
  n.id = r.i64("id");
  n.name = r.str("name", true);
  n.ip_range = r.str("ip_range");
  if (const Json* subs = r.arr("subnets")) {
    for (const auto& e : *subs) {
      Reader rs(e, "network.subnets[]", request);
      Subnet s{rs.str("type"), rs.str("ip_range"), rs.str("network_zone"), rs.opt_str("gateway")};
      if (!rs.ok()) return rs.error();
      n.subnets.push_back(std::move(s));
    }
  }
  n.servers = r.ints("servers");
  n.labels = r.labels();
  return finish(r, std::move(n));
}

Result<Firewall> parse_firewall(const Json& j, const std::string& request) {
  Reader r(j, "firewall", request);
  Firewall f;
  f.id = r.i64("id");
  f.name = r.str("name", true);
  if (const Json* rules = r.arr("rules")) {
    for (const auto& e : *rules) {
      Reader rr(e, "firewall.rules[]", request);
      FirewallRule rule;
      rule.direction = rr.str("direction", true);
      rule.protocol = rr.str("protocol", true);
      rule.port = rr.opt_str("port");
      rule.source_ips = rr.strings("source_ips");
      rule.destination_ips = rr.strings("destination_ips");
      rule.description = rr.opt_str("description");
      if (!rr.ok()) return rr.error();
      f.rules.push_back(std::move(rule));
    }
  }
  if (const Json* applied = r.arr("applied_to")) {
    for (const auto& e : *applied) {
      Reader ra(e, "firewall.applied_to[]", request);
      FirewallAppliedTo a;
      a.type = ra.str("type", true);
      if (const Json* srv = ra.obj("server")) {
        Reader rs(*srv, "firewall.applied_to[].server", request);
        a.server = rs.i64("id");
        if (!rs.ok()) return rs.error();
      }
      if (const Json* ls = ra.obj("label_selector")) {
        Reader rl(*ls, "firewall.applied_to[].label_selector", request);
        a.label_selector = rl.str("selector");
        if (!rl.ok()) return rl.error();
      }
      if (!ra.ok()) return ra.error();
      f.applied_to.push_back(std::move(a));
    }
  }
  f.labels = r.labels();
  return finish(r, std::move(f));
}

}  // namespace hcloud
