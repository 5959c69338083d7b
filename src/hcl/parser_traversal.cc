// Standalone absolute traversals (hclsyntax.ParseTraversalAbs): a variable
// name followed by attribute and literal index steps only.
#include "hcl/parser_impl.h"

namespace kiln::hcl::syntax::detail {
namespace {

Range between(const Range& a, const Range& b) {
  Range r;
  r.filename = a.filename;
  r.start = a.start;
  r.end = b.end;
  return r;
}

}  // namespace

Traversal Parser::parse_traversal(bool allow_splats, Diagnostics& diags) {
  using TT = TokenType;
  Traversal ret;
  const size_t mark = diags.size();
  auto failed = [&] {
    for (size_t i = mark; i < diags.size(); ++i)
      if (diags[i].severity == Severity::Error) return true;
    return false;
  };
  Token var_tok = read();
  if (var_tok.type != TT::Ident) {
    diags.error("Variable name required", "Must begin with a variable name.", var_tok.range);
    return ret;
  }
  {
    TraversalStep root;
    root.kind = TraversalStep::Kind::Root;
    root.name = std::string(var_tok.bytes);
    root.range = root.src_range = var_tok.range;
    ret.steps.push_back(std::move(root));
  }
  auto push_index = [&](Value key, const Range& rng) {
    TraversalStep s;
    s.kind = TraversalStep::Kind::Index;
    s.key = std::move(key);
    s.range = s.src_range = rng;
    ret.steps.push_back(std::move(s));
  };
  auto close_bracket = [&](const Token& open) {
    Token close = read();
    if (close.type != TT::CBrack)
      diags.error("Unclosed index brackets", "Index key must be followed by a closing bracket.",
                  close.range, between(open.range, close.range));
    return close;
  };

  for (;;) {
    Token next = peek();
    if (next.type == TT::EOF_) return ret;
    if (next.type == TT::Dot) {
      Token dot = read();
      Token name = read();
      if (name.type != TT::Ident) {
        diags.error("Attribute name required",
                    name.type == TT::Star ? "Splat expressions (.*) may not be used here."
                                          : "Dot must be followed by attribute name.",
                    name.range, between(var_tok.range, name.range));
        return ret;
      }
      TraversalStep s;
      s.kind = TraversalStep::Kind::Attr;
      s.name = std::string(name.bytes);
      s.range = s.src_range = between(dot.range, name.range);
      ret.steps.push_back(std::move(s));
      continue;
    }
    if (next.type == TT::OBrack) {
      Token open = read();
      Token key = peek();
      if (key.type == TT::NumberLit) {
        Token tok = read();
        Value v = number_lit_value(tok, diags);
        Token close = close_bracket(open);
        push_index(std::move(v), between(open.range, close.range));
        if (failed()) return ret;
        continue;
      }
      if (key.type == TT::OQuote) {
        Range ignored;
        std::string str = parse_quoted_string_literal(&ignored, diags);
        Token close = close_bracket(open);
        push_index(Value::string(std::move(str)), between(open.range, close.range));
        if (failed()) return ret;
        continue;
      }
      if (key.type == TT::Star && allow_splats) {
        read();
        Token close = close_bracket(open);
        TraversalStep s;
        s.kind = TraversalStep::Kind::Splat;
        s.range = s.src_range = between(open.range, close.range);
        ret.steps.push_back(std::move(s));
        if (failed()) return ret;
        continue;
      }
      if (key.type == TT::Star)
        diags.error("Attribute name required", "Splat expressions ([*]) may not be used here.",
                    key.range, between(var_tok.range, key.range));
      else
        diags.error("Index value required",
                    "Index brackets must contain either a literal number or a literal string.",
                    key.range, between(var_tok.range, key.range));
      return ret;
    }
    diags.error("Invalid character", "Expected an attribute access or an index operator.",
                next.range, between(var_tok.range, next.range));
    return ret;
  }
}

}  // namespace kiln::hcl::syntax::detail
