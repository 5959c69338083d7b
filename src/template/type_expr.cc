#include "template/type_expr.h"

#include <string>
#include <vector>

#include "hcl/ast.h"
#include "hcl/json_syntax.h"

namespace kiln::tmpl {

namespace {

using hcl::Diagnostics;
using hcl::Expression;
using hcl::Range;
using hcl::Type;
using hcl::Value;
namespace syn = hcl::syntax;

constexpr const char* kInvalid = "Invalid type specification";

// hcl.ExprCall for both syntaxes.
struct Call {
  std::string name;
  std::vector<const Expression*> args;
  Range name_range;
  Range args_range;
  hcl::ExpressionPtr holder;  // keeps a JSON string's parsed expression alive
};

const Expression* unwrap(const Expression* e) {
  for (;;) {
    if (auto* p = dynamic_cast<const syn::ParenthesesExpr*>(e); p && p->expr) {
      e = p->expr.get();
      continue;
    }
    if (auto* k = dynamic_cast<const syn::ObjectConsKeyExpr*>(e); k && k->wrapped) {
      e = k->wrapped.get();
      continue;
    }
    return e;
  }
}

std::optional<Call> expr_call(const Expression& expr) {
  const Expression* e = unwrap(&expr);
  hcl::ExpressionPtr holder;
  if (hcl::json::is_json_expression(*e)) {
    holder = hcl::json::native_expression_in_string(*e);
    if (!holder) return std::nullopt;
    e = unwrap(holder.get());
  }
  auto* fc = dynamic_cast<const syn::FunctionCallExpr*>(e);
  if (!fc) return std::nullopt;
  Call c;
  c.name = fc->name;
  for (auto& a : fc->args) c.args.push_back(a.get());
  c.name_range = fc->name_range;
  c.args_range = Range::between(fc->open_paren_range, fc->close_paren_range);
  c.holder = std::move(holder);
  return c;
}

std::string keyword(const Expression& expr) {
  const Expression* e = unwrap(&expr);
  if (auto* k = dynamic_cast<const syn::ObjectConsKeyExpr*>(&expr); k && k->force_non_literal)
    return "";
  return hcl::json::expr_as_keyword(*e);
}

struct Getter {
  Diagnostics& diags;
  std::vector<hcl::ExpressionPtr> keep;  // JSON element expressions in use
  void err(std::string detail, Range subject, std::optional<Range> context = std::nullopt) {
    diags.error(kInvalid, std::move(detail), subject, context);
  }

  Type get(const Expression& expr, std::shared_ptr<const TypeDefaults>* defaults) {
    std::string kw = keyword(expr);
    if (kw == "bool") return Type::boolean();
    if (kw == "string") return Type::string();
    if (kw == "number") return Type::number();
    if (kw == "any") return Type::dynamic();
    if (kw == "list" || kw == "map" || kw == "set") {
      err("The " + kw + " type constructor requires one argument specifying the element type.",
          expr.range());
      return Type::dynamic();
    }
    if (kw == "object") {
      err("The object type constructor requires one argument specifying the attribute types and "
          "values as a map.",
          expr.range());
      return Type::dynamic();
    }
    if (kw == "tuple") {
      err("The tuple type constructor requires one argument specifying the element types as a "
          "list.",
          expr.range());
      return Type::dynamic();
    }
    if (!kw.empty()) {
      err("The keyword \"" + kw + "\" is not a valid type specification.", expr.range());
      return Type::dynamic();
    }
    auto call = expr_call(expr);
    if (!call) {
      err("A type specification is either a primitive type keyword (bool, number, string) or a "
          "complex type constructor call, like list(string).",
          expr.range());
      return Type::dynamic();
    }
    const std::string& name = call->name;
    if (name == "bool" || name == "string" || name == "number") {
      err("Primitive type keyword \"" + name + "\" does not expect arguments.", call->args_range);
      return Type::dynamic();
    }
    if (name == "any") {
      err("Type constraint keyword \"any\" does not expect arguments.", call->args_range);
      return Type::dynamic();
    }
    if (call->args.size() != 1 &&
        (name == "list" || name == "set" || name == "map" || name == "object" || name == "tuple")) {
      Range subject = call->args_range;
      if (call->args.size() > 1)
        subject = Range::between(call->args[1]->range(), call->args.back()->range());
      std::string detail;
      if (name == "object")
        detail =
            "The object type constructor requires one argument specifying the attribute types "
            "and values as a map.";
      else if (name == "tuple")
        detail =
            "The tuple type constructor requires one argument specifying the element types as a "
            "list.";
      else
        detail =
            "The " + name + " type constructor requires one argument specifying the element type.";
      err(detail, subject, call->args_range);
      return Type::dynamic();
    }
    if (name == "list" || name == "set" || name == "map") {
      std::shared_ptr<const TypeDefaults> child;
      Type ety = get(*call->args[0], &child);
      Type ty = name == "list" ? Type::list(ety) : name == "set" ? Type::set(ety) : Type::map(ety);
      if (child) {
        auto d = std::make_shared<TypeDefaults>();
        d->type = ty;
        d->children[""] = child;
        *defaults = d;
      }
      return ty;
    }
    if (name == "object") return object(expr, *call, defaults);
    if (name == "tuple") {
      std::vector<const Expression*> elems;
      const Expression* arg = unwrap(call->args[0]);
      if (auto* t = dynamic_cast<const syn::TupleConsExpr*>(arg)) {
        for (auto& x : t->exprs) elems.push_back(x.get());
      } else if (auto l = hcl::json::expr_list(*arg)) {
        for (auto& x : *l) {
          keep.push_back(x);
          elems.push_back(x.get());
        }
      } else {
        err("Tuple type constructor requires a list of element types.", call->args[0]->range(),
            expr.range());
        return Type::dynamic();
      }
      std::vector<Type> etys;
      std::map<std::string, std::shared_ptr<const TypeDefaults>> children;
      for (size_t i = 0; i < elems.size(); i++) {
        std::shared_ptr<const TypeDefaults> child;
        etys.push_back(get(*elems[i], &child));
        if (child) children[std::to_string(i)] = child;
      }
      Type ty = Type::tuple(etys);
      if (!children.empty()) {
        auto d = std::make_shared<TypeDefaults>();
        d->type = ty;
        d->children = std::move(children);
        *defaults = d;
      }
      return ty;
    }
    if (name == "optional") {
      err("Keyword \"optional\" is valid only as a modifier for object type attributes.",
          call->name_range);
      return Type::dynamic();
    }
    err("Keyword \"" + name + "\" is not a valid type constructor.", expr.range());
    return Type::dynamic();
  }

  Type object(const Expression& expr, const Call& call,
              std::shared_ptr<const TypeDefaults>* defaults) {
    std::vector<std::pair<const Expression*, const Expression*>> items;
    std::vector<std::pair<hcl::ExpressionPtr, hcl::ExpressionPtr>> json_items;
    const Expression* arg = unwrap(call.args[0]);
    if (auto* o = dynamic_cast<const syn::ObjectConsExpr*>(arg)) {
      for (auto& it : o->items) items.emplace_back(it.key.get(), it.value.get());
    } else if (auto m = hcl::json::expr_map(*arg)) {
      json_items = std::move(*m);
      for (auto& [k, v] : json_items) items.emplace_back(k.get(), v.get());
    } else {
      err("Object type constructor requires a map whose keys are attribute names and whose "
          "values are the corresponding attribute types.",
          call.args[0]->range(), expr.range());
      return Type::dynamic();
    }
    std::map<std::string, Type> atys;
    std::set<std::string> optional;
    std::map<std::string, Value> default_values;
    std::map<std::string, std::shared_ptr<const TypeDefaults>> children;
    for (auto& [key, val] : items) {
      std::string attr = keyword(*key);
      if (attr.empty() && hcl::json::is_json_expression(*key)) {
        Diagnostics ignore;
        Value k = key->value(nullptr, ignore);
        if (!ignore.has_errors() && k.type() == Type::string() && k.is_known() && !k.is_null())
          attr = k.as_string();
      }
      if (attr.empty()) {
        err("Object constructor map keys must be attribute names.", key->range(), expr.range());
        continue;
      }
      const Expression* aty_expr = val;
      const Expression* default_expr = nullptr;
      std::optional<Call> opt = expr_call(*val);
      if (opt && opt->name == "optional") {
        if (opt->args.empty()) {
          err("Optional attribute modifier requires the attribute type as its argument.",
              opt->args_range, val->range());
          continue;
        }
        if (opt->args.size() == 2) {
          default_expr = opt->args[1];
          Diagnostics dd;
          Value dv = default_expr->value(nullptr, dd);
          diags.append(dd);
          if (!dd.has_errors()) {
            optional.insert(attr);
            default_values[attr] = dv;
          }
        } else if (opt->args.size() == 1) {
          optional.insert(attr);
        } else {
          err("Optional attribute modifier expects at most two arguments: the attribute type, "
              "and a default value.",
              opt->args_range, val->range());
        }
        aty_expr = opt->args[0];
      }
      std::shared_ptr<const TypeDefaults> child;
      Type aty = get(*aty_expr, &child);
      if (auto it = default_values.find(attr); it != default_values.end()) {
        std::string error;
        auto conv = hcl::convert(it->second, aty, &error);
        if (!conv) {
          diags.error("Invalid default value for optional attribute",
                      "This default value is not compatible with the attribute's type "
                      "constraint: " +
                          error + ".",
                      default_expr->range());
          default_values.erase(it);
        } else {
          it->second = *conv;
        }
      }
      atys[attr] = aty;
      if (child) children[attr] = child;
    }
    Type ty = Type::object(atys, optional);
    if (!default_values.empty() || !children.empty()) {
      auto d = std::make_shared<TypeDefaults>();
      d->type = ty;
      d->values = std::move(default_values);
      d->children = std::move(children);
      *defaults = d;
    }
    return ty;
  }
};

}  // namespace

Value TypeDefaults::apply(const Value& val) const {
  if (!val.is_known() || val.is_null()) return val;
  const Type& vt = val.type();
  uint8_t marks = val.marks();
  // Pre-order: fill in this level's defaults, then walk into children.
  Value v = val;
  if (!values.empty() && (vt.is_object() || vt.is_map())) {
    Value um = v.unmarked();
    std::map<std::string, Value> attrs = um.attributes();
    for (auto& [k, dv] : values) {
      auto it = attrs.find(k);
      if (it == attrs.end() || it->second.is_null()) attrs[k] = dv;
    }
    v = Value::object(std::move(attrs)).with_marks(marks);
  }
  if (children.empty()) return v;
  const Type& t = v.type();
  auto child_for = [&](const std::string& key) -> const TypeDefaults* {
    if (type.is_object()) {
      auto it = children.find(key);
      return it == children.end() ? nullptr : it->second.get();
    }
    if (type.is_map() || type.is_list() || type.is_set()) {
      auto it = children.find("");
      return it == children.end() ? nullptr : it->second.get();
    }
    if (type.is_tuple()) {
      auto it = children.find(key);
      return it == children.end() ? nullptr : it->second.get();
    }
    return nullptr;
  };
  Value um = v.unmarked();
  if (t.is_object() || t.is_map()) {
    std::map<std::string, Value> attrs = um.attributes();
    for (auto& [k, ev] : attrs)
      if (auto* c = child_for(k)) ev = c->apply(ev);
    if (t.is_object()) return Value::object(std::move(attrs)).with_marks(marks);
    // A map whose elements changed type becomes an object, as cty's
    // transform would fail otherwise; conversion sorts it out later.
    return Value::object(std::move(attrs)).with_marks(marks);
  }
  if (t.is_list() || t.is_set() || t.is_tuple()) {
    std::vector<Value> elems = um.elements();
    for (size_t i = 0; i < elems.size(); i++)
      if (auto* c = child_for(std::to_string(i))) elems[i] = c->apply(elems[i]);
    // Elements may now differ in type: keep them as a tuple.
    return Value::tuple(std::move(elems)).with_marks(marks);
  }
  return v;
}

TypeConstraint decode_type_constraint(const Expression& expr, Diagnostics& diags) {
  Getter g{diags, {}};
  TypeConstraint tc;
  tc.type = g.get(expr, &tc.defaults);
  return tc;
}

}  // namespace kiln::tmpl
