// regex, regexall and regex_replace (go-cty stdlib) on RE2, which shares
// Go's regexp syntax; errors are reported with Go's wording.
#include <re2/re2.h>

#include <fmt/format.h>

#include "funcs/common.h"

namespace kiln::funcs {

namespace {

// Go's syntax where it differs from this RE2: "(?<name>" is a named group
// (Go 1.22+), spelled "(?P<name>" for RE2; "\C" (any byte) is an invalid
// escape in Go. Returns the pattern to compile, or sets *bad_escape.
std::string go_to_re2(const std::string& p, bool* bad_escape) {
  std::string out;
  out.reserve(p.size() + 8);
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      if (p[i + 1] == 'C') *bad_escape = true;
      out += c;
      out += p[++i];
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      // A leading ']' (after an optional '^') is literal.
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
      continue;
    }
    if (c == '(' && p.compare(i, 3, "(?<") == 0 && i + 3 < p.size() && p[i + 3] != '=' &&
        p[i + 3] != '!') {
      out += "(?P<";
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

std::unique_ptr<RE2> compile(const std::string& pattern) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_encoding(RE2::Options::EncodingUTF8);
  bool bad_escape = false;
  std::string translated = go_to_re2(pattern, &bad_escape);
  return std::make_unique<RE2>(translated, o);
}

// Go's regexp/syntax ErrorCode text for an RE2 error.
std::string go_error_code(RE2::ErrorCode c) {
  switch (c) {
    case RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character class range";
    case RE2::ErrorMissingBracket:
      return "missing closing ]";
    case RE2::ErrorMissingParen:
      return "missing closing )";
    case RE2::ErrorUnexpectedParen:
      return "unexpected )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "internal error";
  }
}

std::string go_error_expr(const RE2& re, const std::string& pattern) {
  // Go reports the whole pattern for unbalanced parentheses.
  if (re.error_code() == RE2::ErrorMissingParen || re.error_code() == RE2::ErrorUnexpectedParen) {
    return pattern;
  }
  return re.error_arg();
}

// Whether the pattern compiles as Go's regexp.Compile would; if not, Go's
// error code text and the offending expression.
bool go_compile_error(const std::string& pattern, std::string* code, std::string* expr) {
  bool bad_escape = false;
  go_to_re2(pattern, &bad_escape);
  auto re = compile(pattern);
  if (re->ok() && !bad_escape) return true;
  if (!re->ok()) {
    *code = go_error_code(re->error_code());
    *expr = go_error_expr(*re, pattern);
  } else {
    *code = "invalid escape sequence";
    *expr = "\\C";
  }
  return false;
}

// Group names by index (1-based; "" for unnamed).
std::vector<std::string> subexp_names(const RE2& re) {
  std::vector<std::string> names(static_cast<size_t>(re.NumberOfCapturingGroups()));
  for (const auto& [idx, name] : re.CapturingGroupNames()) {
    names[static_cast<size_t>(idx - 1)] = name;
  }
  return names;
}

std::optional<Type> result_type(const std::string& pattern, std::string* err) {
  std::string code, expr;
  if (!go_compile_error(pattern, &code, &expr)) {
    *err = "invalid regexp pattern: " + code + " in " + expr;
    return std::nullopt;
  }
  auto re = compile(pattern);
  auto names = subexp_names(*re);
  size_t unnamed = 0;
  std::map<std::string, Type> atys;
  for (const auto& n : names) {
    if (n.empty()) {
      ++unnamed;
    } else {
      atys[n] = Type::string();
    }
  }
  if (unnamed == 0 && atys.empty()) return Type::string();
  if (unnamed > 0 && !atys.empty()) {
    *err = "invalid regexp pattern: cannot mix both named and unnamed capture groups";
    return std::nullopt;
  }
  if (unnamed > 0) return Type::tuple(std::vector<Type>(unnamed, Type::string()));
  return Type::object(std::move(atys));
}

Value match_result(const RE2& re, const std::vector<re2::StringPiece>& groups, const Type& ret) {
  if (ret == Type::string()) return Value::string(std::string(groups[0]));
  auto names = subexp_names(re);
  auto group = [&](size_t i) {
    const auto& g = groups[i + 1];
    if (g.data() == nullptr) return Value::null(Type::string());
    return Value::string(std::string(g));
  };
  if (ret.is_tuple()) {
    std::vector<Value> vals;
    for (size_t i = 0; i < names.size(); ++i) vals.push_back(group(i));
    return Value::tuple(std::move(vals));
  }
  std::map<std::string, Value> vals;
  for (size_t i = 0; i < names.size(); ++i) vals[names[i]] = group(i);
  return Value::object(std::move(vals));
}

// All non-overlapping matches, as Go's FindAllStringSubmatchIndex: after an
// empty match, the next search starts one character later, and an empty
// match right after the previous match is skipped.
template <typename F>
void for_each_match(const RE2& re, const std::string& s, F on_match) {
  int ngroups = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(static_cast<size_t>(ngroups));
  size_t pos = 0;
  size_t prev_end = std::string::npos;
  re2::StringPiece text(s);
  while (pos <= s.size()) {
    if (!re.Match(text, pos, s.size(), RE2::UNANCHORED, groups.data(), ngroups)) break;
    size_t start = static_cast<size_t>(groups[0].data() - s.data());
    size_t end = start + groups[0].size();
    bool accept = true;
    if (end == start && prev_end != std::string::npos && start == prev_end) accept = false;
    if (accept) on_match(groups);
    prev_end = end;
    if (end > pos) {
      pos = end;
    } else {
      // advance one UTF-8 character
      if (pos >= s.size()) break;
      size_t i = pos;
      decode_rune(s, i);
      pos = i;
    }
  }
}

// Go's Regexp.Expand for ReplaceAllString templates: $1, ${1}, $name,
// ${name}; $$ is a literal $. A name is the longest run of letters, digits
// and underscores; an unknown group expands to nothing.
void expand_template(std::string& out, std::string_view tmpl, const RE2& re,
                     const std::vector<re2::StringPiece>& groups) {
  const auto& named = re.NamedCapturingGroups();
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  size_t i = 0;
  while (i < tmpl.size()) {
    size_t d = tmpl.find('$', i);
    if (d == std::string_view::npos) {
      out.append(tmpl.substr(i));
      break;
    }
    out.append(tmpl.substr(i, d - i));
    i = d + 1;
    if (i < tmpl.size() && tmpl[i] == '$') {
      out += '$';
      ++i;
      continue;
    }
    std::string_view name;
    size_t after;
    bool ok = false;
    if (i < tmpl.size() && tmpl[i] == '{') {
      size_t j = i + 1;
      while (j < tmpl.size() && is_word(tmpl[j])) ++j;
      if (j < tmpl.size() && tmpl[j] == '}' && j > i + 1) {
        name = tmpl.substr(i + 1, j - i - 1);
        after = j + 1;
        ok = true;
      }
    } else {
      size_t j = i;
      while (j < tmpl.size() && is_word(tmpl[j])) ++j;
      if (j > i) {
        name = tmpl.substr(i, j - i);
        after = j;
        ok = true;
      }
    }
    if (!ok) {
      // Malformed: the $ is kept literally.
      out += '$';
      continue;
    }
    i = after;
    // A number, if the whole name is digits.
    bool numeric = true;
    int64_t num = 0;
    for (char c : name) {
      if (c < '0' || c > '9') {
        numeric = false;
        break;
      }
      num = num * 10 + (c - '0');
      if (num > 1000000) break;
    }
    if (numeric) {
      if (num < static_cast<int64_t>(groups.size()) && groups[static_cast<size_t>(num)].data()) {
        out.append(groups[static_cast<size_t>(num)].data(),
                   groups[static_cast<size_t>(num)].size());
      }
      continue;
    }
    auto it = named.find(std::string(name));
    if (it != named.end()) {
      const auto& g = groups[static_cast<size_t>(it->second)];
      if (g.data()) out.append(g.data(), g.size());
    }
  }
}

}  // namespace

void register_regex(FuncMap& m) {
  m["regex"] = make_function(
      {param("pattern", Type::string()), param("string", Type::string())}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (!a[0].is_known()) return Type::dynamic();
        std::string e;
        auto t = result_type(a[0].as_string(), &e);
        if (!t) return fail(err, e, 0);
        return t;
      },
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        if (ret.is_dynamic()) return Value::dynamic_unknown();
        auto re = compile(a[0].as_string());
        const std::string& s = a[1].as_string();
        std::optional<Value> result;
        int n = re->NumberOfCapturingGroups() + 1;
        std::vector<re2::StringPiece> groups(static_cast<size_t>(n));
        if (!re->Match(s, 0, s.size(), RE2::UNANCHORED, groups.data(), n)) {
          return fail(err, "pattern did not match any part of the given string");
        }
        return match_result(*re, groups, ret);
      });

  m["regexall"] = make_function(
      {param("pattern", Type::string()), param("string", Type::string())}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (!a[0].is_known()) return Type::list(Type::dynamic());
        std::string e;
        auto t = result_type(a[0].as_string(), &e);
        if (!t) return fail(err, e, 0);
        return Type::list(*t);
      },
      [](const Args& a, const Type& ret, FunctionError*) -> std::optional<Value> {
        const Type& ety = ret.element_type();
        if (ety.is_dynamic()) return Value::dynamic_unknown();
        auto re = compile(a[0].as_string());
        const std::string& s = a[1].as_string();
        std::vector<Value> elems;
        for_each_match(*re, s, [&](const std::vector<re2::StringPiece>& g) {
          elems.push_back(match_result(*re, g, ety));
        });
        return list_or_empty(std::move(elems), ety);
      });

  m["regex_replace"] =
      make_function({param("str", Type::string()), param("pattern", Type::string()),
                     param("replace", Type::string())},
                    std::nullopt, static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      const std::string& s = a[0].as_string();
                      const std::string& pattern = a[1].as_string();
                      std::string code, expr;
                      if (!go_compile_error(pattern, &code, &expr)) {
                        return fail(err, "error parsing regexp: " + code + ": `" + expr + "`");
                      }
                      auto re = compile(pattern);
                      std::string out;
                      size_t last = 0;
                      for_each_match(*re, s, [&](const std::vector<re2::StringPiece>& g) {
                        size_t start = static_cast<size_t>(g[0].data() - s.data());
                        out.append(s, last, start - last);
                        expand_template(out, a[2].as_string(), *re, g);
                        last = start + g[0].size();
                      });
                      out.append(s, last, std::string::npos);
                      return Value::string(std::move(out));
                    });
}

}  // namespace kiln::funcs
