#include "hcloud/ssh_keys.h"

#include "hcloud/id_or_name.h"

namespace hcloud {
namespace {

// The API trims whitespace from public keys (since 2026-04-22).
std::string trimmed(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

Result<std::vector<SshKey>> SshKeys::list(const SshKeyListOpts& opts) {
  Query q;
  if (!opts.fingerprint.empty()) q.add("fingerprint", opts.fingerprint);
  return detail::parse_all(c_.list_all("/ssh_keys", "ssh_keys", q, opts), parse_ssh_key,
                           "GET /ssh_keys");
}

Result<std::optional<SshKey>> SshKeys::get(std::int64_t id) {
  return detail::get_by_id(c_, "/ssh_keys", id, "ssh_key", parse_ssh_key);
}

Result<std::optional<SshKey>> SshKeys::get_by_name(const std::string& name) {
  return detail::get_by_param(c_, "/ssh_keys", "ssh_keys", Query().add("name", name),
                              parse_ssh_key);
}

Result<std::optional<SshKey>> SshKeys::get_by_fingerprint(const std::string& fingerprint) {
  return detail::get_by_param(c_, "/ssh_keys", "ssh_keys", Query().add("fingerprint", fingerprint),
                              parse_ssh_key);
}

Result<std::optional<SshKey>> SshKeys::get_by_id_or_name(const std::string& id_or_name) {
  if (auto id = parse_id(id_or_name)) return get(*id);
  return get_by_name(id_or_name);
}

Result<SshKey> SshKeys::create(const CreateSshKeyOpts& opts) {
  Json body = {{"name", opts.name}, {"public_key", opts.public_key}};
  if (!opts.labels.empty()) body["labels"] = opts.labels;
  auto parse = [](const Json& j, const std::string& request) -> Result<SshKey> {
    return detail::member(Result<Json>(j), "ssh_key", parse_ssh_key, request);
  };
  auto lookup = [&]() -> Result<std::optional<SshKey>> {
    auto found = get_by_name(opts.name);
    if (!found.ok() || !found.value()) return found;
    const SshKey& k = *found.value();
    if (trimmed(k.public_key) != trimmed(opts.public_key) ||
        !detail::has_labels(k.labels, opts.labels))
      return std::optional<SshKey>();  // someone else's key: not ours
    return found;
  };
  return detail::create_reconciled<SshKey>(c_, "/ssh_keys", body, parse, lookup, true);
}

Result<SshKey> SshKeys::update(std::int64_t id, const std::optional<std::string>& name,
                               const std::optional<Labels>& labels) {
  std::string path = "/ssh_keys/" + std::to_string(id);
  Json body = detail::update_body(name, labels);
  return detail::member(c_.call(Method::kPut, path, {}, &body, Safety::kIdempotent), "ssh_key",
                        parse_ssh_key, detail::request_name(Method::kPut, path));
}

Status SshKeys::del(std::int64_t id) {
  return detail::delete_by_id(c_, "/ssh_keys", id);
}

}  // namespace hcloud
