// Types and values with go-cty's semantics.
#include "hcl/value.h"
#include "hcl/quote.h"
#include "hcl/value_internal.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <variant>

namespace kiln::hcl {

// --- Type ------------------------------------------------------------------

struct Type::Impl {
  Kind kind = Kind::Dynamic;
  std::optional<Type> element;  // list, map, set
  std::map<std::string, Type> attrs;
  std::set<std::string> optional;
  std::vector<Type> elems;
  bool has_dynamic = false;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() = default;
};

namespace {
std::string nfc(std::string s);

// cty normalises attribute names and map keys (NormalizeString) too.
template <typename V>
void nfc_keys(std::map<std::string, V>& m) {
  bool ascii = true;
  for (const auto& [k, v] : m) {
    for (unsigned char c : k)
      if (c >= 0x80) {
        ascii = false;
        break;
      }
    if (!ascii) break;
  }
  if (ascii) return;
  std::map<std::string, V> out;
  for (auto& [k, v] : m) out.insert_or_assign(nfc(k), std::move(v));
  m = std::move(out);
}
}  // namespace

struct TypeAccess {
  static const std::shared_ptr<const Type::Impl>& primitive_impl(Type::Kind k);
  static std::shared_ptr<const Type::Impl> make_collection(Type::Kind k, Type element);
  static Type make(std::shared_ptr<const Type::Impl> p) { return Type(std::move(p)); }
};

const std::shared_ptr<const Type::Impl>& TypeAccess::primitive_impl(Type::Kind k) {
  static const std::shared_ptr<const Type::Impl> impls[4] = {
      [] {
        auto p = std::make_shared<Type::Impl>();
        p->kind = Type::Kind::Dynamic;
        p->has_dynamic = true;
        return std::shared_ptr<const Type::Impl>(std::move(p));
      }(),
      [] {
        auto p = std::make_shared<Type::Impl>();
        p->kind = Type::Kind::Bool;
        return std::shared_ptr<const Type::Impl>(std::move(p));
      }(),
      [] {
        auto p = std::make_shared<Type::Impl>();
        p->kind = Type::Kind::Number;
        return std::shared_ptr<const Type::Impl>(std::move(p));
      }(),
      [] {
        auto p = std::make_shared<Type::Impl>();
        p->kind = Type::Kind::String;
        return std::shared_ptr<const Type::Impl>(std::move(p));
      }(),
  };
  return impls[static_cast<int>(k)];
}

namespace {

const std::map<std::string, Type>& empty_attrs() {
  static const std::map<std::string, Type> m;
  return m;
}
const std::set<std::string>& empty_optional() {
  static const std::set<std::string> s;
  return s;
}
const std::vector<Type>& empty_elems() {
  static const std::vector<Type> v;
  return v;
}

}  // namespace

Type::Type() : impl_(TypeAccess::primitive_impl(Kind::Dynamic)) {}
Type Type::dynamic() {
  return Type();
}
Type Type::boolean() {
  return Type(TypeAccess::primitive_impl(Kind::Bool));
}
Type Type::number() {
  return Type(TypeAccess::primitive_impl(Kind::Number));
}
Type Type::string() {
  return Type(TypeAccess::primitive_impl(Kind::String));
}

std::shared_ptr<const Type::Impl> TypeAccess::make_collection(Type::Kind k, Type element) {
  auto p = std::make_shared<Type::Impl>();
  p->kind = k;
  p->has_dynamic = element.has_dynamic_types();
  p->element.emplace(std::move(element));
  return p;
}

Type Type::list(Type element) {
  return Type(TypeAccess::make_collection(Kind::List, std::move(element)));
}
Type Type::map(Type element) {
  return Type(TypeAccess::make_collection(Kind::Map, std::move(element)));
}
Type Type::set(Type element) {
  return Type(TypeAccess::make_collection(Kind::Set, std::move(element)));
}

Type Type::object(std::map<std::string, Type> attributes, std::set<std::string> optional) {
  nfc_keys(attributes);
  auto p = std::make_shared<Impl>();
  p->kind = Kind::Object;
  for (const auto& [k, t] : attributes)
    if (t.has_dynamic_types()) p->has_dynamic = true;
  p->attrs = std::move(attributes);
  for (auto& o : optional) {
    std::string n = nfc(o);
    if (p->attrs.count(n)) p->optional.insert(std::move(n));
  }
  return Type(std::move(p));
}

Type Type::tuple(std::vector<Type> elements) {
  auto p = std::make_shared<Impl>();
  p->kind = Kind::Tuple;
  for (const auto& t : elements)
    if (t.has_dynamic_types()) p->has_dynamic = true;
  p->elems = std::move(elements);
  return Type(std::move(p));
}

Type::Kind Type::kind() const {
  return impl_->kind;
}
bool Type::is_primitive() const {
  Kind k = kind();
  return k == Kind::Bool || k == Kind::Number || k == Kind::String;
}
bool Type::is_collection() const {
  Kind k = kind();
  return k == Kind::List || k == Kind::Map || k == Kind::Set;
}

const Type& Type::element_type() const {
  static const Type dyn;
  return impl_->element ? *impl_->element : dyn;
}
const std::map<std::string, Type>& Type::attribute_types() const {
  return is_object() ? impl_->attrs : empty_attrs();
}
const std::set<std::string>& Type::optional_attributes() const {
  return is_object() ? impl_->optional : empty_optional();
}
const std::vector<Type>& Type::tuple_element_types() const {
  return is_tuple() ? impl_->elems : empty_elems();
}
bool Type::has_attribute(const std::string& name) const {
  if (!is_object()) return false;
  if (impl_->attrs.count(name) != 0) return true;
  for (unsigned char c : name)
    if (c >= 0x80) return impl_->attrs.count(nfc(name)) != 0;
  return false;
}
bool Type::has_dynamic_types() const {
  return impl_->has_dynamic;
}

bool Type::operator==(const Type& o) const {
  if (impl_ == o.impl_) return true;
  if (kind() != o.kind()) return false;
  switch (kind()) {
    case Kind::Dynamic:
    case Kind::Bool:
    case Kind::Number:
    case Kind::String:
      return true;
    case Kind::List:
    case Kind::Map:
    case Kind::Set:
      return element_type() == o.element_type();
    case Kind::Object:
      return impl_->attrs == o.impl_->attrs && impl_->optional == o.impl_->optional;
    case Kind::Tuple:
      return impl_->elems == o.impl_->elems;
  }
  return false;
}

namespace {
std::string friendly(const Type& t, bool constraint) {
  switch (t.kind()) {
    case Type::Kind::Dynamic:
      return constraint ? "any type" : "dynamic";
    case Type::Kind::Bool:
      return "bool";
    case Type::Kind::Number:
      return "number";
    case Type::Kind::String:
      return "string";
    case Type::Kind::List:
    case Type::Kind::Map:
    case Type::Kind::Set: {
      std::string elem = (constraint && t.element_type().is_dynamic())
                             ? "any single type"
                             : friendly(t.element_type(), constraint);
      const char* prefix = t.is_list() ? "list of " : (t.is_map() ? "map of " : "set of ");
      return prefix + elem;
    }
    case Type::Kind::Object:
      return "object";
    case Type::Kind::Tuple:
      return "tuple";
  }
  return "dynamic";
}

void json_string(std::string& out, std::string_view s);
void go_quote(std::string& buf, const std::string& s);

void type_json(std::string& out, const Type& t) {
  switch (t.kind()) {
    case Type::Kind::Dynamic:
      out += "\"dynamic\"";
      return;
    case Type::Kind::Bool:
      out += "\"bool\"";
      return;
    case Type::Kind::Number:
      out += "\"number\"";
      return;
    case Type::Kind::String:
      out += "\"string\"";
      return;
    case Type::Kind::List:
    case Type::Kind::Map:
    case Type::Kind::Set:
      out += t.is_list() ? "[\"list\"," : (t.is_map() ? "[\"map\"," : "[\"set\",");
      type_json(out, t.element_type());
      out += ']';
      return;
    case Type::Kind::Object: {
      out += "[\"object\",{";
      bool first = true;
      for (const auto& [k, at] : t.attribute_types()) {
        if (!first) out += ',';
        first = false;
        json_string(out, k);
        out += ':';
        type_json(out, at);
      }
      out += '}';
      if (!t.optional_attributes().empty()) {
        out += ",[";
        bool f = true;
        for (const auto& o : t.optional_attributes()) {
          if (!f) out += ',';
          f = false;
          json_string(out, o);
        }
        out += ']';
      }
      out += ']';
      return;
    }
    case Type::Kind::Tuple: {
      out += "[\"tuple\",[";
      bool first = true;
      for (const auto& et : t.tuple_element_types()) {
        if (!first) out += ',';
        first = false;
        type_json(out, et);
      }
      out += "]]";
      return;
    }
  }
}

// Go's encoding/json string escaping (HTML-safe), with invalid UTF-8
// replaced by U+FFFD.
void json_string(std::string& out, std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
        out += static_cast<char>(c);
      } else {
        switch (c) {
          case '\\':
          case '"':
            out += '\\';
            out += static_cast<char>(c);
            break;
          case '\n':
            out += "\\n";
            break;
          case '\r':
            out += "\\r";
            break;
          case '\t':
            out += "\\t";
            break;
          default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
      }
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                            static_cast<utf8proc_ssize_t>(n - i), &cp);
    if (len <= 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (cp == 0x2028 || cp == 0x2029) {
      out += cp == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s, i, static_cast<size_t>(len));
    }
    i += static_cast<size_t>(len);
  }
  out += '"';
}

}  // namespace

std::string Type::friendly_name() const {
  return friendly(*this, false);
}
std::string Type::friendly_name_for_constraint() const {
  return friendly(*this, true);
}
std::string Type::json() const {
  std::string out;
  type_json(out, *this);
  return out;
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  json_string(out, s);
  return out;
}

namespace detail {
void json_string(std::string& out, std::string_view s) {
  ::kiln::hcl::json_string(out, s);
}
void go_quote(std::string& out, const std::string& s) {
  ::kiln::hcl::go_quote(out, s);
}
}  // namespace detail

// --- Value -----------------------------------------------------------------

struct Value::Payload {
  std::variant<bool, Number, std::string, std::vector<Value>, std::map<std::string, Value>> v;
};

namespace {

const std::vector<Value>& empty_values() {
  static const std::vector<Value> v;
  return v;
}
const std::map<std::string, Value>& empty_value_map() {
  static const std::map<std::string, Value> m;
  return m;
}

std::string nfc(std::string s) {
  bool ascii = true;
  for (unsigned char c : s)
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) return s;
  utf8proc_uint8_t* r = nullptr;
  utf8proc_ssize_t len = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
      &r, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (len < 0 || r == nullptr) {
    std::free(r);
    return s;  // invalid UTF-8: kept as is
  }
  std::string out(reinterpret_cast<const char*>(r), static_cast<size_t>(len));
  std::free(r);
  return out;
}

}  // namespace

struct ValueAccess {
  static Value make(Type t, std::shared_ptr<const Value::Payload> p) {
    Value v;
    v.type_ = std::move(t);
    v.state_ = Value::State::Known;
    v.payload_ = std::move(p);
    return v;
  }
  template <typename T>
  static std::shared_ptr<const Value::Payload> payload(T&& x) {
    auto p = std::make_shared<Value::Payload>();
    p->v = std::forward<T>(x);
    return p;
  }
  static const Value::Payload* raw(const Value& v) { return v.payload_.get(); }
  // A value of dynamic type stored into a typed collection (cty keeps only
  // the raw value, so it takes the collection's element type).
  static Value retype(const Value& v, const Type& t) {
    Value r = v;
    if (r.state_ != Value::State::Known) r.type_ = t;
    return r;
  }
};

Value::Value() = default;

Value Value::null(Type t) {
  Value v;
  v.type_ = std::move(t);
  v.state_ = State::Null;
  return v;
}

Value Value::unknown(Type t) {
  Value v;
  v.type_ = std::move(t);
  v.state_ = State::Unknown;
  return v;
}

Value Value::boolean(bool b) {
  static const auto t = ValueAccess::payload(true);
  static const auto f = ValueAccess::payload(false);
  return ValueAccess::make(Type::boolean(), b ? t : f);
}

Value Value::number(Number n) {
  return ValueAccess::make(Type::number(), ValueAccess::payload(std::move(n)));
}

Value Value::string(std::string s) {
  return ValueAccess::make(Type::string(), ValueAccess::payload(nfc(std::move(s))));
}

Value Value::list(std::vector<Value> elements) {
  if (elements.empty()) return list_empty(Type::dynamic());
  Type et = elements.front().type();
  for (const auto& e : elements)
    if (!e.type().is_dynamic()) {
      et = e.type();
      break;
    }
  if (!et.is_dynamic())
    for (auto& e : elements)
      if (e.type().is_dynamic()) e = ValueAccess::retype(e, et);
  return ValueAccess::make(Type::list(std::move(et)), ValueAccess::payload(std::move(elements)));
}

Value Value::list_empty(Type element) {
  return ValueAccess::make(Type::list(std::move(element)),
                           ValueAccess::payload(std::vector<Value>{}));
}

namespace {

void go_quote(std::string& buf, const std::string& s) {
  buf += go_quote_string(s);
}

}  // namespace

// big.Float.String() (Text('g', 10)), derived from the shortest decimal.
// Used only to order sets of structural values as cty does.
std::string detail::number_g10(const Number& n) {
  std::string f = n.str();
  if (n.is_inf() || n.is_nan()) return f;
  bool neg = !f.empty() && f[0] == '-';
  if (neg) f.erase(0, 1);
  // Decimal digits and exponent: value = 0.mant * 10^exp.
  std::string mant;
  long exp = 0;
  size_t dot = f.find('.');
  std::string ip = f.substr(0, dot);
  std::string fp = dot == std::string::npos ? "" : f.substr(dot + 1);
  mant = ip + fp;
  exp = static_cast<long>(ip.size());
  size_t lead = 0;
  while (lead < mant.size() && mant[lead] == '0') ++lead;
  mant.erase(0, lead);
  exp -= static_cast<long>(lead);
  while (!mant.empty() && mant.back() == '0') mant.pop_back();
  if (mant.empty()) return neg ? "-0" : "0";
  const size_t prec = 10;
  if (mant.size() > prec) {
    bool up;
    if (mant[prec] == '5' && mant.size() == prec + 1)
      up = ((mant[prec - 1] - '0') & 1) != 0;
    else
      up = mant[prec] >= '5';
    mant.resize(prec);
    if (up) {
      size_t i = prec;
      while (i > 0 && mant[i - 1] == '9') --i;
      if (i == 0) {
        mant = "1";
        exp++;
      } else {
        mant[i - 1]++;
        mant.resize(i);
      }
    }
    while (!mant.empty() && mant.back() == '0') mant.pop_back();
  }
  long eprec = static_cast<long>(prec);
  if (eprec > static_cast<long>(mant.size()) && static_cast<long>(mant.size()) >= exp)
    eprec = static_cast<long>(mant.size());
  long x = exp - 1;
  std::string out = neg ? "-" : "";
  auto at = [&](long i) { return i >= 0 && i < static_cast<long>(mant.size()) ? mant[i] : '0'; };
  if (x < -4 || x >= eprec) {
    long p = std::min<long>(static_cast<long>(prec), static_cast<long>(mant.size())) - 1;
    out += mant[0];
    if (p > 0) {
      out += '.';
      for (long i = 1; i <= p; ++i) out += at(i);
    }
    out += 'e';
    out += x < 0 ? '-' : '+';
    long ax = x < 0 ? -x : x;
    if (ax < 10) out += '0';
    out += std::to_string(ax);
    return out;
  }
  long p = static_cast<long>(prec) > exp ? static_cast<long>(mant.size()) : static_cast<long>(prec);
  long frac = std::max(p - exp, 0L);
  if (exp > 0) {
    for (long i = 0; i < exp; ++i) out += at(i);
  } else {
    out += '0';
  }
  if (frac > 0) {
    out += '.';
    for (long i = 0; i < frac; ++i) out += at(exp + i);
  }
  return out;
}

namespace {

void set_hash_bytes(const Value& v, std::string& buf) {
  if (!v.is_known()) {
    buf += '?';
    return;
  }
  if (v.is_null()) {
    buf += '~';
    return;
  }
  const Type& t = v.type();
  switch (t.kind()) {
    case Type::Kind::Number:
      buf += detail::number_g10(v.as_number());
      return;
    case Type::Kind::Bool:
      buf += v.as_bool() ? 'T' : 'F';
      return;
    case Type::Kind::String:
      go_quote(buf, v.as_string());
      return;
    case Type::Kind::Map:
      buf += '{';
      for (const auto& [k, e] : v.attributes()) {
        go_quote(buf, k);
        buf += ':';
        set_hash_bytes(e, buf);
        buf += ';';
      }
      buf += '}';
      return;
    case Type::Kind::List:
    case Type::Kind::Set:
      buf += '[';
      for (const auto& e : v.elements()) {
        set_hash_bytes(e, buf);
        buf += ';';
      }
      buf += ']';
      return;
    case Type::Kind::Object:
      buf += '<';
      for (const auto& [k, e] : v.attributes()) {
        set_hash_bytes(e, buf);
        buf += ';';
      }
      buf += '>';
      return;
    case Type::Kind::Tuple:
      buf += '<';
      for (const auto& e : v.elements()) {
        set_hash_bytes(e, buf);
        buf += ';';
      }
      buf += '>';
      return;
    case Type::Kind::Dynamic:
      return;
  }
}

// cty setRules.Less.
bool set_less(const Value& a, const Value& b) {
  if (a.raw_equals(b)) return false;
  if (b.is_null() && !a.is_null()) return true;
  if (a.is_null()) return false;
  if (a.is_known() && !b.is_known()) return true;
  if (!a.is_known()) return false;
  switch (a.type().kind()) {
    case Type::Kind::String:
      return a.as_string() < b.as_string();
    case Type::Kind::Bool:
      return b.as_bool() || !a.as_bool();
    case Type::Kind::Number:
      return a.as_number().compare(b.as_number()) < 0;
    default: {
      std::string ha, hb;
      set_hash_bytes(a, ha);
      set_hash_bytes(b, hb);
      return ha < hb;
    }
  }
}

}  // namespace

Value Value::set(std::vector<Value> elements) {
  if (elements.empty()) return set_empty(Type::dynamic());
  uint8_t marks = 0;
  Type et = Type::dynamic();
  for (auto& e : elements) {
    if (e.contains_marks()) {
      uint8_t m = 0;
      e = e.unmarked_deep(&m);
      marks |= m;
    }
    if (et.is_dynamic()) et = e.type();
  }
  if (!et.is_dynamic())
    for (auto& e : elements)
      if (e.type().is_dynamic()) e = ValueAccess::retype(e, et);
  // Order as cty's setRules.Less, then drop elements Equals to an earlier
  // one (setRules.Equivalent: unknowns are never duplicates). Equal
  // elements are adjacent in that order, up to ties of the order itself.
  std::stable_sort(elements.begin(), elements.end(), set_less);
  std::vector<Value> out;
  out.reserve(elements.size());
  for (auto& e : elements) {
    bool dup = false;
    for (size_t i = out.size(); i-- > 0;) {
      const Value& o = out[i];
      Value eq = o.equals(e);
      if (eq.is_known() && eq.as_bool()) {
        dup = true;
        break;
      }
      if (set_less(o, e)) break;
    }
    if (!dup) out.push_back(std::move(e));
  }
  Value v = ValueAccess::make(Type::set(std::move(et)), ValueAccess::payload(std::move(out)));
  v.marks_ = marks;
  return v;
}

Value Value::set_empty(Type element) {
  return ValueAccess::make(Type::set(std::move(element)),
                           ValueAccess::payload(std::vector<Value>{}));
}

Value Value::map(std::map<std::string, Value> elements) {
  if (elements.empty()) return map_empty(Type::dynamic());
  nfc_keys(elements);
  Type et = elements.begin()->second.type();
  for (const auto& [k, e] : elements)
    if (!e.type().is_dynamic()) {
      et = e.type();
      break;
    }
  if (!et.is_dynamic())
    for (auto& [k, e] : elements)
      if (e.type().is_dynamic()) e = ValueAccess::retype(e, et);
  return ValueAccess::make(Type::map(std::move(et)), ValueAccess::payload(std::move(elements)));
}

Value Value::map_empty(Type element) {
  return ValueAccess::make(Type::map(std::move(element)),
                           ValueAccess::payload(std::map<std::string, Value>{}));
}

Value Value::object(std::map<std::string, Value> attributes) {
  nfc_keys(attributes);
  std::map<std::string, Type> types;
  for (const auto& [k, v] : attributes) types.emplace_hint(types.end(), k, v.type());
  return ValueAccess::make(Type::object(std::move(types)),
                           ValueAccess::payload(std::move(attributes)));
}

Value Value::tuple(std::vector<Value> elements) {
  std::vector<Type> types;
  types.reserve(elements.size());
  for (const auto& v : elements) types.push_back(v.type());
  return ValueAccess::make(Type::tuple(std::move(types)),
                           ValueAccess::payload(std::move(elements)));
}

bool Value::is_wholly_known() const {
  if (!is_known()) return false;
  if (is_null()) return true;
  switch (type_.kind()) {
    case Type::Kind::List:
    case Type::Kind::Set:
    case Type::Kind::Tuple:
      for (const auto& e : elements())
        if (!e.is_wholly_known()) return false;
      return true;
    case Type::Kind::Map:
    case Type::Kind::Object:
      for (const auto& [k, e] : attributes())
        if (!e.is_wholly_known()) return false;
      return true;
    default:
      return true;
  }
}

bool Value::contains_marks() const {
  if (marks_ != kMarkNone) return true;
  if (state_ != State::Known) return false;
  switch (type_.kind()) {
    case Type::Kind::List:
    case Type::Kind::Set:
    case Type::Kind::Tuple:
      for (const auto& e : elements())
        if (e.contains_marks()) return true;
      return false;
    case Type::Kind::Map:
    case Type::Kind::Object:
      for (const auto& [k, e] : attributes())
        if (e.contains_marks()) return true;
      return false;
    default:
      return false;
  }
}

Value Value::with_marks(uint8_t marks) const {
  Value v = *this;
  v.marks_ |= marks;
  return v;
}

Value Value::unmarked() const {
  Value v = *this;
  v.marks_ = kMarkNone;
  return v;
}

Value Value::unmarked_deep(uint8_t* removed) const {
  uint8_t dummy = 0;
  uint8_t& acc = removed != nullptr ? *removed : dummy;
  acc |= marks_;
  if (!contains_marks()) return *this;
  Value v = *this;
  v.marks_ = kMarkNone;
  if (state_ != State::Known) return v;
  switch (type_.kind()) {
    case Type::Kind::List:
    case Type::Kind::Set:
    case Type::Kind::Tuple: {
      std::vector<Value> es;
      es.reserve(elements().size());
      for (const auto& e : elements()) es.push_back(e.unmarked_deep(&acc));
      v.payload_ = ValueAccess::payload(std::move(es));
      return v;
    }
    case Type::Kind::Map:
    case Type::Kind::Object: {
      std::map<std::string, Value> es;
      for (const auto& [k, e] : attributes()) es.emplace_hint(es.end(), k, e.unmarked_deep(&acc));
      v.payload_ = ValueAccess::payload(std::move(es));
      return v;
    }
    default:
      return v;
  }
}

bool Value::as_bool() const {
  if (payload_ == nullptr) return false;
  const bool* b = std::get_if<bool>(&payload_->v);
  return b != nullptr && *b;
}

const Number& Value::as_number() const {
  static const Number zero;
  if (payload_ == nullptr) return zero;
  const Number* n = std::get_if<Number>(&payload_->v);
  return n != nullptr ? *n : zero;
}

const std::string& Value::as_string() const {
  static const std::string empty;
  if (payload_ == nullptr) return empty;
  const std::string* s = std::get_if<std::string>(&payload_->v);
  return s != nullptr ? *s : empty;
}

const std::vector<Value>& Value::elements() const {
  if (payload_ == nullptr) return empty_values();
  const auto* v = std::get_if<std::vector<Value>>(&payload_->v);
  return v != nullptr ? *v : empty_values();
}

const std::map<std::string, Value>& Value::attributes() const {
  if (payload_ == nullptr) return empty_value_map();
  const auto* m = std::get_if<std::map<std::string, Value>>(&payload_->v);
  return m != nullptr ? *m : empty_value_map();
}

size_t Value::length() const {
  if (payload_ == nullptr) return 0;
  if (const auto* v = std::get_if<std::vector<Value>>(&payload_->v)) return v->size();
  if (const auto* m = std::get_if<std::map<std::string, Value>>(&payload_->v)) return m->size();
  if (type_.is_object()) return type_.attribute_types().size();
  return 0;
}

namespace {

// Whether the value contains an unknown of dynamic type (cty
// HasWhollyKnownType is its negation).
bool has_wholly_known_type(const Value& v) {
  if (v.is_null()) return true;
  if (!v.is_known()) return !v.type().has_dynamic_types();
  switch (v.type().kind()) {
    case Type::Kind::List:
    case Type::Kind::Set:
    case Type::Kind::Tuple:
      for (const auto& e : v.elements())
        if (!has_wholly_known_type(e)) return false;
      return true;
    case Type::Kind::Map:
    case Type::Kind::Object:
      for (const auto& [k, e] : v.attributes())
        if (!has_wholly_known_type(e)) return false;
      return true;
    default:
      return true;
  }
}

// A simplified cty TestConformance: whether a value of type `given` could
// be of type `want` once its dynamic parts are known.
bool conforms(const Type& want, const Type& given) {
  if (want.is_dynamic() || given.is_dynamic()) return true;
  if (want.kind() != given.kind()) return false;
  switch (want.kind()) {
    case Type::Kind::List:
    case Type::Kind::Map:
    case Type::Kind::Set:
      return conforms(want.element_type(), given.element_type());
    case Type::Kind::Object: {
      const auto& a = want.attribute_types();
      const auto& b = given.attribute_types();
      if (a.size() != b.size()) return false;
      for (const auto& [k, t] : a) {
        auto it = b.find(k);
        if (it == b.end() || !conforms(t, it->second)) return false;
      }
      return true;
    }
    case Type::Kind::Tuple: {
      const auto& a = want.tuple_element_types();
      const auto& b = given.tuple_element_types();
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i)
        if (!conforms(a[i], b[i])) return false;
      return true;
    }
    default:
      return true;
  }
}

// cty's rawNumberEqual: numbers are equal when they print the same
// (Text('f', -1)), with -0 equal to 0. Numbers of the same precision print
// the same exactly when they are the same value.
bool number_equal(const Number& a, const Number& b) {
  if (a.precision() == b.precision() || (a.to_int64() && b.to_int64())) return a.compare(b) == 0;
  if (a.is_zero() && b.is_zero()) return true;
  return a.str() == b.str();
}

// Equals on unmarked values; returns 1 true, 0 false, -1 unknown.
int equals_raw(const Value& a, const Value& b) {
  if (!a.is_known() && !b.is_known()) return -1;
  if (a.is_known() && !b.is_known()) {
    if (a.is_null() || b.type().has_dynamic_types()) return -1;
    if (!(a.type() == b.type())) return 0;
    return -1;
  }
  if (b.is_known() && !a.is_known()) {
    if (b.is_null() || a.type().has_dynamic_types()) return -1;
    if (!(b.type() == a.type())) return 0;
    return -1;
  }
  if (a.is_null() && b.is_null()) return 1;
  if (a.is_null() || b.is_null()) return 0;
  if (!has_wholly_known_type(a) || !has_wholly_known_type(b)) {
    if (!conforms(a.type(), b.type()) && !conforms(b.type(), a.type())) return 0;
    return -1;
  }
  if (!(a.type() == b.type())) return 0;
  const Type& t = a.type();
  switch (t.kind()) {
    case Type::Kind::Number:
      return number_equal(a.as_number(), b.as_number()) ? 1 : 0;
    case Type::Kind::Bool:
      return a.as_bool() == b.as_bool() ? 1 : 0;
    case Type::Kind::String:
      return a.as_string() == b.as_string() ? 1 : 0;
    case Type::Kind::Object:
    case Type::Kind::Map: {
      const auto& x = a.attributes();
      const auto& y = b.attributes();
      if (x.size() != y.size()) return 0;
      for (const auto& [k, e] : x) {
        auto it = y.find(k);
        if (it == y.end()) return 0;
        int r = equals_raw(e, it->second);
        if (r < 0) return -1;
        if (r == 0) return 0;
      }
      return 1;
    }
    case Type::Kind::Tuple:
    case Type::Kind::List: {
      const auto& x = a.elements();
      const auto& y = b.elements();
      if (x.size() != y.size()) return 0;
      for (size_t i = 0; i < x.size(); ++i) {
        int r = equals_raw(x[i], y[i]);
        if (r < 0) return -1;
        if (r == 0) return 0;
      }
      return 1;
    }
    case Type::Kind::Set: {
      const auto& x = a.elements();
      const auto& y = b.elements();
      bool equal = true;
      for (const auto& e : x) {
        if (!e.is_known()) return -1;
        bool found = false;
        for (const auto& f : y)
          if (equals_raw(e, f) == 1) {
            found = true;
            break;
          }
        if (!found) equal = false;
      }
      for (const auto& e : y) {
        if (!e.is_known()) return -1;
        bool found = false;
        for (const auto& f : x)
          if (equals_raw(e, f) == 1) {
            found = true;
            break;
          }
        if (!found) equal = false;
      }
      return equal ? 1 : 0;
    }
    case Type::Kind::Dynamic:
      return 1;
  }
  return 0;
}

}  // namespace

Value Value::equals(const Value& o) const {
  if (contains_marks() || o.contains_marks()) {
    uint8_t m = 0;
    Value a = unmarked_deep(&m);
    Value b = o.unmarked_deep(&m);
    return a.equals(b).with_marks(m);
  }
  int r = equals_raw(*this, o);
  if (r < 0) return Value::unknown(Type::boolean());
  return Value::boolean(r == 1);
}

bool Value::raw_equals(const Value& o) const {
  if (!(type_ == o.type_)) return false;
  if (marks_ != o.marks_) return false;
  if (state_ == State::Unknown || o.state_ == State::Unknown) return state_ == o.state_;
  if (state_ == State::Null || o.state_ == State::Null) return state_ == o.state_;
  if (payload_ == o.payload_) return true;
  switch (type_.kind()) {
    case Type::Kind::Dynamic:
      return true;
    case Type::Kind::Number:
      return number_equal(as_number(), o.as_number());
    case Type::Kind::Bool:
      return as_bool() == o.as_bool();
    case Type::Kind::String:
      return as_string() == o.as_string();
    case Type::Kind::List:
    case Type::Kind::Set:
    case Type::Kind::Tuple: {
      const auto& x = elements();
      const auto& y = o.elements();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i)
        if (!x[i].raw_equals(y[i])) return false;
      return true;
    }
    case Type::Kind::Map:
    case Type::Kind::Object: {
      const auto& x = attributes();
      const auto& y = o.attributes();
      if (x.size() != y.size()) return false;
      auto it = y.begin();
      for (const auto& [k, e] : x) {
        if (k != it->first || !e.raw_equals(it->second)) return false;
        ++it;
      }
      return true;
    }
  }
  return false;
}

namespace {
std::string type_go(const Type& t) {
  switch (t.kind()) {
    case Type::Kind::Dynamic:
      return "cty.DynamicPseudoType";
    case Type::Kind::Bool:
      return "cty.Bool";
    case Type::Kind::Number:
      return "cty.Number";
    case Type::Kind::String:
      return "cty.String";
    case Type::Kind::List:
      return "cty.List(" + type_go(t.element_type()) + ")";
    case Type::Kind::Map:
      return "cty.Map(" + type_go(t.element_type()) + ")";
    case Type::Kind::Set:
      return "cty.Set(" + type_go(t.element_type()) + ")";
    case Type::Kind::Object: {
      std::string s = "cty.Object(map[string]cty.Type{";
      bool first = true;
      for (const auto& [k, a] : t.attribute_types()) {
        if (!first) s += ", ";
        first = false;
        s += "\"" + k + "\":" + type_go(a);
      }
      return s + "})";
    }
    case Type::Kind::Tuple: {
      std::string s = "cty.Tuple([]cty.Type{";
      bool first = true;
      for (const auto& e : t.tuple_element_types()) {
        if (!first) s += ", ";
        first = false;
        s += type_go(e);
      }
      return s + "})";
    }
  }
  return "?";
}
}  // namespace

std::string Value::debug_string() const {
  std::string s;
  if (state_ == State::Unknown) {
    s = "cty.UnknownVal(" + type_go(type_) + ")";
  } else if (state_ == State::Null) {
    s = "cty.NullVal(" + type_go(type_) + ")";
  } else {
    switch (type_.kind()) {
      case Type::Kind::Bool:
        s = as_bool() ? "cty.True" : "cty.False";
        break;
      case Type::Kind::Number:
        s = "cty.NumberVal(" + as_number().str() + ")";
        break;
      case Type::Kind::String:
        s = "cty.StringVal(";
        json_string(s, as_string());
        s += ")";
        break;
      case Type::Kind::List:
      case Type::Kind::Set:
      case Type::Kind::Tuple: {
        if (elements().empty()) {
          s = type_.is_tuple() ? "cty.EmptyTupleVal"
                               : (type_.is_list() ? "cty.ListValEmpty(" : "cty.SetValEmpty(") +
                                     type_go(type_.element_type()) + ")";
          break;
        }
        s = type_.is_list()
                ? "cty.ListVal([]cty.Value{"
                : (type_.is_set() ? "cty.SetVal([]cty.Value{" : "cty.TupleVal([]cty.Value{");
        bool first = true;
        for (const auto& e : elements()) {
          if (!first) s += ", ";
          first = false;
          s += e.debug_string();
        }
        s += "})";
        break;
      }
      case Type::Kind::Map:
      case Type::Kind::Object: {
        if (type_.is_map() && attributes().empty()) {
          s = "cty.MapValEmpty(" + type_go(type_.element_type()) + ")";
          break;
        }
        if (type_.is_object() && attributes().empty()) {
          s = "cty.EmptyObjectVal";
          break;
        }
        s = type_.is_map() ? "cty.MapVal(map[string]cty.Value{"
                           : "cty.ObjectVal(map[string]cty.Value{";
        bool first = true;
        for (const auto& [k, e] : attributes()) {
          if (!first) s += ", ";
          first = false;
          s += "\"" + k + "\":" + e.debug_string();
        }
        s += "})";
        break;
      }
      case Type::Kind::Dynamic:
        s = "cty.DynamicVal";
        break;
    }
  }
  if (marks_ & kMarkSensitive) s += ".Mark(\"sensitive\")";
  return s;
}

}  // namespace kiln::hcl
