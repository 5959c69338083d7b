// Loading: files, the packer block, variable declarations and values,
// locals and data declarations (hcl2template's Parser.Parse).
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "funcs/registry.h"
#include "hcl/ast.h"
#include "hcl/parse.h"
#include "template/schemas.h"
#include "template/template.h"
#include "template/template_util.h"

extern char** environ;

namespace kiln::tmpl {

using hcl::Diagnostics;
using hcl::Range;
using hcl::Type;
using hcl::Value;
using namespace detail;

hcl::Value Variable::value() const {
  if (values.empty()) return Value::unknown(type);
  // As Packer, the value carries no mark: sensitive values are kept out of
  // output by the secret filter (Config::filter_secrets).
  return values.back().value;
}

namespace {

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

bool is_dir(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n == "." || n == "..") continue;
      struct stat st;
      std::string full = dir + "/" + n;
      if (::stat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode)) names.push_back(n);
    }
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string join_path(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir == ".") return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

std::string dir_of(const std::string& file) {
  auto slash = file.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return file.substr(0, slash);
}

const hcl::BodySchema& config_schema() {
  static const hcl::BodySchema s = [] {
    hcl::BodySchema b;
    b.blocks = {{"packer", {}},
                {"communicator", {"type", "name"}},
                {"variable", {"name"}},
                {"variables", {}},
                {"locals", {}},
                {"local", {"name"}},
                {"data", {"type", "name"}},
                {"source", {"type", "name"}},
                {"build", {}},
                {"hcp_packer_registry", {}}};
    return b;
  }();
  return s;
}

// looksLikeSentences: after trimming spaces, a first letter must be
// uppercase (ASCII check; other letters pass) and the text must end with
// '.', '?' or '!'.
bool looks_like_sentences(std::string s) {
  size_t a = s.find_first_not_of(" \t\r\n\v\f");
  if (a == std::string::npos) return false;
  size_t b = s.find_last_not_of(" \t\r\n\v\f");
  s = s.substr(a, b - a + 1);
  unsigned char first = static_cast<unsigned char>(s[0]);
  if (first < 0x80 && std::isalpha(first) && !std::isupper(first)) return false;
  if (first >= 0x80) {
    // A lowercase Latin-1/Latin Extended letter (e.g. "é") is not a sentence
    // start; other scripts have no case and pass.
    unsigned char c1 = static_cast<unsigned char>(s.size() > 1 ? s[1] : 0);
    if ((first & 0xE0) == 0xC0) {
      char32_t cp = ((first & 0x1F) << 6) | (c1 & 0x3F);
      if ((cp >= 0xDF && cp <= 0xFF && cp != 0xF7) || (cp >= 0x100 && cp <= 0x17F && (cp & 1)))
        return false;
    }
  }
  char last = s.back();
  return last == '.' || last == '?' || last == '!';
}

// --- go-version constraints -------------------------------------------------

struct SemVer {
  std::vector<long> segs;
  std::string pre;
};

std::optional<SemVer> parse_version(std::string s) {
  if (!s.empty() && s[0] == 'v') s = s.substr(1);
  SemVer v;
  size_t i = 0;
  while (true) {
    size_t st = i;
    while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) i++;
    if (i == st) return std::nullopt;
    v.segs.push_back(std::strtol(s.substr(st, i - st).c_str(), nullptr, 10));
    if (i < s.size() && s[i] == '.' && v.segs.size() < 3) {
      i++;
      continue;
    }
    break;
  }
  if (i < s.size() && s[i] == '-') {
    size_t st = ++i;
    while (i < s.size() && s[i] != '+') i++;
    v.pre = s.substr(st, i - st);
    if (v.pre.empty()) return std::nullopt;
  }
  if (i < s.size() && s[i] == '+') i = s.size();
  if (i != s.size()) return std::nullopt;
  return v;
}

int compare_versions(const SemVer& a, const SemVer& b) {
  for (size_t i = 0; i < 3; i++) {
    long x = i < a.segs.size() ? a.segs[i] : 0, y = i < b.segs.size() ? b.segs[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.pre == b.pre) return 0;
  if (a.pre.empty()) return 1;
  if (b.pre.empty()) return -1;
  return a.pre < b.pre ? -1 : 1;
}

std::string trim(std::string s) {
  size_t a = s.find_first_not_of(" \t\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\n");
  return s.substr(a, b - a + 1);
}

}  // namespace

std::optional<bool> version_satisfies(const std::string& version, const std::string& constraint,
                                      std::string* error) {
  auto have = parse_version(version);
  if (!have) {
    if (error) *error = "Malformed version: " + version;
    return std::nullopt;
  }
  std::stringstream ss(constraint);
  std::string part;
  bool ok = true;
  bool any = false;
  while (std::getline(ss, part, ',')) {
    part = trim(part);
    any = true;
    std::string op;
    for (const char* o : {"~>", ">=", "<=", "!=", ">", "<", "="}) {
      if (part.rfind(o, 0) == 0) {
        op = o;
        break;
      }
    }
    std::string vs = trim(part.substr(op.size()));
    auto want = parse_version(vs);
    if (!want) {
      if (error) *error = "Malformed constraint: " + part;
      return std::nullopt;
    }
    int c = compare_versions(*have, *want);
    if (op.empty() || op == "=")
      ok &= c == 0;
    else if (op == "!=")
      ok &= c != 0;
    else if (op == ">")
      ok &= c > 0;
    else if (op == ">=")
      ok &= c >= 0;
    else if (op == "<")
      ok &= c < 0;
    else if (op == "<=")
      ok &= c <= 0;
    else {  // ~>: at least want, and the same leading segments
      ok &= c >= 0;
      size_t n = want->segs.size();
      size_t fixed = n <= 1 ? 1 : n - 1;
      for (size_t i = 0; i < fixed; i++) {
        long x = i < have->segs.size() ? have->segs[i] : 0;
        if (x != want->segs[i]) ok = false;
      }
    }
  }
  if (!any) {
    if (error) *error = "Malformed constraint: " + constraint;
    return std::nullopt;
  }
  return ok;
}

// --- loading ---------------------------------------------------------------------

Diagnostics Config::load(const LoadOptions& opts) {
  Diagnostics diags;
  if (opts.cwd.empty()) {
    char buf[4096];
    cwd = ::getcwd(buf, sizeof buf) ? buf : ".";
  } else {
    cwd = opts.cwd;
  }
  std::vector<std::string> hcl_files, json_files, auto_var_files;
  const std::string& path = opts.path;
  if (is_dir(path)) {
    path_root = path;
    for (auto& n : list_dir(path)) {
      std::string full = join_path(path, n);
      if (ends_with(n, ".pkr.hcl"))
        hcl_files.push_back(full);
      else if (ends_with(n, ".pkr.json"))
        json_files.push_back(full);
      else if (ends_with(n, ".auto.pkrvars.hcl"))
        auto_var_files.push_back(full);
    }
    for (auto& n : list_dir(path))
      if (ends_with(n, ".auto.pkrvars.json")) auto_var_files.push_back(join_path(path, n));
    if (hcl_files.empty() && json_files.empty()) {
      diags.error("Could not find any config file in " + path,
                  "A config file must be suffixed with `.pkr.hcl` or `.pkr.json`. A folder can "
                  "be referenced.",
                  std::nullopt);
      return diags;
    }
  } else {
    path_root = dir_of(path);
    if (ends_with(path, ".pkr.hcl"))
      hcl_files.push_back(path);
    else if (ends_with(path, ".pkr.json"))
      json_files.push_back(path);
    else {
      diags.error("Failed to parse file as legacy JSON template",
                  "kiln reads HCL2 templates only; if you are using an HCL template, check your "
                  "file extensions; they should be either *.pkr.hcl or *.pkr.json. Legacy JSON "
                  "templates can be converted with `packer hcl2_upgrade`.",
                  std::nullopt);
      return diags;
    }
  }
  for (char& c : path_root)
    if (c == '\\') c = '/';

  auto parse_one = [&](const std::string& f, std::vector<hcl::File>& into) {
    std::string bytes;
    if (!read_file(f, &bytes)) {
      diags.error("Failed to read file", "The configuration file \"" + f + "\" could not be read.",
                  std::nullopt);
      return;
    }
    files[f] = bytes;
    into.push_back(hcl::parse_file(std::move(bytes), f, diags));
  };
  for (auto& f : hcl_files) parse_one(f, parsed);
  for (auto& f : json_files) parse_one(f, parsed);
  if (diags.has_errors()) return diags;

  // required_version is checked before anything else.
  for (auto& file : parsed) {
    hcl::BodySchema s;
    s.blocks = {{"packer", {}}};
    hcl::BodyPtr rest;
    Diagnostics ignore;
    auto content = file.body->partial_content(s, &rest, ignore);
    for (auto& b : content.blocks) {
      hcl::BodySchema ps;
      ps.attributes = {{"required_version", false}};
      hcl::BodyPtr prest;
      auto pc = b.body->partial_content(ps, &prest, ignore);
      auto it = pc.attributes.find("required_version");
      if (it == pc.attributes.end()) continue;
      Diagnostics vd;
      Value v = it->second.expr->value(nullptr, vd);
      diags.append(vd);
      if (vd.has_errors()) continue;
      std::string err;
      auto sv = hcl::convert(v, Type::string(), &err);
      if (!sv || !sv->is_known() || sv->is_null()) {
        diags.error("Invalid required_version", "The required_version must be a string constant.",
                    it->second.expr->range());
        continue;
      }
      auto ok = version_satisfies(kPackerVersion, sv->as_string(), &err);
      if (!ok) {
        diags.error("Invalid version constraint",
                    "This string does not use correct version constraint syntax.",
                    it->second.expr->range());
      } else if (!*ok) {
        diags.error("Unsupported Packer Core version",
                    std::string("This configuration does not support Packer version ") +
                        kPackerVersion +
                        ". To proceed, either choose another supported Packer version or update "
                        "this version constraint. Version constraints are normally set for good "
                        "reason, so updating the constraint may lead to other errors or "
                        "unexpected behavior.",
                    it->second.expr->range());
      }
    }
  }
  if (diags.has_errors()) return diags;

  for (auto& file : parsed) diags.append(decode_file(file));
  if (diags.has_errors()) return diags;

  // Variable values: auto files (directory mode), then -var-file.
  for (auto& f : auto_var_files) parse_one(f, var_files);
  for (auto& f : opts.var_files) {
    if (!ends_with(f, ".hcl") && !ends_with(f, ".json")) {
      diags.error("Could not guess format of " + f,
                  "A var file must be suffixed with `.hcl` or `.json`.", std::nullopt);
      continue;
    }
    parse_one(f, var_files);
  }
  if (diags.has_errors()) return diags;
  diags.append(collect_values(opts));
  var_obj_cache_.reset();
  return diags;
}

Diagnostics Config::decode_file(const hcl::File& file) {
  Diagnostics diags;
  auto content = file.body->content(config_schema(), diags);
  std::map<std::string, hcl::Function> env_fns = funcs::env_functions();
  hcl::EvalContext env_ctx;
  env_ctx.functions = env_fns;

  auto add_local = [&](LocalDef def) {
    auto [it, inserted] = local_index_.emplace(def.name, locals.size());
    if (!inserted) {
      const LocalDef& l = locals[it->second];
      diags.error("Duplicate local definition",
                  "Local variable \"" + def.name +
                      "\" is defined twice in your templates; it was first defined at " +
                      l.range.str() + ".",
                  def.range);
      return;
    }
    locals.push_back(std::move(def));
  };

  for (auto& block : content.blocks) {
    if (block.type == "packer") {
      hcl::BodySchema ps;
      ps.attributes = {{"required_version", false}};
      ps.blocks = {{"required_plugins", {}}};
      auto pc = block.body->content(ps, diags);
      for (auto& rb : pc.blocks) {
        auto attrs = rb.body->just_attributes(diags);
        for (auto& [name, attr] : attrs) {
          Diagnostics vd;
          Value v = attr.expr->value(nullptr, vd);
          diags.append(vd);
          if (vd.has_errors()) continue;
          RequiredPlugin rp;
          rp.local_name = name;
          rp.range = attr.expr->range();
          if (!v.type().is_object() && !v.type().is_map()) {
            diags.error("Invalid plugin requirement",
                        "'" + name +
                            " = \"<constraint>\"' syntax is not supported anymore. "
                            "Please use a source and version block: " +
                            name + " = { source = \"github.com/org/" + name +
                            "\" version = \">= 1.0\" }",
                        attr.expr->range());
            continue;
          }
          bool bad = false;
          for (auto& [k, _] : v.attributes()) {
            if (k != "source" && k != "version") {
              diags.error("Invalid required_plugins object",
                          "required_plugins objects can only contain \"version\" and \"source\" "
                          "attributes.",
                          attr.expr->range());
              bad = true;
              break;
            }
          }
          if (bad) continue;
          auto& a = v.attributes();
          auto vit = a.find("version");
          if (vit == a.end()) {
            diags.error("No version constraint was set",
                        "The version field must be specified as a string. Ex: `version = \">= "
                        "1.2.0, < 2.0.0\". See "
                        "https://www.packer.io/docs/templates/hcl_templates/blocks/"
                        "packer#version-constraints for docs",
                        attr.expr->range());
            continue;
          }
          auto sit = a.find("source");
          if (sit == a.end()) {
            diags.error("No source was set",
                        "The source field must be specified as a string. Ex: `source = "
                        "\"coolcloud\". See "
                        "https://www.packer.io/docs/templates/hcl_templates/blocks/"
                        "packer#specifying-plugin-source for more details.",
                        attr.expr->range());
            continue;
          }
          std::string err;
          auto vs = hcl::convert(vit->second, Type::string(), &err);
          auto ss = hcl::convert(sit->second, Type::string(), &err);
          if (!vs || !ss || vs->is_null() || ss->is_null() || !vs->is_known() || !ss->is_known()) {
            diags.error("Invalid required_plugins object",
                        "The version and source of a required plugin must be strings.",
                        attr.expr->range());
            continue;
          }
          rp.version = vs->as_string();
          rp.source = ss->as_string();
          std::string verr;
          if (!version_satisfies("1.0.0", rp.version, &verr)) {
            diags.error("Invalid version constraint",
                        "This string does not use correct version constraint syntax: " + verr + ".",
                        attr.expr->range());
            continue;
          }
          required_plugins.push_back(std::move(rp));
        }
      }
    } else if (block.type == "variable") {
      const std::string& name = block.labels[0];
      if (!valid_identifier(name)) {
        diags.error("Invalid variable name",
                    "A name must start with a letter or underscore and may contain only letters, "
                    "digits, underscores, and dashes.",
                    block.label_ranges[0]);
      }
      if (variables.count(name)) {
        diags.error("Duplicate variable", "Duplicate " + name + " variable definition found.",
                    block.def_range);
        continue;
      }
      hcl::BodySchema vs;
      vs.attributes = {
          {"description", false}, {"default", false}, {"type", false}, {"sensitive", false}};
      vs.blocks = {{"validation", {}}};
      Diagnostics bd;
      auto vc = block.body->content(vs, bd);
      diags.append(bd);
      Variable var;
      var.name = name;
      var.range = block.def_range;
      decode_string(vc.attributes, "description", nullptr, &var.description, diags);
      if (auto it = vc.attributes.find("sensitive"); it != vc.attributes.end()) {
        if (auto v = decode_attr(it->second, Type::boolean(), nullptr, diags);
            v && v->is_known() && !v->is_null())
          var.sensitive = v->as_bool();
      }
      if (auto it = vc.attributes.find("type"); it != vc.attributes.end()) {
        auto tc = decode_type_constraint(*it->second.expr, diags);
        var.type = tc.type;
        var.defaults = tc.defaults;
        var.has_type = true;
      }
      if (auto it = vc.attributes.find("default"); it != vc.attributes.end()) {
        Diagnostics dd;
        Value dv = it->second.expr->value(&env_ctx, dd);
        diags.append(dd);
        if (!dd.has_errors()) {
          if (var.has_type) {
            if (var.defaults) dv = var.defaults->apply(dv);
            std::string err;
            auto conv = hcl::convert(dv, var.type, &err);
            if (!conv) {
              diags.error("Invalid default value for variable",
                          "This default value is not compatible with the variable's type "
                          "constraint: " +
                              err + ".",
                          it->second.expr->range());
              dv = Value::dynamic_unknown();
            } else {
              dv = *conv;
            }
          } else if (!dv.is_null() && dv.type() != Type::empty_object() &&
                     dv.type() != Type::empty_tuple()) {
            var.type = dv.type();
          }
          var.values.push_back({"default", dv, it->second.expr->range()});
        }
      }
      for (auto& vb : vc.blocks) {
        hcl::BodySchema rs;
        rs.attributes = {{"condition", true}, {"error_message", true}};
        Diagnostics rd;
        auto rc = vb.body->content(rs, rd);
        diags.append(rd);
        if (rd.has_errors()) continue;
        ValidationRule rule;
        rule.condition = rc.attributes["condition"].expr;
        rule.error_message = rc.attributes["error_message"].expr;
        rule.range = vb.def_range;
        int good_refs = 0;
        for (auto& t : rule.condition->variables()) {
          if (t.steps.size() >= 2 && t.root_name() == "var" &&
              t.steps[1].kind == hcl::TraversalStep::Kind::Attr && t.steps[1].name == name) {
            good_refs++;
            continue;
          }
          diags.error("Invalid reference in variable validation",
                      "The condition for variable \"" + name +
                          "\" can only refer to the variable itself, using var." + name + ".",
                      t.range());
        }
        if (good_refs < 1) {
          diags.error("Invalid variable validation condition",
                      "The condition for variable \"" + name + "\" must refer to var." + name +
                          " in order to test incoming values.",
                      rule.condition->range());
        }
        if (auto msg = decode_attr(rc.attributes["error_message"], Type::string(), nullptr, diags);
            msg && msg->is_known() && !msg->is_null()) {
          const std::string& m = msg->as_string();
          if (m.empty()) {
            diags.error("Invalid validation error message",
                        "An empty string is not a valid nor useful error message.",
                        rule.error_message->range());
          } else if (!looks_like_sentences(m)) {
            diags.error("Invalid validation error message",
                        "Validation error message must be at least one full sentence starting "
                        "with an uppercase letter ( if the alphabet permits it ) and ending with "
                        "a period or question mark.",
                        rule.error_message->range());
          }
        }
        var.validations.push_back(std::move(rule));
      }
      variables[name] = std::move(var);
    } else if (block.type == "variables") {
      auto attrs = block.body->just_attributes(diags);
      for (auto& [name, attr] : attrs) {
        if (variables.count(name)) {
          diags.error("Duplicate variable", "Duplicate " + name + " variable definition found.",
                      attr.name_range);
          continue;
        }
        Diagnostics dd;
        Value v = attr.expr->value(&env_ctx, dd);
        diags.append(dd);
        if (dd.has_errors()) continue;
        Variable var;
        var.name = name;
        var.range = attr.range;
        var.type = v.type();
        var.values.push_back({"default", v, attr.expr->range()});
        variables[name] = std::move(var);
      }
    } else if (block.type == "locals") {
      auto attrs = block.body->just_attributes(diags);
      std::vector<const hcl::Attribute*> ordered;
      for (auto& [_, a] : attrs) ordered.push_back(&a);
      std::sort(ordered.begin(), ordered.end(),
                [](auto* a, auto* b) { return a->range.start.byte < b->range.start.byte; });
      for (auto* a : ordered) add_local(LocalDef{a->name, a->expr, false, a->range});
    } else if (block.type == "local") {
      hcl::BodySchema ls;
      ls.attributes = {{"expression", true}, {"sensitive", false}};
      Diagnostics ld;
      auto lc = block.body->content(ls, ld);
      diags.append(ld);
      if (ld.has_errors()) continue;
      if (!valid_identifier(block.labels[0]))
        diags.error("Invalid local name",
                    "A name must start with a letter or underscore and may contain only letters, "
                    "digits, underscores, and dashes.",
                    block.label_ranges[0]);
      LocalDef def{block.labels[0], lc.attributes["expression"].expr, false, block.def_range};
      if (auto it = lc.attributes.find("sensitive"); it != lc.attributes.end()) {
        if (auto v = decode_attr(it->second, Type::boolean(), nullptr, diags);
            v && v->is_known() && !v->is_null())
          def.sensitive = v->as_bool();
      }
      add_local(std::move(def));
    } else if (block.type == "data") {
      DataBlock d{block.labels[0], block.labels[1],       block.body,
                  block.def_range, block.label_ranges[0], Value()};
      if (!find_plugin(PluginKind::DataSource, d.type)) {
        auto known = plugin_names(PluginKind::DataSource);
        diags.error("Unknown data type " + d.type,
                    "known data sources: " + go_list(known) +
                        ". kiln runs these data sources itself; others (and the secret store "
                        "look-ups) are not supported.",
                    block.label_ranges[0]);
        continue;
      }
      bool dup = false;
      for (auto& e : data_blocks) {
        if (e.type == d.type && e.name == d.name) {
          diags.error("Duplicate data block",
                      "This data block has the same data type and name as a previous block "
                      "declared at " +
                          e.def_range.str() +
                          ". Each data must have a unique name per builder type.",
                      block.def_range);
          dup = true;
        }
      }
      if (!dup) data_blocks.push_back(std::move(d));
    } else if (block.type == "hcp_packer_registry") {
      if (hcp_packer_registry) {
        diags.error("Only one hcp_packer_registry is allowed", "", block.def_range);
        continue;
      }
      hcp_packer_registry = true;
      diags.warning("HCP Packer registry not supported",
                    "kiln does not publish build metadata to HCP Packer; this "
                    "hcp_packer_registry block is accepted and ignored.",
                    block.def_range);
    }
  }
  return diags;
}

Diagnostics Config::collect_values(const LoadOptions& opts) {
  Diagnostics diags;
  bool parsed_last = false;
  auto from_text = [&](const std::string& fake_filename, const std::string& text,
                       const Variable& var, Diagnostics& d) -> std::optional<Value> {
    const Type& t = var.type;
    parsed_last = false;
    if (t == Type::string() || t == Type::number() || t.is_dynamic()) return Value::string(text);
    parsed_last = true;
    auto expr = hcl::syntax::parse_expression(text, hcl::intern_filename(fake_filename),
                                              hcl::Pos{1, 1, 0}, d);
    if (d.has_errors()) return std::nullopt;
    return expr->value(nullptr, d);
  };
  auto assign = [&](Variable& var, Value val, const std::string& from, Range range,
                    const std::string& summary, const std::string& prefix) {
    {
      if (var.defaults) val = var.defaults->apply(val);
      std::string err;
      auto conv = hcl::convert(val, var.type, &err);
      if (!conv) {
        diags.error(summary,
                    prefix + var.name +
                        " is not compatible with the variable's type constraint: " + err + ".",
                    range);
        val = Value::dynamic_unknown();
      } else {
        val = *conv;
      }
    }
    var.values.push_back({from, val, range});
  };

  // Packer's literal string values carry no range (Go's zero hcl.Range,
  // shown as "on  line 0:"); parsed ones span the text in the fake file.
  auto literal_range = [&](const Value& v, const std::string& fake, const std::string& text) {
    Range r;
    if (v.type() == Type::string() && !parsed_last) {
      r.start = r.end = hcl::Pos{0, 0, 0};
      return r;
    }
    r.filename = hcl::intern_filename(fake);
    r.end = hcl::Pos{1, static_cast<int>(text.size()) + 1, text.size()};
    return r;
  };
  std::vector<std::string> env;
  if (opts.env) {
    env = *opts.env;
  } else {
    for (char** e = environ; e && *e; e++) env.emplace_back(*e);
  }
  for (auto& raw : env) {
    if (raw.rfind("PKR_VAR_", 0) != 0) continue;
    std::string rest = raw.substr(8);
    auto eq = rest.find('=');
    if (eq == std::string::npos) continue;
    std::string name = rest.substr(0, eq), text = rest.substr(eq + 1);
    auto it = variables.find(name);
    if (it == variables.end()) continue;
    std::string fake = "<value for var." + name + " from env>";
    Diagnostics d;
    auto v = from_text(fake, text, it->second, d);
    diags.append(d);
    if (!v) continue;
    assign(it->second, *v, "env", literal_range(*v, fake, text), "Invalid value for variable",
           "The value for ");
  }

  for (auto& file : var_files) {
    {
      hcl::BodySchema s;
      s.blocks = {{"variable", {"name"}}};
      hcl::BodyPtr rest;
      Diagnostics ignore;
      auto content = file.body->partial_content(s, &rest, ignore);
      Diagnostics vd;
      for (auto& b : content.blocks) {
        const std::string& name = b.labels[0];
        vd.error("Variable declaration in a .pkrvar file",
                 "A .pkrvar file is used to assign values to variables that have already been "
                 "declared in .pkr files, not to declare new variables. To declare variable \"" +
                     name +
                     "\", place this block in one of your .pkr files, such as "
                     "variables.pkr.hcl\n\nTo set a value for this variable in " +
                     std::string(b.type_range.filename) +
                     ", use the definition syntax instead:\n    " + name + " = <value>",
                 b.type_range);
      }
      if (vd.has_errors()) {
        diags.append(vd);
        return diags;
      }
    }
    auto attrs = file.body->just_attributes(diags);
    std::vector<const hcl::Attribute*> ordered;
    for (auto& [_, a] : attrs) ordered.push_back(&a);
    std::sort(ordered.begin(), ordered.end(),
              [](auto* a, auto* b) { return a->range.start.byte < b->range.start.byte; });
    for (auto* attr : ordered) {
      auto it = variables.find(attr->name);
      if (it == variables.end()) {
        if (opts.warn_undeclared_var)
          diags.warning("Undefined variable",
                        "A \"" + attr->name +
                            "\" variable was set but was not found in known variables. To "
                            "declare variable \"" +
                            attr->name +
                            "\", place this block in one of your .pkr files, such as "
                            "variables.pkr.hcl",
                        std::nullopt, attr->range);
        continue;
      }
      Diagnostics d;
      Value v = attr->expr->value(nullptr, d);
      diags.append(d);
      assign(it->second, v, "varfile", attr->expr->range(), "Invalid value for variable",
             "The value for ");
    }
  }

  std::map<std::string, std::string> argv;
  for (auto& [k, v] : opts.vars) argv[k] = v;
  for (auto& [name, text] : argv) {
    auto it = variables.find(name);
    if (it == variables.end()) {
      diags.error("Undefined -var variable",
                  "A \"" + name +
                      "\" variable was passed in the command line but was not found in known "
                      "variables. To declare variable \"" +
                      name +
                      "\", place this block in one of your .pkr files, such as "
                      "variables.pkr.hcl",
                  std::nullopt);
      continue;
    }
    std::string fake = "<value for var." + name + " from arguments>";
    Diagnostics d;
    auto v = from_text(fake, text, it->second, d);
    diags.append(d);
    if (!v) continue;
    assign(it->second, *v, "cmd", literal_range(*v, fake, text),
           "Invalid argument value for -var variable", "The received arg value for ");
  }
  return diags;
}

}  // namespace kiln::tmpl

namespace kiln::tmpl {

const std::vector<BuiltinPlugin>& builtin_plugins() {
  static const std::vector<BuiltinPlugin> p = {
      {"github.com/hetznercloud/hcloud", "1.7.2"},
      // The plugin's name before it moved to the hetznercloud organisation.
      {"github.com/hashicorp/hcloud", "1.7.2"},
  };
  return p;
}

Diagnostics check_required_plugins(const Config& cfg, std::vector<std::string>* satisfied) {
  Diagnostics diags;
  std::string missing;
  std::optional<hcl::Range> first;
  for (auto& rp : cfg.required_plugins) {
    std::string src = rp.source;
    // Sources may omit the host ("hetznercloud/hcloud" is not valid in
    // Packer; it needs the full address), but be lenient about case.
    std::string lower = src;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    const BuiltinPlugin* hit = nullptr;
    for (auto& b : builtin_plugins()) {
      if (lower != b.source) continue;
      std::string err;
      auto ok = version_satisfies(b.version, rp.version, &err);
      if (ok && *ok) hit = &b;
    }
    if (hit) {
      if (satisfied)
        satisfied->push_back("Plugin " + rp.source + " " + rp.version +
                             " is satisfied by kiln's built-in hcloud plugin (v" + hit->version +
                             ")");
    } else {
      missing += rp.source + " " + rp.version + "\n";
      if (!first) first = rp.range;
    }
  }
  if (!missing.empty()) {
    std::string builtins;
    diags.error("Missing plugins",
                "The following plugins are required, but not built into kiln:\n\n" + missing +
                    "\nkiln includes github.com/hetznercloud/hcloud v" +
                    builtin_plugins()[0].version +
                    " and does not download plugins; builders and provisioners from other "
                    "plugins are not supported.",
                first);
  }
  return diags;
}

}  // namespace kiln::tmpl
