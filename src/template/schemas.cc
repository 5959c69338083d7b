#include "template/schemas.h"

#include <sys/stat.h>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

namespace kiln::tmpl {

namespace {

using hcl::Type;
using hcl::Value;

Type S() {
  return Type::string();
}
Type B() {
  return Type::boolean();
}
Type N() {
  return Type::number();
}
Type LS() {
  return Type::list(Type::string());
}
Type LN() {
  return Type::list(Type::number());
}
Type MS() {
  return Type::map(Type::string());
}

FieldSpec dur(std::string name) {
  return FieldSpec{std::move(name), Type::string(), true};
}

// Fields every plugin's FlatConfig carries (common.PackerConfig).
void add_packer_common(std::vector<FieldSpec>& f) {
  f.push_back({"packer_build_name", S()});
  f.push_back({"packer_builder_type", S()});
  f.push_back({"packer_core_version", S()});
  f.push_back({"packer_debug", B()});
  f.push_back({"packer_force", B()});
  f.push_back({"packer_on_error", S()});
  f.push_back({"packer_user_variables", MS()});
  f.push_back({"packer_sensitive_variables", LS()});
}

// The SDK's communicator.Config (SSH and WinRM).
void add_communicator(std::vector<FieldSpec>& f) {
  for (const char* n : {"communicator",
                        "ssh_host",
                        "ssh_username",
                        "ssh_password",
                        "ssh_keypair_name",
                        "temporary_key_pair_name",
                        "temporary_key_pair_type",
                        "ssh_private_key_file",
                        "ssh_certificate_file",
                        "ssh_bastion_host",
                        "ssh_bastion_username",
                        "ssh_bastion_password",
                        "ssh_bastion_private_key_file",
                        "ssh_bastion_certificate_file",
                        "ssh_file_transfer_method",
                        "ssh_proxy_host",
                        "ssh_proxy_username",
                        "ssh_proxy_password",
                        "winrm_username",
                        "winrm_password",
                        "winrm_host",
                        "ssh_interface"})
    f.push_back({n, S()});
  for (const char* n : {"ssh_port", "temporary_key_pair_bits", "ssh_handshake_attempts",
                        "ssh_bastion_port", "ssh_proxy_port", "winrm_port"})
    f.push_back({n, N()});
  for (const char* n :
       {"ssh_clear_authorized_keys", "ssh_pty", "ssh_agent_auth", "ssh_disable_agent_forwarding",
        "ssh_bastion_agent_auth", "ssh_bastion_interactive", "winrm_no_proxy", "winrm_use_ssl",
        "winrm_insecure", "winrm_use_ntlm"})
    f.push_back({n, B()});
  for (const char* n : {"pause_before_connecting", "ssh_timeout", "ssh_wait_timeout",
                        "ssh_keep_alive_interval", "ssh_read_write_timeout", "winrm_timeout"})
    f.push_back(dur(n));
  for (const char* n :
       {"ssh_ciphers", "ssh_key_exchange_algorithms", "ssh_remote_tunnels", "ssh_local_tunnels"})
    f.push_back({n, LS()});
}

bool is_set(const Value& cfg, const std::string& name) {
  auto& a = cfg.attributes();
  auto it = a.find(name);
  if (it == a.end() || it->second.is_null()) return false;
  if (!it->second.is_known()) return true;
  if (it->second.type() == Type::string()) return !it->second.unmarked().as_string().empty();
  if (it->second.type().is_list() || it->second.type().is_tuple()) return it->second.length() > 0;
  return true;
}
const Value* get(const Value& cfg, const std::string& name) {
  auto& a = cfg.attributes();
  auto it = a.find(name);
  if (it == a.end() || it->second.is_null() || !it->second.is_known()) return nullptr;
  return &it->second;
}
std::string get_string(const Value& cfg, const std::string& name) {
  const Value* v = get(cfg, name);
  if (!v || v->type() != Type::string()) return "";
  return v->unmarked().as_string();
}

void comm_prepare(const Value& cfg, std::vector<std::string>& errs) {
  std::string comm = get_string(cfg, "communicator");
  if (comm.empty() || comm == "ssh") {
    if (!is_set(cfg, "ssh_username"))
      errs.push_back(
          "An ssh_username must be specified\n  Note: some builders used to default "
          "ssh_username to \"root\".");
  } else if (comm == "winrm") {
    if (!is_set(cfg, "winrm_username")) errs.push_back("winrm_username must be specified.");
  } else if (comm != "none") {
    errs.push_back("Communicator type " + comm + " is invalid");
  }
}

std::vector<std::string> hcloud_prepare(const Value& cfg) {
  std::vector<std::string> errs;
  comm_prepare(cfg, errs);
  if (!is_set(cfg, "token")) {
    const char* env = std::getenv("HCLOUD_TOKEN");
    if (!env || !*env) errs.push_back("token for auth must be specified");
  }
  if (!is_set(cfg, "location")) errs.push_back("location is required");
  if (!is_set(cfg, "server_type")) errs.push_back("server type is required");
  bool image = is_set(cfg, "image");
  const Value* filter = get(cfg, "image_filter");
  if (!image && !filter) errs.push_back("image or image_filter is required");
  if (filter) {
    if (!is_set(*filter, "with_selector"))
      errs.push_back("image_filter.with_selector is required when specifying filter");
    else if (image)
      errs.push_back("only one of image or image_filter can be specified");
  }
  if (is_set(cfg, "user_data") && is_set(cfg, "user_data_file")) {
    errs.push_back("only one of user_data or user_data_file can be specified");
  } else if (is_set(cfg, "user_data_file")) {
    struct stat st;
    std::string f = get_string(cfg, "user_data_file");
    if (::stat(f.c_str(), &st) != 0) errs.push_back("user_data_file not found: " + f);
  }
  return errs;
}

std::vector<std::string> null_prepare(const Value& cfg) {
  std::vector<std::string> errs;
  comm_prepare(cfg, errs);
  return errs;
}

// Shared by shell and shell-local: `environment_vars` entries are K=V.
void env_vars_prepare(const Value& cfg, std::vector<std::string>& errs) {
  if (const Value* ev = get(cfg, "environment_vars")) {
    for (auto& e : ev->elements()) {
      if (!e.is_known() || e.is_null()) continue;
      const std::string& kv = e.unmarked().as_string();
      auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0)
        errs.push_back("Environment variable not in format 'key=value': " + kv);
    }
  }
}

void check_files(const Value& cfg, const char* single, const char* list,
                 std::vector<std::string>& errs) {
  // As the SDK: a `script` replaces `scripts`.
  std::vector<std::string> paths;
  if (is_set(cfg, single)) {
    paths.push_back(get_string(cfg, single));
  } else if (const Value* l = get(cfg, list)) {
    for (auto& e : l->elements())
      if (e.is_known() && !e.is_null()) paths.push_back(e.unmarked().as_string());
  }
  for (auto& p : paths) {
    struct stat st;
    if (::stat(p.c_str(), &st) != 0)
      errs.push_back("Bad script '" + p + "': stat " + p + ": no such file or directory");
  }
}

std::vector<std::string> shell_prepare(const Value& cfg) {
  std::vector<std::string> errs;
  bool inl = is_set(cfg, "inline"), script = is_set(cfg, "script"),
       scripts = is_set(cfg, "scripts");
  if (script && scripts) errs.push_back("Only one of script or scripts can be specified.");
  if (!inl && !script && !scripts)
    errs.push_back("Either a script file or inline script must be specified.");
  else if (inl && (script || scripts))
    errs.push_back("Only a script file or an inline script can be specified, not both.");
  check_files(cfg, "script", "scripts", errs);
  env_vars_prepare(cfg, errs);
  return errs;
}

std::vector<std::string> shell_local_prepare(const Value& cfg) {
  std::vector<std::string> errs;
  int n = is_set(cfg, "command") + is_set(cfg, "inline") + is_set(cfg, "script") +
          is_set(cfg, "scripts");
  if (n == 0)
    errs.push_back("Command, Inline, Script and Scripts options cannot all be empty.");
  else if (n > 1)
    errs.push_back(
        "You may only specify one of the following options: Command, Inline, Script or "
        "Scripts. Please consolidate these options in your config.");
  check_files(cfg, "script", "scripts", errs);
  env_vars_prepare(cfg, errs);
  return errs;
}

std::vector<std::string> file_prepare(const Value& cfg) {
  std::vector<std::string> errs;
  std::string dir = get_string(cfg, "direction");
  if (!dir.empty() && dir != "upload" && dir != "download")
    errs.push_back("Direction must be one of: download, upload.");
  bool content = get(cfg, "content") != nullptr;
  bool sources = is_set(cfg, "source") || is_set(cfg, "sources");
  if (content && sources) errs.push_back("source(s) conflicts with content.");
  if (!content && !sources) errs.push_back("Source must be specified.");
  const Value* gen = get(cfg, "generated");
  bool generated = gen && gen->type() == Type::boolean() && gen->unmarked().as_bool();
  if (!content && (dir.empty() || dir == "upload") && !generated) {
    std::vector<std::string> paths;
    if (is_set(cfg, "source")) paths.push_back(get_string(cfg, "source"));
    if (const Value* l = get(cfg, "sources"))
      for (auto& e : l->elements())
        if (e.is_known() && !e.is_null()) paths.push_back(e.unmarked().as_string());
    for (auto& p : paths) {
      struct stat st;
      if (::stat(p.c_str(), &st) != 0)
        errs.push_back("Bad source '" + p + "': stat " + p + ": no such file or directory");
    }
  }
  if (!is_set(cfg, "destination")) errs.push_back("Destination must be specified.");
  return errs;
}

// kiln's own source "hcloud-upload" (component "upload" of the built-in
// hcloud plugin): `kiln upload`'s options as a template source.
std::vector<std::string> hcloud_upload_prepare(const Value& cfg) {
  std::vector<std::string> errs;
  bool path = is_set(cfg, "image_path"), url = is_set(cfg, "image_url");
  if (path == url) errs.push_back("Exactly one of image_path or image_url must be specified.");
  if (path) {
    std::string p = get_string(cfg, "image_path");
    struct stat st;
    if (::stat(p.c_str(), &st) != 0)
      errs.push_back("Bad image_path '" + p + "': stat " + p + ": no such file or directory");
  }
  auto one_of = [&](const char* name, std::initializer_list<const char*> ok) {
    if (!is_set(cfg, name)) return;
    std::string v = get_string(cfg, name);
    for (const char* o : ok)
      if (v == o) return;
    std::string list;
    for (const char* o : ok) list += std::string(list.empty() ? "" : ", ") + o;
    errs.push_back(std::string(name) + " must be one of " + list + ", not \"" + v + "\".");
  };
  one_of("compression", {"none", "gz", "bz2", "xz", "zstd"});
  one_of("format", {"raw", "qcow2"});
  one_of("architecture", {"x86", "arm"});
  if (url && get_string(cfg, "format") == "qcow2")
    errs.push_back("qcow2 images are read by kiln, so they must be local: use image_path.");
  return errs;
}

std::vector<std::string> checksum_prepare(const Value& cfg) {
  std::vector<std::string> errs;
  if (const Value* l = get(cfg, "checksum_types")) {
    static const char* kOk[] = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"};
    for (auto& e : l->elements()) {
      if (!e.is_known() || e.is_null()) continue;
      const std::string& t = e.unmarked().as_string();
      if (std::find_if(std::begin(kOk), std::end(kOk), [&](const char* k) { return t == k; }) ==
          std::end(kOk))
        errs.push_back("Unrecognized checksum type: " + t);
    }
  }
  return errs;
}

struct Registry {
  std::map<std::string, PluginSchema> builders, provisioners, post_processors, data_sources;
  PluginSchema image_filter;

  Registry() {
    image_filter.fields = {{"with_selector", LS()}, {"most_recent", B()}};

    PluginSchema hcloud;
    auto& f = hcloud.fields;
    add_packer_common(f);
    add_communicator(f);
    for (const char* n : {"token", "endpoint", "server_name", "location", "server_type",
                          "upgrade_server_type", "image", "snapshot_name", "user_data",
                          "user_data_file", "public_ipv4", "public_ipv6", "rescue"})
      f.push_back({n, S()});
    f.push_back(dur("poll_interval"));
    for (const char* n : {"snapshot_labels", "server_labels", "ssh_keys_labels"})
      f.push_back({n, MS()});
    for (const char* n : {"ssh_keys", "firewalls"}) f.push_back({n, LS()});
    f.push_back({"networks", LN()});
    for (const char* n : {"public_ipv4_disabled", "public_ipv6_disabled", "skip_create_snapshot"})
      f.push_back({n, B()});
    hcloud.blocks = {{"image_filter", false, &image_filter}};
    hcloud.prepare = hcloud_prepare;
    builders["hcloud"] = std::move(hcloud);

    PluginSchema null_b;
    add_packer_common(null_b.fields);
    add_communicator(null_b.fields);
    null_b.prepare = null_prepare;
    builders["null"] = std::move(null_b);

    PluginSchema upl;
    add_packer_common(upl.fields);
    for (const char* n : {"token", "endpoint", "image_path", "image_url", "compression", "format",
                          "architecture", "server_type", "location", "description"})
      upl.fields.push_back({n, S()});
    upl.fields.push_back({"labels", MS()});
    upl.prepare = hcloud_upload_prepare;
    builders["hcloud-upload"] = std::move(upl);

    PluginSchema shell;
    add_packer_common(shell.fields);
    for (const char* n : {"inline_shebang", "script", "env_var_format", "execute_command",
                          "remote_folder", "remote_file", "remote_path"})
      shell.fields.push_back({n, S()});
    for (const char* n : {"inline", "scripts", "environment_vars"})
      shell.fields.push_back({n, LS()});
    shell.fields.push_back({"valid_exit_codes", LN()});
    shell.fields.push_back({"env", MS()});
    for (const char* n : {"binary", "use_env_var_file", "expect_disconnect", "skip_clean"})
      shell.fields.push_back({n, B()});
    shell.fields.push_back(dur("start_retry_timeout"));
    shell.fields.push_back(dur("pause_after"));
    shell.prepare = shell_prepare;
    provisioners["shell"] = std::move(shell);

    PluginSchema file;
    add_packer_common(file.fields);
    for (const char* n : {"source", "content", "destination", "direction"})
      file.fields.push_back({n, S()});
    file.fields.push_back({"sources", LS()});
    file.fields.push_back({"generated", B()});
    file.prepare = file_prepare;
    provisioners["file"] = std::move(file);

    PluginSchema sl;
    add_packer_common(sl.fields);
    for (const char* n :
         {"command", "inline_shebang", "script", "env_var_format", "tempfile_extension"})
      sl.fields.push_back({n, S()});
    for (const char* n : {"inline", "scripts", "environment_vars", "execute_command", "only_on"})
      sl.fields.push_back({n, LS()});
    sl.fields.push_back({"env", MS()});
    sl.fields.push_back({"use_linux_pathing", B()});
    sl.fields.push_back({"valid_exit_codes", LN()});
    sl.prepare = shell_local_prepare;
    provisioners["shell-local"] = sl;
    post_processors["shell-local"] = sl;

    PluginSchema bp;
    add_packer_common(bp.fields);
    bp.fields.push_back({"disable", B()});
    bp.fields.push_back({"note", S()});
    provisioners["breakpoint"] = std::move(bp);

    PluginSchema manifest;
    add_packer_common(manifest.fields);
    manifest.fields.push_back({"output", S()});
    manifest.fields.push_back({"strip_path", B()});
    manifest.fields.push_back({"strip_time", B()});
    manifest.fields.push_back({"custom_data", MS()});
    manifest.fields.push_back({"keep_input_artifact", B()});
    post_processors["manifest"] = std::move(manifest);

    PluginSchema checksum;
    add_packer_common(checksum.fields);
    checksum.fields.push_back({"checksum_types", LS()});
    checksum.fields.push_back({"output", S()});
    checksum.fields.push_back({"keep_input_artifact", B()});
    checksum.prepare = checksum_prepare;
    post_processors["checksum"] = std::move(checksum);

    PluginSchema compress;
    add_packer_common(compress.fields);
    compress.fields.push_back({"output", S()});
    compress.fields.push_back({"format", S()});
    compress.fields.push_back({"compression_level", N()});
    compress.fields.push_back({"keep_input_artifact", B()});
    post_processors["compress"] = std::move(compress);

    PluginSchema null_ds;
    null_ds.fields = {{"input", Type::dynamic()}};
    data_sources["null"] = std::move(null_ds);
    PluginSchema http_ds;
    http_ds.fields = {{"url", S()},
                      {"method", S()},
                      {"request_headers", MS()},
                      {"request_body", S()},
                      {"insecure", B()}};
    data_sources["http"] = std::move(http_ds);
  }

  const std::map<std::string, PluginSchema>& of(PluginKind k) const {
    switch (k) {
      case PluginKind::Builder:
        return builders;
      case PluginKind::Provisioner:
        return provisioners;
      case PluginKind::PostProcessor:
        return post_processors;
      case PluginKind::DataSource:
        return data_sources;
    }
    return builders;
  }
};

const Registry& registry() {
  static const Registry r;
  return r;
}

}  // namespace

const PluginSchema* find_plugin(PluginKind kind, const std::string& type) {
  auto& m = registry().of(kind);
  auto it = m.find(type);
  return it == m.end() ? nullptr : &it->second;
}

std::vector<std::string> plugin_names(PluginKind kind) {
  std::vector<std::string> out;
  for (auto& [k, v] : registry().of(kind)) out.push_back(k);
  return out;
}

std::optional<double> parse_go_duration(const std::string& orig, std::string* error) {
  auto fail = [&](const std::string& msg) -> std::optional<double> {
    if (error) *error = msg;
    return std::nullopt;
  };
  std::string quoted = "\"" + orig + "\"";
  std::string s = orig;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s = s.substr(1);
  }
  if (s == "0") return 0.0;
  if (s.empty()) return fail("time: invalid duration " + quoted);
  double total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) i++;
    bool pre = i > start;
    std::string num = s.substr(start, i - start);
    bool post = false;
    if (i < s.size() && s[i] == '.') {
      i++;
      size_t fs = i;
      while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) i++;
      post = i > fs;
      num += "." + s.substr(fs, i - fs);
    }
    if (!pre && !post) return fail("time: invalid duration " + quoted);
    size_t us = i;
    while (i < s.size() && s[i] != '.' && !isdigit(static_cast<unsigned char>(s[i]))) i++;
    if (us == i) return fail("time: missing unit in duration " + quoted);
    std::string unit = s.substr(us, i - us);
    double mult;
    if (unit == "ns")
      mult = 1e-9;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs")
      mult = 1e-6;
    else if (unit == "ms")
      mult = 1e-3;
    else if (unit == "s")
      mult = 1;
    else if (unit == "m")
      mult = 60;
    else if (unit == "h")
      mult = 3600;
    else
      return fail("time: unknown unit \"" + unit + "\" in duration " + quoted);
    total += std::strtod(num.c_str(), nullptr) * mult;
  }
  return neg ? -total : total;
}

Value decode_plugin_body(const PluginSchema& schema, const hcl::Body& body,
                         const hcl::EvalContext* ctx, hcl::Diagnostics& diags,
                         std::vector<std::string>* decode_errors) {
  hcl::BodySchema bs;
  for (auto& f : schema.fields) bs.attributes.push_back({f.name, false});
  for (auto& b : schema.blocks) bs.blocks.push_back({b.name, {}});
  hcl::BodyContent content = body.content(bs, diags);
  std::map<std::string, Value> out;
  for (auto& f : schema.fields) {
    auto it = content.attributes.find(f.name);
    if (it == content.attributes.end()) {
      out[f.name] = Value::null(f.type);
      continue;
    }
    const hcl::Attribute& attr = it->second;
    hcl::Diagnostics vd;
    Value v = attr.expr->value(ctx, vd);
    diags.append(vd);
    if (vd.has_errors()) {
      out[f.name] = Value::unknown(f.type);
      continue;
    }
    std::string err;
    auto conv = hcl::convert(v, f.type, &err);
    if (!conv) {
      diags.error("Incorrect attribute value type",
                  "Inappropriate value for attribute \"" + f.name + "\": " + err + ".",
                  attr.expr->range(), hcl::Range::between(attr.name_range, attr.expr->range()));
      out[f.name] = Value::unknown(f.type);
      continue;
    }
    if (f.duration && decode_errors && conv->is_known() && !conv->is_null()) {
      std::string derr;
      if (!parse_go_duration(conv->unmarked().as_string(), &derr))
        decode_errors->push_back("error decoding '" + f.name + "': " + derr);
    }
    out[f.name] = *conv;
  }
  for (auto& b : schema.blocks) {
    std::vector<Value> items;
    const hcl::Block* last = nullptr;
    for (auto& blk : content.blocks) {
      if (blk.type != b.name) continue;
      if (!b.list && last) {
        diags.error("Duplicate " + b.name + " block",
                    "Only one " + b.name + " block is allowed. Another was defined at " +
                        last->def_range.str() + ".",
                    blk.def_range);
        continue;
      }
      last = &blk;
      items.push_back(decode_plugin_body(*b.schema, *blk.body, ctx, diags, decode_errors));
    }
    if (b.list)
      out[b.name] = items.empty() ? Value::list_empty(Type::dynamic()) : Value::tuple(items);
    else
      out[b.name] = items.empty() ? Value::null(Type::dynamic()) : items[0];
  }
  return Value::object(std::move(out));
}

}  // namespace kiln::tmpl
