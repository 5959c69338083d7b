#include "ssh/keygen.h"

#include <libssh/libssh.h>
#include <string.h>

#include <memory>

namespace ssh {
namespace {

Error key_error(std::string msg) {
  Error e;
  e.kind = ErrorKind::kConfig;
  e.host = "localhost";
  e.step = "generate key pair";
  e.message = std::move(msg);
  return e;
}

struct KeyFree {
  void operator()(ssh_key_struct* k) const { ssh_key_free(k); }
};

std::string hash_hex(ssh_key key, ssh_publickey_hash_type type) {
  unsigned char* hash = nullptr;
  size_t len = 0;
  if (ssh_get_publickey_hash(key, type, &hash, &len) != 0) return "";
  std::string out;
  if (type == SSH_PUBLICKEY_HASH_MD5) {
    char* hex = ssh_get_hexa(hash, len);
    if (hex != nullptr) out = hex;
    ssh_string_free_char(hex);
  } else {
    char* fp = ssh_get_fingerprint_hash(type, hash, len);
    if (fp != nullptr) out = fp;
    ssh_string_free_char(fp);
  }
  ssh_clean_pubkey_hash(&hash);
  return out;
}

}  // namespace

KeyPair::~KeyPair() {
  explicit_bzero(private_key.data(), private_key.size());
}

Result<KeyType> parse_key_type(const std::string& name) {
  if (name.empty() || name == "ed25519") return KeyType::kEd25519;
  if (name == "rsa") return KeyType::kRsa;
  if (name == "ecdsa") return KeyType::kEcdsa;
  return key_error("unknown key pair type \"" + name + "\" (expected ed25519, rsa or ecdsa)");
}

Result<KeyPair> generate_key_pair(KeyType type, int bits, const std::string& comment) {
  ssh_keytypes_e kt = SSH_KEYTYPE_ED25519;
  int param = 0;
  switch (type) {
    case KeyType::kEd25519:
      kt = SSH_KEYTYPE_ED25519;
      bits = 256;
      break;
    case KeyType::kRsa:
      kt = SSH_KEYTYPE_RSA;
      if (bits == 0) bits = 4096;
      if (bits < 1024 || bits > 16384) {
        return key_error("RSA key size " + std::to_string(bits) +
                         " out of range (1024 to 16384 bits)");
      }
      param = bits;
      break;
    case KeyType::kEcdsa:
      if (bits == 0) bits = 521;
      if (bits == 256) {
        kt = SSH_KEYTYPE_ECDSA_P256;
      } else if (bits == 384) {
        kt = SSH_KEYTYPE_ECDSA_P384;
      } else if (bits == 521) {
        kt = SSH_KEYTYPE_ECDSA_P521;
      } else {
        return key_error("ECDSA key size " + std::to_string(bits) +
                         " not supported (256, 384 or 521)");
      }
      param = bits;
      break;
  }
  ssh_key raw = nullptr;
  if (ssh_pki_generate(kt, param, &raw) != SSH_OK || raw == nullptr) {
    return key_error("libssh could not generate the key");
  }
  std::unique_ptr<ssh_key_struct, KeyFree> key(raw);

  KeyPair kp;
  kp.type = type;
  kp.bits = bits;
  char* b64 = nullptr;
  if (ssh_pki_export_pubkey_base64(key.get(), &b64) != SSH_OK) {
    return key_error("could not export the public key");
  }
  kp.public_key = std::string(ssh_key_type_to_char(ssh_key_type(key.get()))) + " " + b64;
  ssh_string_free_char(b64);
  if (!comment.empty()) kp.public_key += " " + comment;

  char* priv = nullptr;
  if (ssh_pki_export_privkey_base64(key.get(), nullptr, nullptr, nullptr, &priv) != SSH_OK ||
      priv == nullptr) {
    return key_error("could not export the private key");
  }
  kp.private_key = priv;
  explicit_bzero(priv, strlen(priv));
  ssh_string_free_char(priv);

  kp.fingerprint_md5 = hash_hex(key.get(), SSH_PUBLICKEY_HASH_MD5);
  kp.fingerprint_sha256 = hash_hex(key.get(), SSH_PUBLICKEY_HASH_SHA256);
  return kp;
}

}  // namespace ssh
