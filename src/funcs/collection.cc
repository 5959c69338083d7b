// Collection functions (go-cty stdlib collection.go, sequence.go, set.go,
// general.go; go-cty-funcs coalesce; Packer's alltrue, anytrue, index,
// length).
#include <fmt/format.h>

#include <algorithm>

#include "funcs/common.h"

namespace kiln::funcs {

namespace {

using hcl::convert;
using hcl::unify_unsafe;

Value with_more_marks(const Value& v, uint8_t marks) {
  if (marks == hcl::kMarkNone) return v;
  return v.with_marks(static_cast<uint8_t>(v.marks() | marks));
}

bool is_true(const Value& v) {
  return v.is_known() && !v.is_null() && v.as_bool();
}

// Elements of a list/set/tuple in order, or of a map/object in key order.
const std::vector<Value>& seq(const Value& v) {
  return v.elements();
}

// cty's Value.Length for list/set/map/tuple/object.
int64_t length_of(const Value& v) {
  const Type& t = v.type();
  if (t.is_tuple()) return static_cast<int64_t>(t.tuple_element_types().size());
  if (t.is_object()) return static_cast<int64_t>(t.attribute_types().size());
  return static_cast<int64_t>(v.length());
}

// flattener: the flattened elements, the marks of flattened lists, and
// whether everything was known.
bool flatten_into(const Value& list, std::vector<Value>& out, uint8_t& marks) {
  Value l = list;
  marks |= l.marks();
  l = l.unmarked();
  if (!l.is_known()) return false;
  bool known = true;
  for (const auto& val : seq(l)) {
    if (val.type().is_dynamic() && !val.is_known()) known = false;
    const Type& t = val.type();
    if (!val.is_null() && (t.is_list() || t.is_set() || t.is_tuple())) {
      if (!val.is_known()) {
        known = false;
        marks |= val.marks();
        continue;
      }
      if (!flatten_into(val, out, marks)) known = false;
    } else {
      out.push_back(val);
    }
  }
  return known;
}

std::optional<Type> set_op_type(const Args& a, FunctionError* err) {
  std::vector<Type> etys;
  for (const auto& arg : a) {
    const Type& ty = arg.type().element_type();
    if (arg.is_known() && arg.length() == 0 && ty.is_dynamic()) continue;
    etys.push_back(ty);
  }
  if (etys.empty()) return Type::set(Type::dynamic());
  auto u = unify_unsafe(etys);
  if (!u) return fail(err, "given sets must all have compatible element types");
  return Type::set(*u);
}

ImplFn set_op_impl(bool is_union) {
  return [is_union](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
    std::vector<Value> acc;
    for (size_t i = 0; i < a.size(); ++i) {
      std::string ce;
      auto c = convert(a[i], ret, &ce);
      if (!c) return fail(err, ce, static_cast<int>(i));
      if (!is_union && !c->is_wholly_known()) return Value::unknown(ret);
      if (!c->is_known()) return Value::unknown(ret);
      const auto& elems = c->elements();
      if (i == 0) {
        acc = elems;
        continue;
      }
      if (is_union) {
        acc.insert(acc.end(), elems.begin(), elems.end());
      } else {
        std::vector<Value> keep;
        for (const auto& e : acc) {
          for (const auto& o : elems) {
            if (e.raw_equals(o)) {
              keep.push_back(e);
              break;
            }
          }
        }
        acc = std::move(keep);
      }
    }
    if (acc.empty()) return Value::set_empty(ret.element_type());
    return Value::set(std::move(acc));
  };
}

std::optional<Value> index_value(const Value& coll, size_t i) {
  const auto& e = coll.elements();
  if (i >= e.size()) return std::nullopt;
  return e[i];
}

}  // namespace

void register_collection(FuncMap& m) {
  m["alltrue"] = make_function(
      {param("list", Type::list(Type::boolean()))}, std::nullopt, static_type(Type::boolean()),
      [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
        for (const auto& v : a[0].elements()) {
          if (!v.is_known()) return Value::unknown(Type::boolean());
          if (v.is_null() || !v.as_bool()) return Value::boolean(false);
        }
        return Value::boolean(true);
      });
  m["anytrue"] = make_function(
      {param("list", Type::list(Type::boolean()))}, std::nullopt, static_type(Type::boolean()),
      [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
        bool unknown = false;
        for (const auto& v : a[0].elements()) {
          if (!v.is_known()) {
            unknown = true;
            continue;
          }
          if (v.is_null()) continue;
          if (v.as_bool()) return Value::boolean(true);
        }
        if (unknown) return Value::unknown(Type::boolean());
        return Value::boolean(false);
      });

  m["chunklist"] = make_function(
      {param("list", Type::list(Type::dynamic()), kMarked), param("size", Type::number(), kMarked)},
      std::nullopt,
      [](const Args& a, FunctionError*) -> std::optional<Type> { return Type::list(a[0].type()); },
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        uint8_t marks = static_cast<uint8_t>(a[0].marks() | a[1].marks());
        Value list = a[0].unmarked();
        Value size_v = a[1].unmarked();
        std::string e;
        auto size = to_int(size_v, &e);
        if (!size) return fail(err, "invalid size: " + e);
        if (*size < 0) return fail(err, "the size argument must be positive");
        if (!list.is_known())
          return with_more_marks(Value::unknown(Type::list(list.type())), marks);
        if (list.length() == 0) return with_more_marks(Value::list_empty(list.type()), marks);
        std::vector<Value> out;
        if (*size == 0) {
          out.push_back(list);
          return with_more_marks(Value::list(std::move(out)), marks);
        }
        std::vector<Value> chunk;
        const auto& elems = list.elements();
        for (size_t i = 0; i < elems.size(); ++i) {
          chunk.push_back(elems[i]);
          if ((static_cast<int64_t>(i) + 1) % *size == 0 || i + 1 == elems.size()) {
            out.push_back(Value::list(std::move(chunk)));
            chunk.clear();
          }
        }
        return with_more_marks(Value::list(std::move(out)), marks);
      });

  m["coalesce"] = make_function(
      {}, param("vals", Type::dynamic(), kUnknown | kDynamic | kNull),
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        std::vector<Type> tys;
        for (const auto& v : a) tys.push_back(v.type());
        auto u = unify_unsafe(tys);
        if (!u) return fail(err, "all arguments must have the same type");
        return *u;
      },
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        for (const auto& arg : a) {
          std::string ce;
          auto c = convert(arg, ret, &ce);
          Value v = c ? *c : Value::null(ret);
          if (!v.is_known()) return Value::unknown(ret);
          if (v.is_null()) continue;
          if (ret == Type::string() && v.as_string().empty()) continue;
          return v;
        }
        return fail(err, "no non-null, non-empty-string arguments");
      });

  m["coalescelist"] = make_function(
      {}, param("vals", Type::dynamic(), kUnknown | kDynamic | kNull),
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (a.empty()) return fail(err, "at least one argument is required");
        std::vector<Type> tys;
        for (const auto& arg : a) {
          if (!arg.is_known()) return Type::dynamic();
          const Type& t = arg.type();
          if (!t.is_list() && !t.is_tuple()) {
            return fail(err, "coalescelist arguments must be lists or tuples");
          }
          tys.push_back(t);
        }
        for (size_t i = 1; i < tys.size(); ++i) {
          if (tys[i] != tys[0]) return Type::dynamic();
        }
        return tys[0];
      },
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        for (const auto& arg : a) {
          if (!arg.is_known()) return Value::unknown(ret);
          if (arg.is_null()) continue;
          if (length_of(arg) > 0) return arg;
        }
        return fail(err, "no non-null arguments");
      });

  m["compact"] =
      make_function({param("list", Type::list(Type::string()))}, std::nullopt,
                    static_type(Type::list(Type::string())),
                    [](const Args& a, const Type& ret, FunctionError*) -> std::optional<Value> {
                      if (!a[0].is_wholly_known()) return Value::unknown(ret);
                      std::vector<Value> out;
                      for (const auto& v : a[0].elements()) {
                        if (v.is_null() || v.as_string().empty()) continue;
                        out.push_back(v);
                      }
                      return list_or_empty(std::move(out), Type::string());
                    });

  m["concat"] = make_function(
      {}, param("seqs", Type::dynamic(), kMarked),
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (a.empty()) return fail(err, "at least one argument is required");
        if (a[0].type().is_list()) {
          std::vector<Type> tys;
          bool all_lists = true;
          for (const auto& v : a) {
            if (!v.type().is_list()) {
              all_lists = false;
              break;
            }
            tys.push_back(v.type());
          }
          if (all_lists) {
            if (auto u = unify_unsafe(tys)) return *u;
          }
        }
        std::vector<Type> etys;
        for (size_t i = 0; i < a.size(); ++i) {
          Value v = a[i].unmarked_deep();
          const Type& t = v.type();
          if (t.is_tuple()) {
            for (const auto& et : t.tuple_element_types()) etys.push_back(et);
          } else if (t.is_list()) {
            if (!v.is_known()) return Type::dynamic();
            for (size_t j = 0; j < v.length(); ++j) etys.push_back(t.element_type());
          } else {
            return fail(err, "all arguments must be lists or tuples; got " + t.friendly_name(),
                        static_cast<int>(i));
          }
        }
        return Type::tuple(std::move(etys));
      },
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        std::vector<Value> vals;
        uint8_t marks = hcl::kMarkNone;
        if (ret.is_list()) {
          for (size_t i = 0; i < a.size(); ++i) {
            std::string ce;
            auto c = convert(a[i], ret, &ce);
            if (!c) return fail(err, ce, static_cast<int>(i));
            marks |= c->marks();
            Value l = c->unmarked();
            if (!l.is_known()) return with_more_marks(Value::unknown(ret), marks);
            for (const auto& v : l.elements()) vals.push_back(v);
          }
          return with_more_marks(list_or_empty(std::move(vals), ret.element_type()), marks);
        }
        for (const auto& s : a) {
          marks |= s.marks();
          Value l = s.unmarked();
          if (!l.is_known()) return with_more_marks(Value::unknown(ret), marks);
          for (const auto& v : l.elements()) vals.push_back(v);
        }
        return with_more_marks(Value::tuple(std::move(vals)), marks);
      });

  m["contains"] =
      make_function({param("list", Type::dynamic()), param("value", Type::dynamic())}, std::nullopt,
                    static_type(Type::boolean()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      const Type& ty = a[0].type();
                      if (!ty.is_list() && !ty.is_tuple() && !ty.is_set()) {
                        return fail(err, "argument must be list, tuple, or set");
                      }
                      if (a[0].is_null()) return fail(err, "cannot search a nil list or set");
                      if (length_of(a[0]) == 0) return Value::boolean(false);
                      if (!a[0].is_known() || !a[1].is_known())
                        return Value::unknown(Type::boolean());
                      bool unknown = false;
                      for (const auto& v : a[0].elements()) {
                        Value eq = a[1].equals(v);
                        if (!eq.is_known()) {
                          unknown = true;
                          continue;
                        }
                        if (eq.as_bool()) return Value::boolean(true);
                      }
                      if (unknown) return Value::unknown(Type::boolean());
                      return Value::boolean(false);
                    });

  m["distinct"] = make_function(
      {param("list", Type::list(Type::dynamic()))}, std::nullopt,
      [](const Args& a, FunctionError*) -> std::optional<Type> { return a[0].type(); },
      [](const Args& a, const Type& ret, FunctionError*) -> std::optional<Value> {
        if (!a[0].is_wholly_known()) return Value::unknown(ret);
        std::vector<Value> out;
        for (const auto& v : a[0].elements()) {
          bool found = false;
          for (const auto& o : out) {
            if (is_true(o.equals(v))) {
              found = true;
              break;
            }
          }
          if (!found) out.push_back(v);
        }
        return list_or_empty(std::move(out), ret.element_type());
      });

  m["element"] = make_function(
      {param("list", Type::dynamic(), kMarked), param("index", Type::number())}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        const Value& index = a[1];
        if (index.is_known() && index.as_number().is_negative() && !index.as_number().is_zero()) {
          return fail(err, "cannot use element function with a negative index");
        }
        const Type& t = a[0].type();
        if (t.is_list()) return t.element_type();
        if (t.is_tuple()) {
          if (!index.is_known()) return Type::dynamic();
          std::string e;
          auto i = to_int(index, &e);
          if (!i) return fail(err, "invalid index: " + e);
          const auto& etys = t.tuple_element_types();
          if (etys.empty()) return fail(err, "cannot use element function with an empty list");
          return etys[static_cast<size_t>(*i % static_cast<int64_t>(etys.size()))];
        }
        return fail(err, "cannot read elements from " + t.friendly_name());
      },
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        std::string e;
        auto i = to_int(a[1], &e);
        if (!i) return fail(err, "invalid index: " + e);
        if (*i < 0) return fail(err, "cannot use element function with a negative index");
        uint8_t marks = a[0].marks();
        Value input = a[0].unmarked();
        if (!input.is_known()) return Value::unknown(ret);
        size_t l = input.length();
        if (l == 0) return fail(err, "cannot use element function with an empty list");
        return with_more_marks(input.elements()[static_cast<size_t>(*i) % l], marks);
      });

  m["flatten"] = make_function(
      {param("list", Type::dynamic(), kMarked)}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (!a[0].is_wholly_known()) return Type::dynamic();
        const Type& t = a[0].type();
        if (!t.is_list() && !t.is_set() && !t.is_tuple()) {
          return fail(err, "can only flatten lists, sets and tuples");
        }
        std::vector<Value> out;
        uint8_t marks = 0;
        if (!flatten_into(a[0], out, marks)) return Type::dynamic();
        std::vector<Type> tys;
        for (const auto& v : out) tys.push_back(v.type());
        return Type::tuple(std::move(tys));
      },
      [](const Args& a, const Type& ret, FunctionError*) -> std::optional<Value> {
        Value un = a[0].unmarked();
        if (un.is_known() && un.length() == 0) {
          return with_more_marks(Value::empty_tuple(), a[0].marks());
        }
        std::vector<Value> out;
        uint8_t marks = 0;
        if (!flatten_into(a[0], out, marks)) return with_more_marks(Value::unknown(ret), marks);
        return with_more_marks(Value::tuple(std::move(out)), marks);
      });

  m["index"] =
      make_function({param("list", Type::dynamic()), param("value", Type::dynamic())}, std::nullopt,
                    static_type(Type::number()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      const Type& t = a[0].type();
                      if (!(t.is_list() || t.is_tuple()))
                        return fail(err, "argument must be a list or tuple");
                      if (!a[0].is_known()) return Value::unknown(Type::number());
                      if (length_of(a[0]) == 0) return fail(err, "cannot search an empty list");
                      const auto& elems = a[0].elements();
                      for (size_t i = 0; i < elems.size(); ++i) {
                        Value eq = elems[i].equals(a[1]);
                        if (!eq.is_known()) return Value::unknown(Type::number());
                        if (eq.as_bool()) return Value::number(static_cast<int64_t>(i));
                      }
                      return fail(err, "item not found");
                    });

  m["keys"] = make_function(
      {param("inputMap", Type::dynamic(), kUnknown | kMarked)}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        const Type& t = a[0].type();
        if (t.is_map()) return Type::list(Type::string());
        if (t.is_object()) {
          std::vector<Type> etys(t.attribute_types().size(), Type::string());
          return Type::tuple(std::move(etys));
        }
        return fail(err, "must have map or object type", 0);
      },
      [](const Args& a, const Type& ret, FunctionError*) -> std::optional<Value> {
        uint8_t marks = a[0].marks();
        Value mv = a[0].unmarked();
        std::vector<Value> keys;
        if (mv.type().is_object()) {
          for (const auto& [name, _] : mv.type().attribute_types()) {
            keys.push_back(Value::string(name));
          }
          return with_more_marks(Value::tuple(std::move(keys)), marks);
        }
        if (!mv.is_known()) return with_more_marks(Value::unknown(ret), marks);
        for (const auto& [k, _] : mv.attributes()) keys.push_back(Value::string(k));
        return with_more_marks(list_or_empty(std::move(keys), Type::string()), marks);
      });

  m["length"] = make_function(
      {param("value", Type::dynamic(), kDynamic | kUnknown)}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        const Type& t = a[0].type();
        if (t == Type::string() || t.is_tuple() || t.is_object() || t.is_list() || t.is_map() ||
            t.is_set() || t.is_dynamic()) {
          return Type::number();
        }
        return fail(err, "argument must be a string, a collection type, or a structural type");
      },
      [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
        const Value& c = a[0];
        const Type& t = c.type();
        if (t.is_dynamic()) return Value::unknown(Type::number());
        if (t.is_tuple() || t.is_object()) return Value::number(length_of(c));
        if (!c.is_known()) return Value::unknown(Type::number());
        if (t == Type::string()) {
          return Value::number(static_cast<int64_t>(grapheme_count(c.as_string())));
        }
        return Value::number(static_cast<int64_t>(c.length()));
      });

  m["lookup"] = make_function(
      {param("inputMap", Type::dynamic(), kMarked), param("key", Type::string(), kMarked),
       param("default", Type::dynamic(), kMarked)},
      std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        const Type& t = a[0].type();
        if (t.is_object()) {
          if (!a[1].is_known()) return Type::dynamic();
          const std::string& key = a[1].unmarked().as_string();
          if (t.has_attribute(key)) return t.attribute_types().at(key);
          if (a.size() == 3) return a[2].type();
          return fail(err, "the given object has no attribute " + go_quote(key), 0);
        }
        if (t.is_map()) {
          if (a.size() == 3) {
            std::string ce;
            if (!convert(a[2], t.element_type(), &ce)) {
              return fail(err, "the default value must have the same type as the map elements", 2);
            }
          }
          return t.element_type();
        }
        return fail(err, "lookup() requires a map as the first argument", 0);
      },
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        uint8_t marks = static_cast<uint8_t>(a[0].marks() | a[1].marks());
        Value mv = a[0].unmarked();
        const std::string& key = a[1].unmarked().as_string();
        if (!mv.is_wholly_known()) return with_more_marks(Value::unknown(ret), marks);
        if (mv.type().is_object()) {
          if (mv.type().has_attribute(key)) {
            return with_more_marks(mv.attributes().at(key), marks);
          }
        } else {
          auto it = mv.attributes().find(key);
          if (it != mv.attributes().end()) return with_more_marks(it->second, marks);
        }
        std::string ce;
        auto d = convert(a[2], ret, &ce);
        if (!d) return fail(err, ce);
        return with_more_marks(*d, marks);
      });

  m["merge"] = make_function(
      {}, param("maps", Type::dynamic(), kDynamic | kNull | kMarked),
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (a.empty()) return Type::empty_object();
        std::map<std::string, Type> attrs;
        Type first;
        bool matching = true, attrs_known = true;
        for (size_t i = 0; i < a.size(); ++i) {
          const Type& t = a[i].type();
          if (t.is_dynamic()) return Type::dynamic();
          if (!t.is_map() && !t.is_object()) {
            return fail(err,
                        "arguments must be maps or objects, got " + go_quote(t.friendly_name()));
          }
          Value arg = a[i].unmarked();
          if (t.is_object() && !arg.is_null()) {
            for (const auto& [k, at] : t.attribute_types()) attrs[k] = at;
          } else if (t.is_map()) {
            if (arg.is_null()) {
            } else if (arg.is_known()) {
              for (const auto& [k, _] : arg.attributes()) attrs[k] = t.element_type();
            } else {
              attrs_known = false;
            }
          }
          if (i == 0) {
            first = t;
            continue;
          }
          if (t != first) matching = false;
        }
        if (matching) return first;
        if (!attrs_known) return Type::dynamic();
        return Type::object(std::move(attrs));
      },
      [](const Args& a, const Type& ret, FunctionError*) -> std::optional<Value> {
        std::map<std::string, Value> out;
        uint8_t marks = 0;
        for (const auto& arg0 : a) {
          if (arg0.is_null()) continue;
          marks |= arg0.marks();
          Value arg = arg0.unmarked();
          if (!arg.is_known()) return with_more_marks(Value::unknown(ret), marks);
          for (const auto& [k, v] : arg.attributes()) out[k] = v;
        }
        if (ret.is_map()) {
          return with_more_marks(map_or_empty(std::move(out), ret.element_type()), marks);
        }
        return with_more_marks(Value::object(std::move(out)), marks);
      });

  m["range"] = make_function(
      {}, param("params", Type::number()), static_type(Type::list(Type::number())),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        Number start, end, step;
        switch (a.size()) {
          case 1:
            start = Number(0);
            end = a[0].as_number();
            step = Number(int64_t{end.is_negative() && !end.is_zero() ? -1 : 1});
            break;
          case 2:
            start = a[0].as_number();
            end = a[1].as_number();
            step = Number(int64_t{end < start ? -1 : 1});
            break;
          case 3:
            start = a[0].as_number();
            end = a[1].as_number();
            step = a[2].as_number();
            break;
          default:
            return fail(err, "must have one, two, or three arguments");
        }
        if (step.is_zero()) return fail(err, "step must not be zero", 2);
        bool down = step < Number(0);
        if (down) {
          if (start < end) return fail(err, "end must be less than start when step is negative", 1);
        } else if (end < start) {
          return fail(err, "end must be greater than start when step is positive", 1);
        }
        std::vector<Value> vals;
        Number num = start;
        while (true) {
          if (down ? num.compare(end) <= 0 : num.compare(end) >= 0) break;
          if (vals.size() >= 1024) {
            return fail(err,
                        "more than 1024 values were generated; either decrease the difference "
                        "between start and end or use a smaller step");
          }
          vals.push_back(Value::number(num));
          num = num + step;
        }
        return list_or_empty(std::move(vals), Type::number());
      });

  m["reverse"] = make_function(
      {param("list", Type::dynamic(), kMarked)}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        const Type& t = a[0].type();
        if (t.is_tuple()) {
          auto tys = t.tuple_element_types();
          std::reverse(tys.begin(), tys.end());
          return Type::tuple(std::move(tys));
        }
        if (t.is_list() || t.is_set()) return Type::list(t.element_type());
        return fail(err, "can only reverse list or tuple values, not " + t.friendly_name(), 0);
      },
      [](const Args& a, const Type& ret, FunctionError*) -> std::optional<Value> {
        uint8_t marks = a[0].marks();
        Value in = a[0].unmarked();
        if (!in.is_known()) return with_more_marks(Value::unknown(ret), marks);
        std::vector<Value> out(in.elements().rbegin(), in.elements().rend());
        if (ret.is_tuple()) return with_more_marks(Value::tuple(std::move(out)), marks);
        return with_more_marks(list_or_empty(std::move(out), ret.element_type()), marks);
      });

  m["setunion"] = make_function({param("first_set", Type::set(Type::dynamic()), kDynamic)},
                                param("other_sets", Type::set(Type::dynamic()), kDynamic),
                                set_op_type, set_op_impl(true));
  m["setintersection"] = make_function({param("first_set", Type::set(Type::dynamic()), kDynamic)},
                                       param("other_sets", Type::set(Type::dynamic()), kDynamic),
                                       set_op_type, set_op_impl(false));

  m["setproduct"] = make_function(
      {}, param("sets", Type::dynamic(), kMarked | kUnknown),
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (a.size() < 2) return fail(err, "at least two arguments are required");
        size_t list_count = 0;
        std::vector<Type> etys(a.size());
        for (size_t i = 0; i < a.size(); ++i) {
          const Type& t = a[i].type();
          if (t.is_set()) {
            etys[i] = t.element_type();
          } else if (t.is_list()) {
            etys[i] = t.element_type();
            ++list_count;
          } else if (t.is_tuple()) {
            const auto& all = t.tuple_element_types();
            if (all.empty()) {
              etys[i] = Type::dynamic();
              ++list_count;
              continue;
            }
            auto u = unify_unsafe(all);
            if (!u) return fail(err, "all elements must be of the same type", static_cast<int>(i));
            etys[i] = *u;
            ++list_count;
          } else {
            return fail(err, "a set or a list is required", static_cast<int>(i));
          }
        }
        if (list_count == a.size()) return Type::list(Type::tuple(std::move(etys)));
        return Type::set(Type::tuple(std::move(etys)));
      },
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        const Type& ety = ret.element_type();
        uint8_t marks = 0;
        size_t total = 1;
        bool unknown_len = false;
        std::vector<std::vector<Value>> vals(a.size());
        for (size_t i = 0; i < a.size(); ++i) {
          marks |= a[i].marks();
          Value arg = a[i].unmarked();
          if (!arg.is_known()) {
            unknown_len = true;
            continue;
          }
          vals[i] = arg.elements();
          total *= vals[i].size();
          if (total > 10000000) {
            return fail(err, "the product of the given sets has more than 10000000 elements");
          }
        }
        if (unknown_len) return with_more_marks(Value::unknown(ret), marks);
        if (total == 0) {
          return with_more_marks(ret.is_list() ? Value::list_empty(ety) : Value::set_empty(ety),
                                 marks);
        }
        const auto& sub = ety.tuple_element_types();
        std::vector<Value> product;
        product.reserve(total);
        std::vector<size_t> n(a.size(), 0);
        for (size_t k = 0; k < total; ++k) {
          std::vector<Value> tuple(a.size());
          for (size_t j = 0; j < a.size(); ++j) {
            Value v = vals[j][n[j]];
            if (v.type() != sub[j]) {
              std::string ce;
              auto c = convert(v, sub[j], &ce);
              if (!c) {
                return fail(err, fmt::format("failed to convert argVals[{}][{}] to {}; this is a "
                                             "bug in cty",
                                             j, n[j], sub[j].friendly_name()));
              }
              v = *c;
            }
            tuple[j] = std::move(v);
          }
          product.push_back(Value::tuple(std::move(tuple)));
          for (size_t j = a.size(); j-- > 0;) {
            if (++n[j] < vals[j].size()) break;
            n[j] = 0;
          }
        }
        return with_more_marks(
            ret.is_list() ? Value::list(std::move(product)) : Value::set(std::move(product)),
            marks);
      });

  // slice: the start and end indexes, checked as cty's sliceIndexes does.
  struct SliceIdx {
    int64_t start = 0, end = 0;
    bool known = false;
  };
  auto slice_indexes = [](const Args& a, FunctionError* err) -> std::optional<SliceIdx> {
    SliceIdx r;
    Value list = a[0].unmarked();
    bool len_known = list.type().is_tuple() || list.is_known();
    int64_t length = len_known ? length_of(list) : 0;
    bool sk = false, ek = false;
    if (a[1].is_known()) {
      std::string e;
      auto s = to_int(a[1], &e);
      if (!s) return fail(err, "invalid start index: " + e, 1);
      if (*s < 0) return fail(err, "start index must not be less than zero", 1);
      if (len_known && *s > length) {
        return fail(err, "start index must not be greater than the length of the list", 1);
      }
      r.start = *s;
      sk = true;
    }
    if (a[2].is_known()) {
      std::string e;
      auto s = to_int(a[2], &e);
      if (!s) return fail(err, "invalid end index: " + e, 2);
      if (*s < 0) return fail(err, "end index must not be less than zero", 2);
      if (len_known && *s > length) {
        return fail(err, "end index must not be greater than the length of the list", 2);
      }
      r.end = *s;
      ek = true;
    }
    if (sk && ek && r.start > r.end) {
      return fail(err, "start index must not be greater than end index", 1);
    }
    r.known = sk && ek;
    return r;
  };
  m["slice"] = make_function(
      {param("list", Type::dynamic(), kMarked), param("start_index", Type::number()),
       param("end_index", Type::number())},
      std::nullopt,
      [slice_indexes](const Args& a, FunctionError* err) -> std::optional<Type> {
        const Type& t = a[0].type();
        if (t.is_set()) {
          return fail(err,
                      "cannot slice a set, because its elements do not have indices; explicitly "
                      "convert to a list if the ordering of the result is not important",
                      0);
        }
        if (!t.is_list() && !t.is_tuple()) return fail(err, "must be a list or tuple value", 0);
        auto idx = slice_indexes(a, err);
        if (!idx) return std::nullopt;
        if (t.is_list()) return t;
        if (!idx->known) return Type::dynamic();
        const auto& etys = t.tuple_element_types();
        return Type::tuple(std::vector<Type>(etys.begin() + idx->start, etys.begin() + idx->end));
      },
      [slice_indexes](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        uint8_t marks = a[0].marks();
        Value in = a[0].unmarked();
        if (ret.is_dynamic()) return with_more_marks(Value::dynamic_unknown(), marks);
        auto idx = slice_indexes(a, err);
        if (!idx) return std::nullopt;
        if (!in.is_known()) return with_more_marks(Value::unknown(ret), marks);
        if (idx->end - idx->start == 0) {
          if (ret.is_tuple()) return with_more_marks(Value::empty_tuple(), marks);
          return with_more_marks(Value::list_empty(ret.element_type()), marks);
        }
        const auto& e = in.elements();
        std::vector<Value> out(e.begin() + idx->start, e.begin() + idx->end);
        if (ret.is_tuple()) return with_more_marks(Value::tuple(std::move(out)), marks);
        return with_more_marks(Value::list(std::move(out)), marks);
      });

  m["sort"] = make_function(
      {param("list", Type::list(Type::string()), kUnknown)}, std::nullopt,
      static_type(Type::list(Type::string())),
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        if (!a[0].is_wholly_known()) return Value::unknown(ret);
        if (a[0].length() == 0) return a[0];
        std::vector<std::string> strs;
        const auto& e = a[0].elements();
        for (size_t i = 0; i < e.size(); ++i) {
          if (e[i].is_null()) {
            return fail(err, fmt::format("given list element {} is null; a null string cannot "
                                         "be sorted",
                                         i));
          }
          strs.push_back(e[i].as_string());
        }
        std::sort(strs.begin(), strs.end());
        std::vector<Value> out;
        for (auto& s : strs) out.push_back(Value::string(std::move(s)));
        return Value::list(std::move(out));
      });

  m["values"] = make_function(
      {param("mapping", Type::dynamic(), kMarked)}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        const Type& t = a[0].type();
        if (t.is_map()) return Type::list(t.element_type());
        if (t.is_object()) {
          std::vector<Type> tys;
          for (const auto& [_, at] : t.attribute_types()) tys.push_back(at);
          return Type::tuple(std::move(tys));
        }
        return fail(err, "values() requires a map as the first argument");
      },
      [](const Args& a, const Type& ret, FunctionError*) -> std::optional<Value> {
        uint8_t marks = a[0].marks();
        Value mv = a[0].unmarked();
        if (!mv.is_known()) return with_more_marks(Value::unknown(ret), marks);
        std::vector<Value> vals;
        for (const auto& [_, v] : mv.attributes()) vals.push_back(v);
        if (ret.is_tuple()) return with_more_marks(Value::tuple(std::move(vals)), marks);
        return with_more_marks(list_or_empty(std::move(vals), ret.element_type()), marks);
      });

  m["zipmap"] = make_function(
      {param("keys", Type::list(Type::string()), kMarked),
       param("values", Type::dynamic(), kMarked)},
      std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        const Type& vt = a[1].type();
        if (vt.is_list()) return Type::map(vt.element_type());
        if (vt.is_tuple()) {
          if (!a[0].is_wholly_known()) return Type::dynamic();
          Value keys = a[0].unmarked();
          const auto& ks = keys.elements();
          const auto& vts = vt.tuple_element_types();
          if (ks.size() != vts.size()) {
            return fail(err, fmt::format("number of keys ({}) does not match number of values ({})",
                                         ks.size(), vts.size()));
          }
          std::map<std::string, Type> atys;
          for (size_t i = 0; i < ks.size(); ++i) {
            Value k = ks[i].unmarked();
            if (k.is_null())
              return fail(err, fmt::format("keys list has null value at index {}", i));
            atys[k.as_string()] = vts[i];
          }
          return Type::object(std::move(atys));
        }
        return fail(err, "values argument must be a list or tuple value");
      },
      [](const Args& a, const Type& ret, FunctionError* err) -> std::optional<Value> {
        uint8_t marks = static_cast<uint8_t>(a[0].marks() | a[1].marks());
        Value keys = a[0].unmarked();
        Value values = a[1].unmarked();
        if (!keys.is_wholly_known() || !values.is_known()) {
          return with_more_marks(Value::unknown(ret), marks);
        }
        size_t kl = keys.length(), vl = static_cast<size_t>(length_of(values));
        if (kl != vl) {
          return fail(
              err, fmt::format("number of keys ({}) does not match number of values ({})", kl, vl));
        }
        std::map<std::string, Value> out;
        const auto& ks = keys.elements();
        for (size_t i = 0; i < ks.size(); ++i) {
          marks |= ks[i].marks();
          Value k = ks[i].unmarked();
          if (k.is_null()) return fail(err, fmt::format("keys list has null value at index {}", i));
          out[k.as_string()] = *index_value(values, i);
        }
        if (ret.is_map()) {
          return with_more_marks(map_or_empty(std::move(out), ret.element_type()), marks);
        }
        if (ret.is_object()) return with_more_marks(Value::object(std::move(out)), marks);
        return fail(err, "internally selected incorrect result type " + ret.friendly_name() +
                             " (this is a bug)");
      });
}

}  // namespace kiln::funcs
