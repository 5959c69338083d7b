// Initialisation (variable validation, data sources and locals in
// dependency order, sources and builds) and GetBuilds.
#include <fnmatch.h>

#include <algorithm>
#include <functional>
#include <set>

#include "funcs/registry.h"
#include "hcl/diagnostic_text.h"
#include "hcl/json_syntax.h"
#include "hcl/scan_context.h"
#include "hcldec/merged.h"
#include "template/dynblock.h"
#include "template/schemas.h"
#include "template/template.h"
#include "template/template_util.h"

namespace kiln::tmpl {

using hcl::Diagnostics;
using hcl::Range;
using hcl::Type;
using hcl::Value;
using namespace detail;

namespace {

// The build.* keys Packer knows before a build runs (BuilderDataCommonKeys).
const char* const kBuildKeys[] = {
    "ID",           "Host",          "Port",         "User",           "Password",
    "ConnType",     "PackerRunUUID", "PackerHTTPIP", "PackerHTTPPort", "PackerHTTPAddr",
    "SSHPublicKey", "SSHPrivateKey", "WinRMPassword"};

void collect_strings(const Value& v, std::vector<std::string>& out) {
  if (!v.is_known() || v.is_null()) return;
  Value u = v.unmarked();
  const Type& t = u.type();
  if (t == Type::string()) {
    if (!u.as_string().empty()) out.push_back(u.as_string());
  } else if (t.is_list() || t.is_set() || t.is_tuple()) {
    for (auto& e : u.elements()) collect_strings(e, out);
  } else if (t.is_map() || t.is_object()) {
    for (auto& [_, e] : u.attributes()) collect_strings(e, out);
  }
}

}  // namespace

const hcl::EvalContext* Config::function_scope() const {
  if (!fn_ctx_) {
    funcs::FuncsOptions fo;
    fo.path_root = path_root;
    fo.cwd = cwd;
    fn_ctx_ = std::make_shared<hcl::EvalContext>();
    fn_ctx_->functions = funcs::packer_functions(fo);
  }
  return fn_ctx_.get();
}

Value Config::var_object() const {
  if (!var_obj_cache_) {
    std::map<std::string, Value> m;
    for (auto& [name, v] : variables) m[name] = v.value();
    var_obj_cache_ = Value::object(std::move(m));
  }
  return *var_obj_cache_;
}

Value Config::local_object() const {
  if (!local_obj_cache_) local_obj_cache_ = Value::object(local_values);
  return *local_obj_cache_;
}

hcl::EvalContext Config::eval_context(const SourceUse* use, const BuildBlock* build) const {
  hcl::EvalContext ctx;
  ctx.parent = function_scope();
  ctx.variables["var"] = var_object();
  ctx.variables["local"] = local_object();
  std::string root = path_root, wd = cwd;
  std::replace(root.begin(), root.end(), '\\', '/');
  std::replace(wd.begin(), wd.end(), '\\', '/');
  ctx.variables["path"] =
      Value::object({{"root", Value::string(root)}, {"cwd", Value::string(wd)}});
  ctx.variables["packer"] = Value::object({{"version", Value::string(kPackerVersion)}});
  // data.TYPE.NAME
  std::map<std::string, std::map<std::string, Value>> data;
  for (auto& d : data_blocks)
    data[d.type][d.name] =
        d.output.is_null() && d.output.type().is_dynamic() ? Value::dynamic_unknown() : d.output;
  std::map<std::string, Value> dm;
  for (auto& [t, m] : data) dm[t] = Value::object(m);
  ctx.variables["data"] = Value::object(std::move(dm));
  if (use) {
    ctx.variables["source"] = Value::object(
        {{"type", Value::string(use->type)}, {"name", Value::string(use->effective_name())}});
  }
  if (build) {
    std::map<std::string, Value> b;
    for (const char* k : kBuildKeys) b[k] = Value::string("<unknown>");
    b["name"] = Value::string(build->name);
    ctx.variables["build"] = Value::object(std::move(b));
  }
  return ctx;
}

std::vector<std::string> Config::secrets() const {
  std::vector<std::string> out;
  for (auto& [_, v] : variables)
    if (v.sensitive && !v.values.empty()) collect_strings(v.values.back().value, out);
  for (auto& l : locals) {
    auto it = local_values.find(l.name);
    if (l.sensitive && it != local_values.end()) collect_strings(it->second, out);
  }
  for (auto& e : extra_secrets)
    if (!e.empty()) out.push_back(e);
  std::sort(out.begin(), out.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string Config::filter_secrets(std::string text) const {
  for (auto& s : secrets()) {
    size_t pos = 0;
    while ((pos = text.find(s, pos)) != std::string::npos) {
      text.replace(pos, s.size(), "<sensitive>");
      pos += 11;
    }
  }
  return text;
}

std::string Config::render(const Diagnostics& diags) const {
  std::string out;
  for (auto& d : diags) {
    std::string context;
    if (d.subject) {
      auto it = files.find(std::string(d.subject->filename));
      if (it != files.end() && !ends_with(it->first, ".json")) {
        context = hcl::native_context_string(it->second, d.subject->start.byte);
      } else if (it != files.end()) {
        for (auto* list : {&parsed, &var_files})
          for (auto& f : *list)
            if (f.filename == it->first && f.body)
              context = hcl::json::context_string(*f.body, d.subject->start.byte);
      }
    }
    out += hcl::render_packer_diagnostic(d, &files, context);
  }
  return filter_secrets(out);
}

Diagnostics Config::initialize(bool skip_datasources) {
  Diagnostics diags;
  skip_datasources_ = skip_datasources;
  initialized = true;
  // Variables: every one must have a value; the last value must pass the
  // validation rules.
  for (auto& [name, var] : variables) {
    if (var.values.empty()) {
      diags.error("Unset variable \"" + name + "\"",
                  "A used variable must be set or have a default value; see "
                  "https://packer.io/docs/templates/hcl_templates/syntax for details.",
                  std::nullopt, var.range);
      continue;
    }
    const VariableAssignment& last = var.values.back();
    for (auto& rule : var.validations) {
      hcl::EvalContext ctx;
      ctx.parent = function_scope();
      ctx.variables["var"] = Value::object({{name, last.value}});
      Diagnostics cd;
      Value res = rule.condition->value(&ctx, cd);
      diags.append(cd);
      if (cd.has_errors()) continue;
      if (!res.is_known()) continue;
      if (res.is_null()) {
        diags.error("Invalid variable validation result",
                    "Validation condition expression must return either true or false, not null.",
                    rule.condition->range());
        continue;
      }
      std::string err;
      auto b = hcl::convert(res, Type::boolean(), &err);
      if (!b) {
        diags.error("Invalid variable validation result",
                    "Invalid validation condition result value: " + err + ".",
                    rule.condition->range());
        continue;
      }
      if (b->unmarked().as_bool()) continue;
      Diagnostics md;
      Value msg = rule.error_message->value(&ctx, md);
      std::string text = msg.is_known() && !msg.is_null() && msg.type() == Type::string()
                             ? msg.unmarked().as_string()
                             : "";
      diags.error("Invalid value for " + last.from + " variable",
                  text + "\n\nThis was checked by the validation rule at " + rule.range.str() + ".",
                  last.range);
    }
  }
  diags.append(evaluate_locals());
  diags.append(decode_sources_and_builds());
  return diags;
}

Diagnostics Config::evaluate_locals() {
  Diagnostics diags;
  // Vertices: data.TYPE.NAME and local.NAME.
  std::map<std::string, std::vector<std::string>> deps;
  std::vector<std::string> order_names;
  std::vector<std::string> graph_errors;
  std::set<std::string> known;
  for (auto& d : data_blocks) known.insert("data." + d.type + "." + d.name);
  for (auto& l : locals) known.insert("local." + l.name);
  auto refs_of = [&](const std::vector<hcl::Traversal>& travs, const std::string& self) {
    std::vector<std::string> out;
    for (auto& t : travs) {
      if (t.steps.empty()) continue;
      const std::string& root = t.root_name();
      if (root == "local" && t.steps.size() >= 2 &&
          t.steps[1].kind == hcl::TraversalStep::Kind::Attr) {
        out.push_back("local." + t.steps[1].name);
      } else if (root == "data" && t.steps.size() >= 3 &&
                 t.steps[1].kind == hcl::TraversalStep::Kind::Attr &&
                 t.steps[2].kind == hcl::TraversalStep::Kind::Attr) {
        out.push_back("data." + t.steps[1].name + "." + t.steps[2].name);
      } else {
        continue;
      }
      if (!known.count(out.back())) {
        graph_errors.push_back("could not get dependency \"" + out.back() + "\" for \"" + self +
                               "\", \"" + out.back() + "\" missing in template");
        out.pop_back();
      }
    }
    return out;
  };
  for (auto& d : data_blocks) {
    std::string self = "data." + d.type + "." + d.name;
    // The data body's references (attributes only; nested blocks are rare).
    std::vector<hcl::Traversal> travs;
    Diagnostics ignore;
    auto attrs = d.body->just_attributes(ignore);
    for (auto& [_, a] : attrs) {
      auto v = a.expr->variables();
      travs.insert(travs.end(), v.begin(), v.end());
    }
    deps[self] = refs_of(travs, self);
    order_names.push_back(self);
  }
  for (auto& l : locals) {
    std::string self = "local." + l.name;
    deps[self] = refs_of(l.expr->variables(), self);
    order_names.push_back(self);
  }
  // Cycle detection and topological order (dependencies first).
  std::map<std::string, int> state;  // 0 new, 1 visiting, 2 done
  std::vector<std::string> order, stack;
  std::vector<std::vector<std::string>> cycles;
  std::function<void(const std::string&)> visit = [&](const std::string& n) {
    state[n] = 1;
    stack.push_back(n);
    for (auto& d : deps[n]) {
      if (state[d] == 1) {
        auto it = std::find(stack.begin(), stack.end(), d);
        cycles.emplace_back(it, stack.end());
      } else if (state[d] == 0) {
        visit(d);
      }
    }
    stack.pop_back();
    state[n] = 2;
    order.push_back(n);
  };
  for (auto& n : order_names)
    if (state[n] == 0) visit(n);
  for (auto& c : cycles) {
    std::string s = "Cycle: ";
    for (size_t i = 0; i < c.size(); i++) s += (i ? ", " : "") + c[i];
    graph_errors.push_back(s);
  }
  if (!graph_errors.empty()) {
    diags.error("failed to prepare execution graph",
                "An error occurred while building the graph for datasources/locals: " +
                    go_multierror(graph_errors),
                std::nullopt);
    return diags;
  }
  for (auto& n : order) {
    if (n.rfind("local.", 0) == 0) {
      std::string name = n.substr(6);
      auto it = locals.begin() + local_index_.at(name);
      // Only the locals this one refers to are in scope (all of them exist:
      // the graph check above found any missing one), which keeps long
      // chains of locals linear.
      local_obj_cache_.reset();
      std::map<std::string, Value> visible;
      for (auto& dep : deps[n]) {
        if (dep.rfind("local.", 0) != 0) continue;
        auto lv = local_values.find(dep.substr(6));
        if (lv != local_values.end()) visible.emplace(lv->first, lv->second);
      }
      local_obj_cache_ = Value::object(std::move(visible));
      hcl::EvalContext ctx = eval_context();
      local_obj_cache_.reset();
      Diagnostics ld;
      Value v = it->expr->value(&ctx, ld);
      diags.append(ld);
      if (ld.has_errors()) return diags;
      local_values[name] = v;
      local_sensitive[name] = it->sensitive;
    } else {
      auto it = std::find_if(data_blocks.begin(), data_blocks.end(), [&](const DataBlock& d) {
        return "data." + d.type + "." + d.name == n;
      });
      const PluginSchema* schema = find_plugin(PluginKind::DataSource, it->type);
      hcl::EvalContext ctx = eval_context();
      Diagnostics dd;
      Value cfg = decode_plugin_body(*schema, *it->body, &ctx, dd, nullptr);
      diags.append(dd);
      if (dd.has_errors()) return diags;
      Type out_type = it->type == "null"
                          ? Type::object({{"output", Type::dynamic()}})
                          : Type::object({{"url", Type::string()},
                                          {"body", Type::string()},
                                          {"request_headers", Type::map(Type::string())}});
      if (skip_datasources_) {
        // As Packer without -evaluate-datasources: a placeholder of the
        // output type.
        it->output = Value::unknown(out_type);
      } else if (it->type == "null") {
        it->output = Value::object({{"output", cfg.attributes().at("input")}});
      } else {
        // http: kiln does not fetch at validate time; outputs are unknown.
        it->output =
            Value::object({{"url", cfg.attributes().at("url")},
                           {"body", Value::unknown(Type::string())},
                           {"request_headers", Value::unknown(Type::map(Type::string()))}});
      }
    }
  }
  local_obj_cache_.reset();
  return diags;
}

namespace {

struct SourceRef {
  std::string type, name;
  bool ok = false;
};

SourceRef source_ref_from_string(const std::string& in) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = in.find('.', start);
    parts.push_back(in.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  SourceRef r;
  if (parts.size() < 2) return r;
  if (parts.size() > 2) parts.erase(parts.begin());
  r.type = parts[0];
  r.name = parts[1];
  r.ok = true;
  return r;
}

const char* kInvalidSourceRef =
    "A source type is made of three parts that aresplit by a dot `.`; each part must start "
    "with a letter and may contain only letters, digits, underscores, and dashes.A valid source "
    "reference looks like: `source.type.name`";

bool decode_only_except(const hcl::Attributes& attrs, const hcl::EvalContext* ctx,
                        std::vector<std::string>* only, std::vector<std::string>* except,
                        Diagnostics& diags) {
  bool ok = decode_string_list(attrs, "only", ctx, only, diags);
  ok &= decode_string_list(attrs, "except", ctx, except, diags);
  if (!only->empty() && !except->empty()) {
    diags.error("only one of 'only' or 'except' may be specified", "", std::nullopt);
    return false;
  }
  return ok;
}

std::optional<ProvisionerBlock> decode_provisioner(const hcl::Block& block,
                                                   const hcl::EvalContext* ctx,
                                                   Diagnostics& diags) {
  hcl::BodySchema s;
  s.attributes = {{"name", false},        {"pause_before", false},
                  {"max_retries", false}, {"timeout", false},
                  {"only", false},        {"except", false},
                  {"override", false},    {"continue_on_error", false}};
  ProvisionerBlock p;
  Diagnostics d;
  auto c = block.body->partial_content(s, &p.rest, d);
  p.type = block.labels[0];
  p.def_range = block.def_range;
  p.type_range = block.label_ranges[0];
  decode_string(c.attributes, "name", ctx, &p.name, d);
  decode_string(c.attributes, "pause_before", ctx, &p.pause_before, d);
  decode_string(c.attributes, "timeout", ctx, &p.timeout, d);
  if (auto it = c.attributes.find("max_retries"); it != c.attributes.end()) {
    if (auto v = decode_attr(it->second, Type::number(), ctx, d);
        v && v->is_known() && !v->is_null())
      p.max_retries = static_cast<int>(v->as_number().to_int64().value_or(0));
  }
  if (auto it = c.attributes.find("continue_on_error"); it != c.attributes.end()) {
    if (auto v = decode_attr(it->second, Type::boolean(), ctx, d);
        v && v->is_known() && !v->is_null())
      p.continue_on_error = v->as_bool();
  }
  if (auto it = c.attributes.find("override"); it != c.attributes.end()) {
    Diagnostics od;
    p.override_value = it->second.expr->value(ctx, od);
    d.append(od);
  }
  diags.append(d);
  if (d.has_errors()) return std::nullopt;
  Diagnostics oe;
  if (!decode_only_except(c.attributes, ctx, &p.only, &p.except, oe)) {
    diags.append(oe);
    return std::nullopt;
  }
  if (!p.override_value.is_null()) {
    const Type& t = p.override_value.type();
    if (!t.is_object() && !t.is_map()) {
      diags.error("provisioner's override block must be an HCL object", "", block.def_range);
      return std::nullopt;
    }
    if (p.override_value.is_known()) {
      for (auto& [k, v] : p.override_value.attributes()) {
        if (!v.type().is_object() && !v.type().is_map()) {
          diags.error("Invalid \"" + k + "\" override block, it must be an HCL object", "",
                      block.def_range);
          return std::nullopt;
        }
      }
    }
  }
  std::string err;
  if (!p.pause_before.empty() && !parse_go_duration(p.pause_before, &err)) {
    diags.error("Failed to parse pause_before duration", err, block.def_range);
    return std::nullopt;
  }
  if (!p.timeout.empty() && !parse_go_duration(p.timeout, &err)) {
    diags.error("Failed to parse timeout duration", err, block.def_range);
    return std::nullopt;
  }
  if (!find_plugin(PluginKind::Provisioner, p.type)) {
    auto known = plugin_names(PluginKind::Provisioner);
    std::string sugg = name_suggestion(p.type, known);
    diags.error("Unknown provisioner type \"" + p.type + "\"",
                sugg.empty() ? "known provisioners: " + go_list(known)
                             : "Did you mean to use \"" + sugg + "\"?",
                block.label_ranges[0]);
    return std::nullopt;
  }
  return p;
}

std::optional<PostProcessorBlock> decode_post_processor(const hcl::Block& block,
                                                        const hcl::EvalContext* ctx,
                                                        Diagnostics& diags) {
  hcl::BodySchema s;
  s.attributes = {
      {"name", false}, {"only", false}, {"except", false}, {"keep_input_artifact", false}};
  PostProcessorBlock p;
  Diagnostics d;
  auto c = block.body->partial_content(s, &p.rest, d);
  p.type = block.labels[0];
  p.def_range = block.def_range;
  p.type_range = block.label_ranges[0];
  decode_string(c.attributes, "name", ctx, &p.name, d);
  if (auto it = c.attributes.find("keep_input_artifact"); it != c.attributes.end()) {
    if (auto v = decode_attr(it->second, Type::boolean(), ctx, d);
        v && v->is_known() && !v->is_null())
      p.keep_input_artifact = v->as_bool();
  }
  diags.append(d);
  if (d.has_errors()) return std::nullopt;
  Diagnostics oe;
  if (!decode_only_except(c.attributes, ctx, &p.only, &p.except, oe)) {
    diags.append(oe);
    return std::nullopt;
  }
  if (!find_plugin(PluginKind::PostProcessor, p.type)) {
    auto known = plugin_names(PluginKind::PostProcessor);
    std::string sugg = name_suggestion(p.type, known);
    diags.error("Unknown post-processor type \"" + p.type + "\"",
                sugg.empty() ? "known post-processors: " + go_list(known)
                             : "Did you mean to use \"" + sugg + "\"?",
                block.label_ranges[0]);
    return std::nullopt;
  }
  return p;
}

}  // namespace

Diagnostics Config::decode_sources_and_builds() {
  Diagnostics diags;
  hcl::BodySchema top;
  top.blocks = {{"source", {"type", "name"}}, {"build", {}}};
  dyn_ctx_ = std::make_shared<hcl::EvalContext>(eval_context());
  for (auto& file : parsed) {
    hcl::BodyPtr rest;
    Diagnostics ignore;
    hcl::BodyPtr body = expand_dynamic_blocks(file.body, dyn_ctx_.get());
    auto content = body->partial_content(top, &rest, ignore);
    for (auto& block : content.blocks) {
      if (block.type != "source") continue;
      SourceBlock sb{block.labels[0], block.labels[1], block.body, block.def_range,
                     block.label_ranges[0]};
      if (!find_plugin(PluginKind::Builder, sb.type)) {
        auto known = plugin_names(PluginKind::Builder);
        std::string sugg = name_suggestion(sb.type, known);
        diags.error("Unknown source type " + sb.type,
                    sugg.empty() ? "known builders: " + go_list(known)
                                 : "Did you mean to use \"" + sugg + "\"?",
                    block.label_ranges[0]);
        continue;
      }
      if (auto* existing = find_source(sb.type, sb.name)) {
        diags.error("Duplicate source block",
                    "This source block has the same builder type and name as a previous block "
                    "declared at " +
                        existing->def_range.str() +
                        ". Each source must have a unique name per builder type.",
                    block.def_range);
        continue;
      }
      source_index_[{sb.type, sb.name}] = sources.size();
      sources.push_back(std::move(sb));
    }
    for (auto& block : content.blocks) {
      if (block.type != "build") continue;
      BuildBlock b;
      b.range = block.def_range;
      hcl::EvalContext ctx = eval_context();
      hcl::BodySchema bs;
      bs.attributes = {{"name", false}, {"description", false}, {"sources", false}};
      hcl::BodyPtr brest;
      Diagnostics bd;
      auto bc = block.body->partial_content(bs, &brest, bd);
      decode_string(bc.attributes, "name", &ctx, &b.name, bd);
      decode_string(bc.attributes, "description", &ctx, &b.description, bd);
      std::vector<std::string> from;
      decode_string_list(bc.attributes, "sources", &ctx, &from, bd);
      diags.append(bd);
      if (bd.has_errors()) continue;
      bool had_source = false;
      for (auto& f : from) {
        had_source = true;
        SourceRef r = source_ref_from_string(f);
        if (!r.ok || !valid_identifier(r.type) || !valid_identifier(r.name)) {
          diags.error("Invalid source reference", kInvalidSourceRef, block.def_range);
          continue;
        }
        SourceUse u;
        u.type = r.type;
        u.name = r.name;
        u.range = bc.attributes["sources"].expr->range();
        b.sources.push_back(std::move(u));
      }
      hcl::BodySchema inner;
      inner.blocks = {{"source", {"reference"}},
                      {"provisioner", {"type"}},
                      {"error-cleanup-provisioner", {"type"}},
                      {"post-processor", {"type"}},
                      {"post-processors", {}},
                      {"hcp_packer_registry", {}},
                      {"from", {"type"}}};
      Diagnostics id;
      auto ic = brest->content(inner, id);
      diags.append(id);
      if (id.has_errors()) continue;
      hcl::EvalContext pctx = eval_context(nullptr, &b);
      for (auto& ib : ic.blocks) {
        if (ib.type == "source") {
          had_source = true;
          SourceRef r = source_ref_from_string(ib.labels[0]);
          if (!r.ok || !valid_identifier(r.type) || !valid_identifier(r.name)) {
            diags.error("Invalid source reference", kInvalidSourceRef, ib.def_range);
            continue;
          }
          hcl::BodySchema ss;
          ss.attributes = {{"name", false}};
          SourceUse u;
          u.type = r.type;
          u.name = r.name;
          u.range = ib.def_range;
          Diagnostics sd;
          auto sc = ib.body->partial_content(ss, &u.extra, sd);
          decode_string(sc.attributes, "name", nullptr, &u.local_name, sd);
          diags.append(sd);
          if (sd.has_errors()) continue;
          b.sources.push_back(std::move(u));
        } else if (ib.type == "provisioner") {
          if (auto p = decode_provisioner(ib, &pctx, diags)) b.provisioners.push_back(*p);
        } else if (ib.type == "error-cleanup-provisioner") {
          if (b.error_cleanup_provisioner) {
            diags.error("Only one error-cleanup-provisioner is allowed", "", ib.def_range);
            continue;
          }
          if (auto p = decode_provisioner(ib, &pctx, diags)) b.error_cleanup_provisioner = *p;
        } else if (ib.type == "post-processor") {
          if (auto p = decode_post_processor(ib, &pctx, diags)) b.post_processors.push_back({*p});
        } else if (ib.type == "post-processors") {
          hcl::BodySchema ps;
          ps.blocks = {{"post-processor", {"type"}}};
          Diagnostics pd;
          auto pc = ib.body->content(ps, pd);
          diags.append(pd);
          std::vector<PostProcessorBlock> chain;
          bool errored = pd.has_errors();
          for (auto& ppb : pc.blocks) {
            if (auto p = decode_post_processor(ppb, &pctx, diags))
              chain.push_back(*p);
            else
              errored = true;
          }
          if (!errored) b.post_processors.push_back(std::move(chain));
        } else if (ib.type == "hcp_packer_registry") {
          diags.warning("HCP Packer registry not supported",
                        "kiln does not publish build metadata to HCP Packer; this "
                        "hcp_packer_registry block is accepted and ignored.",
                        ib.def_range);
        }
      }
      if (!had_source) {
        diags.error("missing source reference",
                    "a build block must reference at least one source to be built",
                    block.def_range);
      }
      builds.push_back(std::move(b));
    }
  }
  return diags;
}

const SourceBlock* Config::find_source(const std::string& type, const std::string& name) const {
  auto it = source_index_.find({type, name});
  return it == source_index_.end() ? nullptr : &sources[it->second];
}

namespace {

// gobwas/glob without separators, as Packer compiles -only/-except: `*`
// and `?` match any character (dots included), `[...]` classes, and
// `{a,b}` alternatives (expanded here; fnmatch does the rest).
bool glob_match(const std::string& pattern, const std::string& name) {
  auto open = pattern.find('{');
  if (open != std::string::npos) {
    int depth = 0;
    std::vector<size_t> commas;
    for (size_t i = open; i < pattern.size(); i++) {
      char c = pattern[i];
      if (c == '{')
        depth++;
      else if (c == ',' && depth == 1)
        commas.push_back(i);
      else if (c == '}' && --depth == 0) {
        std::string pre = pattern.substr(0, open), post = pattern.substr(i + 1);
        size_t start = open + 1;
        commas.push_back(i);
        for (size_t cpos : commas) {
          if (glob_match(pre + pattern.substr(start, cpos - start) + post, name)) return true;
          start = cpos + 1;
        }
        return false;
      }
    }
  }
  return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

bool skip_by_only_except(const std::vector<std::string>& only,
                         const std::vector<std::string>& except, const std::string& name) {
  if (!only.empty()) return std::find(only.begin(), only.end(), name) == only.end();
  if (!except.empty()) return std::find(except.begin(), except.end(), name) != except.end();
  return false;
}

// Applies a provisioner's `override` for a source name: the override's
// attributes replace the decoded ones.
Value apply_override(const Value& cfg, const Value& override_value, const std::string& source) {
  if (override_value.is_null() || !override_value.is_known()) return cfg;
  auto& o = override_value.attributes();
  auto it = o.find(source);
  if (it == o.end() || !it->second.is_known() || it->second.is_null()) return cfg;
  std::map<std::string, Value> attrs = cfg.attributes();
  for (auto& [k, v] : it->second.attributes()) attrs[k] = v;
  return Value::object(std::move(attrs));
}

}  // namespace

std::vector<CoreBuild> Config::get_builds(const std::vector<std::string>& only,
                                          const std::vector<std::string>& except,
                                          Diagnostics& diags) const {
  std::vector<CoreBuild> out;
  if (builds.empty()) {
    diags.error("Missing build block",
                "A build block with one or more sources is required for executing a build.",
                std::nullopt);
    return out;
  }
  std::vector<std::string> possible;
  size_t only_matches = 0, except_matches = 0;
  for (auto& build : builds) {
    for (auto& use : build.sources) {
      const SourceBlock* src = find_source(use.type, use.name);
      if (!src) {
        std::vector<std::string> known;
        for (auto& s : sources) known.push_back(s.type + "." + s.name);
        std::string want = use.type + "." + use.name;
        std::string sugg = name_suggestion(want, known);
        diags.error(
            "Unknown source " + want,
            sugg.empty() ? "Known: " + go_list(known) : "Did you mean to use \"" + sugg + "\"?",
            build.range);
        continue;
      }
      CoreBuild cb;
      cb.builder_type = use.type;
      cb.source_name = use.effective_name();
      cb.name = (build.name.empty() ? "" : build.name + ".") + use.ref();
      cb.build = &build;
      cb.use = &use;
      possible.push_back(cb.name);
      if (!only.empty()) {
        if (std::none_of(only.begin(), only.end(),
                         [&](const std::string& g) { return glob_match(g, cb.name); }))
          continue;
        only_matches++;
      }
      if (!except.empty() && std::any_of(except.begin(), except.end(), [&](const std::string& g) {
            return glob_match(g, cb.name);
          })) {
        except_matches++;
        continue;
      }

      const PluginSchema* bschema = find_plugin(PluginKind::Builder, use.type);
      hcl::BodyPtr body = use.extra ? hcldec::merge_bodies({src->body, use.extra}) : src->body;
      hcl::EvalContext sctx = eval_context(&use);
      Diagnostics bd;
      std::vector<std::string> decode_errors;
      cb.builder_config = decode_plugin_body(*bschema, *body, &sctx, bd, &decode_errors);
      diags.append(bd);
      if (bd.has_errors()) continue;
      if (!decode_errors.empty()) {
        diags.error(
            std::to_string(decode_errors.size()) + " error(s) decoding:\n\n" +
                [&] {
                  std::string s;
                  for (size_t i = 0; i < decode_errors.size(); i++)
                    s += (i ? "\n* " : "* ") + decode_errors[i];
                  return s;
                }(),
            "", src->def_range);
        continue;
      }
      if (bschema->prepare) {
        auto errs = bschema->prepare(cb.builder_config);
        if (!errs.empty()) {
          diags.error(sdk_multierror(errs), "", src->def_range);
          continue;
        }
      }

      hcl::EvalContext pctx = eval_context(&use, &build);
      const std::string src_ref = use.ref();
      auto prepare_prov = [&](const ProvisionerBlock& pb) -> std::optional<CoreProvisioner> {
        const PluginSchema* ps = find_plugin(PluginKind::Provisioner, pb.type);
        Diagnostics pd;
        std::vector<std::string> derrs;
        Value cfg = decode_plugin_body(*ps, *pb.rest, &pctx, pd, &derrs);
        std::string label = "provisioner-block \"" + pb.type + "\" \"" + pb.name + "\"";
        if (pd.has_errors()) {
          diags.error("Failed preparing " + label, diags_error_string(pd), pb.def_range);
          return std::nullopt;
        }
        cfg = apply_override(cfg, pb.override_value, use.effective_name());
        std::vector<std::string> errs = derrs;
        if (ps->prepare && errs.empty()) errs = ps->prepare(cfg);
        if (!errs.empty()) {
          diags.error("Failed preparing " + label, sdk_multierror(errs), pb.def_range);
          return std::nullopt;
        }
        return CoreProvisioner{&pb, cfg};
      };
      bool failed = false;
      for (auto& pb : build.provisioners) {
        if (skip_by_only_except(pb.only, pb.except, src_ref)) continue;
        if (auto p = prepare_prov(pb))
          cb.provisioners.push_back(*p);
        else
          failed = true;
      }
      if (build.error_cleanup_provisioner &&
          !skip_by_only_except(build.error_cleanup_provisioner->only,
                               build.error_cleanup_provisioner->except, src_ref)) {
        if (auto p = prepare_prov(*build.error_cleanup_provisioner))
          cb.error_cleanup_provisioner = *p;
        else
          failed = true;
      }
      for (auto& chain : build.post_processors) {
        std::vector<CorePostProcessor> cchain;
        for (auto& pp : chain) {
          if (skip_by_only_except(pp.only, pp.except, src_ref)) continue;
          std::string pname = pp.name.empty() ? pp.type : pp.name;
          if (std::any_of(except.begin(), except.end(),
                          [&](const std::string& g) { return glob_match(g, pname); })) {
            except_matches++;
            break;
          }
          const PluginSchema* ps = find_plugin(PluginKind::PostProcessor, pp.type);
          Diagnostics pd;
          std::vector<std::string> derrs;
          Value cfg = decode_plugin_body(*ps, *pp.rest, &pctx, pd, &derrs);
          std::string label = "post-processor-block \"" + pp.type + "\" \"" + pp.name + "\"";
          if (pd.has_errors()) {
            diags.error("Failed preparing " + label, diags_error_string(pd), pp.def_range);
            failed = true;
            continue;
          }
          std::vector<std::string> errs = derrs;
          if (ps->prepare && errs.empty()) errs = ps->prepare(cfg);
          if (!errs.empty()) {
            diags.error("Failed preparing " + label, sdk_multierror(errs), pp.def_range);
            failed = true;
            continue;
          }
          cchain.push_back(CorePostProcessor{&pp, cfg});
        }
        if (!cchain.empty()) cb.post_processors.push_back(std::move(cchain));
      }
      if (!failed) out.push_back(std::move(cb));
    }
  }
  std::string names = go_list(possible);
  if (only.size() > only_matches)
    diags.warning(
        "an 'only' option was passed, but not all matches were found for the given build.",
        "Possible build names: " + names +
            ".\nThese could also be matched with a glob pattern like: 'happycloud.*'",
        std::nullopt);
  if (except.size() > except_matches)
    diags.warning("an 'except' option was passed, but did not match any build.",
                  "Possible build names: " + names +
                      ".\nThese could also be matched with a glob pattern like: 'happycloud.*'",
                  std::nullopt);
  return out;
}

}  // namespace kiln::tmpl

namespace kiln::tmpl {

hcl::Value Config::decode_at_runtime(const CoreBuild& build, PluginKind kind,
                                     const std::string& type, const hcl::Body& body,
                                     const hcl::Value& override_value,
                                     const std::map<std::string, hcl::Value>& build_values,
                                     hcl::Diagnostics& diags) const {
  const PluginSchema* schema = find_plugin(kind, type);
  if (!schema) {
    diags.error("Unknown plugin type " + type, "", std::nullopt);
    return Value::dynamic_unknown();
  }
  hcl::EvalContext ctx = eval_context(build.use, build.build);
  std::map<std::string, Value> b = ctx.variables["build"].attributes();
  for (auto& [k, v] : build_values) b[k] = v;
  ctx.variables["build"] = Value::object(std::move(b));
  Value cfg = decode_plugin_body(*schema, body, &ctx, diags, nullptr);
  if (build.use) cfg = apply_override(cfg, override_value, build.use->effective_name());
  return cfg;
}

}  // namespace kiln::tmpl

namespace kiln::tmpl {

void Config::add_build_secrets(const std::vector<CoreBuild>& builds) {
  for (auto& b : builds) {
    if ((b.builder_type != "hcloud" && b.builder_type != "hcloud-upload") ||
        !b.builder_config.is_known() || b.builder_config.is_null())
      continue;
    auto& a = b.builder_config.attributes();
    auto it = a.find("token");
    if (it != a.end() && it->second.is_known() && !it->second.is_null() &&
        !it->second.unmarked().as_string().empty()) {
      extra_secrets.push_back(it->second.unmarked().as_string());
    } else if (const char* env = std::getenv("HCLOUD_TOKEN"); env && *env) {
      extra_secrets.push_back(env);  // the plugin's fallback, filtered as well
    }
  }
}

}  // namespace kiln::tmpl
