// Decoding cmd/hcldec spec files into specs.
#include "hcldec/spec_file.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "hcl/ast.h"
#include "hcl/parse.h"

namespace kiln::hcldec {

namespace syn = hcl::syntax;

namespace {

const char* const kSpecBlockTypes[] = {"object",  "array",      "literal",   "attr",
                                       "block",   "block_list", "block_map", "block_set",
                                       "default", "transform"};

hcl::BodySchema spec_schema(bool labelled) {
  hcl::BodySchema s;
  for (const char* t : kSpecBlockTypes)
    s.blocks.push_back(hcl::BlockHeaderSchema{
        t, labelled ? std::vector<std::string>{"key"} : std::vector<std::string>{}});
  return s;
}

SpecPtr err_spec() {
  auto s = std::make_shared<LiteralSpec>();
  s->value = Value::null(Type::dynamic());
  return s;
}

// hcl's StartRange. hclsyntax's TemplateExpr starts at its first part;
// ast.h's TemplateExpr does not override start_range() (yet), so apply
// that rule here.
Range start_range_of(const hcl::Expression& expr) {
  if (auto* t = dynamic_cast<const syn::TemplateExpr*>(&expr); t && !t->parts.empty())
    return t->parts.front()->start_range();
  return expr.start_range();
}

// hcl.ExprAsKeyword: a bare single-name traversal's name, else "".
std::string expr_as_keyword(const hcl::Expression& expr) {
  const hcl::Expression* e = &expr;
  while (auto* p = dynamic_cast<const syn::ParenthesesExpr*>(e)) e = p->expr.get();
  if (auto* t = dynamic_cast<const syn::ScopeTraversalExpr*>(e))
    if (t->traversal.steps.size() == 1) return t->traversal.root_name();
  return "";
}

// hcl.ExprList.
std::optional<std::vector<const hcl::Expression*>> expr_list(const hcl::Expression& expr,
                                                             Diagnostics& diags) {
  const hcl::Expression* e = &expr;
  while (auto* p = dynamic_cast<const syn::ParenthesesExpr*>(e)) e = p->expr.get();
  if (auto* t = dynamic_cast<const syn::TupleConsExpr*>(e)) {
    std::vector<const hcl::Expression*> out;
    for (const auto& x : t->exprs) out.push_back(x.get());
    return out;
  }
  diags.error("Invalid expression", "A static list expression is required.", start_range_of(expr));
  return std::nullopt;
}

// What the gohcl-decoded spec structs hold: optional scalars.
struct Args {
  hcl::BodyContent content;
  hcl::BodyPtr remain;
};

// gohcl.DecodeExpression into an optional Go value of type `want`; null
// leaves it unset.
std::optional<Value> decode_arg(const hcl::BodyContent& c, const std::string& name,
                                const Type& want, const EvalContext* ctx, Diagnostics& diags) {
  auto it = c.attributes.find(name);
  if (it == c.attributes.end()) return std::nullopt;
  const hcl::Expression& expr = *it->second.expr;
  Value v = expr.value(ctx, diags);
  std::string err;
  auto conv = hcl::convert(v, want, &err);
  if (!conv) {
    diags.error("Unsuitable value type", "Unsuitable value: " + err, start_range_of(expr),
                expr.range());
    return std::nullopt;
  }
  if (conv->is_null()) return std::nullopt;
  if (!conv->is_wholly_known()) {
    diags.error("Unsuitable value type", "Unsuitable value: value must be known",
                start_range_of(expr), expr.range());
    return std::nullopt;
  }
  return conv;
}

std::optional<std::string> decode_string(const hcl::BodyContent& c, const std::string& name,
                                         Diagnostics& diags) {
  auto v = decode_arg(c, name, Type::string(), nullptr, diags);
  if (!v) return std::nullopt;
  return v->as_string();
}

std::optional<bool> decode_bool(const hcl::BodyContent& c, const std::string& name,
                                Diagnostics& diags) {
  auto v = decode_arg(c, name, Type::boolean(), nullptr, diags);
  if (!v) return std::nullopt;
  return v->as_bool();
}

std::optional<int> decode_int(const hcl::BodyContent& c, const std::string& name,
                              Diagnostics& diags) {
  auto v = decode_arg(c, name, Type::number(), nullptr, diags);
  if (!v) return std::nullopt;
  const hcl::Number& n = v->as_number();
  auto i = n.is_integer() ? n.to_int64() : std::nullopt;
  const hcl::Expression& expr = *c.attributes.at(name).expr;
  if (!i) {
    diags.error("Unsuitable value type",
                n.is_integer() ? "Unsuitable value: value must be a whole number, between "
                                 "-9223372036854775808 and 9223372036854775807"
                               : "Unsuitable value: value must be a whole number",
                start_range_of(expr), expr.range());
    return std::nullopt;
  }
  return static_cast<int>(*i);
}

std::optional<std::vector<std::string>> decode_strings(const hcl::BodyContent& c,
                                                       const std::string& name,
                                                       Diagnostics& diags) {
  auto v = decode_arg(c, name, Type::list(Type::string()), nullptr, diags);
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& e : v->elements()) {
    if (e.is_null()) {
      const hcl::Expression& expr = *c.attributes.at(name).expr;
      diags.error("Unsuitable value type", "Unsuitable value: value must not be null",
                  start_range_of(expr), expr.range());
      return std::nullopt;
    }
    out.push_back(e.as_string());
  }
  return out;
}

// The body of a spec block split as gohcl would: the named arguments, and
// (with remain) the rest of the body.
hcl::BodyContent spec_args(const hcl::Body& body, std::vector<hcl::AttributeSchema> attrs,
                           hcl::BodyPtr* remain, Diagnostics& diags) {
  hcl::BodySchema schema;
  schema.attributes = std::move(attrs);
  if (remain) return body.partial_content(schema, remain, diags);
  return body.content(schema, diags);
}

// A zero-width null expression at the given range, as gohcl synthesizes for
// missing hcl.Expression fields.
class NullExpr : public hcl::Expression {
 public:
  explicit NullExpr(Range r) : r_(r) {}
  Value value(const EvalContext*, Diagnostics&) const override {
    return Value::null(Type::dynamic());
  }
  std::vector<hcl::Traversal> variables() const override { return {}; }
  Range range() const override { return r_; }
  Range start_range() const override { return r_; }

 private:
  Range r_;
};

hcl::ExpressionPtr expr_arg(const hcl::BodyContent& c, const std::string& name,
                            const hcl::Body& body) {
  auto it = c.attributes.find(name);
  if (it != c.attributes.end()) return it->second.expr;
  return std::make_shared<NullExpr>(body.missing_item_range());
}

struct Decoder {
  const EvalContext* spec_ctx;

  SpecPtr block(const hcl::Block& b, Diagnostics& diags);
  SpecPtr nested_single(const hcl::Body& body, const char* what, Diagnostics& diags);

  SpecPtr object(const hcl::Body& body, Diagnostics& diags) {
    hcl::BodyContent c = body.content(spec_schema(true), diags);
    auto spec = std::make_shared<ObjectSpec>();
    for (const auto& b : c.blocks) {
      SpecPtr s = block(b, diags);
      if (!b.labels.empty()) spec->members[b.labels[0]] = s;
    }
    return spec;
  }

  SpecPtr array(const hcl::Body& body, Diagnostics& diags) {
    hcl::BodyContent c = body.content(spec_schema(false), diags);
    auto spec = std::make_shared<TupleSpec>();
    for (const auto& b : c.blocks) spec->elements.push_back(block(b, diags));
    return spec;
  }

  SpecPtr attr(const hcl::Body& body, const std::string& implied, Diagnostics& diags) {
    Diagnostics d;
    hcl::BodyContent c =
        spec_args(body, {{"name", false}, {"type", false}, {"required", false}}, nullptr, d);
    auto name = decode_string(c, "name", d);
    auto required = decode_bool(c, "required", d);
    hcl::ExpressionPtr type_expr = expr_arg(c, "type", body);
    bool failed = d.has_errors();
    diags.append(d);
    if (failed) return err_spec();
    auto spec = std::make_shared<AttrSpec>();
    spec->name = name ? *name : implied;
    spec->required = required.value_or(false);
    spec->type = eval_type_expr(*type_expr, diags);
    if (spec->name.empty()) {
      diags.error("Missing name in attribute spec",
                  "The name attribute is required, to specify the attribute name that is "
                  "expected in an input HCL file.",
                  body.missing_item_range());
      return err_spec();
    }
    return spec;
  }

  // block, block_list, block_set, block_map.
  SpecPtr block_kind(const std::string& kind, const hcl::Body& body, const std::string& implied,
                     Diagnostics& diags) {
    std::vector<hcl::AttributeSchema> attrs = {{"block_type", false}};
    if (kind == "block") attrs.push_back({"required", false});
    if (kind == "block_list" || kind == "block_set") {
      attrs.push_back({"min_items", false});
      attrs.push_back({"max_items", false});
    }
    if (kind == "block_map") attrs.push_back({"labels", true});  // a Go slice: required
    Diagnostics d;
    hcl::BodyPtr rest;
    hcl::BodyContent c = spec_args(body, attrs, &rest, d);
    auto type_name = decode_string(c, "block_type", d);
    std::optional<bool> required;
    std::optional<int> min_items, max_items;
    std::optional<std::vector<std::string>> labels;
    if (kind == "block") required = decode_bool(c, "required", d);
    if (kind == "block_list" || kind == "block_set") {
      min_items = decode_int(c, "min_items", d);
      max_items = decode_int(c, "max_items", d);
    }
    if (kind == "block_map") labels = decode_strings(c, "labels", d);
    bool failed = d.has_errors();
    diags.append(d);
    if (failed) return err_spec();
    std::string tn = type_name ? *type_name : implied;
    SpecPtr nested = nested_single(*rest,
                                   "A block spec must have exactly one child spec "
                                   "specifying how to decode block contents.",
                                   diags);
    if (kind == "block") {
      auto s = std::make_shared<BlockSpec>();
      s->type_name = tn;
      s->required = required.value_or(false);
      s->nested = nested;
      return s;
    }
    if (kind == "block_list" || kind == "block_set") {
      std::shared_ptr<BlockSpecBase> s;
      if (kind == "block_list") {
        auto l = std::make_shared<BlockListSpec>();
        l->min_items = min_items.value_or(0);
        l->max_items = max_items.value_or(0);
        s = l;
      } else {
        auto l = std::make_shared<BlockSetSpec>();
        l->min_items = min_items.value_or(0);
        l->max_items = max_items.value_or(0);
        s = l;
      }
      s->type_name = tn;
      s->nested = nested;
      if (tn.empty()) {
        diags.error(fmt::format("Missing block_type in {} spec", kind),
                    "The block_type attribute is required, to specify the block type name that "
                    "is expected in an input HCL file.",
                    body.missing_item_range());
        return err_spec();
      }
      return s;
    }
    auto s = std::make_shared<BlockMapSpec>();
    s->type_name = tn;
    s->nested = nested;
    if (labels) s->label_names = *labels;
    if (tn.empty()) {
      diags.error("Missing block_type in block_map spec",
                  "The block_type attribute is required, to specify the block type name that is "
                  "expected in an input HCL file.",
                  body.missing_item_range());
      return err_spec();
    }
    if (s->label_names.empty()) {
      diags.error("Invalid block label name list",
                  "A block_map must have at least one label specified.", body.missing_item_range());
      return err_spec();
    }
    if (s->implied_type().has_dynamic_types())
      diags.error("Invalid block_map spec",
                  "A block_map spec may not contain attributes with type 'any'.",
                  body.missing_item_range());
    return s;
  }

  SpecPtr literal(const hcl::Body& body, Diagnostics& diags) {
    Diagnostics d;
    hcl::BodyContent c = spec_args(body, {{"value", true}}, nullptr, d);
    Value v = Value::null(Type::dynamic());
    if (auto it = c.attributes.find("value"); it != c.attributes.end())
      v = it->second.expr->value(spec_ctx, d);
    bool failed = d.has_errors();
    diags.append(d);
    if (failed) return err_spec();
    auto s = std::make_shared<LiteralSpec>();
    s->value = std::move(v);
    return s;
  }

  SpecPtr default_spec(const hcl::Body& body, Diagnostics& diags) {
    Diagnostics d;
    hcl::BodyContent c = body.content(spec_schema(false), d);
    bool had_errors = d.has_errors();
    diags.append(d);
    if (c.blocks.empty()) {
      if (had_errors) return err_spec();
      diags.error("Missing spec block",
                  "A default block must have at least one nested spec, each specifying a "
                  "possible outcome.",
                  body.missing_item_range());
      return err_spec();
    }
    if (c.blocks.size() == 1 && !had_errors) {
      // HashiCorp's hcldec indexes the (missing) second block here and
      // crashes; kiln points at the only one.
      diags.warning("Useless default block",
                    "A default block with only one spec is equivalent to using that spec alone.",
                    c.blocks[0].def_range);
    }
    SpecPtr spec;
    for (const auto& b : c.blocks) {
      Diagnostics cd;
      SpecPtr candidate = block(b, cd);
      bool bad = cd.has_errors();
      diags.append(cd);
      if (bad) continue;
      if (!spec) {
        spec = candidate;
      } else {
        auto ds = std::make_shared<DefaultSpec>();
        ds->primary = spec;
        ds->fallback = candidate;
        spec = ds;
      }
    }
    return spec ? spec : err_spec();
  }

  SpecPtr transform(const hcl::Body& body, Diagnostics& diags) {
    Diagnostics d;
    hcl::BodyPtr rest;
    hcl::BodyContent c = spec_args(body, {{"result", false}}, &rest, d);
    bool failed = d.has_errors();
    diags.append(d);
    if (failed) return err_spec();
    auto spec = std::make_shared<TransformExprSpec>();
    spec->expr = expr_arg(c, "result", body);
    spec->transform_ctx = spec_ctx;
    Diagnostics nd;
    hcl::BodyContent nc = rest->content(spec_schema(false), nd);
    bool nested_failed = nd.has_errors();
    diags.append(nd);
    if (nc.blocks.size() != 1) {
      if (nested_failed) return err_spec();
      diags.error("Invalid transform spec",
                  "A transform spec block must have exactly one nested spec block.",
                  body.missing_item_range());
      return err_spec();
    }
    spec->wrapped = block(nc.blocks[0], diags);
    return spec;
  }
};

SpecPtr Decoder::nested_single(const hcl::Body& body, const char* detail, Diagnostics& diags) {
  Diagnostics d;
  hcl::BodyContent c = body.content(spec_schema(false), d);
  bool had_errors = d.has_errors();
  diags.append(d);
  if (c.blocks.empty()) {
    if (had_errors) return err_spec();
    diags.error("Missing spec block", detail, body.missing_item_range());
    return err_spec();
  }
  if (c.blocks.size() > 1) {
    diags.error("Extraneous spec block", detail, c.blocks[1].def_range);
    return err_spec();
  }
  return block(c.blocks[0], diags);
}

SpecPtr Decoder::block(const hcl::Block& b, Diagnostics& diags) {
  std::string implied = b.labels.empty() ? std::string() : b.labels[0];
  const hcl::Body& body = *b.body;
  if (b.type == "object") return object(body, diags);
  if (b.type == "array") return array(body, diags);
  if (b.type == "attr") return attr(body, implied, diags);
  if (b.type == "block" || b.type == "block_list" || b.type == "block_set" || b.type == "block_map")
    return block_kind(b.type, body, implied, diags);
  if (b.type == "default") return default_spec(body, diags);
  if (b.type == "transform") return transform(body, diags);
  if (b.type == "literal") return literal(body, diags);
  diags.error("Invalid spec block",
              fmt::format("Blocks of type \"{}\" are not expected here.", b.type), b.type_range);
  return err_spec();
}

}  // namespace

// --- type expressions ---------------------------------------------------------

namespace {

struct TypeEval {
  Diagnostics& diags;

  // nullopt: not a type (the caller reports how).
  std::optional<Type> eval(const hcl::Expression& expr, bool* failed) {
    const hcl::Expression* e = &expr;
    while (auto* p = dynamic_cast<const syn::ParenthesesExpr*>(e)) e = p->expr.get();
    if (auto* t = dynamic_cast<const syn::ScopeTraversalExpr*>(e)) {
      const auto& steps = t->traversal.steps;
      const std::string& name = t->traversal.root_name();
      static const std::map<std::string, Type> kTypes = {{"string", Type::string()},
                                                         {"bool", Type::boolean()},
                                                         {"number", Type::number()},
                                                         {"any", Type::dynamic()}};
      auto it = kTypes.find(name);
      if (it == kTypes.end()) {
        std::string suggestion;
        for (const auto& [k, v] : kTypes)
          if (similar(name, k)) suggestion = fmt::format(" Did you mean \"{}\"?", k);
        diags.error("Unknown variable",
                    fmt::format("There is no variable named \"{}\".{}", name, suggestion),
                    steps[0].range);
        *failed = true;
        return std::nullopt;
      }
      if (steps.size() > 1) {
        // Attributes of a type value do not exist.
        diags.error("Unsupported attribute", "This value does not have any attributes.",
                    steps[1].range);
        *failed = true;
        return std::nullopt;
      }
      return it->second;
    }
    if (auto* call = dynamic_cast<const syn::FunctionCallExpr*>(e)) return eval_call(*call, failed);
    return std::nullopt;
  }

  static bool similar(const std::string& a, const std::string& b) {
    // Levenshtein distance < 3, as hcl's nameSuggestion.
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      std::swap(prev, cur);
    }
    return prev[b.size()] < 3;
  }

  std::optional<Type> eval_call(const syn::FunctionCallExpr& call, bool* failed) {
    static const std::map<std::string, std::string> kParams = {{"list", "element_type"},
                                                               {"set", "element_type"},
                                                               {"map", "element_type"},
                                                               {"tuple", "element_types"},
                                                               {"object", "attribute_types"}};
    auto fit = kParams.find(call.name);
    if (fit == kParams.end()) {
      diags.error("Call to unknown function",
                  fmt::format("There is no function named \"{}\".", call.name), call.name_range,
                  call.range());
      *failed = true;
      return std::nullopt;
    }
    if (call.args.size() > 1) {
      diags.error("Too many function arguments",
                  fmt::format("Function \"{}\" expects only 1 argument(s).", call.name),
                  start_range_of(*call.args[1]), call.range());
      *failed = true;
      return std::nullopt;
    }
    if (call.args.empty()) {
      diags.error("Not enough function arguments",
                  fmt::format("Function \"{}\" expects 1 argument(s). Missing value for \"{}\".",
                              call.name, fit->second),
                  call.close_paren_range, call.range());
      *failed = true;
      return std::nullopt;
    }
    const hcl::Expression& arg = *call.args[0];
    auto bad_arg = [&](const std::string& why) -> std::optional<Type> {
      diags.error("Invalid function argument",
                  fmt::format("Invalid value for \"{}\" parameter: {}.", fit->second, why),
                  start_range_of(arg), call.range());
      *failed = true;
      return std::nullopt;
    };
    const hcl::Expression* a = &arg;
    while (auto* p = dynamic_cast<const syn::ParenthesesExpr*>(a)) a = p->expr.get();
    if (call.name == "tuple") {
      auto* tup = dynamic_cast<const syn::TupleConsExpr*>(a);
      if (!tup) return bad_arg("list of type required");
      std::vector<Type> types;
      bool sub_failed = false;
      for (const auto& x : tup->exprs) {
        auto t = eval(*x, &sub_failed);
        if (!t && !sub_failed) return bad_arg("list of type required");
        if (t) types.push_back(*t);
      }
      if (sub_failed) {
        *failed = true;
        return std::nullopt;
      }
      return Type::tuple(std::move(types));
    }
    if (call.name == "object") {
      auto* obj = dynamic_cast<const syn::ObjectConsExpr*>(a);
      if (!obj) return bad_arg("map of type required");
      std::map<std::string, Type> attrs;
      bool sub_failed = false;
      for (const auto& item : obj->items) {
        Value k = item.key->value(nullptr, diags);
        std::string err;
        auto ks = hcl::convert(k, Type::string(), &err);
        auto t = eval(*item.value, &sub_failed);
        if (!t && !sub_failed) return bad_arg("map of type required");
        if (!ks || ks->is_null() || !ks->is_known()) {
          sub_failed = true;
          continue;
        }
        if (t) attrs[ks->as_string()] = *t;
      }
      if (sub_failed) {
        *failed = true;
        return std::nullopt;
      }
      return Type::object(std::move(attrs));
    }
    bool sub_failed = false;
    auto t = eval(arg, &sub_failed);
    if (sub_failed) {
      *failed = true;
      return std::nullopt;
    }
    if (!t) return bad_arg("type required");
    if (call.name == "list") return Type::list(*t);
    if (call.name == "set") return Type::set(*t);
    return Type::map(*t);
  }
};

}  // namespace

Type eval_type_expr(const hcl::Expression& expr, Diagnostics& diags) {
  TypeEval ev{diags};
  bool failed = false;
  auto t = ev.eval(expr, &failed);
  if (t) return *t;
  std::string what = "dynamic";
  if (!failed) {
    // Not a type: evaluate it to name what it is (null means "any").
    Diagnostics ignored;
    Value v = expr.value(nullptr, ignored);
    if (v.is_null() && !ignored.has_errors()) return Type::dynamic();
    if (!ignored.has_errors())
      what = v.type().friendly_name();
    else
      diags.append(ignored);
  }
  diags.error("Invalid type expression", fmt::format("A type is required, not {}.", what),
              std::nullopt);
  return Type::dynamic();
}

// --- user functions -------------------------------------------------------------

std::map<std::string, hcl::Function> decode_user_functions(const hcl::Body& body,
                                                           const std::string& block_type,
                                                           const EvalContext* base_ctx,
                                                           hcl::BodyPtr* remain,
                                                           Diagnostics& diags) {
  hcl::BodySchema schema;
  schema.blocks.push_back(hcl::BlockHeaderSchema{block_type, {"name"}});
  Diagnostics d;
  hcl::BodyContent content = body.partial_content(schema, remain, d);
  bool failed = d.has_errors();
  diags.append(d);
  std::map<std::string, hcl::Function> funcs;
  if (failed) return funcs;

  hcl::BodySchema func_schema;
  func_schema.attributes = {{"params", true}, {"variadic_param", false}, {"result", true}};
  for (const auto& block : content.blocks) {
    const std::string& name = block.labels.at(0);
    Diagnostics fd;
    hcl::BodyContent fc = block.body->content(func_schema, fd);
    bool bad = fd.has_errors();
    diags.append(fd);
    if (bad) continue;
    const hcl::Expression& params_expr = *fc.attributes.at("params").expr;
    hcl::ExpressionPtr result_expr = fc.attributes.at("result").expr;
    const hcl::Expression* var_param_expr = nullptr;
    if (auto it = fc.attributes.find("variadic_param"); it != fc.attributes.end())
      var_param_expr = it->second.expr.get();

    Diagnostics pd;
    auto list = expr_list(params_expr, pd);
    bad = pd.has_errors();
    diags.append(pd);
    if (bad) continue;
    std::vector<std::string> params;
    bool invalid = false;
    for (const hcl::Expression* p : *list) {
      std::string kw = expr_as_keyword(*p);
      if (kw.empty()) {
        diags.error("Invalid param element", "Each parameter name must be an identifier.",
                    p->range());
        invalid = true;
        break;
      }
      params.push_back(kw);
    }
    if (invalid) continue;
    std::string var_param;
    if (var_param_expr) {
      var_param = expr_as_keyword(*var_param_expr);
      if (var_param.empty()) {
        diags.error("Invalid variadic_param", "The variadic parameter name must be an identifier.",
                    var_param_expr->range());
        continue;
      }
    }

    hcl::Function fn;
    for (const auto& p : params) fn.params.push_back(hcl::FunctionParam{p, Type::dynamic()});
    if (var_param_expr) fn.var_param = hcl::FunctionParam{var_param, Type::dynamic()};
    bool variadic = var_param_expr != nullptr;
    auto impl = [params, var_param, variadic, result_expr, base_ctx](
                    const std::vector<Value>& args,
                    hcl::FunctionError* err) -> std::optional<Value> {
      EvalContext ctx = base_ctx ? base_ctx->child() : EvalContext{};
      for (size_t i = 0; i < params.size() && i < args.size(); ++i)
        ctx.variables[params[i]] = args[i];
      if (variadic) {
        std::vector<Value> rest;
        for (size_t i = params.size(); i < args.size(); ++i) rest.push_back(args[i]);
        ctx.variables[var_param] = Value::tuple(std::move(rest));
      }
      Diagnostics rd;
      Value v = result_expr->value(&ctx, rd);
      if (rd.has_errors()) {
        if (err) {
          const auto& first = rd.front();
          err->message = first.subject ? fmt::format("{}: {}; {}", first.subject->str(),
                                                     first.summary, first.detail)
                                       : fmt::format("{}; {}", first.summary, first.detail);
          if (rd.size() > 1)
            err->message += fmt::format(", and {} other diagnostic(s)", rd.size() - 1);
        }
        return std::nullopt;
      }
      return v;
    };
    fn.type = [impl](const std::vector<Value>& args,
                     hcl::FunctionError* err) -> std::optional<Type> {
      auto v = impl(args, err);
      if (!v) return std::nullopt;
      return v->type();
    };
    fn.impl = [impl](const std::vector<Value>& args, const Type&, hcl::FunctionError* err) {
      return impl(args, err);
    };
    funcs[name] = std::move(fn);
  }
  return funcs;
}

// --- the spec file ------------------------------------------------------------------

namespace {
struct SpecKeep {
  hcl::File file;
  EvalContext spec_ctx;
};
}  // namespace

SpecFile load_spec_source(std::string src, const std::string& filename, Diagnostics& diags) {
  SpecFile out;
  out.root = err_spec();
  auto keep = std::make_shared<SpecKeep>();
  out.keep_alive = keep;
  keep->spec_ctx.functions = spec_functions();
  Diagnostics pd;
  keep->file = hcl::parse_native_file(std::move(src), filename, pd);
  bool failed = pd.has_errors();
  diags.append(pd);
  if (failed || !keep->file.body) return out;

  const EvalContext* spec_ctx = &keep->spec_ctx;
  hcl::BodyPtr after_funcs;
  out.functions =
      decode_user_functions(*keep->file.body, "function", spec_ctx, &after_funcs, diags);
  if (!after_funcs) after_funcs = keep->file.body;

  hcl::BodySchema vars_schema;
  vars_schema.blocks.push_back(hcl::BlockHeaderSchema{"variables", {}});
  hcl::BodyPtr spec_body;
  hcl::BodyContent vc = after_funcs->partial_content(vars_schema, &spec_body, diags);
  if (!spec_body) spec_body = after_funcs;
  for (const auto& b : vc.blocks) {
    hcl::Attributes attrs = b.body->just_attributes(diags);
    for (const auto& [name, attr] : attrs) out.variables[name] = attr.expr->value(spec_ctx, diags);
  }

  Decoder dec{spec_ctx};
  Diagnostics rd;
  hcl::BodyContent rc = spec_body->content(spec_schema(false), rd);
  bool root_errors = rd.has_errors();
  diags.append(rd);
  const char* detail =
      "A spec file must have exactly one root block specifying how to map to a JSON value.";
  if (rc.blocks.empty()) {
    if (!root_errors) diags.error("Missing spec block", detail, spec_body->missing_item_range());
    return out;
  }
  if (rc.blocks.size() > 1) {
    diags.error("Extraneous spec block", detail, rc.blocks[1].def_range);
    return out;
  }
  out.root = dec.block(rc.blocks[0], diags);
  return out;
}

SpecFile load_spec_file(const std::string& filename, Diagnostics& diags) {
  std::ifstream in(filename, std::ios::binary);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  if (!in) {
    SpecFile out;
    out.root = err_spec();
    diags.error("Failed to read file",
                fmt::format("The configuration file \"{}\" could not be read.", filename),
                std::nullopt);
    return out;
  }
  return load_spec_source(ss.str(), filename, diags);
}

}  // namespace kiln::hcldec
