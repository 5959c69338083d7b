// Helpers shared by the evaluator's files (eval_*.cc). Internal.
#pragma once

#include <string>
#include <typeinfo>
#include <vector>

#include "hcl/ast.h"

namespace kiln::hcl::syntax::eval_detail {

// The node as exactly the given class, or null. typeid is much cheaper than
// dynamic_cast, and the parser creates exactly these classes.
template <typename T>
const T* node_as(const Node* n) {
  return n && typeid(*n) == typeid(T) ? static_cast<const T*>(n) : nullptr;
}

inline Value add_marks(Value v, uint8_t marks) {
  if (marks == kMarkNone) return v;
  return v.with_marks(static_cast<uint8_t>(v.marks() | marks));
}

inline bool has_errors_since(const Diagnostics& diags, size_t before) {
  for (size_t i = before; i < diags.size(); ++i)
    if (diags[i].severity == Severity::Error) return true;
  return false;
}

// hclsyntax's Range() of a node where it differs from the stored src_range.
Range range_of(const Node* n);
// hclsyntax's StartRange(), which for some nodes is their first child's.
Range start_range_of(const Node* n);

// Left-deep chains (a + b + c ..., x[a][b] ..., f().a[b].c ...) can be far
// deeper than the stack allows to recurse, so they are evaluated bottom-up
// in a loop. is_left_spine tells whether a node continues such a chain.
bool is_left_spine(const Node* n);
Value eval_left_spine(const Node* top, const EvalContext* ctx, Diagnostics& diags);
// The rest of a binary operation once its left operand is evaluated;
// `before` is the diagnostics count before the left operand was.
Value apply_binary(const BinaryOpExpr& e, Value lhs, const EvalContext* ctx, Diagnostics& diags,
                   size_t before);

// hcl's nameSuggestion: the first candidate within Levenshtein distance 2.
std::string name_suggestion(const std::string& given, const std::vector<std::string>& candidates);

}  // namespace kiln::hcl::syntax::eval_detail
