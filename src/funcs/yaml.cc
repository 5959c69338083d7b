// yamldecode and yamlencode (zclconf/go-cty-yaml): decoding with yaml-cpp
// and go-cty-yaml's tag resolution; encoding with the output rules of the
// libyaml emitter go-cty-yaml drives (block style, double-quoted strings
// folded at 80 columns, literal blocks for multi-line strings).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "funcs/common.h"

namespace kiln::funcs {

namespace {

constexpr const char* kTagPrefix = "tag:yaml.org,2002:";

struct DecodeError {
  std::string message;
};

// go-cty-yaml's parseEventErrorWrap: the event's zero-based line (sic) and
// one-based column, or no position at all on the first line.
std::string located(const YAML::Mark& m, const std::string& msg) {
  if (m.line <= 0) return msg;
  return fmt::format("on line {}, column {}: {}", m.line, m.column + 1, msg);
}

// libyaml's wording for the syntax errors yaml-cpp reports differently.
std::string libyaml_message(const std::string& msg) {
  static const std::map<std::string, std::string> k = {
      {"end of sequence flow not found", "did not find expected ',' or ']'"},
      {"end of map flow not found", "did not find expected ',' or '}'"},
      {"illegal map value", "mapping values are not allowed in this context"},
      {"end of sequence not found", "did not find expected '-' indicator"},
      {"end of map not found", "did not find expected key"},
      {"block sequence entries are not allowed in this context",
       "block sequence entries are not allowed in this context"},
  };
  auto it = k.find(msg);
  return it == k.end() ? msg : it->second;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// go-cty-yaml's timestamp forms, rendered as RFC 3339.
std::optional<std::string> yaml_timestamp(const std::string& s) {
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i != 4 || i == s.size() || s[i] != '-') return std::nullopt;
  auto num = [&](size_t& p, int maxlen, int* out) {
    size_t st = p;
    int v = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9' && static_cast<int>(p - st) < maxlen) {
      v = v * 10 + (s[p] - '0');
      ++p;
    }
    *out = v;
    return p > st;
  };
  size_t p = 5;
  int year = std::stoi(s.substr(0, 4)), mon, day, h = 0, mi = 0, sec = 0;
  if (!num(p, 2, &mon) || p >= s.size() || s[p] != '-') return std::nullopt;
  ++p;
  if (!num(p, 2, &day)) return std::nullopt;
  static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  auto valid_date = [&] {
    if (mon < 1 || mon > 12 || day < 1) return false;
    bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return day <= dim[mon - 1] + (mon == 2 && leap ? 1 : 0);
  };
  std::string zone = "Z";
  if (p == s.size()) {
    if (!valid_date()) return std::nullopt;
  } else {
    char sep = s[p];
    if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
    ++p;
    if (!num(p, 2, &h) || p >= s.size() || s[p] != ':') return std::nullopt;
    ++p;
    if (!num(p, 2, &mi) || p >= s.size() || s[p] != ':') return std::nullopt;
    ++p;
    if (!num(p, 2, &sec)) return std::nullopt;
    if (p < s.size() && s[p] == '.') {
      size_t st = ++p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
      if (p == st) return std::nullopt;
    }
    if (sep == ' ') {
      if (p != s.size()) return std::nullopt;
    } else {
      if (p == s.size()) return std::nullopt;
      if (s[p] == 'Z') {
        ++p;
      } else if (s[p] == '+' || s[p] == '-') {
        if (s.size() - p != 6 || s[p + 3] != ':' || !all_digits(s.substr(p + 1, 2)) ||
            !all_digits(s.substr(p + 4, 2))) {
          return std::nullopt;
        }
        zone = s.substr(p, 6);
        if (zone == "+00:00" || zone == "-00:00") zone = "Z";
        p += 6;
      } else {
        return std::nullopt;
      }
      if (p != s.size()) return std::nullopt;
    }
    if (!valid_date() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}", year, mon, day, h, mi, sec, zone);
}

// A number as cty.ParseNumberVal reads it (decimal, optional sign and
// exponent).
std::optional<Value> parse_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  auto n = Number::parse(s);
  if (!n) return std::nullopt;
  return Value::number(*n);
}

std::optional<Value> parse_go_int(const std::string& plain) {
  // strconv.ParseInt(plain, 0, 64) / ParseUint: 0x, 0o, 0b, leading-0 octal.
  std::string s = plain;
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s = s.substr(1);
  }
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    if (s[1] == 'x' || s[1] == 'X') {
      base = 16;
      s = s.substr(2);
    } else if (s[1] == 'o' || s[1] == 'O') {
      base = 8;
      s = s.substr(2);
    } else if (s[1] == 'b' || s[1] == 'B') {
      base = 2;
      s = s.substr(2);
    } else {
      base = 8;
      s = s.substr(1);
    }
  }
  if (s.empty()) return std::nullopt;
  unsigned __int128 v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return std::nullopt;
    if (d >= base) return std::nullopt;
    v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    if (v > static_cast<unsigned __int128>(UINT64_MAX)) return std::nullopt;
  }
  if (neg) {
    if (v > static_cast<unsigned __int128>(INT64_MAX) + 1) return std::nullopt;
    return Value::number(*Number::parse("-" + fmt::format("{}", static_cast<uint64_t>(v))));
  }
  return Value::number(*Number::parse(fmt::format("{}", static_cast<uint64_t>(v))));
}

struct Merge {};

// go-cty-yaml's resolveScalar. Returns the value, or sets *merge for "<<".
Value resolve_scalar(const std::string& tag, const std::string& src, bool quoted, bool* merge,
                     const YAML::Mark& mark) {
  static const std::map<std::string, Value>& table = *new std::map<std::string, Value>{
      {"y", Value::boolean(true)},
      {"Y", Value::boolean(true)},
      {"yes", Value::boolean(true)},
      {"Yes", Value::boolean(true)},
      {"YES", Value::boolean(true)},
      {"true", Value::boolean(true)},
      {"True", Value::boolean(true)},
      {"TRUE", Value::boolean(true)},
      {"on", Value::boolean(true)},
      {"On", Value::boolean(true)},
      {"ON", Value::boolean(true)},
      {"n", Value::boolean(false)},
      {"N", Value::boolean(false)},
      {"no", Value::boolean(false)},
      {"No", Value::boolean(false)},
      {"NO", Value::boolean(false)},
      {"false", Value::boolean(false)},
      {"False", Value::boolean(false)},
      {"FALSE", Value::boolean(false)},
      {"off", Value::boolean(false)},
      {"Off", Value::boolean(false)},
      {"OFF", Value::boolean(false)},
      {"", Value::null(Type::dynamic())},
      {"~", Value::null(Type::dynamic())},
      {"null", Value::null(Type::dynamic())},
      {"Null", Value::null(Type::dynamic())},
      {"NULL", Value::null(Type::dynamic())},
      {".inf", Value::number(Number::infinity(false))},
      {".Inf", Value::number(Number::infinity(false))},
      {".INF", Value::number(Number::infinity(false))},
      {"+.inf", Value::number(Number::infinity(false))},
      {"+.Inf", Value::number(Number::infinity(false))},
      {"+.INF", Value::number(Number::infinity(false))},
      {"-.inf", Value::number(Number::infinity(true))},
      {"-.Inf", Value::number(Number::infinity(true))},
      {"-.INF", Value::number(Number::infinity(true))},
  };
  const std::string str_tag = std::string(kTagPrefix) + "str";
  const std::string bin_tag = std::string(kTagPrefix) + "binary";
  const std::string bool_tag = std::string(kTagPrefix) + "bool";
  const std::string int_tag = std::string(kTagPrefix) + "int";
  const std::string float_tag = std::string(kTagPrefix) + "float";
  const std::string null_tag = std::string(kTagPrefix) + "null";
  const std::string ts_tag = std::string(kTagPrefix) + "timestamp";
  if (!(tag.empty() || tag == str_tag || tag == bin_tag || tag == bool_tag || tag == int_tag ||
        tag == float_tag || tag == null_tag || tag == ts_tag)) {
    throw DecodeError{located(mark, "unsupported tag " + go_quote(tag))};
  }
  char hint = 'N';
  if (!src.empty()) {
    char c = src[0];
    if (c == '+' || c == '-')
      hint = 'S';
    else if (c >= '0' && c <= '9')
      hint = 'D';
    else if (std::string("yYnNtTfFoO~").find(c) != std::string::npos)
      hint = 'M';
    else if (c == '.')
      hint = '.';
    else
      hint = 0;
  }
  std::string t = tag;
  if (hint != 0 && t != str_tag && t != bin_tag) {
    if (quoted) return Value::string(src);
    auto it = table.find(src);
    if (it != table.end()) return it->second;
    if (t.empty() && (src == ".nan" || src == ".NaN" || src == ".NAN")) {
      throw DecodeError{located(mark, "floating point NaN is not supported")};
    }
    if (hint == '.') {
      if (auto n = parse_number(src)) return *n;
    } else if (hint == 'D' || hint == 'S') {
      if (t.empty() || t == ts_tag) {
        if (auto ts = yaml_timestamp(src)) return Value::string(*ts);
      }
      std::string plain;
      for (char c : src) {
        if (c != '_') plain += c;
      }
      if (auto n = parse_number(plain)) return *n;
      if (plain.starts_with("0b") || plain.starts_with("-0b")) t = int_tag;
    }
  }
  if (t.empty() && src == "<<") {
    *merge = true;
    return Value();
  }
  auto bad = [&]() -> Value {
    throw DecodeError{located(mark, "cannot parse " + go_quote(src) + " as " + t)};
  };
  if (t == str_tag || t == bin_tag) return Value::string(src);
  if (t == bool_tag) {
    auto it = table.find(src);
    if (it == table.end() || it->second.is_null() || it->second.type() != Type::boolean()) {
      return bad();
    }
    return it->second;
  }
  if (t == float_tag || t == int_tag) {
    std::string plain;
    for (char c : src) {
      if (c != '_') plain += c;
    }
    if (auto n = parse_number(plain)) return *n;
    if (auto n = parse_go_int(plain)) return *n;
    return bad();
  }
  if (t == ts_tag) {
    if (auto ts = yaml_timestamp(src)) return Value::string(*ts);
    return bad();
  }
  if (t == null_tag) return Value::null(Type::dynamic());
  return Value::string(src);
}

std::string long_tag(const std::string& tag) {
  if (tag.rfind("!!", 0) == 0) return kTagPrefix + tag.substr(2);
  return tag;
}

Value decode_node(const YAML::Node& node, int depth) {
  if (depth > 1000) throw DecodeError{"exceeded max depth"};
  std::string tag = node.Tag();
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      if (tag == "!") return Value::string("");
      return Value::null(Type::dynamic());
    case YAML::NodeType::Scalar: {
      bool quoted = tag == "!";
      std::string t = (tag == "?" || tag == "!") ? "" : long_tag(tag);
      if (quoted) return Value::string(node.Scalar());
      bool merge = false;
      Value v = resolve_scalar(t, node.Scalar(), false, &merge, node.Mark());
      if (merge) return Value::string(node.Scalar());
      return v;
    }
    case YAML::NodeType::Sequence: {
      if (tag != "?" && tag != "!" && long_tag(tag) != std::string(kTagPrefix) + "seq") {
        throw DecodeError{located(node.Mark(), "can't interpret sequence as " + long_tag(tag))};
      }
      std::vector<Value> elems;
      for (const auto& e : node) elems.push_back(decode_node(e, depth + 1));
      return Value::tuple(std::move(elems));
    }
    case YAML::NodeType::Map: {
      if (tag != "?" && tag != "!" && long_tag(tag) != std::string(kTagPrefix) + "map") {
        throw DecodeError{located(node.Mark(), "can't interpret mapping as " + long_tag(tag))};
      }
      std::map<std::string, Value> attrs;
      for (const auto& kv : node) {
        const YAML::Node& k = kv.first;
        if (!k.IsScalar() && !k.IsNull()) {
          throw DecodeError{located(k.Mark(), "only strings are allowed as mapping keys")};
        }
        std::string ktag = k.Tag();
        bool kquoted = ktag == "!";
        std::string key = k.IsNull() ? "" : k.Scalar();
        if (!kquoted && key == "<<" && (ktag == "?" || ktag.empty())) {
          Value merged = decode_node(kv.second, depth + 1);
          if (!merged.type().is_object()) {
            throw DecodeError{located(
                k.Mark(), "cannot merge " + merged.type().friendly_name() + " into mapping")};
          }
          for (const auto& [n, v] : merged.attributes()) attrs[n] = v;
          continue;
        }
        Value kv_val = Value::string(key);
        if (!kquoted) {
          bool merge = false;
          std::string t = (ktag == "?" || ktag.empty()) ? "" : long_tag(ktag);
          kv_val = resolve_scalar(t, key, false, &merge, k.Mark());
          if (kv_val.is_null() && !kv_val.type().is_dynamic()) {
          }
          if (kv_val.is_null()) {
            throw DecodeError{located(k.Mark(), "mapping key cannot be null")};
          }
          std::string cerr;
          auto s = hcl::convert(kv_val, Type::string(), &cerr);
          if (!s) throw DecodeError{located(k.Mark(), "only strings are allowed as mapping keys")};
          kv_val = *s;
        }
        attrs[kv_val.as_string()] = decode_node(kv.second, depth + 1);
      }
      return Value::object(std::move(attrs));
    }
  }
  return Value::null(Type::dynamic());
}

std::optional<Value> yaml_decode(const std::string& src, std::string* err) {
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(src);
    if (docs.size() > 1) {
      // The position of the second document's "---".
      YAML::Mark m = docs[1].Mark();
      size_t line = 0, pos = 0;
      while (pos < src.size()) {
        if (line > 0 && src.compare(pos, 3, "---") == 0) {
          m.line = static_cast<int>(line);
          m.column = 0;
          break;
        }
        size_t nl = src.find('\n', pos);
        if (nl == std::string::npos) break;
        pos = nl + 1;
        ++line;
      }
      *err = located(m, "unexpected extra content after value");
      return std::nullopt;
    }
    if (docs.empty()) {
      // libyaml sees no document start (go-cty-yaml parses "" as "\n").
      size_t lines = 0;
      for (char c : src) lines += c == '\n';
      if (src.empty() || src.back() != '\n') ++lines;
      *err = lines > 0 ? fmt::format("on line {}, column 1: missing start of document", lines)
                       : "missing start of document";
      return std::nullopt;
    }
    return decode_node(docs[0], 0);
  } catch (const DecodeError& e) {
    *err = e.message;
  } catch (const YAML::Exception& e) {
    YAML::Mark m = e.mark;
    if (m.pos < 0 || static_cast<size_t>(m.pos) >= src.size()) {
      // At the end of the input libyaml has already moved to a new line.
      int lines = 0;
      for (char c : src) lines += c == '\n';
      if (!src.empty() && src.back() != '\n') ++lines;
      m.line = lines;
      m.column = 0;
    }
    *err = located(m, libyaml_message(e.msg));
  }
  return std::nullopt;
}

// --- encoding ------------------------------------------------------------------

// go-yaml's is_printable for the character starting at s[i].
bool yaml_printable(std::string_view s, size_t i) {
  auto b = [&](size_t k) -> unsigned { return k < s.size() ? static_cast<uint8_t>(s[k]) : 0; };
  unsigned c = b(i);
  return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && b(i + 1) >= 0xA0) ||
         (c > 0xC2 && c < 0xED) || (c == 0xED && b(i + 1) < 0xA0) || c == 0xEE ||
         (c == 0xEF && !(b(i + 1) == 0xBB && b(i + 2) == 0xBF) &&
          !(b(i + 1) == 0xBF && (b(i + 2) == 0xBE || b(i + 2) == 0xBF)));
}

size_t utf8_width(unsigned char c) {
  if ((c & 0x80) == 0) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

bool yaml_is_break(std::string_view s, size_t i) {
  auto b = [&](size_t k) -> unsigned { return k < s.size() ? static_cast<uint8_t>(s[k]) : 0; };
  return b(i) == '\r' || b(i) == '\n' || (b(i) == 0xC2 && b(i + 1) == 0x85) ||
         (b(i) == 0xE2 && b(i + 1) == 0x80 && (b(i + 2) == 0xA8 || b(i + 2) == 0xA9));
}

class Emitter {
 public:
  std::string out;

  void emit_root(const Value& v) {
    if (v.is_null() || v.type().is_primitive()) {
      if (!v.is_null() && v.type() == Type::string()) {
        scalar_string(v.as_string(), 2, false);
        newline();
        return;
      }
      write_text(plain(v));
      newline();
      out += "...\n";
      return;
    }
    node(v, -1, false);
    newline();
  }

 private:
  int column_ = 0;

  void write_text(std::string_view s) {
    out.append(s);
    size_t i = 0;
    while (i < s.size()) {
      i += utf8_width(static_cast<unsigned char>(s[i]));
      ++column_;
    }
  }
  void newline() {
    out += '\n';
    column_ = 0;
  }
  void indent_to(int indent) {
    newline();
    out.append(static_cast<size_t>(indent), ' ');
    column_ = indent;
  }

  static std::string plain(const Value& v) {
    if (v.is_null()) return "null";
    if (v.type() == Type::boolean()) return v.as_bool() ? "true" : "false";
    return v.as_number().str();
  }

  static bool is_collection(const Value& v) {
    const Type& t = v.type();
    return !v.is_null() &&
           (t.is_list() || t.is_set() || t.is_tuple() || t.is_map() || t.is_object());
  }
  static bool is_mapping(const Value& v) { return v.type().is_map() || v.type().is_object(); }
  static size_t size_of(const Value& v) {
    return is_mapping(v) ? v.attributes().size() : v.elements().size();
  }

  // Literal block when the string has a line break and a block is allowed.
  static bool literal_ok(std::string_view s) {
    bool breaks = false, special = false, trailing_space = false, space_break = false;
    bool prev_space = false;
    for (size_t i = 0; i < s.size();) {
      size_t w = utf8_width(static_cast<unsigned char>(s[i]));
      if (!yaml_printable(s, i)) special = true;
      if (s[i] == ' ') {
        if (i + w == s.size()) trailing_space = true;
        prev_space = true;
      } else if (yaml_is_break(s, i)) {
        breaks = true;
        if (prev_space) space_break = true;
        prev_space = false;
      } else {
        prev_space = false;
      }
      i += w;
    }
    return breaks && !special && !trailing_space && !space_break;
  }

  void scalar_string(const std::string& s, int indent, bool simple_key) {
    if (!simple_key && s.find('\n') != std::string::npos && literal_ok(s)) {
      literal(s, indent);
      return;
    }
    double_quoted(s, indent, !simple_key);
  }

  void literal(std::string_view s, int indent) {
    std::string hints = "|";
    if (!s.empty() && (s[0] == ' ' || yaml_is_break(s, 0))) hints += '2';
    // chomping
    size_t i = s.size() - 1;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
    if (!yaml_is_break(s, i)) {
      hints += '-';
    } else if (i == 0) {
      hints += '+';
    } else {
      size_t j = i - 1;
      while (j > 0 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) --j;
      if (yaml_is_break(s, j)) hints += '+';
    }
    write_text(hints);
    newline();
    bool breaks = true;
    for (size_t k = 0; k < s.size();) {
      size_t w = utf8_width(static_cast<unsigned char>(s[k]));
      if (yaml_is_break(s, k)) {
        newline();
        breaks = true;
      } else {
        if (breaks) {
          out.append(static_cast<size_t>(indent), ' ');
          column_ = indent;
          breaks = false;
        }
        write_text(s.substr(k, w));
      }
      k += w;
    }
    // A block that ends with a line break has already ended its line: the
    // break that follows in the output is that one.
    if (column_ == 0) {
      out.pop_back();
      column_ = 1;
    }
  }

  void double_quoted(std::string_view s, int indent, bool allow_breaks) {
    write_text("\"");
    bool spaces = false;
    for (size_t i = 0; i < s.size();) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      size_t w = utf8_width(c);
      bool bom = c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
                 static_cast<unsigned char>(s[i + 2]) == 0xBF;
      if (!yaml_printable(s, i) || bom || yaml_is_break(s, i) || c == '"' || c == '\\') {
        size_t j = i;
        char32_t v = decode_rune(s, j);
        i = j;
        std::string esc = "\\";
        switch (v) {
          case 0x00:
            esc += '0';
            break;
          case 0x07:
            esc += 'a';
            break;
          case 0x08:
            esc += 'b';
            break;
          case 0x09:
            esc += 't';
            break;
          case 0x0A:
            esc += 'n';
            break;
          case 0x0B:
            esc += 'v';
            break;
          case 0x0C:
            esc += 'f';
            break;
          case 0x0D:
            esc += 'r';
            break;
          case 0x1B:
            esc += 'e';
            break;
          case 0x22:
            esc += '"';
            break;
          case 0x5C:
            esc += '\\';
            break;
          case 0x85:
            esc += 'N';
            break;
          case 0xA0:
            esc += '_';
            break;
          case 0x2028:
            esc += 'L';
            break;
          case 0x2029:
            esc += 'P';
            break;
          default:
            if (v <= 0xFF)
              esc += fmt::format("x{:02X}", static_cast<unsigned>(v));
            else if (v <= 0xFFFF)
              esc += fmt::format("u{:04X}", static_cast<unsigned>(v));
            else
              esc += fmt::format("U{:08X}", static_cast<unsigned>(v));
        }
        write_text(esc);
        spaces = false;
      } else if (c == ' ') {
        if (allow_breaks && !spaces && column_ > 80 && i != 0 && i != s.size() - 1) {
          indent_to(indent);
          if (i + 1 < s.size() && s[i + 1] == ' ') write_text("\\");
          i += 1;
        } else {
          write_text(" ");
          i += 1;
        }
        spaces = true;
      } else {
        write_text(s.substr(i, w));
        i += w;
        spaces = false;
      }
    }
    write_text("\"");
  }

  // Emits a value in block context. `indent` is the enclosing collection's
  // indentation (-1 at the root); `in_mapping` tells whether the value is a
  // mapping value (sequences there are not indented).
  void node(const Value& v, int indent, bool in_mapping) {
    if (!is_collection(v)) {
      int scalar_indent = indent < 0 ? 2 : indent + 2;
      if (!v.is_null() && v.type() == Type::string()) {
        scalar_string(v.as_string(), scalar_indent, false);
      } else {
        write_text(plain(v));
      }
      return;
    }
    if (size_of(v) == 0) {
      write_text(is_mapping(v) ? "{}" : "[]");
      return;
    }
    if (is_mapping(v)) {
      int my_indent = indent < 0 ? 0 : indent + 2;
      bool first = true;
      for (const auto& [k, val] : v.attributes()) {
        if (!first || column_ != my_indent) indent_to(my_indent);
        first = false;
        bool simple = k.find('\n') == std::string::npos && grapheme_count(k) <= 128;
        if (!simple) {
          write_text("? ");
          scalar_string(k, my_indent + 2, false);
          indent_to(my_indent);
        } else {
          double_quoted(k, my_indent, false);
        }
        write_text(":");
        if (is_collection(val) && size_of(val) > 0) {
          node(val, my_indent, true);
        } else {
          write_text(" ");
          node(val, my_indent, true);
        }
      }
      return;
    }
    // sequence (not indented when it is a mapping's value)
    int my_indent = indent < 0 ? 0 : (in_mapping ? indent : indent + 2);
    bool first = true;
    for (const auto& e : v.elements()) {
      if (!first || column_ != my_indent) indent_to(my_indent);
      first = false;
      write_text("- ");
      node(e, my_indent, false);
    }
  }
};

}  // namespace

void register_yaml(FuncMap& m) {
  m["yamldecode"] = make_function(
      {param("src", Type::string())}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (!a[0].is_known()) return Type::dynamic();
        std::string e;
        auto v = yaml_decode(a[0].as_string(), &e);
        if (!v) return fail(err, e);
        return v->type();
      },
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        if (ret.is_dynamic() && !a[0].is_known()) return Value::dynamic_unknown();
        std::string e;
        auto v = yaml_decode(a[0].as_string(), &e);
        if (!v) return fail(err, e);
        return v;
      });
  m["yamlencode"] =
      make_function({param("value", Type::dynamic(), kNull | kDynamic)}, std::nullopt,
                    static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
                      if (!a[0].is_wholly_known()) return Value::unknown(Type::string());
                      Emitter e;
                      e.emit_root(a[0]);
                      return Value::string(std::move(e.out));
                    });
}

}  // namespace kiln::funcs
