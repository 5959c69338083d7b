// Internal helpers shared by the function library's category files.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "funcs/registry.h"
#include "hcl/function.h"
#include "hcl/value.h"

namespace kiln::funcs {

using hcl::Function;
using hcl::FunctionError;
using hcl::FunctionParam;
using hcl::Number;
using hcl::Type;
using hcl::Value;

using FuncMap = std::map<std::string, Function>;
using Args = std::vector<Value>;
using TypeFn = std::function<std::optional<Type>(const Args&, FunctionError*)>;
using ImplFn = std::function<std::optional<Value>(const Args&, const Type&, FunctionError*)>;

enum ParamFlag : unsigned {
  kNone = 0,
  kNull = 1,
  kUnknown = 2,
  kDynamic = 4,
  kMarked = 8,
};

inline FunctionParam param(std::string name, Type type, unsigned flags = kNone) {
  FunctionParam p;
  p.name = std::move(name);
  p.type = std::move(type);
  p.allow_null = (flags & kNull) != 0;
  p.allow_unknown = (flags & kUnknown) != 0;
  p.allow_dynamic_type = (flags & kDynamic) != 0;
  p.allow_marked = (flags & kMarked) != 0;
  return p;
}

inline Function make_function(std::vector<FunctionParam> params,
                              std::optional<FunctionParam> var_param, TypeFn type, ImplFn impl,
                              std::string description = {}) {
  Function f;
  f.description = std::move(description);
  f.params = std::move(params);
  f.var_param = std::move(var_param);
  f.type = std::move(type);
  f.impl = std::move(impl);
  return f;
}

inline TypeFn static_type(Type t) {
  return [t = std::move(t)](const Args&, FunctionError*) -> std::optional<Type> { return t; };
}

// Sets *err and returns nullopt (for use as `return fail(err, "...")`).
inline std::nullopt_t fail(FunctionError* err, std::string message, int arg_index = -1) {
  if (err) {
    err->message = std::move(message);
    err->arg_index = arg_index;
  }
  return std::nullopt;
}

// gocty.FromCtyValue into a Go int: a whole number that fits in int64.
std::optional<int64_t> to_int(const Value& v, std::string* error);
// gocty.FromCtyValue into float64.
double to_float(const Value& v);

// Value::list / map that accept an empty vector (then an empty collection
// of the given element type).
Value list_or_empty(std::vector<Value> elems, const Type& ety);
Value map_or_empty(std::map<std::string, Value> elems, const Type& ety);

// The elements of a list, set or tuple value; the values of a map or
// object in key order.
std::vector<Value> element_values(const Value& v);

// --- UTF-8 -------------------------------------------------------------------

// Decodes one code point at s[i] (advancing i); invalid bytes give U+FFFD
// and advance by one (Go's utf8.DecodeRuneInString).
char32_t decode_rune(std::string_view s, size_t& i);
void append_rune(std::string& out, char32_t r);
// Byte offsets where each grapheme cluster starts, plus s.size() at the end.
std::vector<size_t> grapheme_bounds(std::string_view s);
size_t grapheme_count(std::string_view s);
// unicode.IsSpace.
bool is_go_space(char32_t r);

// Go's %q for strings (strconv.Quote).
std::string go_quote(std::string_view s);

// --- registration per category -----------------------------------------------
void register_numeric(FuncMap& m);
void register_string(FuncMap& m);
void register_format(FuncMap& m);
void register_collection(FuncMap& m);
void register_encoding(FuncMap& m);
void register_yaml(FuncMap& m);
void register_regex(FuncMap& m);
void register_filesystem(FuncMap& m, const FuncsOptions& opts);
void register_datetime(FuncMap& m, const FuncsOptions& opts);
void register_crypto(FuncMap& m);
void register_network(FuncMap& m);
void register_conversion(FuncMap& m);
void register_templatefile(FuncMap& m, const FuncsOptions& opts);
void register_external(FuncMap& m);

}  // namespace kiln::funcs
