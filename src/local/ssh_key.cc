#include "local/ssh_key.h"

#include <openssl/evp.h>

#include <cstdint>
#include <set>
#include <vector>

namespace kiln::local {
namespace {

std::optional<std::vector<unsigned char>> base64_decode(const std::string& in) {
  static const std::string chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<unsigned char> out;
  uint32_t buf = 0;
  int bits = 0;
  size_t pad = 0;
  for (char ch : in) {
    if (ch == '=') {
      ++pad;
      continue;
    }
    if (pad) return std::nullopt;  // data after padding
    auto pos = chars.find(ch);
    if (pos == std::string::npos) return std::nullopt;
    buf = (buf << 6) | static_cast<uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((buf >> bits) & 0xff));
    }
  }
  if (pad > 2 || (in.size() % 4) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> ssh_key_fingerprint(const std::string& line, std::string* error) {
  static const std::set<std::string> types = {"ssh-rsa",
                                              "ssh-ed25519",
                                              "ecdsa-sha2-nistp256",
                                              "ecdsa-sha2-nistp384",
                                              "ecdsa-sha2-nistp521",
                                              "ssh-dss",
                                              "sk-ssh-ed25519@openssh.com",
                                              "sk-ecdsa-sha2-nistp256@openssh.com"};
  size_t sp = line.find_first_of(" \t");
  if (sp == std::string::npos) {
    *error = "invalid public key: expected '<type> <base64> [comment]'";
    return std::nullopt;
  }
  std::string type = line.substr(0, sp);
  size_t b = line.find_first_not_of(" \t", sp);
  size_t e = line.find_first_of(" \t\r\n", b);
  std::string blob64 =
      b == std::string::npos ? "" : line.substr(b, e == std::string::npos ? e : e - b);
  if (!types.count(type)) {
    *error = "invalid public key: unsupported key type '" + type + "'";
    return std::nullopt;
  }
  auto blob = base64_decode(blob64);
  if (!blob || blob->size() < 4) {
    *error = "invalid public key: key data is not valid base64";
    return std::nullopt;
  }
  uint32_t n = (uint32_t((*blob)[0]) << 24) | (uint32_t((*blob)[1]) << 16) |
               (uint32_t((*blob)[2]) << 8) | uint32_t((*blob)[3]);
  if (n > blob->size() - 4 || std::string(blob->begin() + 4, blob->begin() + 4 + n) != type) {
    *error = "invalid public key: key data does not match type '" + type + "'";
    return std::nullopt;
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(blob->data(), blob->size(), md, &len, EVP_md5(), nullptr) != 1) {
    *error = "cannot compute MD5";
    return std::nullopt;
  }
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    if (i) out += ':';
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

}  // namespace kiln::local
