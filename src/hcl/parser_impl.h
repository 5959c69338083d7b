// Internal to the native-syntax parser (parser*.cc): the token peeker and
// the recursive-descent parser, following hclsyntax's parser.go.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hcl/ast.h"
#include "hcl/token.h"

namespace kiln::hcl::syntax::detail {

using MNodePtr = std::shared_ptr<Node>;

// Resolves the escapes of a QuotedLit token (a StringLit is taken as is),
// as hclsyntax.ParseStringLiteralToken.
std::string parse_string_literal_token(const Token& tok, Diagnostics& diags);

// Go's %q quoting, as messages use it.
std::string go_quote(std::string_view s);

// Levenshtein-based "did you mean" (hclsyntax's nameSuggestion).
std::string name_suggestion(std::string_view given, const std::vector<std::string>& suggestions);

class Parser {
 public:
  explicit Parser(const std::vector<Token>& tokens);

  // --- peeker ---
  Token peek() {
    size_t next;
    return next_token(&next);
  }
  Token read() {
    size_t next;
    Token t = next_token(&next);
    idx_ = next;
    return t;
  }
  Range next_range() { return peek().range; }
  Range prev_range() {
    if (idx_ == 0) return next_range();
    return toks_[idx_ - 1].range;
  }
  void push_newlines(bool include) { nl_.push_back(include); }
  void pop_newlines() { nl_.pop_back(); }
  bool newline_stack_balanced() const { return nl_.size() == 1; }

  bool recovery = false;

  // --- structure ---
  std::shared_ptr<NativeBody> parse_body(TokenType end, Diagnostics& diags);

  // --- expressions ---
  MNodePtr parse_expression(Diagnostics& diags);
  MNodePtr parse_template(TokenType end, bool flush_heredoc, Diagnostics& diags);
  Traversal parse_traversal(bool allow_splats, Diagnostics& diags);

  // Parses template parts up to `end`; used for quoted strings, heredocs and
  // bare templates. Sets *passthru when the template is one interpolation.
  std::vector<NodePtr> parse_template_inner(TokenType end, bool flush_heredoc, bool* passthru,
                                            Range* range, Diagnostics& diags);

 private:
  Token next_token(size_t* next_idx) const;
  bool including_newlines() const { return nl_.back(); }

  // body items
  enum class ItemKind { None, Attribute, Block };
  ItemKind parse_body_item(NativeAttribute* attr, NativeBlock* block, Diagnostics& diags);
  std::shared_ptr<NativeBody> parse_single_attr_body(Diagnostics& diags);
  void finish_body_attribute(const Token& ident, bool single_line, NativeAttribute* attr,
                             Diagnostics& diags);
  void finish_body_block(const Token& ident, NativeBlock* block, Diagnostics& diags);

  MNodePtr parse_ternary(Diagnostics& diags);
  MNodePtr parse_binary_ops(int level, Diagnostics& diags);
  MNodePtr parse_with_traversals(Diagnostics& diags);
  MNodePtr parse_traversals(MNodePtr from, Diagnostics& diags);
  MNodePtr parse_term(Diagnostics& diags);
  MNodePtr finish_function_call(const Token& name, Diagnostics& diags);
  MNodePtr parse_tuple_cons(Diagnostics& diags);
  MNodePtr parse_object_cons(Diagnostics& diags);
  MNodePtr finish_for_expr(const Token& open, Diagnostics& diags);
  Value number_lit_value(const Token& tok, Diagnostics& diags);
  std::string parse_quoted_string_literal(Range* range, Diagnostics& diags);

  // recovery
  Token recover(TokenType end);
  void recover_over(TokenType start);
  void recover_after_body_item();

  // Deeply nested input must not overflow the stack: below this address
  // the parser reports the nesting instead of descending further.
  bool stack_low() const;
  bool report_if_too_deep(const Range& where, Diagnostics& diags);
  const char* stack_floor_ = nullptr;

  const std::vector<Token>& toks_;
  size_t idx_ = 0;
  std::vector<bool> nl_{true};
};

TokenType opposite_bracket(TokenType t);

}  // namespace kiln::hcl::syntax::detail
