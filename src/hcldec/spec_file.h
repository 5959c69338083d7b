// cmd/hcldec's spec files: the spec language (object, array, attr, block,
// block_list, block_set, block_map, default, transform, literal), type
// expressions, `variables` blocks and `function` blocks (userfunc).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "hcl/eval_context.h"
#include "hcldec/spec.h"

namespace kiln::hcldec {

struct SpecFile {
  std::map<std::string, Value> variables;
  std::map<std::string, hcl::Function> functions;
  SpecPtr root;
  // Keeps the parsed spec (its expressions) and the contexts the spec's
  // transforms and functions evaluate in alive.
  std::shared_ptr<void> keep_alive;
};

// Reads and decodes a spec file. On errors the root spec is a null literal.
SpecFile load_spec_file(const std::string& filename, Diagnostics& diags);
// The same, from source text already read.
SpecFile load_spec_source(std::string src, const std::string& filename, Diagnostics& diags);

// Evaluates a type expression (string, number, bool, any, list(...),
// set(...), map(...), tuple([...]), object({...})) as cmd/hcldec does.
Type eval_type_expr(const hcl::Expression& expr, Diagnostics& diags);

// The functions cmd/hcldec offers inside spec files (spec_funcs.go).
std::map<std::string, hcl::Function> spec_functions();

// userfunc.DecodeUserFunctions: `function "name" { params = [...]
// variadic_param = x result = expr }` blocks, evaluated in base_ctx.
std::map<std::string, hcl::Function> decode_user_functions(const hcl::Body& body,
                                                           const std::string& block_type,
                                                           const EvalContext* base_ctx,
                                                           hcl::BodyPtr* remain,
                                                           Diagnostics& diags);

}  // namespace kiln::hcldec
