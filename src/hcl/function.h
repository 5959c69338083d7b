// Functions callable from expressions, with cty's function.Function call
// protocol: parameters are converted to their types; unknown, null and
// marked arguments are handled as cty does unless a parameter allows them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hcl/value.h"

namespace kiln::hcl {

struct FunctionParam {
  std::string name;
  Type type;  // Type::dynamic() accepts anything
  bool allow_null = false;
  bool allow_unknown = false;
  bool allow_dynamic_type = false;
  bool allow_marked = false;
};

// An error from a function: with arg_index >= 0 HCL reports it as
// "Invalid function argument" pointing at that argument, else as
// "Error in function call".
struct FunctionError {
  std::string message;
  int arg_index = -1;
};

struct Function {
  std::string description;
  std::vector<FunctionParam> params;
  std::optional<FunctionParam> var_param;
  // Result type from the (converted) arguments, which may be unknown.
  std::function<std::optional<Type>(const std::vector<Value>& args, FunctionError* err)> type;
  // The result; called only when the arguments are known enough (see cty).
  std::function<std::optional<Value>(const std::vector<Value>& args, const Type& ret_type,
                                     FunctionError* err)>
      impl;
  // When true, the function's result is not unknown just because an
  // argument is (functions that inspect their argument, like `can`).
  bool refine_unknown = false;
};

// cty's Function.Call: checks the arity, converts, handles unknown/null/
// marks, calls type then impl. Arity errors have arg_index -1 and cty's
// message ("missing argument", "too many arguments").
std::optional<Value> call_function(const Function& fn, std::vector<Value> args,
                                   FunctionError* err);

}  // namespace kiln::hcl
