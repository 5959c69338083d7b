// JSON encoding and decoding of values as go-cty's json package does it
// (ctyjson.Marshal / Unmarshal / ImpliedType). Numbers keep their full
// precision in both directions: they are printed with Number::str() and
// parsed from their literal text.
#include <utf8proc.h>

#include <memory>
#include <utility>

#include "hcl/value.h"
#include "hcl/value_internal.h"

namespace kiln::hcl {

// --- marshal -----------------------------------------------------------------

namespace {

bool marshal(const Value& val, const Type& t, std::string& out, std::string* err);

bool marshal_dynamic(const Value& val, std::string& out, std::string* err) {
  out += "{\"value\":";
  // cty ignores errors from the inner marshal here.
  std::string ignored;
  marshal(val, val.type(), out, &ignored);
  out += ",\"type\":";
  out += val.type().json();
  out += '}';
  (void)err;
  return true;
}

bool marshal(const Value& val, const Type& t, std::string& out, std::string* err) {
  if (val.marks() != kMarkNone) {
    *err = "value has marks, so it cannot be serialized as JSON";
    return false;
  }
  if (t.is_dynamic() && !val.type().is_dynamic()) return marshal_dynamic(val, out, err);
  if (val.is_null()) {
    out += "null";
    return true;
  }
  if (!val.is_known()) {
    *err = "value is not known";
    return false;
  }
  switch (t.kind()) {
    case Type::Kind::String:
      detail::json_string(out, val.as_string());
      return true;
    case Type::Kind::Number:
      if (val.as_number().is_inf()) {
        *err = "cannot serialize infinity as JSON";
        return false;
      }
      out += val.as_number().str();
      return true;
    case Type::Kind::Bool:
      out += val.as_bool() ? "true" : "false";
      return true;
    case Type::Kind::List:
    case Type::Kind::Set: {
      out += '[';
      bool first = true;
      for (const auto& e : val.elements()) {
        if (!first) out += ',';
        first = false;
        if (!marshal(e, t.element_type(), out, err)) return false;
      }
      out += ']';
      return true;
    }
    case Type::Kind::Map: {
      out += '{';
      bool first = true;
      for (const auto& [k, e] : val.attributes()) {
        if (!first) out += ',';
        first = false;
        detail::json_string(out, k);
        out += ':';
        if (!marshal(e, t.element_type(), out, err)) return false;
      }
      out += '}';
      return true;
    }
    case Type::Kind::Tuple: {
      out += '[';
      const auto& etys = t.tuple_element_types();
      size_t i = 0;
      for (const auto& e : val.elements()) {
        if (i > 0) out += ',';
        if (!marshal(e, i < etys.size() ? etys[i] : e.type(), out, err)) return false;
        ++i;
      }
      out += ']';
      return true;
    }
    case Type::Kind::Object: {
      out += '{';
      bool first = true;
      const auto& attrs = val.attributes();
      for (const auto& [k, at] : t.attribute_types()) {
        if (!first) out += ',';
        first = false;
        detail::json_string(out, k);
        out += ':';
        auto it = attrs.find(k);
        Value av = it != attrs.end() ? it->second : Value::null(at);
        if (!marshal(av, at, out, err)) return false;
      }
      out += '}';
      return true;
    }
    case Type::Kind::Dynamic:
      *err = "cannot JSON-serialize dynamic";
      return false;
  }
  return false;
}

}  // namespace

std::optional<std::string> value_to_json(const Value& val, std::string* error) {
  std::string out;
  std::string err;
  if (!marshal(val, val.type(), out, &err)) {
    if (error != nullptr) *error = std::move(err);
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> value_to_json_typed(const Value& val, std::string* error) {
  std::string out;
  std::string err;
  if (!marshal(val, Type::dynamic(), out, &err)) {
    if (error != nullptr) *error = std::move(err);
    return std::nullopt;
  }
  return out;
}

std::string value_to_json(const Value& val) {
  auto r = value_to_json(val, nullptr);
  return r ? std::move(*r) : std::string();
}

// --- unmarshal -----------------------------------------------------------------

namespace {

// A parsed JSON document; numbers keep their text, objects their key order
// (duplicates included, the last one wins as in Go).
struct JMember;
struct JNode {
  enum class Kind { Null, Bool, Number, String, Array, Object } kind = Kind::Null;
  bool b = false;
  std::string text;  // number literal or string value
  std::vector<JNode> items;
  // A named struct rather than std::pair: pair<string, JNode> needs JNode
  // complete, which clang's libstdc++ checks (the fuzz build uses clang).
  std::vector<JMember> members;
};
struct JMember {
  std::string key;
  JNode value;
};

class JsonReader {
 public:
  explicit JsonReader(std::string_view s) : s_(s) {}

  // Reads the first value; trailing data is an error only when asked (as
  // ctyjson.ImpliedType does; Unmarshal ignores it).
  bool parse_document(JNode& out, std::string* err, bool strict) {
    if (!parse_value(out, err, 0)) return false;
    skip_ws();
    if (strict && pos_ != s_.size()) {
      *err = "extraneous data after JSON object";
      return false;
    }
    return true;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;

  static std::string quote_char(char c) {
    std::string r = "'";
    if (c == '\'')
      r += "\\'";
    else if (static_cast<unsigned char>(c) < 0x20)
      r += "\\x" + std::string(1, "0123456789abcdef"[(c >> 4) & 0xF]) +
           std::string(1, "0123456789abcdef"[c & 0xF]);
    else
      r += c;
    return r + "'";
  }

  void skip_ws() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }

  bool unexpected(std::string* err, const char* context) {
    if (pos_ >= s_.size()) {
      *err = "EOF";  // io.EOF from json.Decoder.Token between tokens
    } else {
      *err = "invalid character " + quote_char(s_[pos_]) + " " + context;
    }
    return false;
  }

  bool literal(std::string_view word, std::string* err) {
    for (size_t i = 0; i < word.size(); ++i) {
      if (pos_ + i >= s_.size()) {
        pos_ += i;
        *err = "unexpected EOF";
        return false;
      }
      if (s_[pos_ + i] != word[i]) {
        pos_ += i;
        std::string ctx = "in literal ";
        ctx += word;
        ctx += " (expecting " + quote_char(word[i]) + ")";
        *err = "invalid character " + quote_char(s_[pos_]) + " " + ctx;
        return false;
      }
    }
    pos_ += word.size();
    return true;
  }

  bool parse_value(JNode& out, std::string* err, int depth) {
    if (depth > 10000) {
      *err = "exceeded max depth";
      return false;
    }
    skip_ws();
    if (pos_ >= s_.size()) return unexpected(err, "");
    char c = s_[pos_];
    switch (c) {
      case 'n':
        out.kind = JNode::Kind::Null;
        return literal("null", err);
      case 't':
        out.kind = JNode::Kind::Bool;
        out.b = true;
        return literal("true", err);
      case 'f':
        out.kind = JNode::Kind::Bool;
        out.b = false;
        return literal("false", err);
      case '"':
        out.kind = JNode::Kind::String;
        return parse_string(out.text, err);
      case '[': {
        out.kind = JNode::Kind::Array;
        ++pos_;
        skip_ws();
        if (pos_ < s_.size() && s_[pos_] == ']') {
          ++pos_;
          return true;
        }
        for (;;) {
          out.items.emplace_back();
          if (!parse_value(out.items.back(), err, depth + 1)) return false;
          skip_ws();
          if (pos_ < s_.size() && s_[pos_] == ',') {
            ++pos_;
            continue;
          }
          if (pos_ < s_.size() && s_[pos_] == ']') {
            ++pos_;
            return true;
          }
          return unexpected(err, "after array element");
        }
      }
      case '{': {
        out.kind = JNode::Kind::Object;
        ++pos_;
        skip_ws();
        if (pos_ < s_.size() && s_[pos_] == '}') {
          ++pos_;
          return true;
        }
        for (;;) {
          skip_ws();
          if (pos_ >= s_.size() || s_[pos_] != '"')
            return unexpected(err, "looking for beginning of object key string");
          std::string key;
          if (!parse_string(key, err)) return false;
          skip_ws();
          if (pos_ >= s_.size() || s_[pos_] != ':') return unexpected(err, "after object key");
          ++pos_;
          out.members.push_back(JMember{std::move(key), JNode{}});
          if (!parse_value(out.members.back().value, err, depth + 1)) return false;
          skip_ws();
          if (pos_ < s_.size() && s_[pos_] == ',') {
            ++pos_;
            continue;
          }
          if (pos_ < s_.size() && s_[pos_] == '}') {
            ++pos_;
            return true;
          }
          return unexpected(err, "after object key:value pair");
        }
      }
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          out.kind = JNode::Kind::Number;
          return parse_number(out.text, err);
        }
        return unexpected(err, "looking for beginning of value");
    }
  }

  bool parse_number(std::string& out, std::string* err) {
    size_t start = pos_;
    auto digit = [&] { return pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9'; };
    if (s_[pos_] == '-') ++pos_;
    if (pos_ >= s_.size()) {
      *err = "unexpected EOF";
      return false;
    }
    if (!digit()) return unexpected(err, "in numeric literal");
    if (s_[pos_] == '0') {
      ++pos_;
    } else {
      while (digit()) ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!digit()) return unexpected(err, "after decimal point in numeric literal");
      while (digit()) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digit()) return unexpected(err, "in exponent of numeric literal");
      while (digit()) ++pos_;
    }
    out.assign(s_.substr(start, pos_ - start));
    return true;
  }

  static void append_utf8(std::string& out, int32_t cp) {
    utf8proc_uint8_t buf[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
  }

  int hex4() {
    if (pos_ + 4 > s_.size()) return -1;
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_ + i];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        v |= c - 'A' + 10;
      else
        return -1;
    }
    return v;
  }

  bool parse_string(std::string& out, std::string* err) {
    ++pos_;  // opening quote
    for (;;) {
      if (pos_ >= s_.size()) {
        *err = "unexpected EOF";
        return false;
      }
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return unexpected(err, "in string literal");
      if (c == '\\') {
        ++pos_;
        if (pos_ >= s_.size()) {
          *err = "unexpected EOF";
          return false;
        }
        char e = s_[pos_];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            ++pos_;
            break;
          case 'b':
            out += '\b';
            ++pos_;
            break;
          case 'f':
            out += '\f';
            ++pos_;
            break;
          case 'n':
            out += '\n';
            ++pos_;
            break;
          case 'r':
            out += '\r';
            ++pos_;
            break;
          case 't':
            out += '\t';
            ++pos_;
            break;
          case 'u': {
            ++pos_;
            int v = hex4();
            if (v < 0) return unexpected(err, "in \\u hexadecimal character escape");
            pos_ += 4;
            int32_t cp = v;
            if (cp >= 0xD800 && cp < 0xDC00) {
              // A surrogate pair, if the next escape completes it.
              if (pos_ + 1 < s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
                size_t save = pos_;
                pos_ += 2;
                int lo = hex4();
                if (lo >= 0xDC00 && lo < 0xE000) {
                  pos_ += 4;
                  cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else {
                  pos_ = save;
                  cp = 0xFFFD;
                }
              } else {
                cp = 0xFFFD;
              }
            } else if (cp >= 0xDC00 && cp < 0xE000) {
              cp = 0xFFFD;
            }
            append_utf8(out, cp);
            break;
          }
          default:
            return unexpected(err, "in string escape code");
        }
        continue;
      }
      if (c < 0x80) {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      utf8proc_int32_t cp;
      utf8proc_ssize_t n =
          utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s_.data() + pos_),
                           static_cast<utf8proc_ssize_t>(s_.size() - pos_), &cp);
      if (n <= 0) {
        out += "\xEF\xBF\xBD";
        ++pos_;
        continue;
      }
      out.append(s_.substr(pos_, static_cast<size_t>(n)));
      pos_ += static_cast<size_t>(n);
    }
  }
};

Type implied_type(const JNode& n) {
  switch (n.kind) {
    case JNode::Kind::Null:
      return Type::dynamic();
    case JNode::Kind::Bool:
      return Type::boolean();
    case JNode::Kind::Number:
      return Type::number();
    case JNode::Kind::String:
      return Type::string();
    case JNode::Kind::Array: {
      std::vector<Type> etys;
      etys.reserve(n.items.size());
      for (const auto& i : n.items) etys.push_back(implied_type(i));
      return Type::tuple(std::move(etys));
    }
    case JNode::Kind::Object: {
      std::map<std::string, Type> atys;
      for (const auto& [k, v] : n.members) atys[k] = implied_type(v);
      return Type::object(std::move(atys));
    }
  }
  return Type::dynamic();
}

bool parse_type_json(const JNode& n, Type& out, std::string* err);

bool unmarshal(const JNode& n, const Type& t, Value& out, std::string* err) {
  if (n.kind == JNode::Kind::Null) {
    out = Value::null(t);
    return true;
  }
  if (t.is_dynamic()) {
    if (n.kind != JNode::Kind::Object) {
      *err = "missing expected {";
      return false;
    }
    const JNode* body = nullptr;
    std::optional<Type> ty;
    for (const auto& [k, v] : n.members) {
      if (k == "type") {
        Type parsed;
        std::string terr;
        if (!parse_type_json(v, parsed, &terr)) {
          *err = "failed to decode type for dynamic value: " + terr;
          return false;
        }
        ty = parsed;
      } else if (k == "value") {
        body = &v;
      } else {
        std::string q;
        detail::go_quote(q, k);
        *err = "invalid key " + q + " in dynamically-typed value";
        return false;
      }
    }
    if (!ty) {
      *err = "missing type in dynamically-typed value";
      return false;
    }
    if (body == nullptr) {
      *err = "missing value in dynamically-typed value";
      return false;
    }
    return unmarshal(*body, *ty, out, err);
  }
  switch (t.kind()) {
    case Type::Kind::Bool:
      if (n.kind == JNode::Kind::Bool) {
        out = Value::boolean(n.b);
        return true;
      }
      if (n.kind == JNode::Kind::String) {
        auto v = convert(Value::string(n.text), t, err);
        if (!v) return false;
        out = std::move(*v);
        return true;
      }
      *err = "bool is required";
      return false;
    case Type::Kind::Number:
      if (n.kind == JNode::Kind::Number || n.kind == JNode::Kind::String) {
        auto num = Number::parse(n.text);
        if (!num) {
          *err = "a number is required";
          return false;
        }
        out = Value::number(std::move(*num));
        return true;
      }
      *err = "number is required";
      return false;
    case Type::Kind::String:
      if (n.kind == JNode::Kind::String || n.kind == JNode::Kind::Number) {
        out = Value::string(n.text);
        return true;
      }
      if (n.kind == JNode::Kind::Bool) {
        out = Value::string(n.b ? "true" : "false");
        return true;
      }
      *err = "string is required";
      return false;
    case Type::Kind::List:
    case Type::Kind::Set: {
      if (n.kind != JNode::Kind::Array) {
        *err = "missing expected [";
        return false;
      }
      std::vector<Value> vals;
      vals.reserve(n.items.size());
      for (const auto& i : n.items) {
        Value v;
        if (!unmarshal(i, t.element_type(), v, err)) return false;
        vals.push_back(std::move(v));
      }
      if (vals.empty())
        out =
            t.is_list() ? Value::list_empty(t.element_type()) : Value::set_empty(t.element_type());
      else
        out = t.is_list() ? Value::list(std::move(vals)) : Value::set(std::move(vals));
      return true;
    }
    case Type::Kind::Map: {
      if (n.kind != JNode::Kind::Object) {
        *err = "missing expected {";
        return false;
      }
      std::map<std::string, Value> vals;
      for (const auto& [k, i] : n.members) {
        Value v;
        if (!unmarshal(i, t.element_type(), v, err)) return false;
        vals[k] = std::move(v);
      }
      out = vals.empty() ? Value::map_empty(t.element_type()) : Value::map(std::move(vals));
      return true;
    }
    case Type::Kind::Tuple: {
      if (n.kind != JNode::Kind::Array) {
        *err = "missing expected [";
        return false;
      }
      const auto& etys = t.tuple_element_types();
      std::vector<Value> vals;
      for (size_t idx = 0; idx < n.items.size(); ++idx) {
        if (idx >= etys.size()) {
          *err = "too many tuple elements (need " + std::to_string(etys.size()) + ")";
          return false;
        }
        Value v;
        if (!unmarshal(n.items[idx], etys[idx], v, err)) return false;
        vals.push_back(std::move(v));
      }
      if (vals.size() != etys.size()) {
        *err = "not enough tuple elements (need " + std::to_string(etys.size()) + ")";
        return false;
      }
      out = Value::tuple(std::move(vals));
      return true;
    }
    case Type::Kind::Object: {
      if (n.kind != JNode::Kind::Object) {
        *err = "missing expected {";
        return false;
      }
      const auto& atys = t.attribute_types();
      std::map<std::string, Value> vals;
      for (const auto& [k, i] : n.members) {
        auto it = atys.find(k);
        if (it == atys.end()) {
          std::string q;
          detail::go_quote(q, k);
          *err = "unsupported attribute " + q;
          return false;
        }
        Value v;
        if (!unmarshal(i, it->second, v, err)) return false;
        vals[k] = std::move(v);
      }
      for (const auto& [k, at] : atys)
        if (!vals.count(k)) vals.emplace(k, Value::null(at));
      out = Value::object(std::move(vals));
      return true;
    }
    case Type::Kind::Dynamic:
      break;
  }
  *err = "unsupported type " + t.friendly_name();
  return false;
}

// ctyjson type descriptors (the inverse of Type::json()).
bool parse_type_json(const JNode& n, Type& out, std::string* err) {
  if (n.kind == JNode::Kind::String) {
    if (n.text == "bool") {
      out = Type::boolean();
    } else if (n.text == "number") {
      out = Type::number();
    } else if (n.text == "string") {
      out = Type::string();
    } else if (n.text == "dynamic") {
      out = Type::dynamic();
    } else {
      std::string q;
      detail::go_quote(q, n.text);
      *err = "invalid primitive type name " + q;
      return false;
    }
    return true;
  }
  if (n.kind != JNode::Kind::Array || n.items.size() < 2 ||
      n.items[0].kind != JNode::Kind::String) {
    *err = "invalid complex type description";
    return false;
  }
  const std::string& kind = n.items[0].text;
  if (kind == "list" || kind == "set" || kind == "map") {
    Type et;
    if (!parse_type_json(n.items[1], et, err)) return false;
    out = kind == "list" ? Type::list(et) : kind == "set" ? Type::set(et) : Type::map(et);
    return true;
  }
  if (kind == "object") {
    if (n.items[1].kind != JNode::Kind::Object) {
      *err = "invalid object type description";
      return false;
    }
    std::map<std::string, Type> atys;
    for (const auto& [k, v] : n.items[1].members) {
      Type at;
      if (!parse_type_json(v, at, err)) return false;
      atys[k] = at;
    }
    std::set<std::string> optional;
    if (n.items.size() > 2 && n.items[2].kind == JNode::Kind::Array)
      for (const auto& o : n.items[2].items)
        if (o.kind == JNode::Kind::String) optional.insert(o.text);
    out = Type::object(std::move(atys), std::move(optional));
    return true;
  }
  if (kind == "tuple") {
    if (n.items[1].kind != JNode::Kind::Array) {
      *err = "invalid tuple type description";
      return false;
    }
    std::vector<Type> etys;
    for (const auto& v : n.items[1].items) {
      Type et;
      if (!parse_type_json(v, et, err)) return false;
      etys.push_back(et);
    }
    out = Type::tuple(std::move(etys));
    return true;
  }
  std::string q;
  detail::go_quote(q, kind);
  *err = "invalid type kind " + q;
  return false;
}

}  // namespace

std::optional<Value> value_from_json(std::string_view json, const Type& type, std::string* error) {
  std::string err;
  JNode root;
  JsonReader reader(json);
  if (!reader.parse_document(root, &err, type.is_dynamic())) {
    if (error != nullptr) *error = std::move(err);
    return std::nullopt;
  }
  Type t = type.is_dynamic() ? implied_type(root) : type;
  Value out;
  if (!unmarshal(root, t, out, &err)) {
    if (error != nullptr) *error = std::move(err);
    return std::nullopt;
  }
  return out;
}

std::optional<Type> type_from_json(std::string_view json, std::string* error) {
  std::string err;
  JNode root;
  JsonReader reader(json);
  Type t;
  if (!reader.parse_document(root, &err, true) || !parse_type_json(root, t, &err)) {
    if (error != nullptr) *error = std::move(err);
    return std::nullopt;
  }
  return t;
}

}  // namespace kiln::hcl
