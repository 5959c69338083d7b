// Test helper (header-only): renders a native syntax tree and diagnostics
// in one line per item, in the same format as the Go dumper the parser
// tests were checked against, so trees and ranges compare as text.
#pragma once

#include <string>
#include <vector>

#include "hcl/ast.h"
#include "hcl/parser_impl.h"

namespace kiln::hcl::syntax::dump {

inline std::string rng(const Range& r) {
  return std::to_string(r.start.line) + ":" + std::to_string(r.start.column) + "(" +
         std::to_string(r.start.byte) + ")-" + std::to_string(r.end.line) + ":" +
         std::to_string(r.end.column) + "(" + std::to_string(r.end.byte) + ")";
}

inline std::string val(const Value& v) {
  if (v.is_null()) return "null";
  if (!v.is_known()) return "unknown(" + v.type().friendly_name() + ")";
  switch (v.type().kind()) {
    case Type::Kind::String:
      return detail::go_quote(v.as_string());
    case Type::Kind::Number:
      return v.as_number().str();
    case Type::Kind::Bool:
      return v.as_bool() ? "true" : "false";
    default:
      return "?";
  }
}

inline std::string trav(const Traversal& t) {
  std::string b;
  for (const auto& s : t.steps) {
    switch (s.kind) {
      case TraversalStep::Kind::Root:
        b += s.name;
        break;
      case TraversalStep::Kind::Attr:
        b += "." + s.name;
        break;
      case TraversalStep::Kind::Index:
        b += "[" + val(s.key) + "]";
        break;
      case TraversalStep::Kind::Splat:
        b += "[*]";
        break;
    }
    b += "@" + rng(s.range);
  }
  return b;
}

inline const char* op(Op o) {
  switch (o) {
    case Op::Or:
      return "||";
    case Op::And:
      return "&&";
    case Op::Not:
      return "!";
    case Op::Equal:
      return "==";
    case Op::NotEqual:
      return "!=";
    case Op::GreaterThan:
      return ">";
    case Op::GreaterThanOrEqual:
      return ">=";
    case Op::LessThan:
      return "<";
    case Op::LessThanOrEqual:
      return "<=";
    case Op::Add:
      return "+";
    case Op::Subtract:
      return "-";
    case Op::Multiply:
      return "*";
    case Op::Divide:
      return "/";
    case Op::Modulo:
      return "%";
    case Op::Negate:
      return "neg";
  }
  return "?";
}

inline std::string expr(const Node* e) {
  if (!e) return "nil";
  std::string r = rng(e->range());
  auto join = [](const std::vector<NodePtr>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) s += ", ";
      s += expr(v[i].get());
    }
    return s;
  };
  if (dynamic_cast<const ExprSyntaxError*>(e)) return "Lit[" + r + "](unknown(dynamic))";
  if (auto* x = dynamic_cast<const LiteralValueExpr*>(e))
    return "Lit[" + r + "](" + val(x->val) + ")";
  if (auto* x = dynamic_cast<const ParenthesesExpr*>(e))
    return "Paren[" + r + "](" + expr(x->expr.get()) + ")";
  if (auto* x = dynamic_cast<const ScopeTraversalExpr*>(e))
    return "Scope[" + r + "](" + trav(x->traversal) + ")";
  if (auto* x = dynamic_cast<const RelativeTraversalExpr*>(e))
    return "Rel[" + r + "](" + expr(x->source.get()) + " " + trav(x->traversal) + ")";
  if (auto* x = dynamic_cast<const FunctionCallExpr*>(e))
    return "Call[" + r + "](" + x->name + " name=" + rng(x->name_range) +
           " open=" + rng(x->open_paren_range) + " close=" + rng(x->close_paren_range) +
           " expand=" + (x->expand_final ? "true" : "false") + "; " + join(x->args) + ")";
  if (auto* x = dynamic_cast<const ConditionalExpr*>(e))
    return "Cond[" + r + "](" + expr(x->condition.get()) + " ? " + expr(x->true_result.get()) +
           " : " + expr(x->false_result.get()) + ")";
  if (auto* x = dynamic_cast<const IndexExpr*>(e))
    return "Index[" + r + " open=" + rng(x->open_range) + " br=" + rng(x->bracket_range) + "](" +
           expr(x->collection.get()) + ", " + expr(x->key.get()) + ")";
  if (auto* x = dynamic_cast<const TupleConsExpr*>(e))
    return "Tuple[" + r + " open=" + rng(x->open_range) + "](" + join(x->exprs) + ")";
  if (auto* x = dynamic_cast<const ObjectConsKeyExpr*>(e))
    return "Key[" + r + " force=" + (x->force_non_literal ? "true" : "false") + "](" +
           expr(x->wrapped.get()) + ")";
  if (auto* x = dynamic_cast<const ObjectConsExpr*>(e)) {
    std::string s;
    for (size_t i = 0; i < x->items.size(); ++i) {
      if (i) s += ", ";
      s += expr(x->items[i].key.get()) + " = " + expr(x->items[i].value.get());
    }
    return "Object[" + r + " open=" + rng(x->open_range) + "](" + s + ")";
  }
  if (auto* x = dynamic_cast<const ForExpr*>(e))
    return "For[" + r + " open=" + rng(x->open_range) + " close=" + rng(x->close_range) + "](" +
           x->key_var + "," + x->val_var + " in " + expr(x->coll_expr.get()) + " : " +
           expr(x->key_expr.get()) + " => " + expr(x->val_expr.get()) + " if " +
           expr(x->cond_expr.get()) + " group=" + (x->group ? "true" : "false") + ")";
  if (dynamic_cast<const AnonSymbolExpr*>(e)) return "Anon[" + r + "]";
  if (auto* x = dynamic_cast<const SplatExpr*>(e))
    return "Splat[" + r + " marker=" + rng(x->marker_range) + "](" + expr(x->source.get()) + ", " +
           expr(x->each.get()) + ")";
  if (auto* x = dynamic_cast<const BinaryOpExpr*>(e))
    return "Bin[" + r + "](" + expr(x->lhs.get()) + " " + op(x->op) + " " + expr(x->rhs.get()) +
           ")";
  if (auto* x = dynamic_cast<const UnaryOpExpr*>(e))
    return "Un[" + r + " sym=" + rng(x->symbol_range) + "](" + op(x->op) + " " +
           expr(x->operand.get()) + ")";
  if (auto* x = dynamic_cast<const TemplateExpr*>(e))
    return "Tmpl[" + r + "](" + join(x->parts) + ")";
  if (auto* x = dynamic_cast<const TemplateJoinExpr*>(e))
    return "Join[" + r + "](" + expr(x->tuple.get()) + ")";
  if (auto* x = dynamic_cast<const TemplateWrapExpr*>(e))
    return "Wrap[" + r + "](" + expr(x->wrapped.get()) + ")";
  return "?";
}

inline std::string body(const NativeBody& b, const std::string& ind) {
  std::string out = ind + "Body[" + rng(b.src_range) + " end=" + rng(b.end_range) + "]\n";
  for (const auto& [n, a] : b.attributes)
    out += ind + "  attr " + n + " [" + rng(a.src_range) + " name=" + rng(a.name_range) +
           " eq=" + rng(a.equals_range) + "] = " + expr(a.expr.get()) + "\n";
  for (const auto& bl : b.blocks) {
    std::string lr;
    for (size_t i = 0; i < bl.labels.size(); ++i) {
      if (i) lr += " ";
      lr += detail::go_quote(bl.labels[i]) + "@" + rng(bl.label_ranges[i]);
    }
    out += ind + "  block " + bl.type + "@" + rng(bl.type_range) + " [" + lr +
           "] open=" + rng(bl.open_brace_range) + " close=" + rng(bl.close_brace_range) + "\n";
    out += body(*bl.body, ind + "    ");
  }
  return out;
}

inline std::string diags(const Diagnostics& ds) {
  std::string out;
  for (const auto& d : ds)
    out += "DIAG " + d.summary + " | " + d.detail + " | " + (d.subject ? rng(*d.subject) : "-") +
           " | " + (d.context ? rng(*d.context) : "-") + "\n";
  return out;
}

}  // namespace kiln::hcl::syntax::dump
