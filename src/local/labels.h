// Label selectors of the Hetzner Cloud API (hcloud-api.md section 2): a
// comma-separated AND of terms `k=v`, `k==v`, `k!=v`, `k`, `!k`,
// `k in (a,b)`, `k notin (a,b)`; and label key/value validation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kiln::local {

using Labels = std::map<std::string, std::string>;

class LabelSelector {
 public:
  enum class Op { kEq, kNe, kExists, kNotExists, kIn, kNotIn };
  struct Term {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };

  // nullopt with *error set when the selector does not parse. An empty
  // selector matches everything.
  static std::optional<LabelSelector> parse(const std::string& text, std::string* error);
  // Kubernetes semantics: `k!=v` and `k notin (...)` match resources without k.
  bool matches(const Labels& labels) const;
  const std::vector<Term>& terms() const { return terms_; }

 private:
  std::vector<Term> terms_;
};

// Empty string when valid, else the problem ("invalid label key 'x'").
std::string validate_labels(const Labels& labels);

}  // namespace kiln::local
