// Templates (expression_template.go): interpolation converts each part to a
// string; %{for}/%{if} directives are lowered by the parser to a
// TemplateJoinExpr over a for expression or conditional.
#include <fmt/format.h>

#include "hcl/ast.h"
#include "hcl/eval_util.h"

namespace kiln::hcl::syntax {

using namespace eval_detail;

Value TemplateExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  // A lone literal needs no buffer.
  if (parts.size() == 1) {
    if (auto* lit = node_as<LiteralValueExpr>(parts[0].get());
        lit && lit->val.type().kind() == Type::Kind::String && lit->val.is_known() &&
        !lit->val.is_null()) {
      return lit->val;
    }
  }
  std::string buf;
  bool known = true;
  uint8_t marks = kMarkNone;
  for (const auto& part : parts) {
    Value v = part->value(ctx, diags);
    if (v.is_null()) {
      diags.error("Invalid template interpolation value",
                  "The expression result is null. Cannot include a null value in a string "
                  "template.",
                  range_of(part.get()), src_range);
      continue;
    }
    marks |= v.marks();
    if (!v.is_known()) {
      known = false;
      continue;
    }
    if (v.type().kind() == Type::Kind::String) {
      if (known) buf += v.unmarked().as_string();
      continue;
    }
    std::string err;
    auto s = convert(v.unmarked(), Type::string(), &err);
    if (!s) {
      diags.error("Invalid template interpolation value",
                  fmt::format("Cannot include the given value in a string template: {}.", err),
                  range_of(part.get()), src_range);
      continue;
    }
    if (!s->is_known()) {
      known = false;
      continue;
    }
    if (known) buf += s->unmarked().as_string();
  }
  Value ret = known ? Value::string(std::move(buf)) : Value::unknown(Type::string());
  return add_marks(std::move(ret), marks);
}

Value TemplateJoinExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  Value tup = tuple->value(ctx, diags);
  const Range r = range_of(this);
  if (tup.is_null() || tup.type().is_dynamic()) {
    // hcl panics on a null tuple; the parser never produces one.
    return Value::unknown(Type::string());
  }
  if (!tup.type().is_tuple()) {
    // hcl panics here too; a conditional directive always yields a tuple.
    return Value::unknown(Type::string());
  }
  if (!tup.is_known()) return Value::unknown(Type::string());

  const uint8_t tuple_marks = tup.marks();
  uint8_t marks = tuple_marks;
  const Value unmarked = tup.unmarked();
  std::string buf;
  for (const Value& val : unmarked.elements()) {
    if (val.is_null()) {
      diags.error("Invalid template interpolation value",
                  "An iteration result is null. Cannot include a null value in a string "
                  "template.",
                  r);
      continue;
    }
    if (val.type().is_dynamic()) return add_marks(Value::unknown(Type::string()), tuple_marks);
    std::string err;
    auto s = convert(val, Type::string(), &err);
    if (!s) {
      diags.error("Invalid template interpolation value",
                  fmt::format("Cannot include one of the interpolation results into the string "
                              "template: {}.",
                              err),
                  r);
      continue;
    }
    if (!val.is_known()) return add_marks(Value::unknown(Type::string()), tuple_marks);
    marks |= s->marks();
    buf += s->unmarked().as_string();
  }
  return add_marks(Value::string(std::move(buf)), marks);
}

Value TemplateWrapExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  return wrapped->value(ctx, diags);
}

}  // namespace kiln::hcl::syntax
