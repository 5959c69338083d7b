#include "provisioners/plugin_config.h"

#include <cstdio>

namespace kiln::prov {

using hcl::Type;
using hcl::Value;

namespace {

const Value* field(const Value& cfg, const std::string& name) {
  if (cfg.is_null() || !cfg.is_known() || !cfg.type().is_object()) return nullptr;
  auto& a = cfg.attributes();
  auto it = a.find(name);
  if (it == a.end() || it->second.is_null() || !it->second.is_known()) return nullptr;
  return &it->second;
}

// A string view of a primitive, as mapstructure's weak decoding would give.
std::optional<std::string> as_text(const Value& v) {
  Value u = v.unmarked();
  if (u.is_null() || !u.is_known()) return std::nullopt;
  if (u.type() == Type::string()) return u.as_string();
  if (u.type() == Type::number()) return u.as_number().str();
  if (u.type() == Type::boolean()) return std::string(u.as_bool() ? "true" : "false");
  return std::nullopt;
}

}  // namespace

bool cfg_set(const Value& cfg, const std::string& name) {
  const Value* v = field(cfg, name);
  if (!v) return false;
  Value u = v->unmarked();
  if (u.type() == Type::string()) return !u.as_string().empty();
  if (u.type().is_collection() || u.type().is_tuple()) return u.length() > 0;
  return true;
}

bool cfg_present(const Value& cfg, const std::string& name) {
  return field(cfg, name) != nullptr;
}

std::string cfg_string(const Value& cfg, const std::string& name, std::string def) {
  const Value* v = field(cfg, name);
  if (!v) return def;
  auto t = as_text(*v);
  return t ? *t : def;
}

bool cfg_bool(const Value& cfg, const std::string& name, bool def) {
  const Value* v = field(cfg, name);
  if (!v) return def;
  Value u = v->unmarked();
  if (u.type() == Type::boolean()) return u.as_bool();
  auto t = as_text(u);
  if (t && (*t == "true" || *t == "1")) return true;
  if (t && (*t == "false" || *t == "0")) return false;
  return def;
}

std::vector<std::string> cfg_strings(const Value& cfg, const std::string& name) {
  std::vector<std::string> out;
  const Value* v = field(cfg, name);
  if (!v) return out;
  Value u = v->unmarked_deep();
  if (!(u.type().is_list() || u.type().is_tuple() || u.type().is_set())) {
    if (auto t = as_text(u)) out.push_back(*t);
    return out;
  }
  for (auto& e : u.elements())
    if (auto t = as_text(e)) out.push_back(*t);
  return out;
}

std::vector<int64_t> cfg_ints(const Value& cfg, const std::string& name) {
  std::vector<int64_t> out;
  const Value* v = field(cfg, name);
  if (!v) return out;
  Value u = v->unmarked_deep();
  if (!(u.type().is_list() || u.type().is_tuple() || u.type().is_set())) return out;
  for (auto& e : u.elements()) {
    if (e.is_null() || !e.is_known() || e.type() != Type::number()) continue;
    if (auto i = e.as_number().to_int64()) out.push_back(*i);
  }
  return out;
}

std::map<std::string, std::string> cfg_map(const Value& cfg, const std::string& name) {
  std::map<std::string, std::string> out;
  const Value* v = field(cfg, name);
  if (!v) return out;
  Value u = v->unmarked_deep();
  if (!(u.type().is_map() || u.type().is_object())) return out;
  for (auto& [k, e] : u.attributes())
    if (auto t = as_text(e)) out[k] = *t;
  return out;
}

std::optional<std::chrono::milliseconds> cfg_duration(const Value& cfg, const std::string& name,
                                                      std::chrono::milliseconds def,
                                                      std::string* error) {
  std::string s = cfg_string(cfg, name);
  if (s.empty()) return def;
  std::string err;
  auto secs = tmpl::parse_go_duration(s, &err);
  if (!secs) {
    if (error) *error = "error decoding '" + name + "': " + err;
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<int64_t>(*secs * 1000.0 + 0.5));
}

void schema_checks(tmpl::PluginKind kind, const std::string& type, const Value& cfg,
                   std::vector<std::string>& errs) {
  if (cfg.is_null() || !cfg.is_known() || !cfg.type().is_object()) {
    errs.push_back("the " + type + " configuration must be an object");
    return;
  }
  const tmpl::PluginSchema* schema = tmpl::find_plugin(kind, type);
  if (schema && schema->prepare) {
    for (auto& e : schema->prepare(cfg)) errs.push_back(e);
  }
}

engine::Status multi_error(const std::vector<std::string>& errs) {
  if (errs.empty()) return engine::Status::ok();
  std::string out =
      errs.size() == 1 ? "1 error occurred:" : std::to_string(errs.size()) + " errors occurred:";
  for (auto& e : errs) out += "\n\t* " + e;
  out += "\n\n";
  return engine::Status::fail(out);
}

std::string go_duration(std::chrono::milliseconds d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string sign = ms < 0 ? "-" : "";
  if (ms < 0) ms = -ms;
  if (ms < 1000) return sign + std::to_string(ms) + "ms";
  int64_t h = ms / 3600000, m = (ms / 60000) % 60, s = (ms / 1000) % 60, frac = ms % 1000;
  std::string sec = std::to_string(s);
  if (frac) {
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    sec += f;
  }
  sec += "s";
  if (h) return sign + std::to_string(h) + "h" + std::to_string(m) + "m" + sec;
  if (m) return sign + std::to_string(m) + "m" + sec;
  return sign + sec;
}

std::string go_int_list(const std::vector<int64_t>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += " ";
    out += std::to_string(v[i]);
  }
  return out + "]";
}

std::string check_exit_code(int64_t code, const std::vector<int64_t>& valid) {
  for (int64_t v : valid)
    if (v == code) return "";
  return "Script exited with non-zero exit status: " + std::to_string(code) +
         ". Allowed exit codes are: " + go_int_list(valid);
}

}  // namespace kiln::prov
