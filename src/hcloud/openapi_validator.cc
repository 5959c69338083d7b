#include "hcloud/openapi_validator.h"

#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

namespace hcloud::testing {

using nlohmann::json;

std::optional<OpenApi> OpenApi::load(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    if (error) *error = "cannot open " + path;
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = json::parse(ss.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("paths")) {
    if (error) *error = path + " is not an OpenAPI JSON document";
    return std::nullopt;
  }
  return OpenApi(std::move(doc));
}

std::optional<std::string> OpenApi::match_path(const std::string& method,
                                               const std::string& path) const {
  auto split = [](const std::string& p) {
    std::vector<std::string> parts;
    size_t start = 1;
    while (start <= p.size()) {
      size_t slash = p.find('/', start);
      if (slash == std::string::npos) slash = p.size();
      parts.push_back(p.substr(start, slash - start));
      start = slash + 1;
    }
    return parts;
  };
  auto want = split(path);
  std::optional<std::string> best;
  int best_literals = -1;
  for (auto it = doc_["paths"].begin(); it != doc_["paths"].end(); ++it) {
    if (!it.value().contains(method)) continue;
    auto have = split(it.key());
    if (have.size() != want.size()) continue;
    int literals = 0;
    bool ok = true;
    for (size_t i = 0; i < have.size() && ok; ++i) {
      if (!have[i].empty() && have[i].front() == '{') continue;
      ok = have[i] == want[i];
      ++literals;
    }
    if (ok && literals > best_literals) {
      best = it.key();
      best_literals = literals;
    }
  }
  return best;
}

const json* OpenApi::request_schema(const std::string& method,
                                    const std::string& path_template) const {
  const json& op = doc_["paths"][path_template][method];
  if (!op.contains("requestBody")) return nullptr;
  const json& rb = resolve(op["requestBody"]);
  if (!rb.contains("content") || !rb["content"].contains("application/json")) return nullptr;
  return &rb["content"]["application/json"]["schema"];
}

bool OpenApi::body_required(const std::string& method, const std::string& path_template) const {
  const json& op = doc_["paths"][path_template][method];
  if (!op.contains("requestBody")) return false;
  return resolve(op["requestBody"]).value("required", false);
}

std::vector<std::string> OpenApi::query_parameters(const std::string& method,
                                                   const std::string& path_template) const {
  std::vector<std::string> out;
  const json& path = doc_["paths"][path_template];
  for (const json* params : {&path[method], &path}) {
    if (!params->contains("parameters")) continue;
    for (const auto& p : (*params)["parameters"]) {
      const json& rp = resolve(p);
      if (rp.value("in", "") == "query") out.push_back(rp.value("name", ""));
    }
  }
  return out;
}

const json* OpenApi::component(const std::string& name) const {
  const json& schemas = doc_["components"]["schemas"];
  auto it = schemas.find(name);
  return it == schemas.end() ? nullptr : &*it;
}

const json& OpenApi::resolve(const json& schema) const {
  const json* s = &schema;
  for (int depth = 0; depth < 32 && s->is_object() && s->contains("$ref"); ++depth) {
    std::string ref = (*s)["$ref"].get<std::string>();
    if (ref.rfind("#", 0) != 0) break;
    s = &doc_.at(json::json_pointer(ref.substr(1)));
  }
  return *s;
}

std::vector<std::string> OpenApi::validate(const json& value, const json& schema,
                                           Options options) const {
  std::vector<std::string> out;
  check(value, schema, "", options, out);
  return out;
}

void OpenApi::check(const json& v, const json& raw, const std::string& at, const Options& o,
                    std::vector<std::string>& out) const {
  const json& s = resolve(raw);
  if (!s.is_object()) return;
  const std::string here = at.empty() ? "/" : at;

  if (v.is_null()) {
    if (s.value("nullable", false)) return;
    if (s.contains("type") && s["type"].is_array()) {
      for (const auto& t : s["type"])
        if (t == "null") return;
    }
  }
  if (s.contains("allOf")) {
    for (const auto& sub : s["allOf"]) check(v, sub, at, o, out);
  }
  auto count_valid = [&](const json& list) {
    int n = 0;
    for (const auto& sub : list) {
      std::vector<std::string> errs;
      check(v, sub, at, o, errs);
      if (errs.empty()) ++n;
    }
    return n;
  };
  if (s.contains("anyOf") && count_valid(s["anyOf"]) == 0)
    out.push_back(fmt::format("{}: matches none of anyOf", here));
  if (s.contains("oneOf")) {
    int n = count_valid(s["oneOf"]);
    if (n != 1) out.push_back(fmt::format("{}: matches {} of oneOf, not exactly one", here, n));
  }

  if (s.contains("type") && s["type"].is_string()) {
    const std::string t = s["type"].get<std::string>();
    bool ok = (t == "object" && v.is_object()) || (t == "array" && v.is_array()) ||
              (t == "string" && v.is_string()) || (t == "integer" && v.is_number_integer()) ||
              (t == "number" && v.is_number()) || (t == "boolean" && v.is_boolean());
    if (!ok) {
      out.push_back(fmt::format("{}: expected {}, got {}", here, t,
                                v.is_null() ? "null (not nullable)" : v.type_name()));
      return;
    }
  }
  if (s.contains("enum")) {
    bool found = false;
    for (const auto& e : s["enum"]) found = found || e == v;
    if (!found)
      out.push_back(fmt::format("{}: {} is not one of {}", here, v.dump(), s["enum"].dump()));
  }
  if (v.is_string()) {
    const auto& str = v.get_ref<const std::string&>();
    if (s.contains("pattern")) {
      std::regex re(s["pattern"].get<std::string>(), std::regex::ECMAScript);
      if (!std::regex_search(str, re))
        out.push_back(fmt::format("{}: \"{}\" does not match {}", here, str, s["pattern"].dump()));
    }
    if (s.contains("maxLength") && str.size() > s["maxLength"].get<size_t>())
      out.push_back(fmt::format("{}: longer than {}", here, s["maxLength"].dump()));
    if (s.contains("minLength") && str.size() < s["minLength"].get<size_t>())
      out.push_back(fmt::format("{}: shorter than {}", here, s["minLength"].dump()));
  }
  if (v.is_number()) {
    if (s.contains("minimum") && v.get<double>() < s["minimum"].get<double>())
      out.push_back(fmt::format("{}: below minimum {}", here, s["minimum"].dump()));
    if (s.contains("maximum") && v.get<double>() > s["maximum"].get<double>())
      out.push_back(fmt::format("{}: above maximum {}", here, s["maximum"].dump()));
  }
  if (v.is_array()) {
    if (s.contains("maxItems") && v.size() > s["maxItems"].get<size_t>())
      out.push_back(fmt::format("{}: more than {} items", here, s["maxItems"].dump()));
    if (s.contains("items")) {
      for (size_t i = 0; i < v.size(); ++i)
        check(v[i], s["items"], fmt::format("{}/{}", at, i), o, out);
    }
  }
  if (v.is_object()) {
    static const json kEmpty = json::object();
    const json& props = s.contains("properties") ? s["properties"] : kEmpty;
    if (s.contains("required")) {
      for (const auto& r : s["required"])
        if (!v.contains(r.get<std::string>()))
          out.push_back(
              fmt::format("{}: required property \"{}\" is missing", here, r.get<std::string>()));
    }
    // With allOf/anyOf/oneOf the properties live in the parts.
    bool composite = s.contains("allOf") || s.contains("anyOf") || s.contains("oneOf");
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::string child = fmt::format("{}/{}", at, it.key());
      if (props.contains(it.key())) {
        const json& ps = props[it.key()];
        if (o.reject_deprecated && resolve(ps).is_object() && ps.value("deprecated", false))
          out.push_back(fmt::format("{}: property is deprecated", child));
        check(it.value(), ps, child, o, out);
      } else if (s.contains("additionalProperties")) {
        const json& ap = s["additionalProperties"];
        if (ap.is_boolean()) {
          if (!ap.get<bool>()) out.push_back(fmt::format("{}: property not allowed", child));
        } else {
          check(it.value(), ap, child, o, out);
        }
      } else if (o.closed_objects && !composite && s.contains("properties")) {
        out.push_back(fmt::format("{}: property not in the document", child));
      }
    }
  }
}

}  // namespace hcloud::testing
