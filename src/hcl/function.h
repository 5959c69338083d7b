// Functions callable from expressions, with cty's function.Function call
// protocol: parameters are converted to their types; unknown, null and
// marked arguments are handled as cty does unless a parameter allows them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hcl/diagnostic.h"
#include "hcl/source.h"
#include "hcl/value.h"

namespace kiln::hcl {

class Expression;
struct EvalContext;

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
  // Set for functions that take their arguments as expressions rather than
  // values (HCL's customdecode: can, try, convert). A native-syntax call
  // then hands the unevaluated arguments to this instead of evaluating them
  // and calling impl; it reports its own diagnostics. call_range is the
  // whole call, name_range the function's name.
  std::function<Value(const std::vector<const Expression*>& args, const EvalContext* ctx,
                      const Range& call_range, const Range& name_range, Diagnostics& diags)>
      expr_call;
};

// cty's Function.Call: checks the arity, converts, handles unknown/null/
// marks, calls type then impl. Arity errors have arg_index -1 and cty's
// message ("wrong number of arguments (2 required; 1 given)", "... (at
// least 1 required; 0 given)"); a conversion error has the argument's index
// and convert's message; a null argument "argument must not be null".
std::optional<Value> call_function(const Function& fn, std::vector<Value> args, FunctionError* err);
// The same without converting the arguments first: for callers that have
// already converted each argument to its parameter's type (as hclsyntax
// does, to report conversion errors itself).
std::optional<Value> call_function_converted(const Function& fn, std::vector<Value> args,
                                             FunctionError* err);

}  // namespace kiln::hcl
