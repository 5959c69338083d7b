// hcldec's spec kinds: how each decodes its part of a body.
#include "hcldec/spec.h"

#include <fmt/format.h>
#include <algorithm>

namespace kiln::hcldec {

namespace {

std::vector<BlockLabel> labels_for_block(const hcl::Block& block) {
  std::vector<BlockLabel> out;
  out.reserve(block.labels.size());
  for (size_t i = 0; i < block.labels.size(); ++i) {
    Range r = i < block.label_ranges.size() ? block.label_ranges[i] : block.def_range;
    out.push_back(BlockLabel{block.labels[i], r});
  }
  return out;
}

Value decode_body(const hcl::Body& body, const std::vector<BlockLabel>& labels,
                  const EvalContext* ctx, const Spec& spec, Diagnostics& diags) {
  hcl::BodySchema schema = implied_schema(spec);
  BodyContent content = body.content(schema, diags);
  return spec.decode(content, labels, ctx, diags);
}

Range source_range_in(const hcl::Body& body, const std::vector<BlockLabel>& labels,
                      const Spec& spec) {
  hcl::BodySchema schema = implied_schema(spec);
  Diagnostics ignored;
  hcl::BodyPtr remain;
  BodyContent content = body.partial_content(schema, &remain, ignored);
  return spec.source_range(content, labels);
}

const hcl::Block* first_block(const BodyContent& c, const std::string& type) {
  for (const auto& b : c.blocks)
    if (b.type == type) return &b;
  return nullptr;
}

// Go's %q for the strings hcldec quotes (type names and labels).
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (ch < 0x20 || ch == 0x7f)
          out += fmt::format("\\x{:02x}", ch);
        else
          out += static_cast<char>(ch);
    }
  }
  return out + "\"";
}

std::vector<std::string> find_label_specs(const Spec& spec) {
  int max_idx = -1;
  std::map<int, std::string> names;
  std::function<void(const Spec&)> visit = [&](const Spec& s) {
    if (int idx = s.label_index(); idx >= 0) {
      max_idx = std::max(max_idx, idx);
      names[idx] = s.label_name();
    }
    s.visit_same_body_children(visit);
  };
  visit(spec);
  std::vector<std::string> out;
  for (int i = 0; i <= max_idx; ++i) {
    std::string name = names[i];
    if (name.empty()) name = fmt::format("missing{:02d}", i);
    out.push_back(std::move(name));
  }
  return out;
}

// Unifies the element values of a block list or set (convert.UnifyUnsafe);
// false with diagnostics when they cannot share a type.
bool unify_elements(std::vector<Value>& elems, const std::vector<Range>& ranges,
                    const std::string& type_name, Diagnostics& diags) {
  std::vector<Type> types;
  types.reserve(elems.size());
  for (const auto& v : elems) types.push_back(v.type());
  std::optional<Type> ety = hcl::unify_unsafe(types);
  const std::string summary = fmt::format("Unconsistent argument types in {} blocks", type_name);
  if (!ety) {
    diags.error(summary, "Corresponding attributes in all blocks of this type must be the same.",
                ranges[0]);
    return false;
  }
  for (size_t i = 0; i < elems.size(); ++i) {
    if (elems[i].type() == *ety) continue;
    std::string err;
    auto conv = hcl::convert(elems[i], *ety, &err);
    if (!conv) {
      diags.error(summary,
                  fmt::format("Block with index {} has inconsistent argument types: {}.", i, err),
                  ranges[i]);
      return false;
    }
    elems[i] = std::move(*conv);
  }
  return true;
}

void check_item_count(size_t n, int min_items, int max_items, const std::string& type_name,
                      const BodyContent& content, const std::vector<Range>& ranges,
                      Diagnostics& diags) {
  if (static_cast<long>(n) < min_items) {
    diags.error(fmt::format("Insufficient {} blocks", type_name),
                fmt::format("At least {} {} blocks are required.", min_items, quote(type_name)),
                content.missing_item_range);
  } else if (max_items > 0 && static_cast<long>(n) > max_items) {
    diags.error(fmt::format("Too many {} blocks", type_name),
                fmt::format("No more than {} {} blocks are allowed", max_items, quote(type_name)),
                ranges[static_cast<size_t>(max_items)]);
  }
}

}  // namespace

// --- object and tuple --------------------------------------------------------

Value ObjectSpec::decode(const BodyContent& content, const std::vector<BlockLabel>& labels,
                         const EvalContext* ctx, Diagnostics& diags) const {
  std::map<std::string, Value> vals;
  for (const auto& [k, spec] : members) vals.emplace(k, spec->decode(content, labels, ctx, diags));
  return Value::object(std::move(vals));
}

Type ObjectSpec::implied_type() const {
  std::map<std::string, Type> attrs;
  for (const auto& [k, spec] : members) attrs.emplace(k, spec->implied_type());
  return Type::object(std::move(attrs));
}

void ObjectSpec::visit_same_body_children(const std::function<void(const Spec&)>& cb) const {
  for (const auto& [k, spec] : members) cb(*spec);
}

Range ObjectSpec::source_range(const BodyContent& c, const std::vector<BlockLabel>&) const {
  return c.missing_item_range;
}

Value TupleSpec::decode(const BodyContent& content, const std::vector<BlockLabel>& labels,
                        const EvalContext* ctx, Diagnostics& diags) const {
  std::vector<Value> vals;
  vals.reserve(elements.size());
  for (const auto& spec : elements) vals.push_back(spec->decode(content, labels, ctx, diags));
  return Value::tuple(std::move(vals));
}

Type TupleSpec::implied_type() const {
  std::vector<Type> types;
  for (const auto& spec : elements) types.push_back(spec->implied_type());
  return Type::tuple(std::move(types));
}

void TupleSpec::visit_same_body_children(const std::function<void(const Spec&)>& cb) const {
  for (const auto& spec : elements) cb(*spec);
}

Range TupleSpec::source_range(const BodyContent& c, const std::vector<BlockLabel>&) const {
  return c.missing_item_range;
}

// --- attributes and literals -------------------------------------------------

std::vector<hcl::AttributeSchema> AttrSpec::attr_schemata() const {
  return {hcl::AttributeSchema{name, required}};
}

std::vector<hcl::Traversal> AttrSpec::variables_needed(const BodyContent& c) const {
  auto it = c.attributes.find(name);
  if (it == c.attributes.end()) return {};
  return it->second.expr->variables();
}

Range AttrSpec::source_range(const BodyContent& c, const std::vector<BlockLabel>&) const {
  auto it = c.attributes.find(name);
  if (it == c.attributes.end()) return c.missing_item_range;
  return it->second.expr->range();
}

Value AttrSpec::decode(const BodyContent& content, const std::vector<BlockLabel>&,
                       const EvalContext* ctx, Diagnostics& diags) const {
  auto it = content.attributes.find(name);
  if (it == content.attributes.end()) return Value::null(type);
  const hcl::Attribute& attr = it->second;
  Value val = attr.expr->value(ctx, diags);
  std::string err;
  auto conv = hcl::convert(val, type, &err);
  if (!conv) {
    diags.error("Incorrect attribute value type",
                fmt::format("Inappropriate value for attribute {}: {}.", quote(name), err),
                attr.expr->range(), Range::between(attr.name_range, attr.expr->range()));
    return Value::unknown(type);
  }
  return std::move(*conv);
}

Range LiteralSpec::source_range(const BodyContent&, const std::vector<BlockLabel>&) const {
  Range r;
  r.filename = hcl::intern_filename("<unknown>");
  r.start = r.end = hcl::Pos{0, 0, 0};
  return r;
}

// --- blocks -------------------------------------------------------------------

std::vector<hcl::BlockHeaderSchema> BlockSpecBase::block_header_schemata() const {
  std::vector<std::string> names = own_label_names();
  for (auto& n : find_label_specs(*nested)) names.push_back(std::move(n));
  return {hcl::BlockHeaderSchema{type_name, std::move(names)}};
}

std::vector<hcl::Traversal> BlockSpecBase::variables_needed(const BodyContent& c) const {
  std::vector<hcl::Traversal> out;
  for (const auto& b : c.blocks) {
    if (b.type != type_name) continue;
    auto vars = variables(*b.body, *nested);
    out.insert(out.end(), std::make_move_iterator(vars.begin()),
               std::make_move_iterator(vars.end()));
    if (first_block_only()) break;
  }
  return out;
}

Range BlockSpecBase::source_range(const BodyContent& c, const std::vector<BlockLabel>&) const {
  const hcl::Block* b = first_block(c, type_name);
  if (!b) return c.missing_item_range;
  return source_range_in(*b->body, labels_for_block(*b), *nested);
}

Value BlockSpec::decode(const BodyContent& content, const std::vector<BlockLabel>&,
                        const EvalContext* ctx, Diagnostics& diags) const {
  const hcl::Block* child = nullptr;
  for (const auto& b : content.blocks) {
    if (b.type != type_name) continue;
    if (child) {
      diags.error(
          fmt::format("Duplicate {} block", type_name),
          fmt::format("Only one block of type {} is allowed. Previous definition was at {}.",
                      quote(type_name), child->def_range.str()),
          b.def_range);
      break;
    }
    child = &b;
  }
  if (!child) {
    if (required)
      diags.error(fmt::format("Missing {} block", type_name),
                  fmt::format("A block of type {} is required here.", quote(type_name)),
                  content.missing_item_range);
    return Value::null(nested->implied_type());
  }
  return decode_body(*child->body, labels_for_block(*child), ctx, *nested, diags);
}

Value BlockListSpec::decode(const BodyContent& content, const std::vector<BlockLabel>&,
                            const EvalContext* ctx, Diagnostics& diags) const {
  std::vector<Value> elems;
  std::vector<Range> ranges;
  for (const auto& b : content.blocks) {
    if (b.type != type_name) continue;
    auto labels = labels_for_block(b);
    elems.push_back(decode_body(*b.body, labels, ctx, *nested, diags));
    ranges.push_back(source_range_in(*b.body, labels, *nested));
  }
  check_item_count(elems.size(), min_items, max_items, type_name, content, ranges, diags);
  if (elems.empty()) return Value::list_empty(nested->implied_type());
  if (!unify_elements(elems, ranges, type_name, diags)) return Value::dynamic_unknown();
  return Value::list(std::move(elems));
}

Value BlockTupleSpec::decode(const BodyContent& content, const std::vector<BlockLabel>&,
                             const EvalContext* ctx, Diagnostics& diags) const {
  std::vector<Value> elems;
  std::vector<Range> ranges;
  for (const auto& b : content.blocks) {
    if (b.type != type_name) continue;
    auto labels = labels_for_block(b);
    elems.push_back(decode_body(*b.body, labels, ctx, *nested, diags));
    ranges.push_back(source_range_in(*b.body, labels, *nested));
  }
  check_item_count(elems.size(), min_items, max_items, type_name, content, ranges, diags);
  return Value::tuple(std::move(elems));
}

Value BlockSetSpec::decode(const BodyContent& content, const std::vector<BlockLabel>&,
                           const EvalContext* ctx, Diagnostics& diags) const {
  std::vector<Value> elems;
  std::vector<Range> ranges;
  for (const auto& b : content.blocks) {
    if (b.type != type_name) continue;
    auto labels = labels_for_block(b);
    elems.push_back(decode_body(*b.body, labels, ctx, *nested, diags));
    ranges.push_back(source_range_in(*b.body, labels, *nested));
  }
  check_item_count(elems.size(), min_items, max_items, type_name, content, ranges, diags);
  if (elems.empty()) return Value::set_empty(nested->implied_type());
  if (!unify_elements(elems, ranges, type_name, diags)) return Value::dynamic_unknown();
  return Value::set(std::move(elems));
}

namespace {

// A tree of decoded block values keyed by their labels.
struct LabelTree {
  std::map<std::string, LabelTree> children;
  std::optional<Value> leaf;
};

Value label_tree_value(const LabelTree& t, size_t depth, bool as_object) {
  std::map<std::string, Value> vals;
  for (const auto& [k, child] : t.children)
    vals.emplace(k, depth == 1 ? *child.leaf : label_tree_value(child, depth - 1, as_object));
  if (as_object) return Value::object(std::move(vals));
  // cty.MapVal wants one element type; values of one nested spec share it
  // unless "any" is involved, which the spec decoder rejects for maps.
  std::vector<Type> types;
  for (const auto& [k, v] : vals) types.push_back(v.type());
  if (auto ty = hcl::unify(types)) {
    for (auto& [k, v] : vals) {
      if (v.type() == *ty) continue;
      std::string err;
      if (auto c = hcl::convert(v, *ty, &err)) v = std::move(*c);
    }
  }
  return Value::map(std::move(vals));
}

}  // namespace

Type BlockMapSpec::implied_type() const {
  if (as_object) return Type::dynamic();
  Type t = nested->implied_type();
  for (size_t i = 0; i < label_names.size(); ++i) t = Type::map(t);
  return t;
}

Value BlockMapSpec::decode(const BodyContent& content, const std::vector<BlockLabel>&,
                           const EvalContext* ctx, Diagnostics& diags) const {
  LabelTree root;
  const size_t n = label_names.size();
  for (const auto& b : content.blocks) {
    if (b.type != type_name) continue;
    if (b.labels.size() < n || n == 0) continue;  // the schema reported it
    auto all_labels = labels_for_block(b);
    std::vector<BlockLabel> rest(all_labels.begin() + static_cast<long>(n), all_labels.end());
    Value val = decode_body(*b.body, rest, ctx, *nested, diags);
    LabelTree* target = &root;
    for (size_t i = 0; i + 1 < n; ++i) target = &target->children[b.labels[i]];
    const std::string& key = b.labels[n - 1];
    if (auto it = target->children.find(key); it != target->children.end() && it->second.leaf) {
      std::string labels;
      for (const auto& l : b.labels) labels += " " + quote(l);
      diags.error(fmt::format("Duplicate {} block", type_name),
                  fmt::format("A block for {}{} was already defined. The {} labels must be unique.",
                              type_name, labels, type_name),
                  b.def_range);
      continue;
    }
    target->children[key].leaf = std::move(val);
  }
  if (root.children.empty()) {
    if (as_object) return Value::empty_object();
    Type t = nested->implied_type();
    for (size_t i = 1; i < n; ++i) t = Type::map(t);
    return Value::map_empty(t);
  }
  return label_tree_value(root, n, as_object);
}

// --- block_attrs --------------------------------------------------------------

std::vector<hcl::BlockHeaderSchema> BlockAttrsSpec::block_header_schemata() const {
  return {hcl::BlockHeaderSchema{type_name, {}}};
}

namespace {
class NoopSpec : public Spec {
 public:
  Value decode(const BodyContent&, const std::vector<BlockLabel>&, const EvalContext*,
               Diagnostics&) const override {
    return Value::null(Type::dynamic());
  }
  Type implied_type() const override { return Type::dynamic(); }
  Range source_range(const BodyContent&, const std::vector<BlockLabel>&) const override {
    Range r;
    r.filename = hcl::intern_filename("noopSpec");
    r.start = r.end = hcl::Pos{0, 0, 0};
    return r;
  }
};
}  // namespace

SpecPtr BlockAttrsSpec::nested_spec() const {
  return std::make_shared<NoopSpec>();
}

const hcl::Block* BlockAttrsSpec::find_block(const BodyContent& c, const hcl::Block** other) const {
  const hcl::Block* block = nullptr;
  *other = nullptr;
  for (const auto& b : c.blocks) {
    if (b.type != type_name) continue;
    if (block) {
      *other = &b;
      return block;
    }
    block = &b;
  }
  return block;
}

std::vector<hcl::Traversal> BlockAttrsSpec::variables_needed(const BodyContent& c) const {
  const hcl::Block* other;
  const hcl::Block* block = find_block(c, &other);
  if (!block) return {};
  Diagnostics d;
  hcl::Attributes attrs = block->body->just_attributes(d);
  if (d.has_errors()) return {};
  std::vector<hcl::Traversal> vars;
  for (const auto& [name, attr] : attrs) {
    auto v = attr.expr->variables();
    vars.insert(vars.end(), v.begin(), v.end());
  }
  std::stable_sort(vars.begin(), vars.end(), [](const hcl::Traversal& a, const hcl::Traversal& b) {
    return a.source_range().start.byte < b.source_range().start.byte;
  });
  return vars;
}

Value BlockAttrsSpec::decode(const BodyContent& content, const std::vector<BlockLabel>&,
                             const EvalContext* ctx, Diagnostics& diags) const {
  const hcl::Block* other;
  const hcl::Block* block = find_block(content, &other);
  if (!block) {
    if (required)
      diags.error(fmt::format("Missing {} block", type_name),
                  fmt::format("A block of type {} is required here.", quote(type_name)),
                  content.missing_item_range);
    return Value::null(Type::map(element_type));
  }
  if (other)
    diags.error(fmt::format("Duplicate {} block", type_name),
                fmt::format("Only one block of type {} is allowed. Previous definition was at {}.",
                            quote(type_name), block->def_range.str()),
                other->def_range);
  hcl::Attributes attrs = block->body->just_attributes(diags);
  if (attrs.empty()) return Value::map_empty(element_type);
  std::map<std::string, Value> vals;
  for (const auto& [name, attr] : attrs) {
    Value v = attr.expr->value(ctx, diags);
    std::string err;
    auto conv = hcl::convert(v, element_type, &err);
    if (!conv) {
      diags.error(
          "Invalid attribute value",
          fmt::format("Invalid value for attribute of {} block: {}.", quote(type_name), err),
          attr.expr->range(), Range::between(attr.name_range, attr.expr->range()));
      vals.emplace(name, Value::unknown(element_type));
    } else {
      vals.emplace(name, std::move(*conv));
    }
  }
  std::vector<Type> types;
  for (const auto& [k, v] : vals) types.push_back(v.type());
  if (auto ty = hcl::unify(types)) {
    for (auto& [k, v] : vals) {
      if (v.type() == *ty) continue;
      std::string err;
      if (auto c = hcl::convert(v, *ty, &err)) v = std::move(*c);
    }
  }
  return Value::map(std::move(vals));
}

Range BlockAttrsSpec::source_range(const BodyContent& c, const std::vector<BlockLabel>&) const {
  const hcl::Block* other;
  const hcl::Block* block = find_block(c, &other);
  if (!block) return c.missing_item_range;
  return block->def_range;
}

// --- labels, defaults, transforms ---------------------------------------------

Value BlockLabelSpec::decode(const BodyContent&, const std::vector<BlockLabel>& labels,
                             const EvalContext*, Diagnostics&) const {
  if (index < 0 || static_cast<size_t>(index) >= labels.size())
    return Value::unknown(Type::string());  // used outside a block: a spec bug
  return Value::string(labels[static_cast<size_t>(index)].value);
}

Range BlockLabelSpec::source_range(const BodyContent& c,
                                   const std::vector<BlockLabel>& labels) const {
  if (index < 0 || static_cast<size_t>(index) >= labels.size()) return c.missing_item_range;
  return labels[static_cast<size_t>(index)].range;
}

Value DefaultSpec::decode(const BodyContent& content, const std::vector<BlockLabel>& labels,
                          const EvalContext* ctx, Diagnostics& diags) const {
  Value v = primary->decode(content, labels, ctx, diags);
  if (v.is_null()) v = fallback->decode(content, labels, ctx, diags);
  return v;
}

void DefaultSpec::visit_same_body_children(const std::function<void(const Spec&)>& cb) const {
  cb(*primary);
  cb(*fallback);
}

bool DefaultSpec::is_attr_spec() const {
  return primary->is_attr_spec() || fallback->is_attr_spec();
}

std::vector<hcl::AttributeSchema> DefaultSpec::attr_schemata() const {
  auto out = primary->attr_schemata();
  auto more = fallback->attr_schemata();
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

std::vector<hcl::BlockHeaderSchema> DefaultSpec::block_header_schemata() const {
  if (primary->is_block_spec()) return primary->block_header_schemata();
  return {};
}

SpecPtr DefaultSpec::nested_spec() const {
  if (primary->is_block_spec()) return primary->nested_spec();
  return nullptr;
}

Value TransformExprSpec::decode(const BodyContent& content, const std::vector<BlockLabel>& labels,
                                const EvalContext* ctx, Diagnostics& diags) const {
  Diagnostics wrapped_diags;
  Value wrapped_val = wrapped->decode(content, labels, ctx, wrapped_diags);
  bool failed = wrapped_diags.has_errors();
  diags.append(wrapped_diags);
  if (failed) return Value::unknown(implied_type());
  EvalContext child = transform_ctx ? transform_ctx->child() : EvalContext{};
  child.variables.emplace(var_name, std::move(wrapped_val));
  return expr->value(&child, diags);
}

Type TransformExprSpec::implied_type() const {
  EvalContext child = transform_ctx ? transform_ctx->child() : EvalContext{};
  child.variables.emplace(var_name, Value::unknown(wrapped->implied_type()));
  Diagnostics ignored;
  return expr->value(&child, ignored).type();
}

// --- public functions ----------------------------------------------------------

hcl::BodySchema implied_schema(const Spec& spec) {
  hcl::BodySchema schema;
  std::function<void(const Spec&)> visit = [&](const Spec& s) {
    if (s.is_attr_spec())
      for (auto& a : s.attr_schemata()) schema.attributes.push_back(std::move(a));
    if (s.is_block_spec())
      for (auto& b : s.block_header_schemata()) schema.blocks.push_back(std::move(b));
    s.visit_same_body_children(visit);
  };
  visit(spec);
  return schema;
}

Type implied_type(const Spec& spec) {
  return spec.implied_type();
}

Value decode(const hcl::Body& body, const Spec& spec, const EvalContext* ctx, Diagnostics& diags) {
  return decode_body(body, {}, ctx, spec, diags);
}

std::vector<hcl::Traversal> variables(const hcl::Body& body, const Spec& spec) {
  std::vector<hcl::Traversal> vars;
  hcl::BodySchema schema = implied_schema(spec);
  Diagnostics ignored;
  hcl::BodyPtr remain;
  BodyContent content = body.partial_content(schema, &remain, ignored);
  auto add = [&](const Spec& s) {
    if (!s.needs_variables()) return;
    auto v = s.variables_needed(content);
    vars.insert(vars.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
  };
  add(spec);
  std::function<void(const Spec&)> visit = [&](const Spec& s) {
    add(s);
    s.visit_same_body_children(visit);
  };
  spec.visit_same_body_children(visit);
  return vars;
}

Range source_range(const hcl::Body& body, const Spec& spec) {
  return source_range_in(body, {}, spec);
}

}  // namespace kiln::hcldec
