// Temporary key pairs, as Packer makes for each build
// (temporary_key_pair_type, temporary_key_pair_bits).
#pragma once

#include <string>

#include "ssh/error.h"

namespace ssh {

enum class KeyType { kEd25519, kRsa, kEcdsa };

// Parses "ed25519", "rsa", "ecdsa" (Packer's temporary_key_pair_type).
Result<KeyType> parse_key_type(const std::string& name);

struct KeyPair {
  KeyType type = KeyType::kEd25519;
  int bits = 0;                    // key size (256 for ed25519)
  std::string public_key;          // OpenSSH line: "ssh-ed25519 AAAA... <comment>"
  std::string private_key;         // "-----BEGIN OPENSSH PRIVATE KEY-----..." (secret)
  std::string fingerprint_md5;     // "aa:bb:...", as the Hetzner API reports ssh keys
  std::string fingerprint_sha256;  // "SHA256:...", as ssh-keygen -l prints

  KeyPair() = default;
  KeyPair(const KeyPair&) = default;
  KeyPair(KeyPair&&) = default;
  KeyPair& operator=(const KeyPair&) = default;
  KeyPair& operator=(KeyPair&&) = default;
  ~KeyPair();  // wipes the private key text
};

// Generates a key pair. bits: RSA modulus size (0 = 4096, Packer's default;
// 1024..16384 accepted); ECDSA 256/384/521 (0 = 521); ignored for ed25519.
// comment goes at the end of the public key line (e.g. "packer_<id>").
Result<KeyPair> generate_key_pair(KeyType type, int bits = 0, const std::string& comment = "");

}  // namespace ssh
