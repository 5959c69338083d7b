#include "builders/config_util.h"

#include "engine/duration.h"

namespace kiln::builders {

const hcl::Value* field(const hcl::Value& cfg, const std::string& name) {
  if (!cfg.is_known() || cfg.is_null() || !cfg.type().is_object()) return nullptr;
  auto& a = cfg.attributes();
  auto it = a.find(name);
  if (it == a.end() || it->second.is_null() || !it->second.is_known()) return nullptr;
  return &it->second;
}

std::string get_string(const hcl::Value& cfg, const std::string& name, const std::string& dflt) {
  const hcl::Value* v = field(cfg, name);
  if (!v || v->type() != hcl::Type::string()) return dflt;
  const std::string& s = v->unmarked().as_string();
  return s.empty() ? dflt : s;
}

std::optional<long long> get_int(const hcl::Value& cfg, const std::string& name) {
  const hcl::Value* v = field(cfg, name);
  if (!v || v->type() != hcl::Type::number()) return std::nullopt;
  auto i = v->unmarked().as_number().to_int64();
  if (!i) return std::nullopt;
  return static_cast<long long>(*i);
}

bool get_bool(const hcl::Value& cfg, const std::string& name, bool dflt) {
  const hcl::Value* v = field(cfg, name);
  if (!v || v->type() != hcl::Type::boolean()) return dflt;
  return v->unmarked().as_bool();
}

std::vector<std::string> get_strings(const hcl::Value& cfg, const std::string& name) {
  std::vector<std::string> out;
  const hcl::Value* v = field(cfg, name);
  if (!v) return out;
  hcl::Value u = v->unmarked_deep();
  if (!(u.type().is_list() || u.type().is_tuple() || u.type().is_set())) return out;
  for (auto& e : u.elements()) {
    if (!e.is_known() || e.is_null()) continue;
    if (e.type() == hcl::Type::string())
      out.push_back(e.as_string());
    else if (e.type() == hcl::Type::number())
      if (auto i = e.as_number().to_int64()) out.push_back(std::to_string(*i));
  }
  return out;
}

std::map<std::string, std::string> get_string_map(const hcl::Value& cfg, const std::string& name) {
  std::map<std::string, std::string> out;
  const hcl::Value* v = field(cfg, name);
  if (!v) return out;
  hcl::Value u = v->unmarked_deep();
  if (u.type().is_map() || u.type().is_object()) {
    for (auto& [k, e] : u.attributes())
      if (e.is_known() && !e.is_null() && e.type() == hcl::Type::string()) out[k] = e.as_string();
  }
  return out;
}

std::optional<std::chrono::milliseconds> get_duration(const hcl::Value& cfg,
                                                      const std::string& name, std::string* error) {
  std::string s = get_string(cfg, name);
  if (s.empty()) return std::nullopt;
  auto d = engine::parse_duration(s);
  if (!d && error) *error = "error decoding '" + name + "': time: invalid duration \"" + s + "\"";
  return d;
}

}  // namespace kiln::builders
