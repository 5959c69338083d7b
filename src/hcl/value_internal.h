// Internals shared by the value library's own files (not a public API).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hcl/value.h"

namespace kiln::hcl::detail {

// Go encoding/json string escaping (HTML-safe), appended to out.
void json_string(std::string& out, std::string_view s);
// Go's strconv.Quote (%q), appended to out.
void go_quote(std::string& out, const std::string& s);

// A conversion between two fixed types (cty's convert.conversion); an empty
// function means "no conversion exists".
using Conversion = std::function<std::optional<Value>(const Value&, std::string* error)>;

Conversion get_conversion(const Type& in, const Type& out, bool unsafe);
// convert.unify: nullopt for cty.NilType.
std::optional<Type> unify_types(const std::vector<Type>& types, bool unsafe);
Type without_optional_attributes_deep(const Type& t);
std::string mismatch_message(const Type& got, const Type& want);
// big.Float.String(): Text('g', 10), as cty's set ordering uses it.
std::string number_g10(const Number& n);

}  // namespace kiln::hcl::detail
