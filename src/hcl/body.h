// The syntax-agnostic information model (hcl.Body, hcl.Expression ...):
// both the native syntax and the JSON syntax implement these interfaces.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hcl/diagnostic.h"
#include "hcl/eval_context.h"
#include "hcl/source.h"
#include "hcl/traversal.h"
#include "hcl/value.h"

namespace kiln::hcl {

class Expression {
 public:
  virtual ~Expression() = default;
  // ctx may be null: then variables and function calls are errors
  // ("Variables not allowed", "Function calls not allowed").
  virtual Value value(const EvalContext* ctx, Diagnostics& diags) const = 0;
  // The absolute traversals this expression refers to (hcl.Expression
  // Variables()), in source order.
  virtual std::vector<Traversal> variables() const = 0;
  virtual Range range() const = 0;
  virtual Range start_range() const = 0;
};
using ExpressionPtr = std::shared_ptr<const Expression>;

struct Attribute {
  std::string name;
  ExpressionPtr expr;
  Range range;
  Range name_range;
};
using Attributes = std::map<std::string, Attribute>;

class Body;
using BodyPtr = std::shared_ptr<const Body>;

struct Block {
  std::string type;
  std::vector<std::string> labels;
  BodyPtr body;
  Range def_range;   // the type and labels
  Range type_range;
  std::vector<Range> label_ranges;
};

struct AttributeSchema {
  std::string name;
  bool required = false;
};
struct BlockHeaderSchema {
  std::string type;
  std::vector<std::string> label_names;
};
struct BodySchema {
  std::vector<AttributeSchema> attributes;
  std::vector<BlockHeaderSchema> blocks;
};

struct BodyContent {
  Attributes attributes;
  std::vector<Block> blocks;
  Range missing_item_range;
};

class Body {
 public:
  virtual ~Body() = default;
  // Everything in the body must match the schema.
  virtual BodyContent content(const BodySchema& schema, Diagnostics& diags) const = 0;
  // What matches the schema, and a body of the rest.
  virtual BodyContent partial_content(const BodySchema& schema, BodyPtr* remain,
                                      Diagnostics& diags) const = 0;
  // The body holds only attributes (no blocks); all of them.
  virtual Attributes just_attributes(Diagnostics& diags) const = 0;
  // Where to point when something required is missing.
  virtual Range missing_item_range() const = 0;
};

// A parsed file: its body and its bytes (for diagnostics' source snippets).
struct File {
  BodyPtr body;
  std::shared_ptr<const std::string> bytes;
  std::string filename;
};

}  // namespace kiln::hcl
