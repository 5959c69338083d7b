// The functions cmd/hcldec makes available inside spec files (its
// spec_funcs.go: a selection of cty's stdlib).
#include <utf8proc.h>

#include <algorithm>

#include "hcldec/spec_file.h"

namespace kiln::hcldec {

namespace {

using hcl::Function;
using hcl::FunctionError;
using hcl::FunctionParam;
using hcl::Number;

FunctionParam param(std::string name, Type t, bool allow_null = false, bool allow_dynamic = false) {
  FunctionParam p;
  p.name = std::move(name);
  p.type = std::move(t);
  p.allow_null = allow_null;
  p.allow_dynamic_type = allow_dynamic;
  return p;
}

std::optional<Value> fail(FunctionError* err, std::string msg, int arg = -1) {
  if (err) {
    err->message = std::move(msg);
    err->arg_index = arg;
  }
  return std::nullopt;
}

Function static_fn(
    std::vector<FunctionParam> params, Type ret,
    std::function<std::optional<Value>(const std::vector<Value>&, FunctionError*)> impl,
    std::optional<FunctionParam> var_param = std::nullopt) {
  Function f;
  f.params = std::move(params);
  f.var_param = std::move(var_param);
  f.type = [ret](const std::vector<Value>&, FunctionError*) -> std::optional<Type> { return ret; };
  f.impl = [impl](const std::vector<Value>& args, const Type&, FunctionError* err) {
    return impl(args, err);
  };
  return f;
}

// Grapheme clusters of s, as byte ranges.
std::vector<std::string> graphemes(const std::string& s) {
  std::vector<std::string> out;
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t n = static_cast<utf8proc_ssize_t>(s.size());
  utf8proc_ssize_t i = 0;
  utf8proc_int32_t prev = -1, state = 0;
  std::string cur;
  while (i < n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = utf8proc_iterate(p + i, n - i, &cp);
    if (l <= 0) {
      l = 1;
      cp = 0xFFFD;
    }
    if (prev >= 0 && utf8proc_grapheme_break_stateful(prev, cp, &state)) {
      out.push_back(std::move(cur));
      cur.clear();
    }
    cur.append(s, static_cast<size_t>(i), static_cast<size_t>(l));
    prev = cp;
    i += l;
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string map_case(const std::string& s, bool upper) {
  std::string out;
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t n = static_cast<utf8proc_ssize_t>(s.size()), i = 0;
  while (i < n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = utf8proc_iterate(p + i, n - i, &cp);
    if (l <= 0) {
      out += s[static_cast<size_t>(i)];
      ++i;
      continue;
    }
    cp = upper ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
    utf8proc_uint8_t buf[4];
    utf8proc_ssize_t w = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<char*>(buf), static_cast<size_t>(w));
    i += l;
  }
  return out;
}

std::optional<int64_t> whole(const Value& v) {
  const Number& n = v.as_number();
  if (!n.is_integer()) return std::nullopt;
  return n.to_int64();
}

}  // namespace

std::map<std::string, hcl::Function> spec_functions() {
  std::map<std::string, Function> f;

  f["abs"] = static_fn({param("num", Type::number())}, Type::number(),
                       [](const std::vector<Value>& a, FunctionError*) -> std::optional<Value> {
                         const Number& n = a[0].as_number();
                         return Value::number(n.is_negative() ? -n : n);
                       });

  f["int"] = static_fn({param("num", Type::number())}, Type::number(),
                       [](const std::vector<Value>& a, FunctionError* err) -> std::optional<Value> {
                         const Number& n = a[0].as_number();
                         if (n.is_inf()) return fail(err, "can't truncate infinity to an integer");
                         return Value::number(n.is_negative() ? n.ceil() : n.floor());
                       });

  auto minmax = [](bool is_max) {
    return static_fn(
        {}, Type::number(),
        [is_max](const std::vector<Value>& a, FunctionError* err) -> std::optional<Value> {
          if (a.empty()) return fail(err, "must pass at least one number");
          size_t best = 0;
          for (size_t i = 1; i < a.size(); ++i) {
            int c = a[i].as_number().compare(a[best].as_number());
            if (is_max ? c > 0 : c < 0) best = i;
          }
          return a[best];
        },
        param("numbers", Type::number()));
  };
  f["max"] = minmax(true);
  f["min"] = minmax(false);

  f["lower"] = static_fn({param("str", Type::string())}, Type::string(),
                         [](const std::vector<Value>& a, FunctionError*) -> std::optional<Value> {
                           return Value::string(map_case(a[0].as_string(), false));
                         });
  f["upper"] = static_fn({param("str", Type::string())}, Type::string(),
                         [](const std::vector<Value>& a, FunctionError*) -> std::optional<Value> {
                           return Value::string(map_case(a[0].as_string(), true));
                         });
  f["strlen"] =
      static_fn({param("str", Type::string())}, Type::number(),
                [](const std::vector<Value>& a, FunctionError*) -> std::optional<Value> {
                  return Value::number(static_cast<int64_t>(graphemes(a[0].as_string()).size()));
                });
  f["reverse"] = static_fn({param("str", Type::string())}, Type::string(),
                           [](const std::vector<Value>& a, FunctionError*) -> std::optional<Value> {
                             auto g = graphemes(a[0].as_string());
                             std::string out;
                             for (auto it = g.rbegin(); it != g.rend(); ++it) out += *it;
                             return Value::string(std::move(out));
                           });
  f["substr"] = static_fn(
      {param("str", Type::string()), param("offset", Type::number()),
       param("length", Type::number())},
      Type::string(), [](const std::vector<Value>& a, FunctionError* err) -> std::optional<Value> {
        auto off = whole(a[1]);
        auto len = whole(a[2]);
        if (!off) return fail(err, "value must be a whole number");
        if (!len) return fail(err, "value must be a whole number");
        auto g = graphemes(a[0].as_string());
        int64_t n = static_cast<int64_t>(g.size());
        int64_t o = *off, l = *len;
        bool from_end = o < 0;
        if (from_end) {
          o += n;
          if (o < 0) o = 0;
        } else if (l == 0) {
          return Value::string("");
        }
        if (o > n) return Value::string("");
        // cty seeks `length` clusters, so a zero length after a negative
        // offset never stops and takes the rest.
        int64_t end = (l <= 0 || o + l > n) ? n : o + l;
        std::string out;
        for (int64_t i = o; i < end; ++i) out += g[static_cast<size_t>(i)];
        return Value::string(std::move(out));
      });

  {
    Function len;
    len.params = {param("collection", Type::dynamic(), false, true)};
    len.type = [](const std::vector<Value>& a, FunctionError* err) -> std::optional<Type> {
      const Type& t = a[0].type();
      if (!t.is_collection() && !t.is_tuple() && !t.is_dynamic()) {
        if (err) err->message = "collection must be a list, a map or a tuple";
        return std::nullopt;
      }
      return Type::number();
    };
    len.impl = [](const std::vector<Value>& a, const Type&,
                  FunctionError*) -> std::optional<Value> {
      const Value& v = a[0];
      if (v.type().is_tuple())
        return Value::number(static_cast<int64_t>(v.type().tuple_element_types().size()));
      return Value::number(static_cast<int64_t>(v.length()));
    };
    f["length"] = len;
  }

  {
    Function hi;
    hi.params = {param("collection", Type::dynamic(), false, true),
                 param("key", Type::dynamic(), false, true)};
    hi.type = [](const std::vector<Value>& a, FunctionError* err) -> std::optional<Type> {
      const Type& t = a[0].type();
      if (!t.is_tuple() && !t.is_list() && !t.is_map() && !t.is_dynamic()) {
        if (err) err->message = "collection must be a list, a map or a tuple";
        return std::nullopt;
      }
      return Type::boolean();
    };
    hi.impl = [](const std::vector<Value>& a, const Type&, FunctionError*) -> std::optional<Value> {
      const Value& c = a[0];
      const Value& k = a[1];
      const Type& t = c.type();
      if (t.is_list() || t.is_tuple()) {
        std::string err;
        auto n = hcl::convert(k, Type::number(), &err);
        if (!n || n->is_null()) return Value::boolean(false);
        auto i = whole(*n);
        return Value::boolean(i && *i >= 0 && static_cast<size_t>(*i) < c.length());
      }
      if (t.is_map() || t.is_object()) {
        std::string err;
        auto s = hcl::convert(k, Type::string(), &err);
        if (!s || s->is_null()) return Value::boolean(false);
        return Value::boolean(c.attributes().count(s->as_string()) > 0);
      }
      if (t.is_set()) {
        for (const auto& e : c.elements())
          if (auto eq = e.equals(k); eq.is_known() && !eq.is_null() && eq.as_bool())
            return Value::boolean(true);
        return Value::boolean(false);
      }
      return Value::boolean(false);
    };
    f["hasindex"] = hi;
  }

  {
    Function co;
    co.var_param = param("vals", Type::dynamic(), true, true);
    co.type = [](const std::vector<Value>& a, FunctionError* err) -> std::optional<Type> {
      std::vector<Type> types;
      for (const auto& v : a) types.push_back(v.type());
      auto t = hcl::unify_unsafe(types);
      if (!t) {
        if (err) err->message = "all arguments must have the same type";
        return std::nullopt;
      }
      return t;
    };
    co.impl = [](const std::vector<Value>& a, const Type& ret,
                 FunctionError* err) -> std::optional<Value> {
      for (const auto& v : a) {
        if (v.is_null()) continue;
        std::string msg;
        auto c = hcl::convert(v, ret, &msg);
        if (!c) return fail(err, msg);
        return c;
      }
      return fail(err, "no non-null arguments");
    };
    f["coalesce"] = co;
  }

  {
    Function cc;
    cc.var_param = param("seqs", Type::dynamic());
    cc.type = [](const std::vector<Value>& a, FunctionError* err) -> std::optional<Type> {
      if (a.empty()) {
        if (err) err->message = "at least one argument is required";
        return std::nullopt;
      }
      if (a[0].type().is_list()) {
        std::vector<Type> etys;
        bool all_lists = true;
        for (const auto& v : a) {
          if (!v.type().is_list()) {
            all_lists = false;
            break;
          }
          etys.push_back(v.type().element_type());
        }
        if (all_lists)
          if (auto ety = hcl::unify_unsafe(etys)) return Type::list(*ety);
      }
      std::vector<Type> tuple_types;
      for (size_t i = 0; i < a.size(); ++i) {
        const Type& t = a[i].type();
        if (t.is_tuple()) {
          for (const auto& e : t.tuple_element_types()) tuple_types.push_back(e);
        } else if (t.is_list()) {
          if (!a[i].is_known()) return Type::dynamic();
          for (size_t k = 0; k < a[i].length(); ++k) tuple_types.push_back(t.element_type());
        } else {
          if (err) {
            err->message = "all arguments must be lists or tuples; got " + t.friendly_name();
            err->arg_index = static_cast<int>(i);
          }
          return std::nullopt;
        }
      }
      return Type::tuple(tuple_types);
    };
    cc.impl = [](const std::vector<Value>& a, const Type& ret,
                 FunctionError* err) -> std::optional<Value> {
      std::vector<Value> elems;
      for (const auto& v : a)
        for (const auto& e : v.elements()) elems.push_back(e);
      if (ret.is_list()) {
        if (elems.empty()) return Value::list_empty(ret.element_type());
        for (auto& e : elems) {
          std::string msg;
          auto c = hcl::convert(e, ret.element_type(), &msg);
          if (!c) return fail(err, msg);
          e = std::move(*c);
        }
        return Value::list(std::move(elems));
      }
      return Value::tuple(std::move(elems));
    };
    f["concat"] = cc;
  }

  {
    Function je;
    je.params = {param("val", Type::dynamic(), true, true)};
    je.type = [](const std::vector<Value>&, FunctionError*) -> std::optional<Type> {
      return Type::string();
    };
    je.impl = [](const std::vector<Value>& a, const Type&,
                 FunctionError* err) -> std::optional<Value> {
      if (a[0].is_null()) return Value::string("null");
      std::string msg;
      auto j = hcl::value_to_json(a[0], &msg);
      if (!j) return fail(err, msg, 0);
      return Value::string(*j);
    };
    f["jsonencode"] = je;
  }

  {
    Function jd;
    jd.params = {param("str", Type::string())};
    jd.type = [](const std::vector<Value>& a, FunctionError* err) -> std::optional<Type> {
      if (!a[0].is_known()) return Type::dynamic();
      std::string msg;
      auto v = hcl::value_from_json(a[0].as_string(), Type::dynamic(), &msg);
      if (!v) {
        if (err) err->message = msg;
        return std::nullopt;
      }
      return v->type();
    };
    jd.impl = [](const std::vector<Value>& a, const Type&,
                 FunctionError* err) -> std::optional<Value> {
      std::string msg;
      auto v = hcl::value_from_json(a[0].as_string(), Type::dynamic(), &msg);
      if (!v) return fail(err, msg);
      return v;
    };
    f["jsondecode"] = jd;
  }

  return f;
}

}  // namespace kiln::hcldec
