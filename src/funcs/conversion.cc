// can, try (hcl ext/tryfunc) and convert (hcl ext/typeexpr): functions that
// receive their argument expressions unevaluated, plus the type-expression
// decoder typeexpr.TypeConstraint.
#include <fmt/format.h>

#include "funcs/common.h"
#include "hcl/ast.h"
#include "hcl/json_ast.h"

namespace kiln::funcs {

namespace syn = hcl::syntax;
using hcl::Diagnostics;
using hcl::Expression;
using hcl::Range;

namespace {

constexpr const char* kInvalidType = "Invalid type specification";

// hcl.ExprAsKeyword.
std::string expr_as_keyword(const Expression& e) {
  const Expression* x = &e;
  if (auto* k = dynamic_cast<const syn::ObjectConsKeyExpr*>(x)) {
    if (k->force_non_literal) return "";
    x = k->wrapped.get();
  }
  if (auto* t = dynamic_cast<const syn::ScopeTraversalExpr*>(x)) {
    if (t->traversal.steps.size() == 1) return t->traversal.root_name();
  }
  return "";
}

std::optional<Type> get_type(const Expression& expr, Diagnostics& diags);

// The JSON syntax reads a type expression from a string, as native syntax
// (hcl/json's ExprAsKeyword and ExprCall do the same).
std::optional<std::optional<Type>> json_type(const Expression& expr, Diagnostics& diags) {
  auto* je = dynamic_cast<const hcl::json::JsonExpression*>(&expr);
  if (!je) return std::nullopt;
  const auto& node = je->node();
  if (node.kind != hcl::json::Node::Kind::String) {
    diags.error(kInvalidType,
                "A type specification is either a primitive type keyword (bool, number, string) "
                "or a complex type constructor call, like list(string).",
                expr.range());
    return std::optional<Type>(Type::dynamic());
  }
  hcl::Pos start = node.range.start;
  start.column += 1;  // past the opening quote
  start.byte += 1;
  Diagnostics pd;
  auto native = syn::parse_expression(node.text, node.range.filename, start, pd);
  if (pd.has_errors() || !native) {
    diags.error(kInvalidType,
                "A type specification is either a primitive type keyword (bool, number, string) "
                "or a complex type constructor call, like list(string).",
                expr.range());
    return std::optional<Type>(Type::dynamic());
  }
  return get_type(*native, diags);
}

std::optional<Type> get_type(const Expression& expr, Diagnostics& diags) {
  if (auto j = json_type(expr, diags)) return *j;
  auto error = [&](std::string detail, Range subject, std::optional<Range> context = {}) {
    diags.error(kInvalidType, std::move(detail), subject, context);
    return std::optional<Type>(Type::dynamic());
  };
  std::string kw = expr_as_keyword(expr);
  if (kw == "bool") return Type::boolean();
  if (kw == "string") return Type::string();
  if (kw == "number") return Type::number();
  if (kw == "any") return Type::dynamic();
  if (kw == "list" || kw == "map" || kw == "set") {
    return error(fmt::format("The {} type constructor requires one argument specifying the "
                             "element type.",
                             kw),
                 expr.range());
  }
  if (kw == "object") {
    return error(
        "The object type constructor requires one argument specifying the attribute types and "
        "values as a map.",
        expr.range());
  }
  if (kw == "tuple") {
    return error(
        "The tuple type constructor requires one argument specifying the element types as a "
        "list.",
        expr.range());
  }
  if (!kw.empty()) {
    return error(fmt::format("The keyword \"{}\" is not a valid type specification.", kw),
                 expr.range());
  }
  auto* call = dynamic_cast<const syn::FunctionCallExpr*>(&expr);
  if (!call) {
    return error(
        "A type specification is either a primitive type keyword (bool, number, string) or a "
        "complex type constructor call, like list(string).",
        expr.range());
  }
  Range args_range = Range::between(call->open_paren_range, call->close_paren_range);
  const std::string& name = call->name;
  if (name == "bool" || name == "string" || name == "number") {
    return error(fmt::format("Primitive type keyword \"{}\" does not expect arguments.", name),
                 args_range);
  }
  if (name == "any") {
    return error(fmt::format("Type constraint keyword \"{}\" does not expect arguments.", name),
                 args_range);
  }
  if (call->args.size() != 1) {
    Range subject = args_range;
    if (call->args.size() > 1) {
      subject = Range::between(call->args[1]->range(), call->args.back()->range());
    }
    if (name == "list" || name == "set" || name == "map") {
      return error(fmt::format("The {} type constructor requires one argument specifying the "
                               "element type.",
                               name),
                   subject, args_range);
    }
    if (name == "object") {
      return error(
          "The object type constructor requires one argument specifying the attribute types and "
          "values as a map.",
          subject, args_range);
    }
    if (name == "tuple") {
      return error(
          "The tuple type constructor requires one argument specifying the element types as a "
          "list.",
          subject, args_range);
    }
  }
  if (name == "list" || name == "set" || name == "map") {
    auto ety = get_type(*call->args[0], diags);
    if (name == "list") return Type::list(*ety);
    if (name == "set") return Type::set(*ety);
    return Type::map(*ety);
  }
  if (name == "object") {
    auto* obj = dynamic_cast<const syn::ObjectConsExpr*>(call->args[0].get());
    if (!obj) {
      return error(
          "Object type constructor requires a map whose keys are attribute names and whose "
          "values are the corresponding attribute types.",
          call->args[0]->range(), expr.range());
    }
    std::map<std::string, Type> atys;
    std::set<std::string> optional;
    for (const auto& item : obj->items) {
      std::string attr = expr_as_keyword(*item.key);
      if (attr.empty()) {
        diags.error(kInvalidType, "Object constructor map keys must be attribute names.",
                    item.key->range(), expr.range());
        continue;
      }
      if (atys.count(attr)) {
        diags.error(kInvalidType, "Object constructor map keys must be unique.", item.key->range(),
                    expr.range());
        continue;
      }
      const Expression* aty_expr = item.value.get();
      if (auto* oc = dynamic_cast<const syn::FunctionCallExpr*>(aty_expr)) {
        if (oc->name == "optional") {
          Range oargs = Range::between(oc->open_paren_range, oc->close_paren_range);
          if (oc->args.empty()) {
            diags.error(kInvalidType,
                        "Optional attribute modifier requires the attribute type as its "
                        "argument.",
                        oargs, aty_expr->range());
            continue;
          }
          if (oc->args.size() == 1) {
            optional.insert(attr);
          } else {
            diags.error(kInvalidType,
                        "Optional attribute modifier expects only one argument: the attribute "
                        "type.",
                        oargs, aty_expr->range());
          }
          aty_expr = oc->args[0].get();
        }
      }
      auto aty = get_type(*aty_expr, diags);
      atys[attr] = *aty;
    }
    return Type::object(std::move(atys), std::move(optional));
  }
  if (name == "tuple") {
    auto* tup = dynamic_cast<const syn::TupleConsExpr*>(call->args[0].get());
    if (!tup) {
      return error("Tuple type constructor requires a list of element types.",
                   call->args[0]->range(), expr.range());
    }
    std::vector<Type> etys;
    for (const auto& e : tup->exprs) etys.push_back(*get_type(*e, diags));
    return Type::tuple(std::move(etys));
  }
  if (name == "optional") {
    return error(fmt::format("Keyword \"{}\" is valid only as a modifier for object type "
                             "attributes.",
                             name),
                 call->name_range);
  }
  return error(fmt::format("Keyword \"{}\" is not a valid type constructor.", name), expr.range());
}

// The text of diagnostics as tryfunc lists them.
std::string try_failure(const Diagnostics& diags) {
  std::string buf = "no expression succeeded:\n";
  for (const auto& d : diags) {
    if (d.subject) {
      buf += fmt::format("- {} (at {})\n  {}\n", d.summary, d.subject->str(), d.detail);
    } else {
      buf += fmt::format("- {}\n  {}\n", d.summary, d.detail);
    }
  }
  buf += "\nAt least one expression must produce a successful result";
  return buf;
}

}  // namespace

std::optional<Type> type_constraint(const Expression& expr, Diagnostics& diags) {
  Diagnostics local;
  auto t = get_type(expr, local);
  bool bad = local.has_errors();
  diags.append(local);
  if (bad) return std::nullopt;
  return t;
}

bool is_expression_function(const std::string& name) {
  return name == "can" || name == "try" || name == "convert";
}

Value call_expression_function(const std::string& name, const std::vector<const Expression*>& args,
                               const hcl::EvalContext* ctx, const Range& call_range,
                               const Range& start_range, const Range& close_paren_range,
                               Diagnostics& diags) {
  auto call_error = [&](const std::string& msg) {
    diags.error("Error in function call",
                fmt::format("Call to function \"{}\" failed: {}.", name, msg), start_range,
                call_range);
    return Value::dynamic_unknown();
  };
  auto not_enough = [&](size_t nparams, bool var, const char* missing) {
    diags.error("Not enough function arguments",
                fmt::format("Function \"{}\" expects{} {} argument(s). Missing value for \"{}\".",
                            name, var ? " at least" : "", nparams, missing),
                close_paren_range, call_range);
    return Value::dynamic_unknown();
  };
  auto too_many = [&](size_t nparams) {
    diags.error("Too many function arguments",
                fmt::format("Function \"{}\" expects only {} argument(s).", name, nparams),
                args[nparams]->start_range(), call_range);
    return Value::dynamic_unknown();
  };

  if (name == "can") {
    if (args.empty()) return not_enough(1, false, "expression");
    if (args.size() > 1) return too_many(1);
    Diagnostics d;
    Value v = args[0]->value(ctx, d);
    if (d.has_errors()) return Value::boolean(false);
    if (!v.is_wholly_known()) return Value::unknown(Type::boolean());
    return Value::boolean(true);
  }
  if (name == "try") {
    if (args.empty()) return call_error("at least one argument is required");
    Diagnostics all;
    for (const Expression* e : args) {
      Diagnostics d;
      Value v = e->value(ctx, d);
      bool failed = d.has_errors();
      all.append(d);
      if (failed) continue;
      if (!v.is_wholly_known()) return Value::dynamic_unknown();
      return v;
    }
    return call_error(try_failure(all));
  }
  if (name == "convert") {
    if (args.size() < 2) return not_enough(2, false, args.empty() ? "value" : "type");
    if (args.size() > 2) return too_many(2);
    const size_t before = diags.size();
    Value v = args[0]->value(ctx, diags);
    Diagnostics td;
    auto want = type_constraint(*args[1], td);
    diags.append(td);
    bool errors = false;
    for (size_t i = before; i < diags.size(); ++i) {
      if (diags[i].severity == hcl::Severity::Error) errors = true;
    }
    if (errors || !want) return Value::dynamic_unknown();
    // The function call protocol: marks are set aside and put back; an
    // unknown value gives an unknown of the converted type.
    uint8_t marks = hcl::kMarkNone;
    Value plain = v.contains_marks() ? v.unmarked_deep(&marks) : v;
    std::string cerr;
    auto out = hcl::convert(plain, *want, &cerr);
    if (!out) {
      diags.error("Invalid function argument",
                  fmt::format("Invalid value for \"value\" parameter: {}.", cerr),
                  args[0]->start_range(), call_range);
      return Value::dynamic_unknown();
    }
    if (marks != hcl::kMarkNone) *out = out->with_marks(static_cast<uint8_t>(out->marks() | marks));
    return *out;
  }
  return call_error("not an expression function");
}

namespace {

// hcl::Function::expr_call gives the whole call's range and the name's;
// hclsyntax points "Error in function call" at the name and "(", and "Not
// enough function arguments" at the ")", the call's last character.
void attach_expression_call(Function& fn, const std::string& name) {
  fn.expr_call = [name](const std::vector<const Expression*>& args, const hcl::EvalContext* ctx,
                        const Range& call_range, const Range& name_range, Diagnostics& diags) {
    Range start = name_range;
    start.end.column += 1;
    start.end.byte += 1;
    Range close = call_range;
    if (close.end.byte > close.start.byte) {
      close.start = close.end;
      close.start.column -= 1;
      close.start.byte -= 1;
    }
    return call_expression_function(name, args, ctx, call_range, start, close, diags);
  };
}

}  // namespace

void register_conversion(FuncMap& m) {
  // Placeholders that make the names known; calls must go through
  // call_expression_function, which sees the unevaluated arguments. If an
  // evaluator calls them with values anyway, they behave as they would for
  // arguments that evaluated without errors.
  m["can"] =
      make_function({param("expression", Type::dynamic(), kNull | kUnknown | kDynamic | kMarked)},
                    std::nullopt, static_type(Type::boolean()),
                    [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
                      if (!a[0].is_wholly_known()) return Value::unknown(Type::boolean());
                      return Value::boolean(true);
                    });
  m["try"] = make_function(
      {}, param("expressions", Type::dynamic(), kNull | kUnknown | kDynamic | kMarked),
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (a.empty()) return fail(err, "at least one argument is required");
        return a[0].is_wholly_known() ? a[0].type() : Type::dynamic();
      },
      [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
        if (!a[0].is_wholly_known()) return Value::dynamic_unknown();
        return a[0];
      });
  m["convert"] = make_function(
      {param("value", Type::dynamic(), kNull | kDynamic), param("type", Type::dynamic())},
      std::nullopt,
      [](const Args&, FunctionError* err) -> std::optional<Type> {
        return fail(err, "convert needs its type argument as a type expression", 1);
      },
      nullptr);
  for (const char* n : {"can", "try", "convert"}) attach_expression_call(m[n], n);
}

}  // namespace kiln::funcs
