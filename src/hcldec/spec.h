// hcldec: decoding a body into a value by a specification, with the
// semantics of HashiCorp's hcl/hcldec package (Decode, ImpliedSchema,
// ImpliedType, Variables, SourceRange) and its spec kinds.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hcl/body.h"

namespace kiln::hcldec {

using hcl::BodyContent;
using hcl::Diagnostics;
using hcl::EvalContext;
using hcl::Range;
using hcl::Type;
using hcl::Value;

struct BlockLabel {
  std::string value;
  Range range;
};

class Spec;
using SpecPtr = std::shared_ptr<const Spec>;

class Spec {
 public:
  virtual ~Spec() = default;
  virtual Value decode(const BodyContent& content, const std::vector<BlockLabel>& labels,
                       const EvalContext* ctx, Diagnostics& diags) const = 0;
  virtual Type implied_type() const = 0;
  // Children decoded from the same body (object and tuple members, the
  // alternatives of a default, the wrapped spec of a transform).
  virtual void visit_same_body_children(const std::function<void(const Spec&)>&) const {}
  virtual Range source_range(const BodyContent& content,
                             const std::vector<BlockLabel>& labels) const = 0;

  // Optional capabilities (Go's attrSpec, blockSpec, specNeedingVariables).
  virtual bool is_attr_spec() const { return false; }
  virtual std::vector<hcl::AttributeSchema> attr_schemata() const { return {}; }
  virtual bool is_block_spec() const { return false; }
  virtual std::vector<hcl::BlockHeaderSchema> block_header_schemata() const { return {}; }
  virtual SpecPtr nested_spec() const { return nullptr; }
  virtual bool needs_variables() const { return false; }
  virtual std::vector<hcl::Traversal> variables_needed(const BodyContent&) const { return {}; }
  // BlockLabelSpec only: its index and name, else -1.
  virtual int label_index() const { return -1; }
  virtual std::string label_name() const { return {}; }
};

// Object: decodes each member spec from the same body, keyed by name.
class ObjectSpec : public Spec {
 public:
  std::map<std::string, SpecPtr> members;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override;
  void visit_same_body_children(const std::function<void(const Spec&)>& cb) const override;
  Range source_range(const BodyContent& c, const std::vector<BlockLabel>&) const override;
};

class TupleSpec : public Spec {
 public:
  std::vector<SpecPtr> elements;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override;
  void visit_same_body_children(const std::function<void(const Spec&)>& cb) const override;
  Range source_range(const BodyContent& c, const std::vector<BlockLabel>&) const override;
};

class AttrSpec : public Spec {
 public:
  std::string name;
  Type type;
  bool required = false;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override { return type; }
  Range source_range(const BodyContent& c, const std::vector<BlockLabel>&) const override;
  bool is_attr_spec() const override { return true; }
  std::vector<hcl::AttributeSchema> attr_schemata() const override;
  bool needs_variables() const override { return true; }
  std::vector<hcl::Traversal> variables_needed(const BodyContent& c) const override;
};

class LiteralSpec : public Spec {
 public:
  Value value;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override {
    return value;
  }
  Type implied_type() const override { return value.type(); }
  Range source_range(const BodyContent&, const std::vector<BlockLabel>&) const override;
};

class ExprSpec : public Spec {
 public:
  hcl::ExpressionPtr expr;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext* ctx,
               Diagnostics& diags) const override {
    return expr->value(ctx, diags);
  }
  Type implied_type() const override { return Type::dynamic(); }
  Range source_range(const BodyContent&, const std::vector<BlockLabel>&) const override {
    return expr->range();
  }
  bool needs_variables() const override { return true; }
  std::vector<hcl::Traversal> variables_needed(const BodyContent&) const override {
    return expr->variables();
  }
};

// The common part of the specs that decode nested blocks of one type.
class BlockSpecBase : public Spec {
 public:
  std::string type_name;
  SpecPtr nested;
  bool is_block_spec() const override { return true; }
  std::vector<hcl::BlockHeaderSchema> block_header_schemata() const override;
  SpecPtr nested_spec() const override { return nested; }
  bool needs_variables() const override { return true; }
  std::vector<hcl::Traversal> variables_needed(const BodyContent& c) const override;
  Range source_range(const BodyContent& c, const std::vector<BlockLabel>&) const override;

 protected:
  // Label names before those of the nested spec (block_map's labels).
  virtual std::vector<std::string> own_label_names() const { return {}; }
  // Only the first matching block counts for variables (BlockSpec).
  virtual bool first_block_only() const { return false; }
};

class BlockSpec : public BlockSpecBase {
 public:
  bool required = false;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override { return nested->implied_type(); }

 protected:
  bool first_block_only() const override { return true; }
};

class BlockListSpec : public BlockSpecBase {
 public:
  int min_items = 0;
  int max_items = 0;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override { return Type::list(nested->implied_type()); }
};

class BlockTupleSpec : public BlockSpecBase {
 public:
  int min_items = 0;
  int max_items = 0;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override { return Type::dynamic(); }
};

class BlockSetSpec : public BlockSpecBase {
 public:
  int min_items = 0;
  int max_items = 0;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override { return Type::set(nested->implied_type()); }
};

class BlockMapSpec : public BlockSpecBase {
 public:
  std::vector<std::string> label_names;
  // BlockObjectSpec: objects instead of maps, any attribute types.
  bool as_object = false;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override;

 protected:
  std::vector<std::string> own_label_names() const override { return label_names; }
};

class BlockAttrsSpec : public Spec {
 public:
  std::string type_name;
  Type element_type;
  bool required = false;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override { return Type::map(element_type); }
  Range source_range(const BodyContent& c, const std::vector<BlockLabel>&) const override;
  bool is_block_spec() const override { return true; }
  std::vector<hcl::BlockHeaderSchema> block_header_schemata() const override;
  SpecPtr nested_spec() const override;
  bool needs_variables() const override { return true; }
  std::vector<hcl::Traversal> variables_needed(const BodyContent& c) const override;

 private:
  const hcl::Block* find_block(const BodyContent& c, const hcl::Block** other) const;
};

class BlockLabelSpec : public Spec {
 public:
  int index = 0;
  std::string name;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override { return Type::string(); }
  Range source_range(const BodyContent&, const std::vector<BlockLabel>&) const override;
  int label_index() const override { return index; }
  std::string label_name() const override { return name; }
};

class DefaultSpec : public Spec {
 public:
  SpecPtr primary, fallback;
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override { return primary->implied_type(); }
  void visit_same_body_children(const std::function<void(const Spec&)>& cb) const override;
  Range source_range(const BodyContent& c, const std::vector<BlockLabel>& l) const override {
    return primary->source_range(c, l);
  }
  bool is_attr_spec() const override;
  std::vector<hcl::AttributeSchema> attr_schemata() const override;
  bool is_block_spec() const override { return primary->is_block_spec(); }
  std::vector<hcl::BlockHeaderSchema> block_header_schemata() const override;
  SpecPtr nested_spec() const override;
};

class TransformExprSpec : public Spec {
 public:
  SpecPtr wrapped;
  hcl::ExpressionPtr expr;
  const EvalContext* transform_ctx = nullptr;
  std::string var_name = "nested";
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override;
  Type implied_type() const override;
  void visit_same_body_children(const std::function<void(const Spec&)>& cb) const override {
    cb(*wrapped);
  }
  Range source_range(const BodyContent& c, const std::vector<BlockLabel>& l) const override {
    return wrapped->source_range(c, l);
  }
};

// --- the package's functions ----------------------------------------------

hcl::BodySchema implied_schema(const Spec& spec);
Type implied_type(const Spec& spec);
Value decode(const hcl::Body& body, const Spec& spec, const EvalContext* ctx, Diagnostics& diags);
// The traversals the body refers to, as far as the spec decodes it.
std::vector<hcl::Traversal> variables(const hcl::Body& body, const Spec& spec);
Range source_range(const hcl::Body& body, const Spec& spec);

}  // namespace kiln::hcldec
