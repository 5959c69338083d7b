// Traversals: a root name followed by attribute and index steps, as
// hcl.Traversal. Expressions report the traversals they depend on
// (Variables()), which hcldec --var-refs prints.
#pragma once

#include <string>
#include <vector>

#include "hcl/diagnostic.h"
#include "hcl/source.h"
#include "hcl/value.h"

namespace kiln::hcl {

struct TraversalStep {
  enum class Kind { Root, Attr, Index, Splat };
  Kind kind = Kind::Root;
  std::string name;  // Root and Attr
  Value key;         // Index
  Range range;
  Range src_range;  // Index: the range of the key expression, else == range
};

struct Traversal {
  std::vector<TraversalStep> steps;

  bool is_relative() const { return steps.empty() || steps[0].kind != TraversalStep::Kind::Root; }
  const std::string& root_name() const { return steps.front().name; }
  Range range() const;
  Range source_range() const { return range(); }
};

// Applies the relative steps of t (all but a Root) to val, as
// hcl.Traversal.TraverseRel / hcl.Index / hcl.GetAttr do, with their
// diagnostics ("Unsupported attribute", "Invalid index", ...).
Value apply_traversal_steps(const Value& val, const std::vector<TraversalStep>& steps,
                            size_t first, Diagnostics& diags);
// hcl.Index: val[key], with HCL's messages; range is the index's range.
Value index_value(const Value& collection, const Value& key, const Range* range,
                  Diagnostics& diags);
// hcl.GetAttr.
Value get_attr(const Value& obj, const std::string& name, const Range* range, Diagnostics& diags);

}  // namespace kiln::hcl
