#include "local/labels.h"

#include <algorithm>
#include <cctype>

namespace kiln::local {
namespace {

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// A label name or value: empty (values only) or alphanumeric at both ends
// with `-_.` between, at most 63 characters.
bool valid_name(const std::string& s, bool allow_empty) {
  if (s.empty()) return allow_empty;
  if (s.size() > 63) return false;
  if (!is_alnum(s.front()) || !is_alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool valid_key(const std::string& key) {
  auto slash = key.find('/');
  if (slash == std::string::npos) return valid_name(key, false);
  std::string prefix = key.substr(0, slash);
  std::string name = key.substr(slash + 1);
  if (prefix.empty() || prefix.size() > 253) return false;
  // A DNS subdomain: dot-separated lowercase alphanumeric labels with '-'.
  size_t start = 0;
  while (start <= prefix.size()) {
    size_t dot = prefix.find('.', start);
    std::string part =
        prefix.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty() || part.size() > 63 || !is_alnum(part.front()) || !is_alnum(part.back()))
      return false;
    for (char c : part)
      if (!(is_alnum(c) || c == '-') || std::isupper(static_cast<unsigned char>(c))) return false;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return valid_name(name, false);
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

bool selector_token_ok(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return is_alnum(c) || c == '-' || c == '_' || c == '.' || c == '/';
  });
}

bool selector_value_ok(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

}  // namespace

std::optional<LabelSelector> LabelSelector::parse(const std::string& text, std::string* error) {
  LabelSelector sel;
  // Split on commas that are not inside parentheses.
  std::vector<std::string> parts;
  std::string cur;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth < 0) {
      *error = "unbalanced ')' in label selector";
      return std::nullopt;
    }
    if (c == ',' && depth == 0) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (depth != 0) {
    *error = "unbalanced '(' in label selector";
    return std::nullopt;
  }
  parts.push_back(cur);
  if (parts.size() == 1 && trim(parts[0]).empty()) return sel;

  for (const std::string& raw : parts) {
    std::string t = trim(raw);
    if (t.empty()) {
      *error = "empty term in label selector";
      return std::nullopt;
    }
    Term term;
    auto bad = [&](const std::string& why) {
      *error = "invalid label selector term '" + t + "': " + why;
      return std::nullopt;
    };
    if (t[0] == '!') {
      term.key = trim(t.substr(1));
      term.op = Op::kNotExists;
      if (!selector_token_ok(term.key)) return bad("invalid key");
      sel.terms_.push_back(term);
      continue;
    }
    size_t pos;
    if ((pos = t.find("!=")) != std::string::npos) {
      term.op = Op::kNe;
      term.key = trim(t.substr(0, pos));
      term.values = {trim(t.substr(pos + 2))};
    } else if ((pos = t.find("==")) != std::string::npos) {
      term.op = Op::kEq;
      term.key = trim(t.substr(0, pos));
      term.values = {trim(t.substr(pos + 2))};
    } else if ((pos = t.find('=')) != std::string::npos) {
      term.op = Op::kEq;
      term.key = trim(t.substr(0, pos));
      term.values = {trim(t.substr(pos + 1))};
    } else if (t.find('(') != std::string::npos) {
      size_t open = t.find('(');
      if (t.back() != ')') return bad("expected ')' at the end");
      std::string head = trim(t.substr(0, open));
      size_t sp = head.find_last_of(" \t");
      if (sp == std::string::npos) return bad("expected 'in' or 'notin'");
      std::string word = head.substr(sp + 1);
      term.key = trim(head.substr(0, sp));
      if (word == "in")
        term.op = Op::kIn;
      else if (word == "notin")
        term.op = Op::kNotIn;
      else
        return bad("expected 'in' or 'notin', got '" + word + "'");
      std::string inner = t.substr(open + 1, t.size() - open - 2);
      size_t start = 0;
      while (true) {
        size_t comma = inner.find(',', start);
        std::string v = trim(
            inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (v.empty() || !selector_value_ok(v)) return bad("invalid value '" + v + "'");
        term.values.push_back(v);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else {
      term.op = Op::kExists;
      term.key = t;
    }
    if (!selector_token_ok(term.key)) return bad("invalid key");
    if ((term.op == Op::kEq || term.op == Op::kNe) && !selector_value_ok(term.values[0]))
      return bad("invalid value");
    sel.terms_.push_back(term);
  }
  return sel;
}

bool LabelSelector::matches(const Labels& labels) const {
  for (const Term& t : terms_) {
    auto it = labels.find(t.key);
    bool has = it != labels.end();
    switch (t.op) {
      case Op::kEq:
        if (!has || it->second != t.values[0]) return false;
        break;
      case Op::kNe:
        if (has && it->second == t.values[0]) return false;
        break;
      case Op::kExists:
        if (!has) return false;
        break;
      case Op::kNotExists:
        if (has) return false;
        break;
      case Op::kIn:
        if (!has || std::find(t.values.begin(), t.values.end(), it->second) == t.values.end())
          return false;
        break;
      case Op::kNotIn:
        if (has && std::find(t.values.begin(), t.values.end(), it->second) != t.values.end())
          return false;
        break;
    }
  }
  return true;
}

std::string validate_labels(const Labels& labels) {
  for (const auto& [k, v] : labels) {
    if (!valid_key(k)) return "invalid label key '" + k + "'";
    if (k.rfind("hetzner.cloud/", 0) == 0) return "label key prefix 'hetzner.cloud/' is reserved";
    if (!valid_name(v, true)) return "invalid label value '" + v + "' for key '" + k + "'";
  }
  return "";
}

}  // namespace kiln::local
