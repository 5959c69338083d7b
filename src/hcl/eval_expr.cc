// Evaluation of hclsyntax's expression nodes (expression.go): literals,
// traversals, function calls, conditionals, indexing, tuple and object
// constructors, for expressions and splats; and Variables() walks.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <typeinfo>

#include "hcl/ast.h"
#include "hcl/eval_util.h"

namespace kiln::hcl::syntax {

using namespace eval_detail;

// --- shared helpers --------------------------------------------------------

namespace eval_detail {

Range range_of(const Node* n) {
  if (auto* j = node_as<TemplateJoinExpr>(n); j && j->tuple) {
    return range_of(j->tuple.get());
  }
  if (auto* k = node_as<ObjectConsKeyExpr>(n); k && k->wrapped) {
    return range_of(k->wrapped.get());
  }
  return n->range();
}

Range start_range_of(const Node* n) {
  if (auto* p = node_as<ParenthesesExpr>(n); p && p->expr) {
    return start_range_of(p->expr.get());
  }
  if (auto* c = node_as<ConditionalExpr>(n); c && c->condition) {
    return start_range_of(c->condition.get());
  }
  if (auto* b = node_as<BinaryOpExpr>(n); b && b->lhs) {
    return start_range_of(b->lhs.get());
  }
  if (auto* t = node_as<TemplateExpr>(n); t && !t->parts.empty()) {
    return start_range_of(t->parts.front().get());
  }
  if (auto* j = node_as<TemplateJoinExpr>(n); j && j->tuple) {
    return start_range_of(j->tuple.get());
  }
  if (auto* k = node_as<ObjectConsKeyExpr>(n); k && k->wrapped) {
    return start_range_of(k->wrapped.get());
  }
  if (auto* u = node_as<UnaryOpExpr>(n)) return u->symbol_range;
  if (auto* s = node_as<SplatExpr>(n)) return s->marker_range;
  return n->start_range();
}

namespace {

std::u32string decode_utf8(const std::string& s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 0x6) {
      cp = c & 0x1f;
      len = 2;
    } else if ((c >> 4) == 0xe) {
      cp = c & 0x0f;
      len = 3;
    } else if ((c >> 3) == 0x1e) {
      cp = c & 0x07;
      len = 4;
    } else {
      out.push_back(0xfffd);
      ++i;
      continue;
    }
    if (i + len > s.size()) {
      out.push_back(0xfffd);
      ++i;
      continue;
    }
    bool ok = true;
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (!ok) {
      out.push_back(0xfffd);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

size_t levenshtein(const std::u32string& a, const std::u32string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string name_suggestion(const std::string& given, const std::vector<std::string>& candidates) {
  const std::u32string g = decode_utf8(given);
  for (const auto& c : candidates) {
    if (levenshtein(g, decode_utf8(c)) < 3) return c;
  }
  return "";
}

}  // namespace eval_detail

namespace {

// hcl.ExprAsKeyword for the key of an object constructor: a bare name, or
// the keywords null/true/false the parser turned into literals.
std::string keyword_of(const Node* n) {
  if (auto* t = node_as<ScopeTraversalExpr>(n)) {
    if (t->traversal.steps.size() == 1 && !t->traversal.is_relative()) {
      return t->traversal.root_name();
    }
    return "";
  }
  if (auto* l = node_as<LiteralValueExpr>(n)) {
    if (l->val.is_null()) return "null";
    if (l->val.type().kind() == Type::Kind::Bool && l->val.is_known() &&
        l->val.marks() == kMarkNone) {
      return l->val.as_bool() ? "true" : "false";
    }
  }
  return "";
}

void collect_variables(const Node* n, std::vector<Traversal>& out) {
  if (!n) return;
  auto vars = n->variables();
  if (out.empty()) {
    out = std::move(vars);
  } else {
    out.insert(out.end(), std::make_move_iterator(vars.begin()),
               std::make_move_iterator(vars.end()));
  }
}

}  // namespace

// --- Variables() --------------------------------------------------------------

// Walks the tree with an explicit stack (left-deep chains can be very
// deep); the nodes with their own variables() are handled in place.
std::vector<Traversal> Node::variables() const {
  std::vector<Traversal> out;
  std::vector<const Node*> stack;
  auto push_children = [&stack](const Node* n) {
    if (auto* k = node_as<ObjectConsKeyExpr>(n)) {
      // A key that reads as a literal name is not a reference.
      if (!k->wrapped || !keyword_of(k->wrapped.get()).empty()) return;
    }
    auto children = n->children();
    for (auto it = children.rbegin(); it != children.rend(); ++it) {
      if (*it) stack.push_back(*it);
    }
  };
  push_children(this);
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    const std::type_info& t = typeid(*n);
    if (t == typeid(ScopeTraversalExpr)) {
      out.push_back(static_cast<const ScopeTraversalExpr*>(n)->traversal);
    } else if (t == typeid(ForExpr)) {
      for (auto& v : n->variables()) out.push_back(std::move(v));
    } else if (t == typeid(AnonSymbolExpr)) {
      continue;
    } else {
      push_children(n);
    }
  }
  return out;
}

std::vector<Traversal> ForExpr::variables() const {
  std::vector<Traversal> out;
  collect_variables(coll_expr.get(), out);
  auto scoped = [&](const Node* n) {
    if (!n) return;
    for (auto& t : n->variables()) {
      if (!t.is_relative()) {
        const std::string& root = t.root_name();
        if ((!key_var.empty() && root == key_var) || root == val_var) continue;
      }
      out.push_back(std::move(t));
    }
  };
  scoped(key_expr.get());
  scoped(val_expr.get());
  scoped(cond_expr.get());
  return out;
}

// --- children() -----------------------------------------------------------------

std::vector<const Node*> FunctionCallExpr::children() const {
  std::vector<const Node*> out;
  out.reserve(args.size());
  for (const auto& a : args) out.push_back(a.get());
  return out;
}

std::vector<const Node*> TupleConsExpr::children() const {
  std::vector<const Node*> out;
  out.reserve(exprs.size());
  for (const auto& e : exprs) out.push_back(e.get());
  return out;
}

std::vector<const Node*> ObjectConsExpr::children() const {
  std::vector<const Node*> out;
  out.reserve(items.size() * 2);
  for (const auto& it : items) {
    out.push_back(it.key.get());
    out.push_back(it.value.get());
  }
  return out;
}

std::vector<const Node*> ForExpr::children() const {
  std::vector<const Node*> out{coll_expr.get()};
  if (key_expr) out.push_back(key_expr.get());
  out.push_back(val_expr.get());
  if (cond_expr) out.push_back(cond_expr.get());
  return out;
}

std::vector<const Node*> TemplateExpr::children() const {
  std::vector<const Node*> out;
  out.reserve(parts.size());
  for (const auto& p : parts) out.push_back(p.get());
  return out;
}

bool TemplateExpr::is_string_literal() const {
  return parts.size() == 1 && node_as<LiteralValueExpr>(parts[0].get()) != nullptr;
}

// --- literals, parentheses, traversals --------------------------------------

Value LiteralValueExpr::value(const EvalContext*, Diagnostics&) const {
  return val;
}

Value ParenthesesExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  return expr->value(ctx, diags);
}

Value ScopeTraversalExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  const auto& steps = traversal.steps;
  if (steps.empty() || steps[0].kind != TraversalStep::Kind::Root) {
    diags.error("Invalid traversal", "A traversal must start with a name.", src_range);
    return Value::dynamic_unknown();
  }
  const TraversalStep& root = steps[0];
  if (!ctx || !ctx->has_variables()) {
    diags.error("Variables not allowed", "Variables may not be used here.", root.range);
    return Value::dynamic_unknown();
  }
  if (const Value* v = ctx->find_variable(root.name)) {
    if (steps.size() == 1) return *v;
    return apply_traversal_steps(*v, steps, 1, diags);
  }
  std::vector<std::string> names;
  for (auto* c = ctx; c; c = c->parent) {
    for (const auto& [k, _] : c->variables) names.push_back(k);
  }
  std::string suggestion = name_suggestion(root.name, names);
  if (!suggestion.empty()) suggestion = fmt::format(" Did you mean \"{}\"?", suggestion);
  diags.error("Unknown variable",
              fmt::format("There is no variable named \"{}\".{}", root.name, suggestion),
              root.range);
  return Value::dynamic_unknown();
}

Value RelativeTraversalExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  if (is_left_spine(source.get())) return eval_left_spine(this, ctx, diags);
  Value src = source->value(ctx, diags);
  return apply_traversal_steps(src, traversal.steps, 0, diags);
}

// --- function calls -------------------------------------------------------------

namespace {

struct CallArg {
  const Node* expr = nullptr;  // the argument, or the expanded one (...)
  bool expanded = false;       // an element of the expanded argument
  Value val;                   // set when expanded

  // hcl reports an argument at its StartRange; an expanded element is a
  // literal whose range is the expanded expression's.
  Range start() const { return expanded ? range_of(expr) : start_range_of(expr); }
};

}  // namespace

Value FunctionCallExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  const Range call_range = Range::between(name_range, close_paren_range);
  const size_t start = diags.size();
  const Function* f = nullptr;
  bool has_map = false;
  const EvalContext* fn_ctx = nullptr;  // the innermost context with functions
  for (auto* c = ctx; c; c = c->parent) {
    if (c->functions.empty()) continue;
    has_map = true;
    if (!fn_ctx) fn_ctx = c;
    auto it = c->functions.find(name);
    if (it != c->functions.end()) {
      f = &it->second;
      break;
    }
  }
  if (!f) {
    if (!has_map) {
      diags.error("Function calls not allowed", "Functions may not be called here.", call_range);
      return Value::dynamic_unknown();
    }
    // Namespaced names (HCL 2.21+, "ns::name"): say whether the namespace
    // or the name within it is wrong.
    if (auto sep = name.rfind("::"); sep != std::string::npos) {
      const std::string ns = name.substr(0, sep + 2);
      const std::string short_name = name.substr(sep + 2);
      std::vector<std::string> in_ns;
      for (const auto& [k, _] : fn_ctx->functions) {
        if (k.compare(0, ns.size(), ns) == 0) in_ns.push_back(k);
      }
      if (in_ns.empty()) {
        diags.error("Call to unknown function",
                    fmt::format("There are no functions in namespace \"{}\".", ns), name_range,
                    call_range);
        return Value::dynamic_unknown();
      }
      std::string suggestion = name_suggestion(short_name, in_ns);
      if (!suggestion.empty()) suggestion = fmt::format(" Did you mean {}{}?", ns, suggestion);
      diags.error("Call to unknown function",
                  fmt::format("There is no function named \"{}\" in namespace {}.{}", short_name,
                              ns, suggestion),
                  name_range, call_range);
      return Value::dynamic_unknown();
    }
    std::vector<std::string> avail;
    avail.reserve(fn_ctx->functions.size());
    for (const auto& [k, _] : fn_ctx->functions) avail.push_back(k);
    std::string suggestion = name_suggestion(name, avail);
    if (!suggestion.empty()) suggestion = fmt::format(" Did you mean \"{}\"?", suggestion);
    diags.error("Call to unknown function",
                fmt::format("There is no function named \"{}\".{}", name, suggestion), name_range,
                call_range);
    return Value::dynamic_unknown();
  }

  if (f->expr_call) {
    std::vector<const Expression*> exprs;
    exprs.reserve(args.size());
    for (const auto& a : args) exprs.push_back(a.get());
    return f->expr_call(exprs, ctx, call_range, name_range, diags);
  }

  const auto& params = f->params;
  const FunctionParam* var_param = f->var_param ? &*f->var_param : nullptr;

  std::vector<CallArg> call_args;
  call_args.reserve(args.size());
  size_t plain = args.size();
  if (expand_final && !args.empty()) {
    plain = args.size() - 1;
    const Node* ex = args.back().get();
    const size_t before = diags.size();
    Value ev = ex->value(ctx, diags);
    if (has_errors_since(diags, before)) return Value::dynamic_unknown();
    const Type& et = ev.type();
    const Range er = range_of(ex);
    if (et.is_dynamic() || et.is_tuple() || et.is_list() || et.is_set()) {
      if (ev.is_null()) {
        diags.error("Invalid expanding argument value",
                    "The expanding argument (indicated by ...) must not be null.", er, call_range);
        return Value::dynamic_unknown();
      }
      if (et.is_dynamic() || !ev.is_known()) return Value::dynamic_unknown();
      for (size_t i = 0; i < plain; ++i) {
        call_args.push_back(CallArg{args[i].get(), false, Value()});
      }
      const uint8_t marks = ev.marks();
      const Value unmarked = ev.unmarked();
      for (const Value& el : unmarked.elements()) {
        call_args.push_back(CallArg{ex, true, add_marks(el, marks)});
      }
    } else {
      diags.error("Invalid expanding argument value",
                  "The expanding argument (indicated by ...) must be of a tuple, list, or set "
                  "type.",
                  er, call_range);
      return Value::dynamic_unknown();
    }
  } else {
    for (const auto& a : args) {
      call_args.push_back(CallArg{a.get(), false, Value()});
    }
  }

  if (call_args.size() < params.size()) {
    // hcl returns only this diagnostic, dropping any from the expansion.
    diags.erase(diags.begin() + static_cast<std::ptrdiff_t>(start), diags.end());
    diags.error(
        "Not enough function arguments",
        fmt::format("Function \"{}\" expects{} {} argument(s). Missing value for \"{}\".", name,
                    var_param ? " at least" : "", params.size(), params[call_args.size()].name),
        close_paren_range, call_range);
    return Value::dynamic_unknown();
  }
  if (!var_param && call_args.size() > params.size()) {
    diags.erase(diags.begin() + static_cast<std::ptrdiff_t>(start), diags.end());
    diags.error("Too many function arguments",
                fmt::format("Function \"{}\" expects only {} argument(s).", name, params.size()),
                call_args[params.size()].start(), call_range);
    return Value::dynamic_unknown();
  }

  std::vector<Value> arg_vals;
  arg_vals.reserve(call_args.size());
  const size_t before = diags.size();
  for (size_t i = 0; i < call_args.size(); ++i) {
    const FunctionParam& param = i < params.size() ? params[i] : *var_param;
    CallArg& a = call_args[i];
    Value v = a.expanded ? std::move(a.val) : a.expr->value(ctx, diags);
    if (!param.type.is_dynamic()) {
      std::string err;
      auto conv = convert(v, param.type, &err);
      if (!conv) {
        diags.error("Invalid function argument",
                    fmt::format("Invalid value for \"{}\" parameter: {}.", param.name, err),
                    a.start(), call_range);
      } else {
        v = std::move(*conv);
      }
    }
    arg_vals.push_back(std::move(v));
  }
  if (has_errors_since(diags, before)) return Value::dynamic_unknown();

  FunctionError ferr;
  auto result = call_function_converted(*f, std::move(arg_vals), &ferr);
  if (result) return std::move(*result);

  if (ferr.arg_index >= 0) {
    const size_t i = static_cast<size_t>(ferr.arg_index);
    const FunctionParam* param = i < params.size() ? &params[i] : var_param;
    if (param && i < call_args.size()) {
      diags.error("Invalid function argument",
                  fmt::format("Invalid value for \"{}\" parameter: {}.", param->name, ferr.message),
                  call_args[i].start(), call_range);
    } else if (param) {
      diags.error("Invalid function argument",
                  fmt::format("Invalid value for \"{}\" parameter: {}.", param->name, ferr.message),
                  call_range);
    } else {
      diags.error("Error in function call",
                  fmt::format("Call to function \"{}\" failed: {}.", name, ferr.message),
                  start_range(), call_range);
    }
  } else {
    diags.error("Error in function call",
                fmt::format("Call to function \"{}\" failed: {}.", name, ferr.message),
                start_range(), call_range);
  }
  return Value::dynamic_unknown();
}

// --- conditional ----------------------------------------------------------------

namespace {

std::string describe_mismatch(const Type& t, const Type& f) {
  if (t.is_object() && f.is_object()) {
    const auto& ta = t.attribute_types();
    const auto& fa = f.attribute_types();
    for (const auto& [name, aty] : ta) {
      auto it = fa.find(name);
      if (it == fa.end()) {
        return fmt::format(
            "The 'true' value includes object attribute \"{}\", which is absent in the 'false' "
            "value",
            name);
      }
      if (aty != it->second) {
        return fmt::format("Type mismatch for object attribute \"{}\": {}", name,
                           describe_mismatch(aty, it->second));
      }
    }
    for (const auto& [name, _] : fa) {
      if (!ta.count(name)) {
        return fmt::format(
            "The 'false' value includes object attribute \"{}\", which is absent in the 'true' "
            "value",
            name);
      }
    }
  } else if (t.is_tuple() && f.is_tuple()) {
    const auto& te = t.tuple_element_types();
    const auto& fe = f.tuple_element_types();
    if (te.size() != fe.size()) {
      return fmt::format("The 'true' tuple has length {}, but the 'false' tuple has length {}",
                         te.size(), fe.size());
    }
    for (size_t i = 0; i < te.size(); ++i) {
      if (te[i] != fe[i]) {
        return fmt::format("Type mismatch for tuple element {}: {}", i,
                           describe_mismatch(te[i], fe[i]));
      }
    }
  } else if (t.is_collection() && f.is_collection() && t.kind() == f.kind()) {
    const Type& tet = t.element_type();
    const Type& fet = f.element_type();
    if ((tet.is_object() && fet.is_object()) || (tet.is_tuple() && fet.is_tuple())) {
      const char* noun = t.is_list() ? "list" : t.is_set() ? "set" : "map";
      return fmt::format("Mismatched {} element types: {}", noun, describe_mismatch(tet, fet));
    }
  }
  const std::string tn = t.friendly_name();
  const std::string fn = f.friendly_name();
  if (tn == fn) {
    return "At least one deeply-nested attribute or element is not compatible across both the "
           "'true' and the 'false' value";
  }
  return fmt::format("The 'true' value is {}, but the 'false' value is {}", tn, fn);
}

bool is_dynamic_null(const Value& v) {
  return v.is_null() && v.type().is_dynamic() && v.marks() == kMarkNone;
}

}  // namespace

Value ConditionalExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  Diagnostics true_diags, false_diags;
  Value t = true_result->value(ctx, true_diags);
  Value f = false_result->value(ctx, false_diags);

  Type result_type = Type::dynamic();
  bool conv_true = false, conv_false = false;
  bool unified = true;
  if (is_dynamic_null(t)) {
    result_type = f.type();
    conv_true = true;
  } else if (is_dynamic_null(f)) {
    result_type = t.type();
    conv_false = true;
  } else if (t.type().is_dynamic() || f.type().is_dynamic()) {
    // stays dynamic; nothing to convert
  } else if (t.type() == f.type()) {
    result_type = t.type();
  } else {
    auto u = unify({t.type(), f.type()});
    if (!u) {
      unified = false;
    } else {
      result_type = *u;
      conv_true = t.type() != result_type;
      conv_false = f.type() != result_type;
    }
  }
  if (!unified) {
    diags.error("Inconsistent conditional result types",
                fmt::format("The true and false result expressions must have consistent types. {}.",
                            describe_mismatch(t.type(), f.type())),
                Range::between(range_of(true_result.get()), range_of(false_result.get())),
                src_range);
    return Value::dynamic_unknown();
  }

  auto cond_range = [this] { return range_of(condition.get()); };
  Value cond = condition->value(ctx, diags);
  if (cond.is_null()) {
    diags.error("Null condition",
                "The condition value is null. Conditions must either be true or false.",
                cond_range(), src_range);
    return Value::unknown(result_type);
  }
  // As HCL 2.24 (2.14 dropped them): the marks of the condition and of both
  // results all go on the result, whichever branch is taken.
  const uint8_t res_marks = static_cast<uint8_t>(cond.marks() | t.marks() | f.marks());
  cond = cond.unmarked();
  t = t.unmarked();
  f = f.unmarked();
  if (!cond.is_known()) {
    // Both branches null: the result is null whatever the condition.
    if (t.is_null() && f.is_null()) return add_marks(Value::null(result_type), res_marks);
    return add_marks(Value::unknown(result_type), res_marks);
  }
  std::string err;
  auto cb = convert(cond, Type::boolean(), &err);
  if (!cb) {
    diags.error("Incorrect condition type", "The condition expression must be of type bool.",
                cond_range(), src_range);
    return Value::unknown(result_type);
  }
  const bool which = cb->unmarked_deep().as_bool();
  Value& chosen = which ? t : f;
  diags.append(which ? true_diags : false_diags);
  if (which ? conv_true : conv_false) {
    std::string cerr;
    auto conv = convert(chosen, result_type, &cerr);
    if (!conv) {
      const Node* n = which ? true_result.get() : false_result.get();
      diags.error("Inconsistent conditional result types",
                  fmt::format("The {} result value has the wrong type: {}.",
                              which ? "true" : "false", cerr),
                  range_of(n), src_range);
      return add_marks(Value::unknown(result_type), res_marks);
    }
    return add_marks(std::move(*conv), res_marks);
  }
  return add_marks(std::move(chosen), res_marks);
}

// --- index ------------------------------------------------------------------------

Value IndexExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  if (is_left_spine(collection.get())) return eval_left_spine(this, ctx, diags);
  Value coll = collection->value(ctx, diags);
  Value k = key->value(ctx, diags);
  return index_value(coll, k, &bracket_range, diags);
}

// --- left spines --------------------------------------------------------------

namespace eval_detail {

namespace {

const Node* spine_child(const Node* n) {
  const std::type_info& t = typeid(*n);
  if (t == typeid(BinaryOpExpr)) return static_cast<const BinaryOpExpr*>(n)->lhs.get();
  if (t == typeid(IndexExpr)) return static_cast<const IndexExpr*>(n)->collection.get();
  if (t == typeid(RelativeTraversalExpr)) {
    return static_cast<const RelativeTraversalExpr*>(n)->source.get();
  }
  return nullptr;
}

}  // namespace

bool is_left_spine(const Node* n) {
  return n && spine_child(n) != nullptr;
}

Value eval_left_spine(const Node* top, const EvalContext* ctx, Diagnostics& diags) {
  std::vector<const Node*> chain;
  const Node* n = top;
  while (const Node* c = spine_child(n)) {
    chain.push_back(n);
    n = c;
  }
  const size_t before = diags.size();
  Value v = n->value(ctx, diags);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const Node* s = *it;
    const std::type_info& t = typeid(*s);
    if (t == typeid(BinaryOpExpr)) {
      v = apply_binary(*static_cast<const BinaryOpExpr*>(s), std::move(v), ctx, diags, before);
    } else if (t == typeid(IndexExpr)) {
      auto* ie = static_cast<const IndexExpr*>(s);
      Value k = ie->key->value(ctx, diags);
      v = index_value(v, k, &ie->bracket_range, diags);
    } else {
      auto* rt = static_cast<const RelativeTraversalExpr*>(s);
      v = apply_traversal_steps(v, rt->traversal.steps, 0, diags);
    }
  }
  return v;
}

}  // namespace eval_detail

// --- constructors -------------------------------------------------------------------

Value TupleConsExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  std::vector<Value> vals;
  vals.reserve(exprs.size());
  for (const auto& e : exprs) vals.push_back(e->value(ctx, diags));
  return Value::tuple(std::move(vals));
}

Value ObjectConsKeyExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  if (!force_non_literal) {
    if (auto* t = node_as<ScopeTraversalExpr>(wrapped.get()); t && t->traversal.steps.size() > 1) {
      diags.error("Ambiguous attribute key",
                  "If this expression is intended to be a reference, wrap it in parentheses. If "
                  "it's instead intended as a literal name containing periods, wrap it in quotes "
                  "to create a string literal.",
                  range_of(this));
      return Value::dynamic_unknown();
    }
    std::string kw = keyword_of(wrapped.get());
    if (!kw.empty()) return Value::string(std::move(kw));
  }
  return wrapped->value(ctx, diags);
}

Value ObjectConsExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  std::map<std::string, Value> vals;
  uint8_t marks = kMarkNone;
  bool known = true;
  for (const auto& item : items) {
    Diagnostics key_diags;
    Value k = item.key->value(ctx, key_diags);
    const bool key_failed = key_diags.has_errors();
    diags.append(key_diags);
    Value v = item.value->value(ctx, diags);
    if (key_failed) {
      known = false;
      continue;
    }
    if (k.is_null()) {
      diags.error("Null value as key", "Can't use a null value as a key.",
                  range_of(item.value.get()));
      known = false;
      continue;
    }
    marks |= k.marks();
    std::string err;
    auto ks = convert(k.unmarked(), Type::string(), &err);
    if (!ks) {
      diags.error("Incorrect key type", fmt::format("Can't use this value as a key: {}.", err),
                  range_of(item.key.get()));
      known = false;
      continue;
    }
    if (!ks->is_known()) {
      known = false;
      continue;
    }
    vals.insert_or_assign(ks->as_string(), std::move(v));
  }
  if (!known) return Value::dynamic_unknown();
  return add_marks(Value::object(std::move(vals)), marks);
}

// --- for expressions ---------------------------------------------------------------

namespace {

// Element iteration as cty's ElementIterator: lists/tuples/sets give
// (index, value), maps/objects (key string, value).
template <typename F>
void for_each_element(const Value& coll, F&& fn) {
  const Type& t = coll.type();
  if (t.is_list() || t.is_tuple() || t.is_set()) {
    const auto& elems = coll.elements();
    for (size_t i = 0; i < elems.size(); ++i) {
      if (t.is_set()) {
        fn(elems[i], elems[i]);
      } else {
        fn(Value::number(static_cast<int64_t>(i)), elems[i]);
      }
    }
  } else {
    for (const auto& [k, v] : coll.attributes()) fn(Value::string(k), v);
  }
}

}  // namespace

Value ForExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  uint8_t marks = kMarkNone;
  auto coll_range = [this] { return range_of(coll_expr.get()); };
  Value coll = coll_expr->value(ctx, diags);
  if (coll.is_null()) {
    diags.error("Iteration over null value",
                "A null value cannot be used as the collection in a 'for' expression.",
                coll_range(), src_range);
    return Value::dynamic_unknown();
  }
  if (coll.type().is_dynamic()) return Value::dynamic_unknown();
  marks |= coll.marks();
  coll = coll.unmarked();
  const Type& ct = coll.type();
  if (!(ct.is_collection() || ct.is_object() || ct.is_tuple())) {
    diags.error("Iteration over non-iterable value",
                fmt::format("A value of type {} cannot be used as the collection in a 'for' "
                            "expression.",
                            ct.friendly_name()),
                coll_range(), src_range);
    return Value::dynamic_unknown();
  }

  EvalContext child;
  child.parent = ctx;
  auto cond_range = [this] { return range_of(cond_expr.get()); };

  // As HCL 2.24: the condition is checked before an unknown collection
  // returns early, and its marks go on that unknown result.
  uint8_t cond_marks = kMarkNone;
  if (cond_expr) {
    if (!key_var.empty()) child.variables[key_var] = Value::dynamic_unknown();
    child.variables[val_var] = Value::dynamic_unknown();
    const size_t before = diags.size();
    Value r = cond_expr->value(&child, diags);
    const bool cond_errors = has_errors_since(diags, before);
    if (r.is_null()) {
      diags.error("Condition is null", "The value of the 'if' clause must not be null.",
                  cond_range(), src_range);
      return Value::dynamic_unknown();
    }
    cond_marks = r.marks();
    std::string err;
    if (!convert(r, Type::boolean(), &err)) {
      diags.error("Invalid 'for' condition",
                  fmt::format("The 'if' clause value is invalid: {}.", err), cond_range(),
                  src_range);
      return Value::dynamic_unknown();
    }
    if (cond_errors) return Value::dynamic_unknown();
  }
  if (!coll.is_known()) return add_marks(Value::dynamic_unknown(), marks | cond_marks);

  const bool producing_object = key_expr != nullptr;
  bool known = true;
  std::map<std::string, Value> obj_vals;
  std::map<std::string, std::vector<Value>> groups;
  std::vector<Value> tuple_vals;

  for_each_element(coll, [&](const Value& k, const Value& v) {
    if (!key_var.empty()) child.variables.insert_or_assign(key_var, k);
    child.variables.insert_or_assign(val_var, v);

    if (cond_expr) {
      Value inc_raw = cond_expr->value(&child, diags);
      if (inc_raw.is_null()) {
        if (known) {
          diags.error("Invalid 'for' condition", "The value of the 'if' clause must not be null.",
                      cond_range(), src_range);
        }
        known = false;
        return;
      }
      marks |= inc_raw.marks();
      if (!producing_object && !inc_raw.is_known()) {
        known = false;
        return;
      }
      std::string err;
      auto inc = convert(inc_raw, Type::boolean(), &err);
      if (!inc) {
        if (known) {
          diags.error("Invalid 'for' condition",
                      fmt::format("The 'if' clause value is invalid: {}.", err), cond_range(),
                      src_range);
        }
        known = false;
        return;
      }
      if (!inc->is_known()) {
        known = false;
        return;
      }
      if (!inc->unmarked().as_bool()) return;
    }

    if (!producing_object) {
      tuple_vals.push_back(val_expr->value(&child, diags));
      return;
    }

    auto key_range = [this] { return range_of(key_expr.get()); };
    Value key_raw = key_expr->value(&child, diags);
    if (key_raw.is_null()) {
      if (known) {
        diags.error("Invalid object key",
                    "Key expression in 'for' expression must not produce a null value.",
                    key_range(), src_range);
      }
      known = false;
      return;
    }
    marks |= key_raw.marks();
    if (!key_raw.is_known()) {
      known = false;
      return;
    }
    std::string err;
    auto key = convert(key_raw, Type::string(), &err);
    if (!key) {
      if (known) {
        diags.error("Invalid object key",
                    fmt::format("The key expression produced an invalid result: {}.", err),
                    key_range(), src_range);
      }
      known = false;
      return;
    }
    Value val = val_expr->value(&child, diags);
    const std::string& ks = key->unmarked().as_string();
    if (group) {
      groups[ks].push_back(std::move(val));
    } else if (obj_vals.count(ks)) {
      diags.error("Duplicate object key",
                  fmt::format("Two different items produced the key \"{}\" in this 'for' "
                              "expression. If duplicates are expected, use the ellipsis (...) "
                              "after the value expression to enable grouping by key.",
                              ks),
                  key_range(), src_range);
    } else {
      obj_vals.emplace(ks, std::move(val));
    }
  });

  if (!known) return add_marks(Value::dynamic_unknown(), marks);
  if (!producing_object) return add_marks(Value::tuple(std::move(tuple_vals)), marks);
  if (group) {
    for (auto& [k, vs] : groups) obj_vals.emplace(k, Value::tuple(std::move(vs)));
  }
  return add_marks(Value::object(std::move(obj_vals)), marks);
}

// --- splats ------------------------------------------------------------------------

Value AnonSymbolExpr::value(const EvalContext* ctx, Diagnostics&) const {
  if (!ctx) return Value::dynamic_unknown();
  if (const Value* v = ctx->find_anon(this)) return *v;
  return Value::dynamic_unknown();
}

Value SplatExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  const size_t before = diags.size();
  Value src = source->value(ctx, diags);
  if (has_errors_since(diags, before)) return Value::dynamic_unknown();

  // The source's marks go on every result, as in HCL 2.24.
  const uint8_t src_marks = src.marks();
  Type src_ty = src.type();
  const bool auto_upgrade = !(src_ty.is_tuple() || src_ty.is_list() || src_ty.is_set());
  if (src.is_null()) {
    if (auto_upgrade) return add_marks(Value::empty_tuple(), src_marks);
    const Range sr = range_of(source.get());
    diags.error("Splat of null value",
                "Splat expressions (with the * symbol) cannot be applied to null sequences.", sr,
                Range::between(sr, marker_range));
    return Value::dynamic_unknown();
  }
  if (src_ty.is_dynamic()) return add_marks(Value::dynamic_unknown(), src_marks);

  bool upgraded_unknown = false;
  if (auto_upgrade) {
    upgraded_unknown = !src.is_known();
    src = add_marks(Value::tuple({std::move(src)}), src_marks);
    src_ty = src.type();
  }

  EvalContext child;
  child.parent = ctx;
  child.anon_symbol = item.get();

  auto result_type = [&](Diagnostics& tdiags) -> Type {
    if (src_ty.is_list() || src_ty.is_set()) {
      child.anon_value = Value::unknown(src_ty.element_type());
      Value v = each->value(&child, tdiags);
      return Type::list(v.type());
    }
    std::vector<Type> tys;
    tys.reserve(src_ty.tuple_element_types().size());
    for (const Type& et : src_ty.tuple_element_types()) {
      child.anon_value = Value::unknown(et);
      Value v = each->value(&child, tdiags);
      tys.push_back(v.type());
    }
    return Type::tuple(std::move(tys));
  };

  if (!src.is_known()) {
    Type t = result_type(diags);
    return add_marks(Value::unknown(t), src_marks);
  }

  const Value unmarked = src.unmarked();
  const auto& elems = unmarked.elements();
  std::vector<Value> vals;
  vals.reserve(elems.size());
  bool is_known = true;
  for (const Value& el : elems) {
    child.anon_value = el;
    const size_t b = diags.size();
    vals.push_back(each->value(&child, diags));
    if (has_errors_since(diags, b)) is_known = false;
  }
  if (upgraded_unknown) return add_marks(Value::dynamic_unknown(), src_marks);
  if (!is_known) {
    Diagnostics ignored;
    Type t = result_type(ignored);
    return add_marks(Value::unknown(t), src_marks);
  }
  if (src_ty.is_list() || src_ty.is_set()) {
    if (vals.empty()) {
      Type t = result_type(diags);
      return add_marks(Value::list_empty(t.element_type()), src_marks);
    }
    // A nested splat over scalars can give elements of different types,
    // which no list can hold: HCL 2.24 reports it (2.14 crashed).
    for (size_t i = 1; i < vals.size(); ++i) {
      if (vals[i].type() != vals[0].type()) {
        diags.error("Invalid nested splat expressions",
                    "The second level of splat expression produced elements of different types, "
                    "so it isn't possible to construct a valid list to represent the top-level "
                    "result.\n\nConsider using a for expression instead, to produce a "
                    "tuple-typed result which can therefore have non-homogenous element types.",
                    range_of(each.get()), src_range);
        return Value::dynamic_unknown();
      }
    }
    return add_marks(Value::list(std::move(vals)), src_marks);
  }
  return add_marks(Value::tuple(std::move(vals)), src_marks);
}

}  // namespace kiln::hcl::syntax
