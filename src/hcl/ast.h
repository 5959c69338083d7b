// The native syntax tree (hclsyntax): expression nodes and the native body.
// parser*.cc builds these; eval_*.cc implements value() and variables();
// body_native.cc implements the Body interface.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hcl/body.h"

namespace kiln::hcl::syntax {

using hcl::Expression;
using hcl::ExpressionPtr;

// Every native node knows its source range; the evaluator needs the rest.
class Node : public Expression {
 public:
  Range src_range;
  Range range() const override { return src_range; }
  Range start_range() const override { return src_range; }
  std::vector<Traversal> variables() const override;  // walks children()
  // Direct child expressions, in source order (for variables() and walks).
  virtual std::vector<const Node*> children() const { return {}; }
};
using NodePtr = std::shared_ptr<const Node>;

class LiteralValueExpr : public Node {
 public:
  Value val;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
};

// A parenthesised expression (HCL 2.24 keeps it, e.g. for object keys).
class ParenthesesExpr : public Node {
 public:
  NodePtr expr;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override { return {expr.get()}; }
  Range start_range() const override { return expr ? expr->start_range() : src_range; }
};

class ScopeTraversalExpr : public Node {
 public:
  Traversal traversal;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<Traversal> variables() const override { return {traversal}; }
};

class RelativeTraversalExpr : public Node {
 public:
  ~RelativeTraversalExpr() override;  // frees long left-deep chains without deep recursion
  NodePtr source;
  Traversal traversal;  // relative steps only
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override { return {source.get()}; }
};

class FunctionCallExpr : public Node {
 public:
  std::string name;
  std::vector<NodePtr> args;
  bool expand_final = false;  // f(a, b...)
  Range name_range, open_paren_range, close_paren_range;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override;
  Range start_range() const override { return Range::between(name_range, open_paren_range); }
};

class ConditionalExpr : public Node {
 public:
  NodePtr condition, true_result, false_result;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override {
    return {condition.get(), true_result.get(), false_result.get()};
  }
  Range start_range() const override {
    return condition ? condition->start_range() : src_range;
  }
};

class IndexExpr : public Node {
 public:
  ~IndexExpr() override;  // frees long left-deep chains without deep recursion
  NodePtr collection, key;
  Range open_range, bracket_range;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override { return {collection.get(), key.get()}; }
  Range start_range() const override { return open_range; }
};

class TupleConsExpr : public Node {
 public:
  std::vector<NodePtr> exprs;
  Range open_range;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override;
  Range start_range() const override { return open_range; }
};

// An object key: a bare identifier is a string (unless force_non_literal,
// i.e. it was parenthesised); otherwise the wrapped expression's value.
class ObjectConsKeyExpr : public Node {
 public:
  NodePtr wrapped;
  bool force_non_literal = false;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override { return {wrapped.get()}; }
  Range start_range() const override { return wrapped ? wrapped->start_range() : src_range; }
};

class ObjectConsExpr : public Node {
 public:
  struct Item {
    NodePtr key;  // an ObjectConsKeyExpr
    NodePtr value;
  };
  std::vector<Item> items;
  Range open_range;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override;
  Range start_range() const override { return open_range; }
};

class ForExpr : public Node {
 public:
  std::string key_var;  // empty when only the value is named
  std::string val_var;
  NodePtr coll_expr;
  NodePtr key_expr;   // null when producing a tuple
  NodePtr val_expr;
  NodePtr cond_expr;  // null without an `if` clause
  bool group = false;  // `...` after the value in an object for
  Range open_range, close_range;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  // Excludes references to key_var/val_var inside the body.
  std::vector<Traversal> variables() const override;
  std::vector<const Node*> children() const override;
  Range start_range() const override { return open_range; }
};

// Where an expression could not be parsed (hclsyntax.ExprSyntaxError, HCL
// 2.22+: after "x." with no name, and for bad namespaced function names).
// Evaluates to an unknown value and repeats the parse diagnostics
// (implemented in parser.cc).
class ExprSyntaxError : public Node {
 public:
  Diagnostics parse_diags;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<Traversal> variables() const override { return {}; }
};

// The placeholder for the current element inside a splat's `each` part.
class AnonSymbolExpr : public Node {
 public:
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<Traversal> variables() const override { return {}; }
};

class SplatExpr : public Node {
 public:
  ~SplatExpr() override;  // frees long left-deep chains without deep recursion
  NodePtr source;
  NodePtr each;  // in terms of `item`
  std::shared_ptr<const AnonSymbolExpr> item;
  Range marker_range;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override { return {source.get(), each.get()}; }
  Range start_range() const override { return marker_range; }
};

enum class Op {
  Or, And, Not, Equal, NotEqual, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual,
  Add, Subtract, Multiply, Divide, Modulo, Negate,
};

class BinaryOpExpr : public Node {
 public:
  ~BinaryOpExpr() override;  // frees long left-deep chains without deep recursion
  NodePtr lhs;
  Op op;
  NodePtr rhs;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override { return {lhs.get(), rhs.get()}; }
  Range start_range() const override { return lhs ? lhs->start_range() : src_range; }
};

class UnaryOpExpr : public Node {
 public:
  Op op;
  NodePtr operand;
  Range symbol_range;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override { return {operand.get()}; }
  Range start_range() const override { return symbol_range; }
};

// A template: the parts are concatenated as strings. The parser lowers
// %{if} and %{for} directives to ConditionalExpr and ForExpr wrapped in a
// TemplateJoinExpr, exactly as hclsyntax does.
class TemplateExpr : public Node {
 public:
  std::vector<NodePtr> parts;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override;
  // True if the template is a single literal string.
  bool is_string_literal() const;
  Range start_range() const override {
    return parts.empty() || !parts[0] ? src_range : parts[0]->start_range();
  }
};

class TemplateJoinExpr : public Node {
 public:
  NodePtr tuple;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override { return {tuple.get()}; }
  Range start_range() const override { return tuple ? tuple->start_range() : src_range; }
};

// "${x}" alone: yields x's value unconverted.
class TemplateWrapExpr : public Node {
 public:
  NodePtr wrapped;
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<const Node*> children() const override { return {wrapped.get()}; }
};

// --- the native body -------------------------------------------------------

struct NativeAttribute {
  std::string name;
  NodePtr expr;
  Range src_range, name_range, equals_range;
};

class NativeBody;

struct NativeBlock {
  std::string type;
  std::vector<std::string> labels;
  std::shared_ptr<const NativeBody> body;
  Range type_range;
  std::vector<Range> label_ranges;
  Range open_brace_range, close_brace_range;
  Range def_range() const;
};

class NativeBody : public hcl::Body,
                   public std::enable_shared_from_this<NativeBody> {
 public:
  std::map<std::string, NativeAttribute> attributes;
  std::vector<NativeBlock> blocks;
  Range src_range;
  Range end_range;  // a zero-width range at the end of the body
  // Names hidden by partial_content (hclsyntax's hiddenAttrs/hiddenBlocks).
  std::set<std::string> hidden_attrs, hidden_blocks;

  BodyContent content(const BodySchema& schema, Diagnostics& diags) const override;
  BodyContent partial_content(const BodySchema& schema, BodyPtr* remain,
                              Diagnostics& diags) const override;
  Attributes just_attributes(Diagnostics& diags) const override;
  Range missing_item_range() const override;

 private:
  BodyContent match_schema(const BodySchema& schema, std::set<std::string>& hidden_a,
                           std::set<std::string>& hidden_b, Diagnostics& diags) const;
};

// --- entry points (parser.cc) ------------------------------------------------

// Parses a whole native-syntax file. Recovers from errors and reports all
// it finds; the body is always non-null.
std::shared_ptr<const NativeBody> parse_config(const std::string& src, std::string_view filename,
                                               Pos start, Diagnostics& diags);
// A standalone expression (hclsyntax.ParseExpression).
NodePtr parse_expression(std::string_view src, std::string_view filename, Pos start,
                         Diagnostics& diags);
// A bare template, as the JSON syntax uses for strings (ParseTemplate).
NodePtr parse_template(std::string_view src, std::string_view filename, Pos start,
                       Diagnostics& diags);
// A traversal only (ParseTraversalAbs), as the JSON syntax and hcldec use.
Traversal parse_traversal_abs(std::string_view src, std::string_view filename, Pos start,
                              Diagnostics& diags);

}  // namespace kiln::hcl::syntax
