// What inspect and console print: Packer's value formatting
// (PrintableCtyValue: hcl2shim values through repl.FormatResult), the
// console's line handling, and the inspect report.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "funcs/common.h"
#include "hcl/ast.h"
#include "template/template.h"

namespace kiln::tmpl {

using hcl::Diagnostics;
using hcl::Type;
using hcl::Value;

std::string go_quote(const std::string& s) {
  return funcs::go_quote(s);
}

namespace {

// Go's %g of a float64 (shortest representation, %e when the exponent is
// below -4 or at least 6).
std::string go_g(double f) {
  if (std::isinf(f)) return f < 0 ? "-Inf" : "+Inf";
  if (std::isnan(f)) return "NaN";
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // e.g. -1.2345e+06
  bool neg = sci[0] == '-';
  if (neg) sci = sci.substr(1);
  auto e = sci.find('e');
  std::string mant = sci.substr(0, e);
  int exp = std::stoi(sci.substr(e + 1));
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  std::string out = neg ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return out + eb;
  }
  if (exp < 0) return out + "0." + std::string(-exp - 1, '0') + digits;
  if (static_cast<int>(digits.size()) <= exp + 1)
    return out + digits + std::string(exp + 1 - digits.size(), '0');
  return out + digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
}

std::string indent(const std::string& v) {
  std::string out = "  ";
  for (char c : v) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

std::string format_nested(const Value& v, bool nested) {
  if (v.is_null()) return "null";
  if (!v.is_known()) return "<unknown>";
  Value u = v.unmarked();
  const Type& t = u.type();
  if (t == Type::string()) return nested ? go_quote(u.as_string()) : u.as_string();
  if (t == Type::number()) return format_number(u.as_number());
  if (t == Type::boolean()) return u.as_bool() ? "true" : "false";
  if (t.is_list() || t.is_set() || t.is_tuple()) {
    std::string out = "[";
    if (u.length() > 0) out += "\n";
    for (auto& e : u.elements()) out += indent(format_nested(e, true)) + ",\n";
    return out + "]";
  }
  if (t.is_map() || t.is_object()) {
    std::string out = "{";
    if (std::any_of(u.attributes().begin(), u.attributes().end(),
                    [](auto& kv) { return !kv.second.is_null(); }))
      out += "\n";
    for (auto& [k, e] : u.attributes()) {
      if (e.is_null()) continue;  // hcl2shim drops null attributes
      out += indent(go_quote(k) + " = " + format_nested(e, true)) + "\n";
    }
    return out + "}";
  }
  return "<unknown-type>";
}

}  // namespace

std::string format_number(const hcl::Number& n) {
  if (auto i = n.to_int64()) return std::to_string(*i);
  return go_g(n.to_double());
}

std::string format_value(const Value& v, int) {
  return format_nested(v, true);
}

std::string format_result(const Value& v) {
  if (!v.is_wholly_known()) return "<unknown>";
  return format_nested(v, false);
}

namespace {

std::string print_variables(const Config& cfg) {
  std::string out = "> input-variables:\n\n";
  for (auto& [name, var] : cfg.variables)
    out += "var." + name + ": " + go_quote(format_result(var.value())) + "\n";
  out += "\n> local-variables:\n\n";
  for (auto& [name, val] : cfg.local_values)
    out += "local." + name + ": " + go_quote(format_result(val)) + "\n";
  return out;
}

const char* kConsoleHelp =
    "Packer console HCL2 Mode.\n"
    "The Packer console allows you to experiment with Packer interpolations.\n"
    "You may access variables and functions in the Packer config you called the\n"
    "console with.\n"
    "\n"
    "Type in the interpolation to test and hit <enter> to see the result.\n"
    "\n"
    "\"upper(var.foo.id)\" would evaluate to the ID of \"foo\" and uppercase is, if it\n"
    "exists in your config file.\n"
    "\n"
    "\"variables\" will dump all available variables and their values.\n"
    "\n"
    "To exit the console, type \"exit\" and hit <enter>, or use Control-C.\n"
    "\n"
    "/!\\ It is not possible to use go templating interpolation like \"{{timestamp}}\"\n"
    "with in HCL2 mode.";

}  // namespace

std::string console_eval(const Config* cfg, const std::string& line, bool* exit,
                         Diagnostics& diags) {
  *exit = false;
  if (line.empty()) return "";
  if (line == "exit") {
    *exit = true;
    return "";
  }
  if (line == "help") return kConsoleHelp;
  if (line == "variables") {
    if (!cfg) return "> input-variables:\n\n\n> local-variables:\n\n";
    return print_variables(*cfg);
  }
  Diagnostics pd;
  auto expr = hcl::syntax::parse_expression(line, hcl::intern_filename("<console-input>"),
                                            hcl::Pos{1, 1, 0}, pd);
  diags.append(pd);
  if (pd.has_errors()) return "";
  hcl::EvalContext ctx;
  if (cfg) ctx = cfg->eval_context();
  Diagnostics vd;
  Value v = expr->value(&ctx, vd);
  diags.append(vd);
  if (vd.has_errors()) return "";
  return format_result(v);
}

std::vector<std::string> inspect_parts(const Config& cfg) {
  std::vector<std::string> parts = {"Packer Inspect: HCL2 mode\n", print_variables(cfg)};
  std::string out = "> builds:\n";
  for (size_t i = 0; i < cfg.builds.size(); i++) {
    const BuildBlock& b = cfg.builds[i];
    std::string name = b.name.empty() ? "<unnamed build " + std::to_string(i) + ">" : b.name;
    out += "\n  > " + name + ":\n";
    if (!b.description.empty()) out += "\n  > Description: " + b.description + "\n";
    out += "\n    sources:\n";
    if (b.sources.empty()) out += "\n      <no source>\n";
    for (auto& s : b.sources) out += "\n      " + s.ref() + "\n";
    out += "\n    provisioners:\n\n";
    if (b.provisioners.empty()) out += "      <no provisioner>\n";
    for (auto& p : b.provisioners)
      out += "      " + (p.name.empty() ? p.type : p.type + "." + p.name) + "\n";
    out += "\n    post-processors:\n";
    if (b.post_processors.empty()) out += "\n      <no post-processor>\n";
    for (size_t j = 0; j < b.post_processors.size(); j++) {
      out += "\n      " + std::to_string(j) + ":\n";
      for (auto& p : b.post_processors[j])
        out += "        " + (p.name.empty() ? p.type : p.type + "." + p.name) + "\n";
    }
  }
  parts.push_back(out);
  return parts;
}

std::string inspect_text(const Config& cfg) {
  std::string out;
  for (auto& p : inspect_parts(cfg)) out += p + "\n";
  return out;
}

}  // namespace kiln::tmpl
