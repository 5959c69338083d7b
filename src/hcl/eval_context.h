// hcl.EvalContext: variables and functions, with a parent chain (for
// expressions and templates push a child scope).
#pragma once

#include <map>
#include <string>

#include "hcl/function.h"
#include "hcl/value.h"

namespace kiln::hcl {

struct EvalContext {
  std::map<std::string, Value> variables;
  std::map<std::string, Function> functions;
  const EvalContext* parent = nullptr;
  // Set in the scope a splat expression creates for each element: the
  // AnonSymbolExpr that stands for the element, and the element's value.
  const void* anon_symbol = nullptr;
  Value anon_value;

  EvalContext child() const {
    EvalContext c;
    c.parent = this;
    return c;
  }
  const Value* find_variable(const std::string& name) const {
    for (auto* c = this; c; c = c->parent) {
      auto it = c->variables.find(name);
      if (it != c->variables.end()) return &it->second;
    }
    return nullptr;
  }
  const Function* find_function(const std::string& name) const {
    for (auto* c = this; c; c = c->parent) {
      auto it = c->functions.find(name);
      if (it != c->functions.end()) return &it->second;
    }
    return nullptr;
  }
  // The value a splat bound to the given AnonSymbolExpr, if any.
  const Value* find_anon(const void* symbol) const {
    for (auto* c = this; c; c = c->parent)
      if (c->anon_symbol == symbol) return &c->anon_value;
    return nullptr;
  }
  bool has_variables() const {
    for (auto* c = this; c; c = c->parent)
      if (!c->variables.empty()) return true;
    return false;
  }
  bool has_functions() const {
    for (auto* c = this; c; c = c->parent)
      if (!c->functions.empty()) return true;
    return false;
  }
};

}  // namespace kiln::hcl
