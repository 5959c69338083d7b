// templatefile(path, vars): renders a file as an HCL template with only
// vars in scope and every function but templatefile itself (Packer's
// hcl2template/function/templatefile.go).
#include <fmt/format.h>
#include <utf8proc.h>

#include <memory>
#include <mutex>

#include "funcs/common.h"
#include "funcs/fs_util.h"
#include "hcl/ast.h"

namespace kiln::funcs {

namespace {

bool is_id_start(char32_t r) {
  if (r == '_') return true;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(r))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_NL:
      return true;
    default:
      return false;
  }
}

bool is_id_continue(char32_t r) {
  if (is_id_start(r) || r == '-') return true;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(r))) {
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_PC:
      return true;
    default:
      return false;
  }
}

// hclsyntax.ValidIdentifier.
bool valid_identifier(std::string_view s) {
  if (s.empty()) return false;
  size_t i = 0;
  if (!is_id_start(decode_rune(s, i))) return false;
  while (i < s.size()) {
    if (!is_id_continue(decode_rune(s, i))) return false;
  }
  return true;
}

// hcl.Diagnostics.Error().
std::string diags_error(const hcl::Diagnostics& diags) {
  std::vector<const hcl::Diagnostic*> errs;
  for (const auto& d : diags) errs.push_back(&d);
  if (errs.empty()) return "no diagnostics";
  auto one = [](const hcl::Diagnostic& d) {
    std::string subj = d.subject ? d.subject->str() : "<nil>";
    return subj + ": " + d.summary + "; " + d.detail;
  };
  if (errs.size() == 1) return one(*errs[0]);
  return fmt::format("{}, and {} other diagnostic(s)", one(*errs[0]), errs.size() - 1);
}

struct Renderer {
  std::string base_dir;
  std::string home;
  std::shared_ptr<const FuncMap> funcs;  // every function; templatefile refuses recursion

  // The function protocol asks for the result type first and then for the
  // result: the type callback renders, and the implementation reuses that
  // rendering when it is given the same arguments.
  mutable std::mutex mu;
  mutable std::optional<std::pair<Args, Value>> last;

  std::optional<Value> render_cached(const Args& a, FunctionError* err, bool store) const {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (last && last->first.size() == a.size() && last->first[0].raw_equals(a[0]) &&
          last->first[1].raw_equals(a[1])) {
        Value v = last->second;
        if (!store) last.reset();
        return v;
      }
    }
    auto v = render(a, err);
    if (v && store) {
      std::lock_guard<std::mutex> lock(mu);
      last.emplace(a, *v);
    }
    return v;
  }

  std::optional<Value> render(const Args& a, FunctionError* err) const {
    const std::string& path = a[0].as_string();
    std::string e;
    auto src = read_file_bytes(base_dir, path, home, &e);
    if (!src) return fail(err, e);
    hcl::Diagnostics diags;
    auto expr = hcl::syntax::parse_template(*src, path, hcl::Pos{1, 1, 0}, diags);
    if (diags.has_errors() || !expr) return fail(err, diags_error(diags));
    const Value& vars = a[1];
    const Type& vt = vars.type();
    if (!(vt.is_map() || vt.is_object())) {
      return fail(err, "invalid vars value: must be a map", 1);
    }
    hcl::EvalContext ctx;
    if (vars.is_known() && !vars.is_null()) {
      for (const auto& [k, v] : vars.attributes()) ctx.variables[k] = v;
    }
    for (const auto& [n, _] : ctx.variables) {
      if (!valid_identifier(n)) {
        return fail(err,
                    "invalid template variable name " + go_quote(n) +
                        ": must start with a letter, followed by zero or more letters, digits, "
                        "and underscores",
                    1);
      }
    }
    for (const auto& t : expr->variables()) {
      const std::string& root = t.root_name();
      if (!ctx.variables.count(root)) {
        return fail(err,
                    "vars map does not contain key " + go_quote(root) + ", referenced at " +
                        t.steps[0].src_range.str(),
                    1);
      }
    }
    ctx.functions = *funcs;
    Value v = expr->value(&ctx, diags);
    if (diags.has_errors()) return fail(err, diags_error(diags));
    return v;
  }
};

}  // namespace

void register_templatefile(FuncMap& m, const FuncsOptions& opts) {
  auto inner = std::make_shared<FuncMap>(m);
  std::vector<FunctionParam> params = {param("path", Type::string()),
                                       param("vars", Type::dynamic())};
  (*inner)["templatefile"] = make_function(
      params, std::nullopt,
      [](const Args&, FunctionError* err) -> std::optional<Type> {
        return fail(err, "cannot recursively call templatefile from inside templatefile call");
      },
      nullptr);
  auto r = std::make_shared<Renderer>();
  r->base_dir = opts.path_root;
  r->home = opts.home;
  r->funcs = inner;
  m["templatefile"] = make_function(
      params, std::nullopt,
      [r](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (!(a[0].is_known() && a[1].is_known())) return Type::dynamic();
        auto v = r->render_cached(a, err, true);
        if (!v) return std::nullopt;
        return v->type();
      },
      [r](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        return r->render_cached(a, err, false);
      });
}

}  // namespace kiln::funcs
