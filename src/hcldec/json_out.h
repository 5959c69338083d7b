// JSON text as Go's encoding/json writes it, for hcldec's outputs.
#pragma once

#include <string>
#include <string_view>

namespace kiln::hcldec {

// A JSON string literal as json.Marshal writes it: <, > and & as \u003c...,
// U+2028/U+2029 escaped, invalid UTF-8 replaced by U+FFFD.
std::string go_json_quote(std::string_view s);
// json.Indent / MarshalIndent layout of compact JSON text (prefix "",
// the given indent); empty objects and arrays stay "{}" and "[]".
std::string go_json_indent(std::string_view compact, std::string_view indent, int base_depth = 0);
// Removes object members whose value is null, recursively (hcldec's
// stripJSONNullProperties), and sorts object members by key as Go's
// re-encoding of a map does. Input must be valid compact JSON.
std::string strip_json_nulls(std::string_view json);

}  // namespace kiln::hcldec
