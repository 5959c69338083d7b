// String functions (go-cty stdlib string.go, string_replace.go; Packer's
// startswith, endswith, strcontains). format/formatlist are in format.cc;
// regex functions in regex.cc.
#include <utf8proc.h>

#include <algorithm>

#include "funcs/common.h"

namespace kiln::funcs {

namespace {

template <typename F>
std::string map_runes(std::string_view s, F f) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      append_rune(out, f(static_cast<char32_t>(c)));
      ++i;
      continue;
    }
    append_rune(out, f(decode_rune(s, i)));
  }
  return out;
}

char32_t go_upper(char32_t r) {
  if (r == 0xDF) return r;  // utf8proc maps ß to ẞ; Go's simple mapping keeps it
  return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(r)));
}
char32_t go_lower(char32_t r) {
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(r)));
}
char32_t go_title(char32_t r) {
  return static_cast<char32_t>(utf8proc_totitle(static_cast<utf8proc_int32_t>(r)));
}

bool is_letter_or_digit(char32_t r) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(r))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
      return true;
    default:
      return false;
  }
}

// strings.Title's word separator test.
bool is_separator(char32_t r) {
  if (r <= 0x7F) {
    if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_') {
      return false;
    }
    return true;
  }
  if (is_letter_or_digit(r)) return false;
  return is_go_space(r);
}

std::vector<char32_t> runes_of(std::string_view s) {
  std::vector<char32_t> out;
  size_t i = 0;
  while (i < s.size()) out.push_back(decode_rune(s, i));
  return out;
}

// strings.Trim family on runes.
template <typename Pred>
std::string_view trim_runes(std::string_view s, Pred in_set, bool left, bool right) {
  size_t start = 0, end = s.size();
  if (left) {
    while (start < end) {
      size_t j = start;
      char32_t r = decode_rune(s, j);
      if (!in_set(r)) break;
      start = j;
    }
  }
  if (right) {
    while (end > start) {
      // step back to the start of the last rune
      size_t k = end - 1;
      while (k > start && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80 && end - k < 4) --k;
      size_t j = k;
      char32_t r = decode_rune(s, j);
      if (j != end) {  // invalid sequence: treat the last byte alone
        k = end - 1;
        r = 0xFFFD;
      }
      if (!in_set(r)) break;
      end = k;
    }
  }
  return s.substr(start, end - start);
}

std::string replace_all(std::string_view s, std::string_view from, std::string_view to) {
  std::string out;
  if (from.empty()) {
    // strings.Replace with an empty old string inserts `to` before each
    // rune and at the end.
    size_t i = 0;
    out.append(to);
    while (i < s.size()) {
      size_t st = i;
      decode_rune(s, i);
      out.append(s.substr(st, i - st));
      out.append(to);
    }
    return out;
  }
  size_t pos = 0;
  while (true) {
    size_t f = s.find(from, pos);
    if (f == std::string_view::npos) break;
    out.append(s.substr(pos, f - pos));
    out.append(to);
    pos = f + from.size();
  }
  out.append(s.substr(pos));
  return out;
}

Function str_to_str(std::function<std::string(const std::string&)> f, unsigned flags = kNone) {
  return make_function(
      {param("str", Type::string(), flags)}, std::nullopt, static_type(Type::string()),
      [f = std::move(f)](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
        return Value::string(f(a[0].as_string()));
      });
}

Function two_str(const char* p1, const char* p2, Type ret,
                 std::function<Value(const std::string&, const std::string&)> f) {
  return make_function(
      {param(p1, Type::string()), param(p2, Type::string())}, std::nullopt,
      static_type(std::move(ret)),
      [f = std::move(f)](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
        return f(a[0].as_string(), a[1].as_string());
      });
}

}  // namespace

void register_string(FuncMap& m) {
  m["upper"] = str_to_str([](const std::string& s) { return map_runes(s, go_upper); }, kDynamic);
  m["lower"] = str_to_str([](const std::string& s) { return map_runes(s, go_lower); }, kDynamic);
  m["strrev"] = str_to_str(
      [](const std::string& s) {
        auto b = grapheme_bounds(s);
        std::string out;
        out.reserve(s.size());
        for (size_t k = b.size() - 1; k > 0; --k) out.append(s, b[k - 1], b[k] - b[k - 1]);
        return out;
      },
      kDynamic);
  m["title"] = str_to_str([](const std::string& s) {
    char32_t prev = ' ';
    return map_runes(s, [&prev](char32_t r) {
      char32_t out = is_separator(prev) ? go_title(r) : r;
      prev = r;
      return out;
    });
  });
  m["trimspace"] = str_to_str(
      [](const std::string& s) { return std::string(trim_runes(s, is_go_space, true, true)); });
  m["chomp"] = str_to_str([](const std::string& s) {
    size_t end = s.size();
    while (end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r')) --end;
    return s.substr(0, end);
  });

  m["trim"] =
      two_str("str", "cutset", Type::string(), [](const std::string& s, const std::string& c) {
        auto set = runes_of(c);
        auto in = [&set](char32_t r) { return std::find(set.begin(), set.end(), r) != set.end(); };
        return Value::string(std::string(trim_runes(s, in, true, true)));
      });
  m["trimprefix"] =
      two_str("str", "prefix", Type::string(), [](const std::string& s, const std::string& p) {
        return Value::string(s.starts_with(p) ? s.substr(p.size()) : s);
      });
  m["trimsuffix"] =
      two_str("str", "suffix", Type::string(), [](const std::string& s, const std::string& p) {
        return Value::string(s.ends_with(p) ? s.substr(0, s.size() - p.size()) : s);
      });
  m["startswith"] = two_str(
      "str", "prefix", Type::boolean(),
      [](const std::string& s, const std::string& p) { return Value::boolean(s.starts_with(p)); });
  m["endswith"] = two_str(
      "str", "suffix", Type::boolean(),
      [](const std::string& s, const std::string& p) { return Value::boolean(s.ends_with(p)); });
  m["strcontains"] =
      two_str("str", "substr", Type::boolean(), [](const std::string& s, const std::string& p) {
        return Value::boolean(s.find(p) != std::string::npos);
      });

  m["indent"] =
      make_function({param("spaces", Type::number()), param("str", Type::string())}, std::nullopt,
                    static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      std::string e;
                      auto n = to_int(a[0], &e);
                      if (!n) return fail(err, e);
                      if (*n < 0) return fail(err, "strings: negative Repeat count");
                      if (*n > (int64_t{1} << 24))
                        return fail(err, "strings: Repeat output length overflow");
                      std::string pad = "\n" + std::string(static_cast<size_t>(*n), ' ');
                      return Value::string(replace_all(a[1].as_string(), "\n", pad));
                    });

  m["split"] =
      make_function({param("separator", Type::string()), param("str", Type::string())},
                    std::nullopt, static_type(Type::list(Type::string())),
                    [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
                      const std::string& sep = a[0].as_string();
                      std::string_view s = a[1].as_string();
                      std::vector<Value> out;
                      if (sep.empty()) {
                        size_t i = 0;
                        while (i < s.size()) {
                          size_t st = i;
                          decode_rune(s, i);
                          out.push_back(Value::string(std::string(s.substr(st, i - st))));
                        }
                      } else {
                        size_t pos = 0;
                        while (true) {
                          size_t f = s.find(sep, pos);
                          if (f == std::string_view::npos) break;
                          out.push_back(Value::string(std::string(s.substr(pos, f - pos))));
                          pos = f + sep.size();
                        }
                        out.push_back(Value::string(std::string(s.substr(pos))));
                      }
                      return list_or_empty(std::move(out), Type::string());
                    });

  m["join"] = make_function(
      {param("separator", Type::string())}, param("lists", Type::list(Type::string())),
      static_type(Type::string()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        const std::string& sep = a[0].as_string();
        if (a.size() < 2) return fail(err, "at least one list is required");
        for (size_t i = 1; i < a.size(); ++i) {
          if (!a[i].is_wholly_known()) return Value::unknown(Type::string());
        }
        std::string out;
        bool first = true;
        for (size_t ai = 1; ai < a.size(); ++ai) {
          size_t ei = 0;
          for (const auto& v : a[ai].elements()) {
            if (v.is_null()) {
              if (a.size() > 2) {
                return fail(err,
                            "element " + std::to_string(ei) + " of list " + std::to_string(ai) +
                                " is null; cannot concatenate null values",
                            static_cast<int>(ai));
              }
              return fail(
                  err, "element " + std::to_string(ei) + " is null; cannot concatenate null values",
                  static_cast<int>(ai));
            }
            if (!first) out += sep;
            first = false;
            out += v.as_string();
            ++ei;
          }
        }
        return Value::string(std::move(out));
      });

  m["replace"] = make_function(
      {param("str", Type::string()), param("substr", Type::string()),
       param("replace", Type::string())},
      std::nullopt, static_type(Type::string()),
      [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
        return Value::string(replace_all(a[0].as_string(), a[1].as_string(), a[2].as_string()));
      });

  m["substr"] = make_function(
      {param("str", Type::string(), kDynamic), param("offset", Type::number(), kDynamic),
       param("length", Type::number(), kDynamic)},
      std::nullopt, static_type(Type::string()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        const std::string& in = a[0].as_string();
        std::string e;
        auto off = to_int(a[1], &e);
        if (!off) return fail(err, e);
        auto len = to_int(a[2], &e);
        if (!len) return fail(err, e);
        int64_t offset = *off, length = *len;
        if (offset < 0) {
          offset += static_cast<int64_t>(grapheme_count(in));
        } else if (length == 0) {
          return Value::string("");
        }
        std::string_view sub = in;
        size_t i = 0;
        if (offset > 0) {
          int64_t pos = 0;
          auto b = grapheme_bounds(sub);
          for (size_t k = 1; k < b.size(); ++k) {
            i = b[k];
            ++pos;
            if (pos == offset) break;
            if (i >= in.size()) return Value::string("");
          }
          sub = sub.substr(i);
        }
        if (length < 0) return Value::string(std::string(sub));
        int64_t pos = 0;
        i = 0;
        auto b = grapheme_bounds(sub);
        for (size_t k = 1; k < b.size(); ++k) {
          i = b[k];
          ++pos;
          if (pos == length) break;
        }
        return Value::string(std::string(sub.substr(0, i)));
      });
}

}  // namespace kiln::funcs
