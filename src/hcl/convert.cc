// Type conversion with go-cty's convert package semantics: conversions are
// chosen from the pair of types first, then applied to the value, so that
// unknown and null values convert exactly as cty converts them.
#include <algorithm>
#include <utility>

#include "hcl/value.h"
#include "hcl/value_internal.h"

namespace kiln::hcl {
namespace detail {

namespace {

bool is_type_nil_or_dynamic(const std::optional<Type>& t) {
  return !t || t->is_dynamic();
}

Value null_without_optional(const Value& v) {
  return Value::null(without_optional_attributes_deep(v.type())).with_marks(v.marks());
}

// cty's CanListVal/CanSetVal/CanMapVal: all non-dynamic types equal.
bool same_element_types(const std::vector<const Value*>& vals) {
  const Type* et = nullptr;
  for (const Value* v : vals) {
    if (et == nullptr || et->is_dynamic()) {
      et = &v->type();
    } else if (!v->type().is_dynamic() && !(*et == v->type())) {
      return false;
    }
  }
  return true;
}

bool same_element_types(const std::vector<Value>& vals) {
  std::vector<const Value*> p;
  p.reserve(vals.size());
  for (const auto& v : vals) p.push_back(&v);
  return same_element_types(p);
}

bool same_element_types(const std::map<std::string, Value>& vals) {
  std::vector<const Value*> p;
  p.reserve(vals.size());
  for (const auto& [k, v] : vals) p.push_back(&v);
  return same_element_types(p);
}

Type dynamic_replace(const std::optional<Type>& in_opt, const Type& out) {
  if (is_type_nil_or_dynamic(in_opt)) return out;
  const Type& in = *in_opt;
  if (out.is_dynamic()) return in;
  if (out.is_primitive()) return out;
  if (out.is_map()) {
    std::optional<Type> elem;
    if (in.is_map()) elem = dynamic_replace(in.element_type(), out.element_type());
    if (in.is_object()) {
      std::vector<Type> types;
      for (const auto& [k, t] : in.attribute_types()) types.push_back(t);
      elem = dynamic_replace(unify_types(types, true), out.element_type());
    }
    return Type::map(elem ? *elem : Type::dynamic());
  }
  if (out.is_object()) {
    std::map<std::string, Type> out_types;
    if (in.is_map())
      for (const auto& [attr, at] : out.attribute_types())
        out_types[attr] = dynamic_replace(in.element_type(), at);
    if (in.is_object())
      for (const auto& [attr, at] : out.attribute_types()) {
        auto it = in.attribute_types().find(attr);
        out_types[attr] = it == in.attribute_types().end() ? at : dynamic_replace(it->second, at);
      }
    return Type::object(std::move(out_types));
  }
  if (out.is_set() || out.is_list()) {
    std::optional<Type> elem;
    if (in.is_set() || in.is_list()) elem = dynamic_replace(in.element_type(), out.element_type());
    if (in.is_tuple())
      elem = dynamic_replace(unify_types(in.tuple_element_types(), true), out.element_type());
    Type e = elem ? *elem : Type::dynamic();
    return out.is_set() ? Type::set(std::move(e)) : Type::list(std::move(e));
  }
  if (out.is_tuple()) {
    std::vector<Type> types;
    const auto& ins = in.tuple_element_types();
    const auto& outs = out.tuple_element_types();
    for (size_t i = 0; i < outs.size(); ++i)
      types.push_back(
          dynamic_replace(i < ins.size() ? std::optional<Type>(ins[i]) : std::nullopt, outs[i]));
    return Type::tuple(std::move(types));
  }
  return out;
}

std::optional<Value> fail(std::string* error, std::string msg) {
  if (error != nullptr) *error = std::move(msg);
  return std::nullopt;
}

// --- primitive ---------------------------------------------------------------

Conversion primitive_conversion(const Type& in, const Type& out, bool unsafe) {
  if (in == out) return nullptr;
  if (out.kind() == Type::Kind::String) {
    if (in.kind() == Type::Kind::Number)
      return [](const Value& v, std::string*) -> std::optional<Value> {
        return Value::string(v.as_number().str());
      };
    if (in.kind() == Type::Kind::Bool)
      return [](const Value& v, std::string*) -> std::optional<Value> {
        return Value::string(v.as_bool() ? "true" : "false");
      };
  }
  if (!unsafe || in.kind() != Type::Kind::String) return nullptr;
  if (out.kind() == Type::Kind::Number)
    return [](const Value& v, std::string* err) -> std::optional<Value> {
      auto n = Number::parse(v.as_string());
      if (!n) return fail(err, "a number is required");
      return Value::number(std::move(*n));
    };
  if (out.kind() == Type::Kind::Bool)
    return [](const Value& v, std::string* err) -> std::optional<Value> {
      const std::string& s = v.as_string();
      if (s == "true" || s == "1") return Value::boolean(true);
      if (s == "false" || s == "0") return Value::boolean(false);
      std::string lower = s;
      for (char& c : lower)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (lower == "true")
        return fail(err, "a bool is required; to convert from string, use lowercase \"true\"");
      if (lower == "false")
        return fail(err, "a bool is required; to convert from string, use lowercase \"false\"");
      return fail(err, "a bool is required");
    };
  return nullptr;
}

// --- collections -------------------------------------------------------------

std::optional<std::vector<Value>> unify_list_elements(std::vector<Value> elems, bool unsafe,
                                                      std::string* err) {
  std::vector<Type> types;
  types.reserve(elems.size());
  for (const auto& e : elems) types.push_back(e.type());
  auto unified = unify_types(types, unsafe);
  if (!unified) {
    fail(err, "cannot find a common base type for all elements");
    return std::nullopt;
  }
  for (auto& e : elems) {
    if (e.type() == *unified) continue;
    Conversion conv = get_conversion(e.type(), *unified, unsafe);
    if (!conv) continue;  // cty would panic here; keep the element
    auto v = conv(e, err);
    if (!v) return std::nullopt;
    e = std::move(*v);
  }
  return elems;
}

std::optional<std::map<std::string, Value>> unify_map_elements(std::map<std::string, Value> elems,
                                                               bool unsafe, std::string* err) {
  std::vector<Type> types;
  for (const auto& [k, e] : elems) types.push_back(e.type());
  auto unified = unify_types(types, unsafe);
  if (!unified) {
    fail(err, "cannot find a common base type for all elements");
    return std::nullopt;
  }
  for (auto& [k, e] : elems) {
    if (e.type() == *unified) continue;
    Conversion conv = get_conversion(e.type(), *unified, unsafe);
    if (!conv) continue;
    auto v = conv(e, err);
    if (!v) return std::nullopt;
    e = std::move(*v);
  }
  return elems;
}

Conversion collection_to_list(Type ety, Conversion conv) {
  return [ety = std::move(ety), conv = std::move(conv)](const Value& val,
                                                        std::string* err) -> std::optional<Value> {
    std::vector<Value> elems;
    elems.reserve(val.length());
    for (const auto& e : val.elements()) {
      Value v = e;
      if (conv) {
        auto r = conv(v, err);
        if (!r) return std::nullopt;
        v = std::move(*r);
      }
      if (v.is_null()) v = null_without_optional(v);
      elems.push_back(std::move(v));
    }
    if (elems.empty()) {
      if (ety.is_dynamic()) return Value::list_empty(val.type().element_type());
      return Value::list_empty(without_optional_attributes_deep(ety));
    }
    if (!same_element_types(elems))
      return fail(err, "element types must all match for conversion to list");
    return Value::list(std::move(elems));
  };
}

Conversion collection_to_set(Type ety, Conversion conv) {
  return [ety = std::move(ety), conv = std::move(conv)](const Value& val,
                                                        std::string* err) -> std::optional<Value> {
    std::vector<Value> elems;
    elems.reserve(val.length());
    for (const auto& e : val.elements()) {
      Value v = e;
      if (conv) {
        auto r = conv(v, err);
        if (!r) return std::nullopt;
        v = std::move(*r);
      }
      if (v.is_null()) v = null_without_optional(v);
      elems.push_back(std::move(v));
    }
    if (elems.empty()) {
      if (ety.is_dynamic()) return Value::set_empty(val.type().element_type());
      return Value::set_empty(without_optional_attributes_deep(ety));
    }
    if (!same_element_types(elems))
      return fail(err, "element types must all match for conversion to set");
    return Value::set(std::move(elems));
  };
}

Conversion collection_to_map(Type ety, Conversion conv) {
  return [ety = std::move(ety), conv = std::move(conv)](const Value& val,
                                                        std::string* err) -> std::optional<Value> {
    std::map<std::string, Value> elems;
    for (const auto& [k, e] : val.attributes()) {
      Value v = e;
      if (conv) {
        auto r = conv(v, err);
        if (!r) return std::nullopt;
        v = std::move(*r);
      }
      elems.emplace_hint(elems.end(), k, std::move(v));
    }
    if (elems.empty()) {
      if (ety.is_dynamic()) return Value::map_empty(val.type().element_type());
      return Value::map_empty(ety);
    }
    if (ety.is_collection() || ety.is_object()) {
      auto u = unify_map_elements(std::move(elems), false, err);
      if (!u) return std::nullopt;
      elems = std::move(*u);
    }
    if (!same_element_types(elems))
      return fail(err, "element types must all match for conversion to map");
    return Value::map(std::move(elems));
  };
}

Conversion tuple_to_seq(const Type& tuple_type, Type ety, bool unsafe, bool to_set) {
  const auto& etys = tuple_type.tuple_element_types();
  if (etys.empty()) {
    Type e = without_optional_attributes_deep(ety);
    if (to_set)
      return
          [e](const Value&, std::string*) -> std::optional<Value> { return Value::set_empty(e); };
    return [e](const Value&, std::string*) -> std::optional<Value> { return Value::list_empty(e); };
  }
  if (ety.is_dynamic()) {
    auto u = unify_types(etys, unsafe);
    if (!u) return nullptr;
    ety = *u;
    if (ety.is_dynamic())
      for (const auto& t : etys)
        if (!t.is_dynamic()) return nullptr;
  }
  std::vector<Conversion> convs(etys.size());
  for (size_t i = 0; i < etys.size(); ++i) {
    if (etys[i] == ety) continue;
    // Long tuples usually repeat one element type: share its conversion.
    if (i > 0 && convs[i - 1] && etys[i] == etys[i - 1]) {
      convs[i] = convs[i - 1];
      continue;
    }
    convs[i] = get_conversion(etys[i], ety, unsafe);
    if (!convs[i]) return nullptr;
  }
  if (to_set)
    return [convs = std::move(convs)](const Value& val, std::string* err) -> std::optional<Value> {
      std::vector<Value> elems;
      elems.reserve(convs.size());
      size_t i = 0;
      for (const auto& e : val.elements()) {
        Value v = e;
        if (i < convs.size() && convs[i]) {
          auto r = convs[i](v, err);
          if (!r) return std::nullopt;
          v = std::move(*r);
        }
        if (v.is_null()) v = null_without_optional(v);
        elems.push_back(std::move(v));
        ++i;
      }
      if (!same_element_types(elems))
        return fail(err, "element types must all match for conversion to set");
      return Value::set(std::move(elems));
    };
  return [convs = std::move(convs), unsafe](const Value& val,
                                            std::string* err) -> std::optional<Value> {
    std::vector<Value> elems;
    elems.reserve(convs.size());
    size_t i = 0;
    for (const auto& e : val.elements()) {
      Value v = e;
      if (i < convs.size() && convs[i]) {
        auto r = convs[i](v, err);
        if (!r) return std::nullopt;
        v = std::move(*r);
      }
      elems.push_back(std::move(v));
      ++i;
    }
    auto u = unify_list_elements(std::move(elems), unsafe, err);
    if (!u) return std::nullopt;
    if (!same_element_types(*u))
      return fail(err, "element types must all match for conversion to list");
    return Value::list(std::move(*u));
  };
}

Conversion object_to_map(const Type& object_type, Type ety, bool unsafe) {
  const auto& atys = object_type.attribute_types();
  if (atys.empty()) {
    Type e = without_optional_attributes_deep(ety);
    return [e](const Value&, std::string*) -> std::optional<Value> { return Value::map_empty(e); };
  }
  if (ety.is_dynamic()) {
    std::vector<Type> list;
    for (const auto& [k, t] : atys) list.push_back(t);
    auto u = unify_types(list, unsafe);
    if (!u) return nullptr;
    ety = *u;
  }
  std::map<std::string, Conversion> convs;
  for (const auto& [name, t] : atys) {
    if (t == ety) continue;
    Conversion c = get_conversion(t, ety, unsafe);
    if (!c) return nullptr;
    convs.emplace(name, std::move(c));
  }
  return [convs = std::move(convs), ety, unsafe](const Value& val,
                                                 std::string* err) -> std::optional<Value> {
    std::map<std::string, Value> elems;
    for (const auto& [name, e] : val.attributes()) {
      Value v = e;
      auto it = convs.find(name);
      if (it != convs.end()) {
        auto r = it->second(v, err);
        if (!r) return std::nullopt;
        v = std::move(*r);
      }
      elems.emplace_hint(elems.end(), name, std::move(v));
    }
    if (ety.is_collection() || ety.is_object()) {
      auto u = unify_map_elements(std::move(elems), unsafe, err);
      if (!u) return std::nullopt;
      elems = std::move(*u);
    }
    if (!same_element_types(elems))
      return fail(err, "attribute types must all match for conversion to map");
    return Value::map(std::move(elems));
  };
}

Conversion map_to_object(const Type& map_type, const Type& obj_type, bool unsafe) {
  const auto& atys = obj_type.attribute_types();
  const Type& mety = map_type.element_type();
  // Entries: present with a conversion, present with none needed (null
  // function, "exists"), or skipped optional attributes (absent).
  std::map<std::string, Conversion> convs;
  for (const auto& [name, at] : atys) {
    if (at == mety) continue;
    Conversion c = get_conversion(mety, at, unsafe);
    if (!c) {
      if (obj_type.optional_attributes().count(name) && unsafe) {
        convs.emplace(name, nullptr);
        continue;
      }
      return nullptr;
    }
    convs.emplace(name, std::move(c));
  }
  return [convs = std::move(convs), obj_type](const Value& val,
                                              std::string* err) -> std::optional<Value> {
    const auto& atys = obj_type.attribute_types();
    std::map<std::string, Value> elems;
    for (const auto& [name, e] : val.attributes()) {
      auto at = atys.find(name);
      if (at == atys.end()) continue;
      Value v = e;
      auto it = convs.find(name);
      if (it != convs.end() && it->second) {
        auto r = it->second(v, err);
        if (!r) return std::nullopt;
        v = std::move(*r);
      } else if (it != convs.end()) {
        std::string q;
        go_quote(q, name);
        return fail(err, "map element type is incompatible with attribute " + q + ": " +
                             mismatch_message(v.type(), at->second));
      }
      if (v.is_null()) v = null_without_optional(v);
      elems.emplace(name, std::move(v));
    }
    for (const auto& [name, at] : atys) {
      if (elems.count(name)) continue;
      if (obj_type.optional_attributes().count(name)) {
        elems.emplace(name, Value::null(at));
      } else {
        std::string q;
        go_quote(q, name);
        return fail(err, "map has no element for required attribute " + q);
      }
    }
    return Value::object(std::move(elems));
  };
}

// --- structural --------------------------------------------------------------

Conversion object_to_object(const Type& in, const Type& out, bool unsafe) {
  const auto& in_atys = in.attribute_types();
  const auto& out_atys = out.attribute_types();
  const auto& optionals = out.optional_attributes();
  std::map<std::string, Conversion> convs;
  for (const auto& [name, out_at] : out_atys) {
    auto it = in_atys.find(name);
    if (it == in_atys.end()) {
      if (optionals.count(name)) continue;
      return nullptr;
    }
    if (it->second == out_at) {
      convs.emplace(name, nullptr);
      continue;
    }
    Conversion c = get_conversion(it->second, out_at, unsafe);
    if (!c) return nullptr;
    convs.emplace(name, std::move(c));
  }
  return [convs = std::move(convs), out](const Value& val,
                                         std::string* err) -> std::optional<Value> {
    std::map<std::string, Value> attrs;
    for (const auto& [name, e] : val.attributes()) {
      auto it = convs.find(name);
      if (it == convs.end()) continue;
      Value v = e;
      if (it->second) {
        auto r = it->second(v, err);
        if (!r) return std::nullopt;
        v = std::move(*r);
      }
      if (v.is_null()) v = null_without_optional(v);
      attrs.emplace_hint(attrs.end(), name, std::move(v));
    }
    for (const auto& name : out.optional_attributes())
      if (!attrs.count(name))
        attrs.emplace(
            name, Value::null(without_optional_attributes_deep(out.attribute_types().at(name))));
    return Value::object(std::move(attrs));
  };
}

Conversion tuple_to_tuple(const Type& in, const Type& out, bool unsafe) {
  const auto& ins = in.tuple_element_types();
  const auto& outs = out.tuple_element_types();
  if (ins.size() != outs.size()) return nullptr;
  std::vector<Conversion> convs(ins.size());
  for (size_t i = 0; i < outs.size(); ++i) {
    if (ins[i] == outs[i]) continue;
    convs[i] = get_conversion(ins[i], outs[i], unsafe);
    if (!convs[i]) return nullptr;
  }
  return [convs = std::move(convs)](const Value& val, std::string* err) -> std::optional<Value> {
    std::vector<Value> elems;
    elems.reserve(convs.size());
    size_t i = 0;
    for (const auto& e : val.elements()) {
      if (i < convs.size() && convs[i]) {
        auto r = convs[i](e, err);
        if (!r) return std::nullopt;
        elems.push_back(std::move(*r));
      } else {
        elems.push_back(e);
      }
      ++i;
    }
    return Value::tuple(std::move(elems));
  };
}

Conversion get_conversion_known(const Type& in, const Type& out, bool unsafe) {
  if (out.is_dynamic())
    return [](const Value& v, std::string*) -> std::optional<Value> { return v; };
  if (unsafe && in.is_dynamic())
    return [out](const Value& v, std::string* err) -> std::optional<Value> {
      return convert(v, out, err);
    };
  if (in.is_primitive() && out.is_primitive()) return primitive_conversion(in, out, unsafe);
  if (out.is_object() && in.is_object()) return object_to_object(in, out, unsafe);
  if (out.is_tuple() && in.is_tuple()) return tuple_to_tuple(in, out, unsafe);
  if (out.is_list() && (in.is_list() || in.is_set())) {
    const Type& ie = in.element_type();
    const Type& oe = out.element_type();
    if (ie == oe) return collection_to_list(oe, nullptr);
    Conversion c = get_conversion(ie, oe, unsafe);
    if (!c) return nullptr;
    return collection_to_list(oe, std::move(c));
  }
  if (out.is_set() && (in.is_list() || in.is_set())) {
    if (in.is_list() && !unsafe) return nullptr;
    const Type& ie = in.element_type();
    const Type& oe = out.element_type();
    if (ie == oe) return collection_to_set(oe, nullptr);
    Conversion c = get_conversion(ie, oe, unsafe);
    if (!c) return nullptr;
    return collection_to_set(oe, std::move(c));
  }
  if (out.is_map() && in.is_map()) {
    Conversion c = get_conversion(in.element_type(), out.element_type(), unsafe);
    if (!c) return nullptr;
    return collection_to_map(out.element_type(), std::move(c));
  }
  if (out.is_list() && in.is_tuple()) return tuple_to_seq(in, out.element_type(), unsafe, false);
  if (out.is_set() && in.is_tuple()) return tuple_to_seq(in, out.element_type(), unsafe, true);
  if (out.is_map() && in.is_object()) return object_to_map(in, out.element_type(), unsafe);
  if (out.is_object() && in.is_map()) {
    if (!unsafe) return nullptr;
    return map_to_object(in, out, unsafe);
  }
  return nullptr;
}

}  // namespace

namespace {

std::optional<Value> apply_conversion(const Conversion& conv, const Type& out, const Value& in_val,
                                      std::string* err) {
  if (in_val.marks() != kMarkNone) {
    auto r = apply_conversion(conv, out, in_val.unmarked(), err);
    if (!r) return std::nullopt;
    return r->with_marks(in_val.marks());
  }
  if (out.is_dynamic()) return in_val;
  if (!in_val.is_known() || in_val.is_null()) {
    Type t = dynamic_replace(in_val.type(), without_optional_attributes_deep(out));
    return in_val.is_known() ? Value::null(t) : Value::unknown(t);
  }
  return conv(in_val, err);
}

}  // namespace

Conversion get_conversion(const Type& in, const Type& out, bool unsafe) {
  Conversion conv = get_conversion_known(in, out, unsafe);
  if (!conv) return nullptr;
  return
      [conv = std::move(conv), out](const Value& in_val, std::string* err) -> std::optional<Value> {
        return apply_conversion(conv, out, in_val, err);
      };
}

Type without_optional_attributes_deep(const Type& t) {
  switch (t.kind()) {
    case Type::Kind::List:
      return Type::list(without_optional_attributes_deep(t.element_type()));
    case Type::Kind::Map:
      return Type::map(without_optional_attributes_deep(t.element_type()));
    case Type::Kind::Set:
      return Type::set(without_optional_attributes_deep(t.element_type()));
    case Type::Kind::Tuple: {
      std::vector<Type> es;
      for (const auto& e : t.tuple_element_types())
        es.push_back(without_optional_attributes_deep(e));
      return Type::tuple(std::move(es));
    }
    case Type::Kind::Object: {
      std::map<std::string, Type> as;
      for (const auto& [k, a] : t.attribute_types())
        as.emplace_hint(as.end(), k, without_optional_attributes_deep(a));
      return Type::object(std::move(as));
    }
    default:
      return t;
  }
}

// --- mismatch messages -------------------------------------------------------

namespace {

std::string quoted(const std::string& s) {
  std::string q;
  go_quote(q, s);
  return q;
}

std::string mismatch_objects(const Type& got, const Type& want) {
  const auto& gots = got.attribute_types();
  std::vector<std::string> missing;
  std::string unsafe_mismatch, safe_mismatch;
  for (const auto& [name, want_at] : want.attribute_types()) {
    auto it = gots.find(name);
    if (it == gots.end()) {
      if (!want.optional_attributes().count(name)) missing.push_back(name);
      continue;
    }
    if (it->second == want_at) continue;
    if (!unsafe_mismatch.empty()) continue;
    if (!get_conversion(it->second, want_at, true))
      unsafe_mismatch = "attribute " + quoted(name) + ": " + mismatch_message(it->second, want_at);
    if (!safe_mismatch.empty()) continue;
    if (!get_conversion(it->second, want_at, false))
      safe_mismatch = "attribute " + quoted(name) + ": " + mismatch_message(it->second, want_at);
  }
  if (!missing.empty()) {
    std::sort(missing.begin(), missing.end());
    if (missing.size() == 1) return "attribute " + quoted(missing[0]) + " is required";
    if (missing.size() == 2)
      return "attributes " + quoted(missing[0]) + " and " + quoted(missing[1]) + " are required";
    std::string buf;
    for (size_t i = 0; i + 1 < missing.size(); ++i) buf += quoted(missing[i]) + ", ";
    buf += "and " + quoted(missing.back());
    return "attributes " + buf + " are required";
  }
  if (!unsafe_mismatch.empty()) return unsafe_mismatch;
  if (!safe_mismatch.empty()) return safe_mismatch;
  return "incorrect object attributes";
}

std::string mismatch_from_structural(const Type& got, const Type& want) {
  if ((want.is_list() || want.is_set()) && !got.is_tuple())
    return want.friendly_name_for_constraint() + " required";
  if (want.is_map() && !got.is_object()) return want.friendly_name_for_constraint() + " required";
  const Type& wety = want.element_type();
  if (got.is_tuple()) {
    const auto& etys = got.tuple_element_types();
    for (size_t i = 0; i < etys.size(); ++i) {
      if (etys[i] == wety) continue;
      if (get_conversion(etys[i], wety, true)) continue;
      return "element " + std::to_string(i) + ": " + mismatch_message(etys[i], wety);
    }
    return "all elements must be " + wety.friendly_name_for_constraint();
  }
  for (const auto& [name, at] : got.attribute_types()) {
    if (at == wety) continue;
    if (get_conversion(at, wety, true)) continue;
    return "element " + quoted(name) + ": " + mismatch_message(at, wety);
  }
  return "all elements must be " + wety.friendly_name_for_constraint();
}

std::string mismatch_from_collections(const Type& got, const Type& want) {
  if (want.is_list() && !(got.is_list() || got.is_set()))
    return want.friendly_name_for_constraint() + " required";
  if (want.is_set() && !(got.is_list() || got.is_set()))
    return want.friendly_name_for_constraint() + " required";
  if (want.is_map() && !got.is_map()) return want.friendly_name_for_constraint() + " required";
  const char* noun = want.is_list() ? "list element type"
                                    : (want.is_set() ? "set element type" : "map element type");
  return std::string("incorrect ") + noun + ": " +
         mismatch_message(got.element_type(), want.element_type());
}

}  // namespace

std::string mismatch_message(const Type& got, const Type& want) {
  if (got.is_object() && want.is_object()) return mismatch_objects(got, want);
  if (got.is_tuple() && want.is_list() && want.element_type().is_dynamic())
    return "all list elements must have the same type";
  if (got.is_tuple() && want.is_set() && want.element_type().is_dynamic())
    return "all set elements must have the same type";
  if (got.is_object() && want.is_map() && want.element_type().is_dynamic())
    return "all map elements must have the same type";
  if ((got.is_tuple() || got.is_object()) && want.is_collection())
    return mismatch_from_structural(got, want);
  if (got.is_collection() && want.is_collection()) return mismatch_from_collections(got, want);
  return want.friendly_name_for_constraint() + " required";
}

}  // namespace detail

std::optional<Value> convert(const Value& val, const Type& want, std::string* error) {
  if (val.type() == detail::without_optional_attributes_deep(want)) return val;
  detail::Conversion conv = detail::get_conversion(val.type(), want, true);
  if (!conv) {
    if (error != nullptr) *error = detail::mismatch_message(val.type(), want);
    return std::nullopt;
  }
  return conv(val, error);
}

}  // namespace kiln::hcl
