// Test helpers shared by the provisioner and post-processor tests: a Ui that
// records what it is told, and plugin configurations built from the real
// schemas (every field present, null where the test sets nothing).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/plugin.h"
#include "hcl/value.h"
#include "template/schemas.h"

namespace kiln::prov::testing {

class RecordingUi : public engine::Ui {
 public:
  struct Line {
    char kind;  // 's'ay, 'm'essage, 'e'rror, 'a'sk
    std::string text;
  };
  void say(const std::string& m) override { add('s', m); }
  void message(const std::string& m) override { add('m', m); }
  void error(const std::string& m) override { add('e', m); }
  std::string ask(const std::string& q) override {
    add('a', q);
    return answer;
  }
  std::vector<Line> lines() const {
    std::lock_guard<std::mutex> l(mu_);
    return lines_;
  }
  // Every line of one kind, in order.
  std::vector<std::string> of(char kind) const {
    std::vector<std::string> out;
    for (auto& l : lines())
      if (l.kind == kind) out.push_back(l.text);
    return out;
  }
  // All output as one text, "k: text" per line (for failure messages).
  std::string dump() const {
    std::string out;
    for (auto& l : lines()) out += std::string(1, l.kind) + ": " + l.text + "\n";
    return out;
  }
  std::string answer;
  // Called on every line (outside the lock), e.g. to act on "ready".
  std::function<void(const Line&)> on_line;

 private:
  void add(char k, const std::string& m) {
    {
      std::lock_guard<std::mutex> l(mu_);
      lines_.push_back({k, m});
    }
    if (on_line) on_line({k, m});
  }
  mutable std::mutex mu_;
  std::vector<Line> lines_;
};

inline hcl::Value str(const std::string& s) {
  return hcl::Value::string(s);
}
inline hcl::Value strs(const std::vector<std::string>& v) {
  std::vector<hcl::Value> e;
  for (auto& s : v) e.push_back(hcl::Value::string(s));
  return e.empty() ? hcl::Value::list_empty(hcl::Type::string()) : hcl::Value::list(e);
}
inline hcl::Value nums(const std::vector<int64_t>& v) {
  std::vector<hcl::Value> e;
  for (auto n : v) e.push_back(hcl::Value::number(n));
  return hcl::Value::list(e);
}
inline hcl::Value strmap(const std::map<std::string, std::string>& m) {
  std::map<std::string, hcl::Value> e;
  for (auto& [k, v] : m) e[k] = hcl::Value::string(v);
  return hcl::Value::map(e);
}

// The decoded configuration of a plugin: every schema field, null unless
// given in set.
inline hcl::Value config(tmpl::PluginKind kind, const std::string& type,
                         const std::map<std::string, hcl::Value>& set) {
  std::map<std::string, hcl::Value> attrs;
  const tmpl::PluginSchema* schema = tmpl::find_plugin(kind, type);
  if (schema)
    for (auto& f : schema->fields) attrs[f.name] = hcl::Value::null(f.type);
  for (auto& [k, v] : set) attrs[k] = v;
  return hcl::Value::object(attrs);
}

}  // namespace kiln::prov::testing
