// Type unification as go-cty's convert.Unify / UnifyUnsafe: finds the one
// type that all given types can convert to, preferring the most general.
#include <utility>

#include "hcl/value.h"
#include "hcl/value_internal.h"

namespace kiln::hcl {
namespace detail {

namespace {

// convert.compareTypes: -1 if a is a supertype of b, 1 if b of a, 0 if
// neither or unknown.
int compare_types(Type a, Type b) {
  if (a.is_dynamic() || b.is_dynamic()) {
    if (!a.is_dynamic()) return -1;
    if (!b.is_dynamic()) return 1;
    return 0;
  }
  if (a.is_primitive() && b.is_primitive()) {
    if (a.kind() == Type::Kind::String || b.kind() == Type::Kind::String) {
      if (a.kind() != Type::Kind::String) return 1;
      if (b.kind() != Type::Kind::String) return -1;
      return 0;
    }
  }
  if ((a.is_list() && b.is_list()) || (a.is_set() && b.is_set()) || (a.is_map() && b.is_map()))
    return compare_types(a.element_type(), b.element_type());
  int swap = 1;
  if ((a.is_tuple() && b.is_list()) || (a.is_object() && b.is_map()) ||
      (a.is_set() && b.is_tuple()) || (a.is_set() && b.is_list())) {
    std::swap(a, b);
    swap = -1;
  }
  if (b.is_set() && (a.is_tuple() || a.is_list())) return -1 * swap;
  if (a.is_list() && b.is_tuple()) return -1 * swap;
  if (a.is_map() && b.is_object()) return -1 * swap;
  if (a.is_object() && b.is_object()) {
    const auto& xa = a.attribute_types();
    const auto& xb = b.attribute_types();
    if (xa.size() != xb.size()) return 0;
    bool a_super = false, b_super = false;
    for (const auto& [k, t] : xa) {
      auto it = xb.find(k);
      if (it == xb.end()) return 0;
      int c = compare_types(t, it->second);
      if (c < 0)
        a_super = true;
      else if (c > 0)
        b_super = true;
    }
    if (a_super && b_super) return 0;
    if (a_super) return -1 * swap;
    if (b_super) return 1 * swap;
    return 0;
  }
  if (a.is_tuple() && b.is_tuple()) {
    const auto& ea = a.tuple_element_types();
    const auto& eb = b.tuple_element_types();
    if (ea.size() != eb.size()) return 0;
    bool a_super = false, b_super = false;
    for (size_t i = 0; i < ea.size(); ++i) {
      int c = compare_types(ea[i], eb[i]);
      if (c < 0)
        a_super = true;
      else if (c > 0)
        b_super = true;
    }
    if (a_super && b_super) return 0;
    if (a_super) return -1 * swap;
    if (b_super) return 1 * swap;
    return 0;
  }
  return 0;
}

// convert.sortTypes: a topological order, most general first.
std::vector<size_t> sort_types(const std::vector<Type>& tys) {
  size_t l = tys.size();
  std::vector<std::vector<size_t>> edges(l);
  for (size_t i = 0; i + 1 < l; ++i)
    for (size_t j = i + 1; j < l; ++j) {
      int c = compare_types(tys[i], tys[j]);
      if (c < 0)
        edges[i].push_back(j);
      else if (c > 0)
        edges[j].push_back(i);
    }
  std::vector<int> in_degree(l, 0);
  for (const auto& outs : edges)
    for (size_t j : outs) in_degree[j]++;
  std::vector<size_t> result(l, 0);
  size_t head = 0, tail = 0;
  for (size_t i = 0; i < l; ++i)
    if (in_degree[i] == 0) result[tail++] = i;
  while (head != tail) {
    size_t i = result[head++];
    for (size_t j : edges[i])
      if (--in_degree[j] == 0) result[tail++] = j;
  }
  return result;
}

bool convertible(const Type& from, const Type& to, bool unsafe) {
  return static_cast<bool>(get_conversion(from, to, unsafe));
}

bool all_convert(const std::vector<Type>& types, const Type& ret, bool unsafe) {
  for (const auto& t : types)
    if (!(t == ret) && !convertible(t, ret, unsafe)) return false;
  return true;
}

std::optional<Type> unify_object_types_to_map(const std::vector<Type>& types, bool unsafe) {
  std::vector<Type> atys;
  for (const auto& t : types)
    for (const auto& [k, a] : t.attribute_types()) atys.push_back(a);
  auto ety = unify_types(atys, unsafe);
  if (!ety) return std::nullopt;
  Type ret = Type::map(*ety);
  if (!all_convert(types, ret, unsafe)) return std::nullopt;
  return ret;
}

std::optional<Type> unify_tuple_types_to_list(const std::vector<Type>& types, bool unsafe) {
  std::vector<Type> etys;
  for (const auto& t : types)
    for (const auto& e : t.tuple_element_types()) etys.push_back(e);
  auto ety = unify_types(etys, unsafe);
  if (!ety) return std::nullopt;
  Type ret = Type::list(*ety);
  if (!all_convert(types, ret, unsafe)) return std::nullopt;
  return ret;
}

std::optional<Type> unify_collection_types(Type::Kind kind, const std::vector<Type>& types,
                                           bool unsafe, bool has_dynamic) {
  if (has_dynamic) return Type::dynamic();
  std::vector<Type> etys;
  etys.reserve(types.size());
  for (const auto& t : types) etys.push_back(t.element_type());
  auto ety = unify_types(etys, unsafe);
  if (!ety) return std::nullopt;
  Type ret = kind == Type::Kind::Map    ? Type::map(*ety)
             : kind == Type::Kind::List ? Type::list(*ety)
                                        : Type::set(*ety);
  if (!all_convert(types, ret, unsafe)) return std::nullopt;
  return ret;
}

std::optional<Type> unify_object_types(const std::vector<Type>& types, bool unsafe,
                                       bool has_dynamic) {
  if (has_dynamic) return Type::dynamic();
  const auto& first = types[0].attribute_types();
  for (size_t i = 1; i < types.size(); ++i) {
    const auto& these = types[i].attribute_types();
    if (these.size() != first.size()) return unify_object_types_to_map(types, unsafe);
    for (const auto& [k, t] : these)
      if (!first.count(k)) return unify_object_types_to_map(types, unsafe);
  }
  std::map<std::string, Type> ret_atys;
  std::vector<Type> across(types.size());
  for (const auto& [name, t0] : first) {
    for (size_t i = 0; i < types.size(); ++i) across[i] = types[i].attribute_types().at(name);
    auto u = unify_types(across, unsafe);
    if (!u) return std::nullopt;
    ret_atys.emplace(name, *u);
  }
  Type ret = Type::object(std::move(ret_atys));
  if (!all_convert(types, ret, unsafe)) return unify_object_types_to_map(types, unsafe);
  return ret;
}

std::optional<Type> unify_tuple_types(const std::vector<Type>& types, bool unsafe,
                                      bool has_dynamic) {
  if (has_dynamic) return Type::dynamic();
  const auto& first = types[0].tuple_element_types();
  for (size_t i = 1; i < types.size(); ++i)
    if (types[i].tuple_element_types().size() != first.size())
      return unify_tuple_types_to_list(types, unsafe);
  std::vector<Type> ret_etys;
  std::vector<Type> across(types.size());
  for (size_t idx = 0; idx < first.size(); ++idx) {
    for (size_t i = 0; i < types.size(); ++i) across[i] = types[i].tuple_element_types()[idx];
    auto u = unify_types(across, unsafe);
    if (!u) return std::nullopt;
    ret_etys.push_back(*u);
  }
  Type ret = Type::tuple(std::move(ret_etys));
  if (!all_convert(types, ret, unsafe)) return unify_tuple_types_to_list(types, unsafe);
  return ret;
}

std::optional<Type> unify_tuples_as_list(const std::vector<Type>& types, bool unsafe) {
  std::vector<Type> tuples;
  std::vector<size_t> idxs;
  for (size_t i = 0; i < types.size(); ++i)
    if (types[i].is_tuple()) {
      tuples.push_back(types[i]);
      idxs.push_back(i);
    }
  auto ty = unify_tuple_types_to_list(tuples, unsafe);
  if (!ty || !ty->is_list()) return std::nullopt;
  std::vector<Type> listed = types;
  for (size_t i : idxs) listed[i] = *ty;
  auto nt = unify_types(listed, unsafe);
  if (!nt || !nt->is_list()) return std::nullopt;
  return nt;
}

std::optional<Type> unify_objects_as_maps(const std::vector<Type>& types, bool unsafe) {
  std::vector<Type> objs;
  std::vector<size_t> idxs;
  for (size_t i = 0; i < types.size(); ++i)
    if (types[i].is_object()) {
      objs.push_back(types[i]);
      idxs.push_back(i);
    }
  auto ty = unify_object_types_to_map(objs, unsafe);
  if (!ty || !ty->is_map()) return std::nullopt;
  std::vector<Type> mapped = types;
  for (size_t i : idxs) mapped[i] = *ty;
  auto nt = unify_types(mapped, unsafe);
  if (!nt || !nt->is_map()) return std::nullopt;
  return nt;
}

}  // namespace

std::optional<Type> unify_types(const std::vector<Type>& types, bool unsafe) {
  if (types.empty()) return std::nullopt;
  // All the same type (the common case, and quadratic below): cty's rules
  // give that type back.
  bool all_same = true;
  for (size_t i = 1; i < types.size() && all_same; ++i) all_same = types[i] == types[0];
  if (all_same) return types[0];
  size_t map_ct = 0, list_ct = 0, set_ct = 0, object_ct = 0, tuple_ct = 0, dynamic_ct = 0;
  for (const auto& t : types) {
    switch (t.kind()) {
      case Type::Kind::Map:
        map_ct++;
        break;
      case Type::Kind::List:
        list_ct++;
        break;
      case Type::Kind::Set:
        set_ct++;
        break;
      case Type::Kind::Object:
        object_ct++;
        break;
      case Type::Kind::Tuple:
        tuple_ct++;
        break;
      case Type::Kind::Dynamic:
        dynamic_ct++;
        break;
      default:
        break;
    }
  }
  const size_t n = types.size();
  if (map_ct > 0 && map_ct + dynamic_ct == n) {
    return unify_collection_types(Type::Kind::Map, types, unsafe, dynamic_ct > 0);
  } else if (map_ct > 0 && map_ct + object_ct + dynamic_ct == n) {
    auto t = unify_objects_as_maps(types, unsafe);
    if (t && t->is_map()) return t;
  } else if (list_ct > 0 && list_ct + dynamic_ct == n) {
    return unify_collection_types(Type::Kind::List, types, unsafe, dynamic_ct > 0);
  } else if (list_ct > 0 && list_ct + tuple_ct + dynamic_ct == n) {
    auto t = unify_tuples_as_list(types, unsafe);
    if (t && t->is_list()) return t;
  } else if (set_ct > 0 && set_ct + dynamic_ct == n) {
    return unify_collection_types(Type::Kind::Set, types, unsafe, dynamic_ct > 0);
  } else if (object_ct > 0 && object_ct + dynamic_ct == n) {
    return unify_object_types(types, unsafe, dynamic_ct > 0);
  } else if (tuple_ct > 0 && tuple_ct + dynamic_ct == n) {
    return unify_tuple_types(types, unsafe, dynamic_ct > 0);
  } else if (object_ct > 0 && tuple_ct > 0) {
    return std::nullopt;
  }

  for (size_t want_idx : sort_types(types)) {
    const Type& want = types[want_idx];
    bool ok = true;
    for (size_t i = 0; i < n; ++i) {
      if (i == want_idx || types[i] == want) continue;
      if (!convertible(types[i], want, unsafe)) {
        ok = false;
        break;
      }
    }
    if (ok) return want;
  }
  return std::nullopt;
}

}  // namespace detail

std::optional<Type> unify(const std::vector<Type>& types) {
  return detail::unify_types(types, false);
}

std::optional<Type> unify_unsafe(const std::vector<Type>& types) {
  return detail::unify_types(types, true);
}

}  // namespace kiln::hcl
