// cty's Function.Call protocol (function/function.go): arity, parameter
// checks (null, dynamic type), unknown short-circuit, marks stripped before
// the implementation and re-applied to its result.
#include "hcl/function.h"

#include <fmt/format.h>

namespace kiln::hcl {

namespace {

const FunctionParam& param_for(const Function& fn, size_t i) {
  return i < fn.params.size() ? fn.params[i] : *fn.var_param;
}

bool set_error(FunctionError* err, std::string message, int arg_index) {
  if (err) {
    err->message = std::move(message);
    err->arg_index = arg_index;
  }
  return false;
}

bool check_arity(const Function& fn, size_t n, FunctionError* err) {
  if (!fn.var_param) {
    if (n != fn.params.size()) {
      return set_error(
          err,
          fmt::format("wrong number of arguments ({} required; {} given)", fn.params.size(), n),
          -1);
    }
  } else if (n < fn.params.size()) {
    return set_error(err,
                     fmt::format("wrong number of arguments (at least {} required; {} given)",
                                 fn.params.size(), n),
                     -1);
  }
  return true;
}

}  // namespace

std::optional<Value> call_function_converted(const Function& fn, std::vector<Value> args,
                                             FunctionError* err) {
  if (!check_arity(fn, args.size(), err)) return std::nullopt;

  // ReturnTypeForValues: null and dynamic-type checks, in parameter order.
  // Marked arguments are unmarked (deeply) for the type callback unless the
  // parameter allows marks.
  bool dynamic_result = false;
  std::vector<Value> type_args;  // only materialised when something is unmarked
  for (size_t i = 0; i < args.size(); ++i) {
    const FunctionParam& p = param_for(fn, i);
    const Value& v = args[i];
    if (!p.allow_marked && v.contains_marks()) {
      if (type_args.empty()) type_args = args;
      type_args[i] = v.unmarked_deep();
    }
    if (v.is_null() && !p.allow_null) {
      set_error(err, "argument must not be null", static_cast<int>(i));
      return std::nullopt;
    }
    if (v.type().is_dynamic() && !p.allow_dynamic_type) {
      dynamic_result = true;
      break;
    }
  }

  Type ret_type = Type::dynamic();
  if (!dynamic_result && fn.type) {
    FunctionError terr;
    auto t = fn.type(type_args.empty() ? args : type_args, &terr);
    if (!t) {
      if (err) *err = std::move(terr);
      return std::nullopt;
    }
    ret_type = std::move(*t);
  }

  // Call: unknown arguments short-circuit unless allowed; marks are
  // stripped and collected.
  uint8_t result_marks = kMarkNone;
  for (size_t i = 0; i < args.size(); ++i) {
    const FunctionParam& p = param_for(fn, i);
    Value& v = args[i];
    if (!v.is_known() && !p.allow_unknown && !fn.refine_unknown) {
      return Value::unknown(ret_type);
    }
    if (!p.allow_marked && v.contains_marks()) {
      uint8_t removed = kMarkNone;
      v = v.unmarked_deep(&removed);
      result_marks |= removed;
    }
  }

  if (!fn.impl) {
    set_error(err, "function has no implementation", -1);
    return std::nullopt;
  }
  FunctionError ierr;
  auto result = fn.impl(args, ret_type, &ierr);
  if (!result) {
    if (err) *err = std::move(ierr);
    return std::nullopt;
  }
  if (result_marks != kMarkNone) {
    *result = result->with_marks(static_cast<uint8_t>(result->marks() | result_marks));
  }
  return result;
}

std::optional<Value> call_function(const Function& fn, std::vector<Value> args,
                                   FunctionError* err) {
  if (!check_arity(fn, args.size(), err)) return std::nullopt;
  for (size_t i = 0; i < args.size(); ++i) {
    const FunctionParam& p = param_for(fn, i);
    if (p.type.is_dynamic()) continue;
    std::string cerr;
    auto converted = convert(args[i], p.type, &cerr);
    if (!converted) {
      set_error(err, std::move(cerr), static_cast<int>(i));
      return std::nullopt;
    }
    args[i] = std::move(*converted);
  }
  return call_function_converted(fn, std::move(args), err);
}

}  // namespace kiln::hcl
