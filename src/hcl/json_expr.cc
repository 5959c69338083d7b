// JSON values as expressions. With an EvalContext strings are native
// templates (and object keys too); without one they are literal strings.
#include <map>

#include "hcl/ast.h"
#include "hcl/json_ast.h"
#include "hcl/json_syntax.h"

namespace kiln::hcl::json {

namespace {

// A string's content has template sequences only if it has "${" or "%{"
// (the escapes "$${" and "%%{" contain them too). Without, the template is
// the literal string itself.
bool may_be_template(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if ((s[i] == '$' || s[i] == '%') && s[i + 1] == '{') return true;
  }
  return false;
}

// Where a string's content starts: just after the opening quote. (Escapes
// removed from the JSON make later positions approximate, as in HCL.)
Pos content_start(const Range& r) {
  Pos p = r.start;
  p.byte += 1;
  p.column += 1;
  return p;
}

syntax::NodePtr parse_string_template(const std::string& text, const Range& range,
                                      Diagnostics& diags) {
  return syntax::parse_template(text, range.filename, content_start(range), diags);
}

Value string_value(const std::string& text, const Range& range, const EvalContext* ctx,
                   Diagnostics& diags) {
  if (ctx == nullptr || !may_be_template(text)) return Value::string(text);
  Diagnostics pd;
  syntax::NodePtr tmpl = parse_string_template(text, range, pd);
  bool failed = pd.has_errors() || !tmpl;
  diags.append(pd);
  if (failed) return Value::dynamic_unknown();
  return tmpl->value(ctx, diags);
}

std::vector<Traversal> string_variables(const std::string& text, const Range& range) {
  if (!may_be_template(text)) return {};
  Diagnostics pd;
  syntax::NodePtr tmpl = parse_string_template(text, range, pd);
  if (pd.has_errors() || !tmpl) return {};
  return tmpl->variables();
}

Value node_value(const Node& n, const EvalContext* ctx, Diagnostics& diags) {
  switch (n.kind) {
    case Node::Kind::String:
      return string_value(n.text, n.range, ctx, diags);
    case Node::Kind::Number: {
      std::optional<Number> num = Number::parse(n.text);
      if (!num) return Value::dynamic_unknown();  // not reached: the parser checked it
      return Value::number(std::move(*num));
    }
    case Node::Kind::Bool:
      return Value::boolean(n.boolean);
    case Node::Kind::Null:
      return Value::null(Type::dynamic());
    case Node::Kind::Array: {
      std::vector<Value> vals;
      vals.reserve(n.values.size());
      for (const auto& e : n.values) vals.push_back(node_value(e, ctx, diags));
      return Value::tuple(std::move(vals));
    }
    case Node::Kind::Object: {
      std::map<std::string, Value> attrs;
      std::map<std::string, Range> attr_ranges;
      bool known = true;
      for (const auto& a : n.attrs) {
        Value name = string_value(a.name, a.name_range, ctx, diags);
        Value val = node_value(a.value, ctx, diags);
        std::string err;
        std::optional<Value> conv = convert(name, Type::string(), &err);
        if (!conv) {
          diags.error("Invalid object key expression",
                      "Cannot use this expression as an object key: " + err + ".", a.name_range);
          continue;
        }
        if (conv->is_null()) {
          diags.error("Invalid object key expression", "Cannot use null value as an object key.",
                      a.name_range);
          continue;
        }
        if (!conv->is_known()) {
          // The object's type cannot be known; keep going for other errors.
          known = false;
          continue;
        }
        const std::string& key = conv->unmarked().as_string();
        auto prev = attr_ranges.find(key);
        if (prev != attr_ranges.end()) {
          diags.error("Duplicate object attribute",
                      "An attribute named " + go_quote(key) + " was already defined at " +
                          prev->second.str() + ".",
                      a.name_range);
          continue;
        }
        attr_ranges.emplace(key, a.name_range);
        attrs.emplace(key, std::move(val));
      }
      if (!known) return Value::dynamic_unknown();
      return Value::object(std::move(attrs));
    }
    case Node::Kind::Invalid:
      break;
  }
  // What failed to parse evaluates to an unknown, for partial results.
  return Value::dynamic_unknown();
}

void node_variables(const Node& n, std::vector<Traversal>& out) {
  switch (n.kind) {
    case Node::Kind::String: {
      auto vars = string_variables(n.text, n.range);
      out.insert(out.end(), std::make_move_iterator(vars.begin()),
                 std::make_move_iterator(vars.end()));
      break;
    }
    case Node::Kind::Array:
      for (const auto& e : n.values) node_variables(e, out);
      break;
    case Node::Kind::Object:
      for (const auto& a : n.attrs) {
        auto vars = string_variables(a.name, a.name_range);
        out.insert(out.end(), std::make_move_iterator(vars.begin()),
                   std::make_move_iterator(vars.end()));
        node_variables(a.value, out);
      }
      break;
    default:
      break;
  }
}

// An expression for an object key: a string node of its own.
ExpressionPtr key_expression(const Attr& a) {
  auto n = std::make_shared<Node>();
  n->kind = Node::Kind::String;
  n->text = a.name;
  n->range = n->open_range = a.name_range;
  return std::make_shared<JsonExpression>(std::move(n));
}

}  // namespace

Value JsonExpression::value(const EvalContext* ctx, Diagnostics& diags) const {
  return node_value(*node_, ctx, diags);
}

std::vector<Traversal> JsonExpression::variables() const {
  std::vector<Traversal> out;
  node_variables(*node_, out);
  return out;
}

// --- static analysis ------------------------------------------------------------

bool is_json_expression(const Expression& expr) {
  return dynamic_cast<const JsonExpression*>(&expr) != nullptr;
}

std::optional<Traversal> as_traversal(const Expression& expr) {
  auto* je = dynamic_cast<const JsonExpression*>(&expr);
  if (je == nullptr || je->node().kind != Node::Kind::String) return std::nullopt;
  const Node& n = je->node();
  Diagnostics d;
  Traversal t = syntax::parse_traversal_abs(n.text, n.range.filename, n.range.start, d);
  if (d.has_errors()) return std::nullopt;
  return t;
}

namespace {

// The AsTraversal of either syntax's expressions; nullopt where there is none.
std::optional<Traversal> traversal_of(const Expression& expr) {
  if (is_json_expression(expr)) return as_traversal(expr);
  if (auto* st = dynamic_cast<const syntax::ScopeTraversalExpr*>(&expr)) return st->traversal;
  if (auto* rt = dynamic_cast<const syntax::RelativeTraversalExpr*>(&expr)) {
    if (!rt->source) return std::nullopt;
    std::optional<Traversal> src = traversal_of(*rt->source);
    if (!src || src->steps.empty()) return std::nullopt;
    src->steps.insert(src->steps.end(), rt->traversal.steps.begin(), rt->traversal.steps.end());
    return src;
  }
  if (auto* lit = dynamic_cast<const syntax::LiteralValueExpr*>(&expr)) {
    // Traversal syntax has no keywords, so these are names there.
    const char* name = nullptr;
    if (lit->val.is_null()) {
      name = "null";
    } else if (lit->val.type() == Type::boolean() && lit->val.is_known() &&
               lit->val.marks() == kMarkNone) {
      name = lit->val.as_bool() ? "true" : "false";
    }
    if (name == nullptr) return std::nullopt;
    TraversalStep root;
    root.kind = TraversalStep::Kind::Root;
    root.name = name;
    root.range = root.src_range = lit->src_range;
    Traversal t;
    t.steps.push_back(std::move(root));
    return t;
  }
  if (auto* key = dynamic_cast<const syntax::ObjectConsKeyExpr*>(&expr)) {
    if (key->force_non_literal || !key->wrapped) return std::nullopt;
    return traversal_of(*key->wrapped);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Traversal> abs_traversal_for_expr(const Expression& expr, Diagnostics& diags) {
  std::optional<Traversal> t = traversal_of(expr);
  if (t && !t->steps.empty()) return t;
  diags.error("Invalid expression",
              "A single static variable reference is required: only attribute access and "
              "indexing with constant keys. No calculations, function calls, template "
              "expressions, etc are allowed here.",
              expr.range());
  return std::nullopt;
}

std::string expr_as_keyword(const Expression& expr) {
  std::optional<Traversal> t = traversal_of(expr);
  if (t && t->steps.size() == 1) return t->steps[0].name;
  return "";
}

std::optional<std::vector<ExpressionPtr>> expr_list(const Expression& expr) {
  auto* je = dynamic_cast<const JsonExpression*>(&expr);
  if (je == nullptr || !je->node().is_array()) return std::nullopt;
  std::vector<ExpressionPtr> out;
  out.reserve(je->node().values.size());
  for (const auto& v : je->node().values)
    out.push_back(std::make_shared<JsonExpression>(NodeRef(je->node_ref(), &v)));
  return out;
}

std::optional<std::vector<std::pair<ExpressionPtr, ExpressionPtr>>> expr_map(
    const Expression& expr) {
  auto* je = dynamic_cast<const JsonExpression*>(&expr);
  if (je == nullptr || !je->node().is_object()) return std::nullopt;
  std::vector<std::pair<ExpressionPtr, ExpressionPtr>> out;
  out.reserve(je->node().attrs.size());
  for (const auto& a : je->node().attrs) {
    out.emplace_back(key_expression(a),
                     std::make_shared<JsonExpression>(NodeRef(je->node_ref(), &a.value)));
  }
  return out;
}

ExpressionPtr native_expression_in_string(const Expression& expr) {
  auto* je = dynamic_cast<const JsonExpression*>(&expr);
  if (je == nullptr || je->node().kind != Node::Kind::String) return nullptr;
  const Node& n = je->node();
  Diagnostics d;
  syntax::NodePtr e = syntax::parse_expression(n.text, n.range.filename, n.range.start, d);
  if (d.has_errors()) return nullptr;
  return e;
}

}  // namespace kiln::hcl::json
