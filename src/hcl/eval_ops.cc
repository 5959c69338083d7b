// Binary and unary operators (expression_ops.go), implemented with the same
// parameter specs as cty's stdlib functions (Add, Equal, And ...) and called
// through the function call protocol, so unknowns, nulls and marks behave
// as in HCL.
#include <fmt/format.h>

#include "hcl/ast.h"
#include "hcl/eval_util.h"

namespace kiln::hcl::syntax {

using namespace eval_detail;

namespace {

FunctionParam param(const char* name, Type t, bool any_value, bool allow_marked) {
  FunctionParam p;
  p.name = name;
  p.type = std::move(t);
  p.allow_dynamic_type = true;
  p.allow_marked = allow_marked;
  if (any_value) {
    p.allow_null = true;
    p.allow_unknown = true;
  }
  return p;
}

using NumImpl = std::optional<Value> (*)(const Number&, const Number&, FunctionError*);

std::optional<Value> fail(FunctionError* err, const char* msg) {
  err->message = msg;
  err->arg_index = -1;
  return std::nullopt;
}

// Numbers are unmarked by the protocol unless the params allow marks; the
// comparison functions allow them and keep them on the result, as cty's
// Value methods do.
Function number_binary(NumImpl impl, bool allow_marked, Type ret) {
  Function f;
  f.params = {param("a", Type::number(), false, allow_marked),
              param("b", Type::number(), false, allow_marked)};
  f.type = [ret](const std::vector<Value>&, FunctionError*) -> std::optional<Type> { return ret; };
  f.impl = [impl](const std::vector<Value>& args, const Type&,
                  FunctionError* err) -> std::optional<Value> {
    const uint8_t marks = static_cast<uint8_t>(args[0].marks() | args[1].marks());
    auto r = impl(args[0].unmarked().as_number(), args[1].unmarked().as_number(), err);
    if (r && marks != kMarkNone) return add_marks(std::move(*r), marks);
    return r;
  };
  return f;
}

std::optional<Value> add_impl(const Number& a, const Number& b, FunctionError* err) {
  if (a.is_inf() && b.is_inf() && a.is_negative() != b.is_negative()) {
    return fail(err, "can't compute sum of opposing infinities");
  }
  return Value::number(a + b);
}
std::optional<Value> sub_impl(const Number& a, const Number& b, FunctionError* err) {
  if (a.is_inf() && b.is_inf() && a.is_negative() == b.is_negative()) {
    return fail(err, "can't subtract infinity from itself");
  }
  return Value::number(a - b);
}
std::optional<Value> mul_impl(const Number& a, const Number& b, FunctionError* err) {
  if ((a.is_inf() && b.is_zero()) || (a.is_zero() && b.is_inf())) {
    return fail(err, "can't multiply zero by infinity");
  }
  return Value::number(a * b);
}
std::optional<Value> div_impl(const Number& a, const Number& b, FunctionError* err) {
  if ((a.is_zero() && b.is_zero()) || (a.is_inf() && b.is_inf())) {
    return fail(err, "can't divide zero by zero or infinity by infinity");
  }
  return Value::number(a / b);
}
std::optional<Value> mod_impl(const Number& a, const Number& b, FunctionError* err) {
  if (a.is_inf() || b.is_inf()) {
    if (a.is_zero() || b.is_zero()) return fail(err, "can't use modulo with zero and infinity");
    return Value::number(a * b);
  }
  if (b.is_zero()) return Value::number(a);
  return Value::number(a.mod(b));
}
std::optional<Value> gt_impl(const Number& a, const Number& b, FunctionError*) {
  return Value::boolean(a.compare(b) > 0);
}
std::optional<Value> ge_impl(const Number& a, const Number& b, FunctionError*) {
  return Value::boolean(a.compare(b) >= 0);
}
std::optional<Value> lt_impl(const Number& a, const Number& b, FunctionError*) {
  return Value::boolean(a.compare(b) < 0);
}
std::optional<Value> le_impl(const Number& a, const Number& b, FunctionError*) {
  return Value::boolean(a.compare(b) <= 0);
}

Function equality(bool negate) {
  Function f;
  f.params = {param("a", Type::dynamic(), true, false), param("b", Type::dynamic(), true, false)};
  f.type = [](const std::vector<Value>&, FunctionError*) -> std::optional<Type> {
    return Type::boolean();
  };
  f.impl = [negate](const std::vector<Value>& args, const Type&,
                    FunctionError*) -> std::optional<Value> {
    Value eq = args[0].equals(args[1]);
    if (!negate || !eq.is_known()) return eq;
    return add_marks(Value::boolean(!eq.unmarked().as_bool()), eq.marks());
  };
  return f;
}

Function logical(Op op) {
  Function f;
  if (op == Op::Not) {
    f.params = {param("val", Type::boolean(), false, true)};
  } else {
    f.params = {param("a", Type::boolean(), false, true), param("b", Type::boolean(), false, true)};
  }
  f.type = [](const std::vector<Value>&, FunctionError*) -> std::optional<Type> {
    return Type::boolean();
  };
  f.impl = [op](const std::vector<Value>& args, const Type&,
                FunctionError*) -> std::optional<Value> {
    uint8_t marks = kMarkNone;
    for (const auto& a : args) marks |= a.marks();
    bool r;
    if (op == Op::Not) {
      r = !args[0].unmarked().as_bool();
    } else if (op == Op::And) {
      r = args[0].unmarked().as_bool() && args[1].unmarked().as_bool();
    } else {
      r = args[0].unmarked().as_bool() || args[1].unmarked().as_bool();
    }
    return add_marks(Value::boolean(r), marks);
  };
  return f;
}

Function negate_fn() {
  Function f;
  f.params = {param("num", Type::number(), false, true)};
  f.type = [](const std::vector<Value>&, FunctionError*) -> std::optional<Type> {
    return Type::number();
  };
  f.impl = [](const std::vector<Value>& args, const Type&, FunctionError*) -> std::optional<Value> {
    return add_marks(Value::number(-args[0].unmarked().as_number()), args[0].marks());
  };
  return f;
}

struct Operation {
  Function fn;
  Type result;  // cty type of the result, for unknown results on errors
};

const Operation& operation(Op op) {
  static const Operation ops[] = {
      /* Or */ {logical(Op::Or), Type::boolean()},
      /* And */ {logical(Op::And), Type::boolean()},
      /* Not */ {logical(Op::Not), Type::boolean()},
      /* Equal */ {equality(false), Type::boolean()},
      /* NotEqual */ {equality(true), Type::boolean()},
      /* GreaterThan */ {number_binary(gt_impl, true, Type::boolean()), Type::boolean()},
      /* GreaterThanOrEqual */ {number_binary(ge_impl, true, Type::boolean()), Type::boolean()},
      /* LessThan */ {number_binary(lt_impl, true, Type::boolean()), Type::boolean()},
      /* LessThanOrEqual */ {number_binary(le_impl, true, Type::boolean()), Type::boolean()},
      /* Add */ {number_binary(add_impl, false, Type::number()), Type::number()},
      /* Subtract */ {number_binary(sub_impl, false, Type::number()), Type::number()},
      /* Multiply */ {number_binary(mul_impl, false, Type::number()), Type::number()},
      /* Divide */ {number_binary(div_impl, false, Type::number()), Type::number()},
      /* Modulo */ {number_binary(mod_impl, false, Type::number()), Type::number()},
      /* Negate */ {negate_fn(), Type::number()},
  };
  return ops[static_cast<size_t>(op)];
}

// convert() to a parameter's type; dynamic accepts anything as it is.
std::optional<Value> convert_operand(const Value& v, const Type& t, std::string* err) {
  if (t.is_dynamic() || v.type() == t) return v;
  return convert(v, t, err);
}

}  // namespace

Value BinaryOpExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  if (is_left_spine(lhs.get())) return eval_left_spine(this, ctx, diags);
  const size_t before = diags.size();
  Value given_l = lhs->value(ctx, diags);
  return eval_detail::apply_binary(*this, std::move(given_l), ctx, diags, before);
}

namespace {

// HCL 2.22+ short-circuits && and ||: when one known side decides the
// result, the other side's diagnostics are dropped, so `x == null || x.a`
// is true for a null x (as Packer 1.16 evaluates it; HCL 2.14 reported the
// error). Returns nullopt when nothing is decided.
std::optional<Value> short_circuit(Op op, const Value& l, const Value& r, Diagnostics& ld,
                                   Diagnostics& rd, Diagnostics** keep) {
  if (op != Op::Or && op != Op::And) return std::nullopt;
  const bool controlling = op == Op::Or;  // the value that decides alone
  if (!l.is_known() && !r.is_known()) {
    if (ld.has_errors()) return std::nullopt;  // collect both sides' errors
    *keep = &ld;
    return Value::unknown(Type::boolean());
  }
  if (l.is_known() && !l.is_null() && l.as_bool() == controlling) {
    *keep = &ld;
    return Value::boolean(controlling);
  }
  if (r.is_known() && !r.is_null() && r.as_bool() == controlling) {
    *keep = &rd;
    return Value::boolean(controlling);
  }
  if (!l.is_known() && !r.is_null() && r.as_bool() != controlling) {
    *keep = &ld;
    return Value::unknown(Type::boolean());
  }
  if (!r.is_known() && !l.is_null() && l.as_bool() != controlling) {
    *keep = &rd;
    return Value::unknown(Type::boolean());
  }
  return std::nullopt;
}

}  // namespace

Value eval_detail::apply_binary(const BinaryOpExpr& e, Value given_l, const EvalContext* ctx,
                                Diagnostics& diags, size_t before) {
  const Operation& operation_ = operation(e.op);
  const auto& params = operation_.fn.params;
  const Node* lhs = e.lhs.get();
  const Node* rhs = e.rhs.get();
  const Range& src_range = e.src_range;

  // As HCL 2.24: the operands' own diagnostics are kept apart, conversion
  // errors come first, and && / || may drop one side's diagnostics.
  Diagnostics ld(std::make_move_iterator(diags.begin() + before),
                 std::make_move_iterator(diags.end()));
  diags.resize(before);
  Diagnostics rd;
  Value given_r = rhs->value(ctx, rd);

  std::string err;
  auto l = convert_operand(given_l, params[0].type, &err);
  if (!l) {
    diags.error("Invalid operand", fmt::format("Unsuitable value for left operand: {}.", err),
                range_of(lhs), src_range);
  }
  err.clear();
  auto r = convert_operand(given_r, params[1].type, &err);
  if (!r) {
    diags.error("Invalid operand", fmt::format("Unsuitable value for right operand: {}.", err),
                range_of(rhs), src_range);
  }
  if (has_errors_since(diags, before)) {
    diags.append(ld);
    diags.append(rd);
    return Value::unknown(operation_.result);
  }

  const uint8_t marks = static_cast<uint8_t>(l->marks() | r->marks());
  Diagnostics* keep = nullptr;
  if (auto forced = short_circuit(e.op, l->unmarked(), r->unmarked(), ld, rd, &keep)) {
    diags.append(*keep);
    return marks != kMarkNone ? forced->with_marks(marks) : std::move(*forced);
  }

  diags.append(ld);
  diags.append(rd);
  if (has_errors_since(diags, before)) {
    Value u = Value::unknown(operation_.result);
    return marks != kMarkNone ? u.with_marks(marks) : u;
  }

  FunctionError ferr;
  std::vector<Value> args;
  args.reserve(2);
  args.push_back(std::move(*l));
  args.push_back(std::move(*r));
  auto result = call_function_converted(operation_.fn, std::move(args), &ferr);
  if (!result) {
    diags.error("Operation failed", fmt::format("Error during operation: {}.", ferr.message),
                src_range);
    return Value::unknown(operation_.result);
  }
  return std::move(*result);
}

Value UnaryOpExpr::value(const EvalContext* ctx, Diagnostics& diags) const {
  const Operation& operation_ = operation(op);
  const size_t before = diags.size();
  Value given = operand->value(ctx, diags);
  std::string err;
  auto v = convert_operand(given, operation_.fn.params[0].type, &err);
  if (!v) {
    diags.error("Invalid operand", fmt::format("Unsuitable value for unary operand: {}.", err),
                range_of(operand.get()), src_range);
  }
  if (has_errors_since(diags, before)) return Value::unknown(operation_.result);

  FunctionError ferr;
  std::vector<Value> args;
  args.push_back(std::move(*v));
  auto result = call_function_converted(operation_.fn, std::move(args), &ferr);
  if (!result) {
    diags.error("Operation failed", fmt::format("Error during operation: {}.", ferr.message),
                src_range);
    return Value::unknown(operation_.result);
  }
  return std::move(*result);
}

}  // namespace kiln::hcl::syntax
