// Packer's HCL function library (go-cty's function/stdlib, hashicorp's
// go-cty-funcs and Packer's own hcl2template/function), as hcl::Function
// values to put into an EvalContext.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hcl/body.h"
#include "hcl/diagnostic.h"
#include "hcl/eval_context.h"
#include "hcl/function.h"
#include "hcl/value.h"

namespace kiln::funcs {

struct FuncsOptions {
  // path.root: the directory of the template; file(), fileexists(),
  // fileset() and templatefile() resolve relative paths against it.
  std::string path_root;
  // The working directory: abspath() and filebase64() resolve against it
  // (empty: the process's current directory).
  std::string cwd;
  // Whether env() is part of the returned set (Packer offers it only in
  // variable defaults; see env_functions()).
  bool allow_env = false;
  // The home directory for "~" expansion (empty: $HOME, then the passwd
  // entry).
  std::string home;
  // The time legacy_isotime() and legacy_strftime() format, as Unix
  // seconds + nanoseconds (unset: captured once, at the first call of
  // packer_functions in this process, as Packer captures it at start).
  std::optional<int64_t> init_time_unix_nanos;
};

// Every function of Packer 1.16's HCL function table (plus env() when
// allow_env). `can`, `try` and `convert` take their arguments as
// expressions (their expr_call is set; see call_expression_function).
std::map<std::string, hcl::Function> packer_functions(const FuncsOptions& opts);
// Just env(name): an unset variable gives "".
std::map<std::string, hcl::Function> env_functions();

// --- functions that take expressions (HCL's customdecode) ------------------

// True for the names whose arguments must not be evaluated before the call:
// "can", "try" (expression closures) and "convert" (second argument is a
// type expression).
bool is_expression_function(const std::string& name);

// Calls can/try/convert with their argument expressions, as hclsyntax's
// FunctionCallExpr does for customdecode parameters (HCL 2.24 semantics).
// `call_range` is the whole call, `start_range` the name and "(" (where
// "Error in function call" points), `close_paren_range` the ")" (where "Not
// enough function arguments" points). Appends diagnostics with hclsyntax's
// summaries and details and returns the result (an unknown of dynamic type
// on errors).
//
// packer_functions() sets hcl::Function::expr_call of can/try/convert to
// this, so the native-syntax evaluator hands them their argument
// expressions; it is public for other callers (tests, other syntaxes).
hcl::Value call_expression_function(const std::string& name,
                                    const std::vector<const hcl::Expression*>& args,
                                    const hcl::EvalContext* ctx, const hcl::Range& call_range,
                                    const hcl::Range& start_range,
                                    const hcl::Range& close_paren_range, hcl::Diagnostics& diags);

// typeexpr.TypeConstraint: decodes a type expression (string, list(number),
// object({a=string}), optional(...) inside object, any...), with typeexpr's
// "Invalid type specification" diagnostics. Native syntax expressions, and
// JSON-syntax strings holding one (as hcl/json reads them). Returns nullopt
// when there are errors.
std::optional<hcl::Type> type_constraint(const hcl::Expression& expr, hcl::Diagnostics& diags);

}  // namespace kiln::funcs
