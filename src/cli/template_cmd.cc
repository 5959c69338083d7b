#include "cli/template_cmd.h"

#include <cstdio>
#include <ctime>

namespace kiln::cli {

bool ParsedFlags::get_bool(const std::string& n) const {
  auto it = values.find(n);
  if (it == values.end() || it->second.empty()) return false;
  const std::string& v = it->second.back();
  return v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True";
}

ParsedFlags parse_flags(const Args& args, const std::vector<FlagSpec>& specs) {
  ParsedFlags out;
  size_t i = 0;
  for (; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a.size() < 2 || a[0] != '-') break;
    if (a == "--") {
      i++;
      break;
    }
    std::string body = a.substr(a[1] == '-' ? 2 : 1);
    if (body.empty() || body[0] == '-' || body[0] == '=') {
      out.error = "bad flag syntax: " + a;
      return out;
    }
    std::string name = body, value;
    bool has_value = false;
    if (auto eq = body.find('='); eq != std::string::npos) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
      has_value = true;
    }
    if (name == "h" || name == "help") {
      out.help = true;
      return out;
    }
    const FlagSpec* spec = nullptr;
    for (auto& s : specs)
      if (s.name == name) spec = &s;
    if (!spec) {
      out.error = "flag provided but not defined: -" + name;
      return out;
    }
    if (spec->is_bool) {
      if (!has_value) value = "true";
      static const char* kBools[] = {"1",    "0",     "t",    "f",     "T",    "F",
                                     "true", "false", "TRUE", "FALSE", "True", "False"};
      bool ok = false;
      for (auto* b : kBools) ok |= value == b;
      if (!ok) {
        out.error = "invalid boolean value \"" + value + "\" for -" + name + ": parse error";
        return out;
      }
    } else if (!has_value) {
      if (i + 1 >= args.size()) {
        out.error = "flag needs an argument: -" + name;
        return out;
      }
      value = args[++i];
    }
    out.values[name].push_back(value);
  }
  for (; i < args.size(); i++) out.positional.push_back(args[i]);
  return out;
}

bool extract_machine_readable(Args& args) {
  bool found = false;
  Args rest;
  for (auto& a : args) {
    if (a == "-machine-readable" || a == "--machine-readable") {
      found = true;
      continue;
    }
    rest.push_back(a);
  }
  args = std::move(rest);
  return found;
}

void Ui::emit(const char* kind, const std::string& raw) const {
  std::string msg = cfg_ ? cfg_->filter_secrets(raw) : raw;
  if (!machine_) {
    std::fwrite(msg.data(), 1, msg.size(), stdout);
    std::fputc('\n', stdout);
    return;
  }
  machine(std::string("ui"), {kind, msg});
}

void Ui::say(const std::string& msg) const {
  emit("say", msg);
}
void Ui::error(const std::string& msg) const {
  emit("error", msg);
}

void Ui::machine(const std::string& type, const std::vector<std::string>& args) const {
  std::string line = std::to_string(static_cast<long long>(std::time(nullptr))) + ",," + type;
  for (auto& a : args) {
    std::string esc;
    for (char c : a) {
      if (c == ',')
        esc += "%!(PACKER_COMMA)";
      else if (c == '\r')
        esc += "\\r";
      else if (c == '\n')
        esc += "\\n";
      else
        esc += c;
    }
    line += "," + esc;
  }
  line += "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
}

int write_diags(const Ui& ui, const tmpl::Config& cfg, const hcl::Diagnostics& diags) {
  if (diags.empty()) return 0;
  std::string text = cfg.render(diags);
  if (text.empty()) return 0;
  if (diags.has_errors()) {
    ui.error(text);
    return 1;
  }
  ui.say(text);
  return 0;
}

std::vector<FlagSpec> meta_flag_specs() {
  return {{"only", false},
          {"except", false},
          {"var", false},
          {"var-file", false},
          {"config-type", false}};
}

bool load_options_from_flags(const ParsedFlags& f, tmpl::LoadOptions* opts, std::string* error) {
  if (auto it = f.values.find("var-file"); it != f.values.end()) opts->var_files = it->second;
  if (auto it = f.values.find("var"); it != f.values.end()) {
    for (auto& kv : it->second) {
      auto eq = kv.find('=');
      if (eq == std::string::npos) {
        *error = "invalid value \"" + kv + "\" for flag -var: No '=' value in arg: " + kv;
        return false;
      }
      opts->vars.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
  }
  return true;
}

std::vector<std::string> split_list_flag(const ParsedFlags& f, const std::string& name) {
  std::vector<std::string> out;
  auto it = f.values.find(name);
  if (it == f.values.end()) return out;
  for (auto& v : it->second) {
    size_t start = 0;
    while (true) {
      size_t c = v.find(',', start);
      std::string part = v.substr(start, c == std::string::npos ? std::string::npos : c - start);
      if (!part.empty()) out.push_back(part);
      if (c == std::string::npos) break;
      start = c + 1;
    }
  }
  return out;
}

}  // namespace kiln::cli
