// Type constraints of `variable` blocks (HCL's ext/typeexpr with defaults):
// string, number, bool, any, list(T), set(T), map(T), tuple([...]),
// object({...}) with optional(T[, default]) attributes.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "hcl/body.h"
#include "hcl/value.h"

namespace kiln::tmpl {

// Default values for optional object attributes, at any depth
// (typeexpr.Defaults). Collections keep their element's defaults under "";
// tuples under the element index.
struct TypeDefaults {
  hcl::Type type;
  std::map<std::string, hcl::Value> values;
  std::map<std::string, std::shared_ptr<const TypeDefaults>> children;

  // typeexpr.Defaults.Apply: fills in missing or null optional attributes
  // wherever defaults are given; the result still needs converting.
  hcl::Value apply(const hcl::Value& val) const;
};

struct TypeConstraint {
  hcl::Type type;
  std::shared_ptr<const TypeDefaults> defaults;  // null when there are none
};

// typeexpr.TypeConstraintWithDefaults: decodes a type expression of either
// syntax with HCL's "Invalid type specification" diagnostics.
TypeConstraint decode_type_constraint(const hcl::Expression& expr, hcl::Diagnostics& diags);

}  // namespace kiln::tmpl
