#include "template/dynblock.h"

#include <map>
#include <memory>
#include <set>

#include "hcl/ast.h"
#include "hcl/json_syntax.h"

namespace kiln::tmpl {

namespace {

using hcl::Diagnostics;
using hcl::Type;
using hcl::Value;

// One step of iteration, with the enclosing dynamic blocks' iterators.
struct Iteration {
  std::string name;
  Value key, value;
  std::map<std::string, std::shared_ptr<const Iteration>> inherited;

  Value object() const { return Value::object({{"key", key}, {"value", value}}); }
  // A child scope of base with the iterator variables.
  std::shared_ptr<hcl::EvalContext> context(const hcl::EvalContext* base) const {
    auto c = std::make_shared<hcl::EvalContext>();
    c->parent = base;
    for (auto& [n, it] : inherited) c->variables[n] = it->object();
    c->variables[name] = object();
    return c;
  }
};
using IterPtr = std::shared_ptr<const Iteration>;

IterPtr make_child(const IterPtr& parent, std::string name, Value key, Value value) {
  auto it = std::make_shared<Iteration>();
  it->name = std::move(name);
  it->key = std::move(key);
  it->value = std::move(value);
  if (parent) {
    it->inherited = parent->inherited;
    it->inherited[parent->name] = parent;
  }
  return it;
}

// An attribute expression inside a generated block: evaluated with the
// iterator variables added to whatever context the caller gives.
class ExprWrap : public hcl::Expression {
 public:
  ExprWrap(hcl::ExpressionPtr e, IterPtr it) : e_(std::move(e)), it_(std::move(it)) {}
  Value value(const hcl::EvalContext* ctx, Diagnostics& diags) const override {
    auto c = it_->context(ctx);
    // Functions live in the caller's scope chain; without a caller
    // context the iterator alone is visible.
    return e_->value(c.get(), diags);
  }
  std::vector<hcl::Traversal> variables() const override {
    std::vector<hcl::Traversal> out;
    for (auto& t : e_->variables()) {
      if (!t.steps.empty() && (t.root_name() == it_->name || it_->inherited.count(t.root_name())))
        continue;
      out.push_back(t);
    }
    return out;
  }
  hcl::Range range() const override { return e_->range(); }
  hcl::Range start_range() const override { return e_->start_range(); }

 private:
  hcl::ExpressionPtr e_;
  IterPtr it_;
};

class ExpandBody : public hcl::Body, public std::enable_shared_from_this<ExpandBody> {
 public:
  ExpandBody(hcl::BodyPtr original, std::shared_ptr<const hcl::EvalContext> for_each_ctx,
             const hcl::EvalContext* base, IterPtr iteration)
      : original_(std::move(original)),
        for_each_ctx_(std::move(for_each_ctx)),
        base_(base),
        iteration_(std::move(iteration)) {}

  hcl::BodyContent content(const hcl::BodySchema& schema, Diagnostics& diags) const override {
    hcl::BodyContent raw = original_->content(extend(schema), diags);
    hcl::BodyContent out;
    out.blocks = expand_blocks(schema, raw.blocks, false, diags);
    out.attributes = prepare_attributes(raw.attributes);
    out.missing_item_range = original_->missing_item_range();
    return out;
  }

  hcl::BodyContent partial_content(const hcl::BodySchema& schema, hcl::BodyPtr* remain,
                                   Diagnostics& diags) const override {
    hcl::BodyPtr ignored;
    hcl::BodyContent raw = original_->partial_content(extend(schema), &ignored, diags);
    hcl::BodyContent out;
    out.blocks = expand_blocks(schema, raw.blocks, true, diags);
    out.attributes = prepare_attributes(raw.attributes);
    out.missing_item_range = original_->missing_item_range();
    if (remain) {
      auto r = std::make_shared<ExpandBody>(original_, for_each_ctx_, base_, iteration_);
      r->hidden_attrs_ = hidden_attrs_;
      r->hidden_blocks_ = hidden_blocks_;
      for (auto& a : schema.attributes) r->hidden_attrs_.insert(a.name);
      for (auto& b : schema.blocks) r->hidden_blocks_[b.type] = b;
      *remain = r;
    }
    return out;
  }

  hcl::Attributes just_attributes(Diagnostics& diags) const override {
    return original_->just_attributes(diags);
  }
  hcl::Range missing_item_range() const override { return original_->missing_item_range(); }

 private:
  hcl::BodySchema extend(const hcl::BodySchema& schema) const {
    hcl::BodySchema ext = schema;
    ext.blocks.push_back({"dynamic", {"type"}});
    for (auto& [_, b] : hidden_blocks_) ext.blocks.push_back(b);
    for (auto& a : hidden_attrs_) ext.attributes.push_back({a, false});
    return ext;
  }

  hcl::Attributes prepare_attributes(const hcl::Attributes& raw) const {
    if (hidden_attrs_.empty() && !iteration_) return raw;
    hcl::Attributes out;
    for (auto& [name, attr] : raw) {
      if (hidden_attrs_.count(name)) continue;
      hcl::Attribute a = attr;
      if (iteration_) a.expr = std::make_shared<ExprWrap>(attr.expr, iteration_);
      out[name] = a;
    }
    return out;
  }

  hcl::BodyPtr expand_child(hcl::BodyPtr child, const IterPtr& it) const {
    std::shared_ptr<const hcl::EvalContext> ctx = for_each_ctx_;
    if (it) {
      // The child scope keeps its parent scope alive.
      struct Holder {
        std::shared_ptr<const hcl::EvalContext> keep;
        hcl::EvalContext ctx;
      };
      auto h = std::make_shared<Holder>();
      h->keep = for_each_ctx_;
      h->ctx.parent = fctx();
      for (auto& [n, i] : it->inherited) h->ctx.variables[n] = i->object();
      h->ctx.variables[it->name] = it->object();
      ctx = std::shared_ptr<const hcl::EvalContext>(h, &h->ctx);
    }
    return std::make_shared<ExpandBody>(std::move(child), ctx, base_, it);
  }

  const hcl::EvalContext* fctx() const { return for_each_ctx_ ? for_each_ctx_.get() : base_; }

  std::vector<hcl::Block> expand_blocks(const hcl::BodySchema& schema,
                                        const std::vector<hcl::Block>& raw, bool partial,
                                        Diagnostics& diags) const {
    std::vector<hcl::Block> out;
    for (auto& rb : raw) {
      if (rb.type != "dynamic") {
        if (hidden_blocks_.count(rb.type)) continue;
        hcl::Block b = rb;
        b.body = expand_child(rb.body, iteration_);
        out.push_back(std::move(b));
        continue;
      }
      const std::string& real = rb.labels[0];
      if (hidden_blocks_.count(real)) continue;
      const hcl::BlockHeaderSchema* bs = nullptr;
      for (auto& c : schema.blocks)
        if (c.type == real) bs = &c;
      if (!bs) {
        if (!partial)
          diags.error("Unsupported block type",
                      "Blocks of type \"" + real + "\" are not expected here.", rb.label_ranges[0]);
        continue;
      }
      hcl::BodySchema spec_schema;
      spec_schema.attributes = {{"for_each", true}, {"iterator", false}};
      if (!bs->label_names.empty()) spec_schema.attributes.push_back({"labels", true});
      spec_schema.blocks = {{"content", {}}};
      Diagnostics sd;
      hcl::BodyContent spec = rb.body->content(spec_schema, sd);
      diags.append(sd);
      if (sd.has_errors()) continue;
      const hcl::Attribute& each_attr = spec.attributes.at("for_each");
      Diagnostics ed;
      Value each = each_attr.expr->value(fctx(), ed);
      diags.append(ed);
      if (ed.has_errors()) continue;
      const Type& et = each.type();
      bool iterable = et.is_collection() || et.is_object() || et.is_tuple();
      if (!iterable && !et.is_dynamic()) {
        diags.error("Invalid dynamic for_each value",
                    "Cannot use a " + et.friendly_name() +
                        " value in for_each. An iterable collection is required.",
                    each_attr.expr->range());
        continue;
      }
      if (each.is_null()) {
        diags.error("Invalid dynamic for_each value", "Cannot use a null value in for_each.",
                    each_attr.expr->range());
        continue;
      }
      std::string iter_name = real;
      if (auto it = spec.attributes.find("iterator"); it != spec.attributes.end()) {
        Diagnostics td;
        auto trav = hcl::json::abs_traversal_for_expr(*it->second.expr, td);
        diags.append(td);
        if (td.has_errors() || !trav) continue;
        if (trav->steps.size() != 1) {
          diags.error("Invalid dynamic iterator name",
                      "Dynamic iterator must be a single variable name.", trav->range());
          continue;
        }
        iter_name = trav->root_name();
      }
      std::vector<hcl::ExpressionPtr> label_exprs;
      if (auto it = spec.attributes.find("labels"); it != spec.attributes.end()) {
        const hcl::Expression* le = it->second.expr.get();
        if (auto* t = dynamic_cast<const hcl::syntax::TupleConsExpr*>(le)) {
          for (auto& x : t->exprs) label_exprs.push_back(x);
        } else if (auto l = hcl::json::expr_list(*le)) {
          label_exprs = *l;
        } else {
          // Native tuple constructor: evaluate each element separately by
          // evaluating the whole list per iteration (labels are strings).
          label_exprs = {it->second.expr};
        }
      }
      if (spec.blocks.empty()) {
        diags.error("Missing dynamic content block",
                    "A dynamic block must have a nested block of type \"content\" to describe "
                    "the body of each generated block.",
                    spec.missing_item_range);
        continue;
      }
      if (spec.blocks.size() > 1) {
        diags.error("Extraneous dynamic content block",
                    "Only one nested content block is allowed for each dynamic block.",
                    spec.blocks[1].def_range);
        continue;
      }
      if (!each.is_known()) continue;
      auto emit = [&](const Value& key, const Value& val) {
        IterPtr it = make_child(iteration_, iter_name, key, val);
        auto lctx = it->context(fctx());
        hcl::Block b;
        b.type = real;
        b.type_range = rb.label_ranges[0];
        b.def_range = rb.def_range;
        for (auto& le : label_exprs) {
          Diagnostics ld;
          Value lv = le->value(lctx.get(), ld);
          diags.append(ld);
          if (ld.has_errors()) return;
          std::vector<Value> labels;
          if (lv.type().is_tuple() || lv.type().is_list()) {
            if (lv.is_known() && !lv.is_null()) labels = lv.elements();
          } else {
            labels = {lv};
          }
          for (auto& l : labels) {
            std::string err;
            auto s = hcl::convert(l, Type::string(), &err);
            if (!s) {
              diags.error("Invalid dynamic block label",
                          "Cannot use this value as a dynamic block label: " + err + ".",
                          le->range());
              return;
            }
            if (s->is_null()) {
              diags.error("Invalid dynamic block label",
                          "Cannot use a null value as a dynamic block label.", le->range());
              return;
            }
            if (!s->is_known()) {
              diags.error("Invalid dynamic block label",
                          "This value is not yet known. Dynamic block labels must be "
                          "immediately-known values.",
                          le->range());
              return;
            }
            b.labels.push_back(s->unmarked().as_string());
            b.label_ranges.push_back(le->range());
          }
        }
        if (b.labels.size() != bs->label_names.size()) {
          diags.error(b.labels.size() > bs->label_names.size()
                          ? "Extraneous dynamic block label"
                          : "Insufficient dynamic block labels",
                      "Blocks of type \"" + real + "\" require " +
                          std::to_string(bs->label_names.size()) + " label(s).",
                      rb.def_range);
          return;
        }
        b.body = expand_child(spec.blocks[0].body, it);
        out.push_back(std::move(b));
      };
      Value u = each.unmarked();
      if (et.is_list() || et.is_set() || et.is_tuple()) {
        const auto& elems = u.elements();
        for (size_t i = 0; i < elems.size(); i++)
          emit(et.is_set() ? elems[i] : Value::number(static_cast<int64_t>(i)), elems[i]);
      } else {
        for (auto& [k, v] : u.attributes()) emit(Value::string(k), v);
      }
    }
    return out;
  }

  hcl::BodyPtr original_;
  std::shared_ptr<const hcl::EvalContext> for_each_ctx_;  // null: base_
  const hcl::EvalContext* base_;
  IterPtr iteration_;
  std::set<std::string> hidden_attrs_;
  std::map<std::string, hcl::BlockHeaderSchema> hidden_blocks_;
};

}  // namespace

hcl::BodyPtr expand_dynamic_blocks(hcl::BodyPtr body, const hcl::EvalContext* ctx) {
  return std::make_shared<ExpandBody>(std::move(body), nullptr, ctx, nullptr);
}

}  // namespace kiln::tmpl
