// Helpers shared by the template's source files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hcl/body.h"
#include "hcl/value.h"

namespace kiln::tmpl::detail {

inline bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
// hclsyntax.ValidIdentifier (ASCII letters; UTF-8 letters accepted).
bool valid_identifier(std::string_view s);
// didyoumean.NameSuggestion: a candidate within Levenshtein distance 3.
std::string name_suggestion(const std::string& given, const std::vector<std::string>& candidates);
// Go's fmt %v of a []string: "[a b c]".
std::string go_list(const std::vector<std::string>& items);
// hcl.Diagnostics.Error(): "<subject>: <summary>; <detail>" (the first,
// plus ", and N other diagnostic(s)").
std::string diags_error_string(const hcl::Diagnostics& diags);
// go-multierror's format: "1 error occurred:\n\t* x\n\n".
std::string go_multierror(const std::vector<std::string>& errs);
// Packer SDK's MultiError: "N error(s) occurred:\n\n* a\n* b".
std::string sdk_multierror(const std::vector<std::string>& errs);
// Evaluates a string attribute (gohcl-like); "" when absent.
bool decode_string(const hcl::Attributes& attrs, const std::string& name,
                   const hcl::EvalContext* ctx, std::string* out, hcl::Diagnostics& diags);
bool decode_string_list(const hcl::Attributes& attrs, const std::string& name,
                        const hcl::EvalContext* ctx, std::vector<std::string>* out,
                        hcl::Diagnostics& diags);
// gohcl's decode of one attribute to a type: "Unsuitable value type" on
// failure (gohcl's message).
std::optional<hcl::Value> decode_attr(const hcl::Attribute& attr, const hcl::Type& type,
                                      const hcl::EvalContext* ctx, hcl::Diagnostics& diags);

}  // namespace kiln::tmpl::detail
