// The JSON syntax of HCL (hcl/json): parsing, and the static analyses that
// callers apply to expressions of either syntax (hcl.AbsTraversalForExpr,
// hcl.ExprAsKeyword, hcl.ExprList, hcl.ExprMap).
//
// parse_json_file and parse_file are declared in parse.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hcl/body.h"

namespace kiln::hcl::json {

// json.ParseWithStartPos: a whole file. The root must be an object or an
// array of objects ("Root value must be object" otherwise). The body is
// never null.
File parse(std::string bytes, std::string filename, Pos start, Diagnostics& diags);

// json.ParseExpressionWithStartPos: a single JSON value as an expression.
// The expression is never null.
ExpressionPtr parse_expression(std::string_view src, std::string_view filename, Pos start,
                               Diagnostics& diags);

bool is_json_expression(const Expression& expr);
bool is_json_body(const Body& body);

// The traversal a JSON string holds (its content parsed with
// syntax::parse_traversal_abs); nullopt for other JSON values, strings that
// are not traversals, and for expressions that are not JSON.
std::optional<Traversal> as_traversal(const Expression& expr);

// hcl.AbsTraversalForExpr for both syntaxes: a native scope traversal (or a
// relative traversal over one), or a JSON string holding a traversal. Else
// the "Invalid expression" error, at the expression's range.
std::optional<Traversal> abs_traversal_for_expr(const Expression& expr, Diagnostics& diags);

// hcl.ExprAsKeyword for both syntaxes: the name of a single-step traversal,
// else "".
std::string expr_as_keyword(const Expression& expr);

// hcl.ExprList for JSON expressions: the elements of a JSON array; nullopt
// for anything else.
std::optional<std::vector<ExpressionPtr>> expr_list(const Expression& expr);

// hcl.ExprMap for JSON expressions: key and value expressions of a JSON
// object, in source order (keys are string expressions, so templates when
// evaluated with a context); nullopt for anything else.
std::optional<std::vector<std::pair<ExpressionPtr, ExpressionPtr>>> expr_map(
    const Expression& expr);

// For a JSON string expression: its content parsed as a native expression
// (the JSON form of static calls, hcl.ExprCall); null otherwise or when it
// does not parse.
ExpressionPtr native_expression_in_string(const Expression& expr);

// The JSON navigation context for a byte offset ("a.b[2]"), as json's
// ContextString; "" when none.
std::string context_string(const Body& body, size_t offset);

}  // namespace kiln::hcl::json
