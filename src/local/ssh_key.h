// SSH public keys as the API sees them: an authorized_keys line whose
// fingerprint is the MD5 of the decoded key blob in colon hex (hcloud-api.md 6).
#pragma once

#include <optional>
#include <string>

namespace kiln::local {

// nullopt with *error set when the line is not "<type> <base64 blob> [comment]"
// with a blob whose embedded type matches <type>.
std::optional<std::string> ssh_key_fingerprint(const std::string& line, std::string* error);

}  // namespace kiln::local
