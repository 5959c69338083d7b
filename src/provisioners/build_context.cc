#include "provisioners/build_context.h"

#include "template/template.h"

namespace kiln::prov {

namespace {
std::string escape_quotes(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\'')
      out += "'\"'\"'";
    else
      out += c;
  }
  return out;
}
}  // namespace

std::map<std::string, std::string> packer_env(const engine::BuildInfo& info,
                                              const std::vector<std::string>& environment_vars,
                                              const std::map<std::string, std::string>& env) {
  std::map<std::string, std::string> out;
  out["PACKER_BUILD_NAME"] = info.build_name;
  out["PACKER_BUILDER_TYPE"] = info.builder_type;
  if (!info.http_addr.empty()) {
    out["PACKER_HTTP_ADDR"] = info.http_addr;
    auto colon = info.http_addr.rfind(':');
    if (colon != std::string::npos) {
      out["PACKER_HTTP_IP"] = info.http_addr.substr(0, colon);
      out["PACKER_HTTP_PORT"] = info.http_addr.substr(colon + 1);
    }
  }
  for (auto& kv : environment_vars) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;  // rejected at prepare
    out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (auto& [k, v] : env) out[k] = v;
  for (auto& [k, v] : out) v = escape_quotes(v);
  return out;
}

std::string go_sprintf_s(const std::string& format, const std::vector<std::string>& args) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%' || i + 1 >= format.size()) {
      out += c;
      continue;
    }
    char v = format[++i];
    if (v == '%') {
      out += '%';
    } else if (v == 's' || v == 'v' || v == 'q') {
      if (next < args.size()) {
        const std::string& a = args[next++];
        out += v == 'q' ? "\"" + a + "\"" : a;
      } else {
        out += std::string("%!") + v + "(MISSING)";
      }
    } else {
      out += '%';
      out += v;
    }
  }
  if (next < args.size()) {
    // Go appends the leftovers: "%!(EXTRA string=x)".
    out += "%!(EXTRA ";
    for (size_t i = next; i < args.size(); ++i) {
      if (i > next) out += ", ";
      out += "string=" + args[i];
    }
    out += ")";
  }
  return out;
}

std::string flatten_env(const std::map<std::string, std::string>& vars, const std::string& format) {
  std::string out;
  for (auto& [k, v] : vars) out += go_sprintf_s(format, {k, v});
  return out;
}

TemplateData template_data(const engine::BuildInfo& info) {
  TemplateData d;
  d.build_name = info.build_name;
  d.builder_type = info.builder_type;
  d.build = info.generated;
  d.fields["BuildName"] = info.build_name;
  d.fields["BuilderType"] = info.builder_type;
  if (info.config) d.template_dir = info.config->path_root;
  return d;
}

}  // namespace kiln::prov
