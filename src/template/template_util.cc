#include "template/template_util.h"

#include <algorithm>

#include "hcl/eval_context.h"

namespace kiln::tmpl::detail {

bool valid_identifier(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); i++) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    bool digit = c >= '0' && c <= '9';
    if (i == 0 ? !letter : !(letter || digit || c == '-')) return false;
  }
  return true;
}

namespace {
size_t levenshtein(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); j++) prev[j] = j;
  for (size_t i = 1; i <= a.size(); i++) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); j++)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string name_suggestion(const std::string& given, const std::vector<std::string>& candidates) {
  for (auto& c : candidates)
    if (levenshtein(given, c) < 3) return c;
  return "";
}

std::string go_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); i++) {
    if (i) out += ' ';
    out += items[i];
  }
  return out + "]";
}

std::string diags_error_string(const hcl::Diagnostics& diags) {
  if (diags.empty()) return "no diagnostics";
  auto one = [](const hcl::Diagnostic& d) {
    std::string subj = d.subject ? d.subject->str() : "<nil>";
    return subj + ": " + d.summary + "; " + d.detail;
  };
  std::string s = one(diags[0]);
  if (diags.size() > 1) s += ", and " + std::to_string(diags.size() - 1) + " other diagnostic(s)";
  return s;
}

std::string go_multierror(const std::vector<std::string>& errs) {
  std::string out = errs.size() == 1 ? "1 error occurred:\n\t"
                                     : std::to_string(errs.size()) + " errors occurred:\n\t";
  for (size_t i = 0; i < errs.size(); i++) {
    if (i) out += "\n\t";
    out += "* " + errs[i];
  }
  return out + "\n\n";
}

std::string sdk_multierror(const std::vector<std::string>& errs) {
  std::string out = std::to_string(errs.size()) + " error(s) occurred:\n\n";
  for (size_t i = 0; i < errs.size(); i++) {
    if (i) out += "\n";
    out += "* " + errs[i];
  }
  return out;
}

std::optional<hcl::Value> decode_attr(const hcl::Attribute& attr, const hcl::Type& type,
                                      const hcl::EvalContext* ctx, hcl::Diagnostics& diags) {
  hcl::Diagnostics vd;
  hcl::Value v = attr.expr->value(ctx, vd);
  diags.append(vd);
  if (vd.has_errors()) return std::nullopt;
  std::string err;
  auto conv = hcl::convert(v, type, &err);
  if (!conv) {
    diags.error("Unsuitable value type", "Unsuitable value: " + err, attr.expr->start_range(),
                attr.expr->range());
    return std::nullopt;
  }
  return conv;
}

bool decode_string(const hcl::Attributes& attrs, const std::string& name,
                   const hcl::EvalContext* ctx, std::string* out, hcl::Diagnostics& diags) {
  auto it = attrs.find(name);
  if (it == attrs.end()) return true;
  auto v = decode_attr(it->second, hcl::Type::string(), ctx, diags);
  if (!v) return false;
  if (v->is_known() && !v->is_null()) *out = v->unmarked().as_string();
  return true;
}

bool decode_string_list(const hcl::Attributes& attrs, const std::string& name,
                        const hcl::EvalContext* ctx, std::vector<std::string>* out,
                        hcl::Diagnostics& diags) {
  auto it = attrs.find(name);
  if (it == attrs.end()) return true;
  auto v = decode_attr(it->second, hcl::Type::list(hcl::Type::string()), ctx, diags);
  if (!v) return false;
  if (v->is_known() && !v->is_null())
    for (auto& e : v->unmarked_deep().elements())
      if (e.is_known() && !e.is_null()) out->push_back(e.as_string());
  return true;
}

}  // namespace kiln::tmpl::detail
