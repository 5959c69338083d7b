// Hash and crypto functions: bcrypt, md5, sha1, sha256, sha512,
// rsadecrypt (go-cty-funcs crypto), uuidv4, uuidv5 (go-cty-funcs uuid).
// Nettle (hashes, RSA) and libxcrypt (bcrypt) rather than OpenSSL: the
// template commands link them statically, and Nettle brings only the
// algorithms used where a static libcrypto brings its providers, DSO
// loading and socket code (see the top-level CMakeLists.txt).
#include <crypt.h>
#include <fmt/format.h>
#include <nettle/bignum.h>
#include <nettle/md5.h>
#include <nettle/nettle-meta.h>
#include <nettle/rsa.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "funcs/common.h"

namespace kiln::funcs {

// base64 (Go StdEncoding); defined in encoding.cc.
std::optional<std::string> go_base64_decode(std::string_view in);

namespace {

std::string hex(const unsigned char* p, size_t n) {
  static const char d[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += d[p[i] >> 4];
    out += d[p[i] & 15];
  }
  return out;
}

// One-shot digest with a Nettle hash (nettle_md5, nettle_sha1, ...).
std::string digest_bytes(const struct nettle_hash& h, std::string_view s) {
  std::vector<unsigned char> ctx(h.context_size);
  std::vector<unsigned char> out(h.digest_size);
  h.init(ctx.data());
  h.update(ctx.data(), s.size(), reinterpret_cast<const uint8_t*>(s.data()));
  h.digest(ctx.data(), out.size(), out.data());
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

Function hash_function(const struct nettle_hash& h) {
  return make_function(
      {param("str", Type::string())}, std::nullopt, static_type(Type::string()),
      [&h](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
        std::string d = digest_bytes(h, a[0].as_string());
        return Value::string(hex(reinterpret_cast<const unsigned char*>(d.data()), d.size()));
      });
}

// Go's rsa.DecryptPKCS1v15 with a PKCS #1 key in DER: nullopt on any error
// (Go reports them all as "crypto/rsa: decryption error").
std::optional<std::string> rsa_pkcs1v15_decrypt(const std::string& der, const std::string& ct,
                                                bool* key_ok) {
  struct Keys {
    rsa_public_key pub;
    rsa_private_key priv;
    Keys() {
      rsa_public_key_init(&pub);
      rsa_private_key_init(&priv);
    }
    ~Keys() {
      rsa_public_key_clear(&pub);
      rsa_private_key_clear(&priv);
    }
  } k;
  *key_ok = rsa_keypair_from_der(&k.pub, &k.priv, 0, der.size(),
                                 reinterpret_cast<const uint8_t*>(der.data())) == 1;
  if (!*key_ok) return std::nullopt;
  // Go: the ciphertext may not be longer than the modulus, which must
  // leave room for the padding.
  if (ct.size() > k.pub.size || k.pub.size < 11) return std::nullopt;
  mpz_t c;
  nettle_mpz_init_set_str_256_u(c, ct.size(), reinterpret_cast<const uint8_t*>(ct.data()));
  std::string out(k.pub.size, '\0');
  size_t len = out.size();
  int ok = mpz_cmp(c, k.pub.n) < 0 &&
           rsa_decrypt(&k.priv, &len, reinterpret_cast<uint8_t*>(out.data()), c) == 1;
  mpz_clear(c);
  if (!ok) return std::nullopt;
  out.resize(len);
  return out;
}

std::string format_uuid(const unsigned char b[16]) {
  std::string h = hex(b, 16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

int xval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// google/uuid's Parse.
std::optional<std::array<unsigned char, 16>> parse_uuid(std::string s, std::string* err) {
  std::array<unsigned char, 16> u{};
  switch (s.size()) {
    case 36:
      break;
    case 36 + 9:
      if (!(s.compare(0, 9, "urn:uuid:") == 0 || s.compare(0, 9, "URN:UUID:") == 0)) {
        // google/uuid compares case-insensitively
        std::string p = s.substr(0, 9);
        for (auto& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (p != "urn:uuid:") {
          *err = "invalid urn prefix: " + go_quote(s.substr(0, 9));
          return std::nullopt;
        }
      }
      s = s.substr(9);
      break;
    case 36 + 2:
      s = s.substr(1, 36);
      break;
    case 32: {
      for (size_t i = 0; i < 16; ++i) {
        int hi = xval(s[2 * i]), lo = xval(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
          *err = "invalid UUID format";
          return std::nullopt;
        }
        u[i] = static_cast<unsigned char>(hi << 4 | lo);
      }
      return u;
    }
    default:
      *err = "invalid UUID length: " + std::to_string(s.size());
      return std::nullopt;
  }
  if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') {
    *err = "invalid UUID format";
    return std::nullopt;
  }
  static const int pos[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
  for (int i = 0; i < 16; ++i) {
    int hi = xval(s[pos[i]]), lo = xval(s[pos[i] + 1]);
    if (hi < 0 || lo < 0) {
      *err = "invalid UUID format";
      return std::nullopt;
    }
    u[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return u;
}

// encoding/pem.Decode: the first PEM block, its headers and DER bytes.
struct PemBlock {
  std::string type;
  std::map<std::string, std::string> headers;
  std::string der;
};

std::optional<PemBlock> pem_decode(std::string_view data) {
  while (true) {
    size_t b = data.find("-----BEGIN ");
    if (b == std::string_view::npos) return std::nullopt;
    if (b != 0 && data[b - 1] != '\n') {
      data.remove_prefix(b + 11);
      continue;
    }
    std::string_view rest = data.substr(b + 11);
    size_t eol = rest.find('\n');
    if (eol == std::string_view::npos) return std::nullopt;
    std::string_view line = rest.substr(0, eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (!line.ends_with("-----")) {
      data = rest;
      continue;
    }
    PemBlock blk;
    blk.type = std::string(line.substr(0, line.size() - 5));
    rest.remove_prefix(eol + 1);
    // headers
    while (true) {
      size_t e = rest.find('\n');
      std::string_view l = rest.substr(0, e == std::string_view::npos ? rest.size() : e);
      size_t colon = l.find(':');
      if (colon == std::string_view::npos) break;
      std::string key(l.substr(0, colon));
      std::string val(l.substr(colon + 1));
      auto trim = [](std::string& s) {
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
          s.pop_back();
        size_t i = 0;
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        s.erase(0, i);
      };
      trim(key);
      trim(val);
      blk.headers[key] = val;
      rest.remove_prefix(e == std::string_view::npos ? rest.size() : e + 1);
    }
    std::string end_marker = "-----END " + blk.type + "-----";
    size_t end = rest.find(end_marker);
    if (end == std::string_view::npos) {
      data = rest;
      continue;
    }
    std::string b64;
    for (char c : rest.substr(0, end)) {
      if (c != '\n' && c != '\r' && c != ' ' && c != '\t') b64 += c;
    }
    auto der = go_base64_decode(b64);
    if (!der) {
      data = rest;
      continue;
    }
    blk.der = std::move(*der);
    return blk;
  }
}

// The tag of the second element inside the outer SEQUENCE of a DER private
// key: INTEGER for PKCS#1 RSA, SEQUENCE for PKCS#8, OCTET STRING for SEC 1 EC
// keys; 0 when the structure is not recognised.
int second_element_tag(const std::string& der) {
  size_t i = 0;
  auto byte = [&](size_t k) -> int {
    return k < der.size() ? static_cast<unsigned char>(der[k]) : -1;
  };
  auto skip_len = [&](size_t& k) -> long {
    int l = byte(k++);
    if (l < 0) return -1;
    if (l < 0x80) return l;
    int n = l & 0x7f;
    long v = 0;
    for (int j = 0; j < n; ++j) {
      int b = byte(k++);
      if (b < 0) return -1;
      v = (v << 8) | b;
    }
    return v;
  };
  if (byte(i++) != 0x30) return 0;
  if (skip_len(i) < 0) return 0;
  if (byte(i++) != 0x02) return 0;
  long l = skip_len(i);
  if (l < 0) return 0;
  i += static_cast<size_t>(l);
  int t = byte(i);
  return t < 0 ? 0 : t;
}

}  // namespace

void register_crypto(FuncMap& m) {
  m["md5"] = hash_function(nettle_md5);
  m["sha1"] = hash_function(nettle_sha1);
  m["sha256"] = hash_function(nettle_sha256);
  m["sha512"] = hash_function(nettle_sha512);

  m["bcrypt"] = make_function(
      {param("str", Type::string())}, param("cost", Type::number()), static_type(Type::string()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        int64_t cost = 10;
        if (a.size() > 1) {
          std::string e;
          auto c = to_int(a[1], &e);
          if (!c) return fail(err, e);
          cost = *c;
        }
        if (a.size() > 2) return fail(err, "bcrypt() takes no more than two arguments");
        const std::string& input = a[0].as_string();
        if (input.size() > 72) {
          return fail(err,
                      "error occured generating password bcrypt: password length exceeds 72 "
                      "bytes");
        }
        if (cost < 4) cost = 10;
        if (cost > 31) {
          return fail(err, fmt::format("error occured generating password crypto/bcrypt: cost {} "
                                       "is outside allowed range (4,31)",
                                       cost));
        }
        char setting[CRYPT_GENSALT_OUTPUT_SIZE];
        if (!crypt_gensalt_rn("$2a$", static_cast<unsigned long>(cost), nullptr, 0, setting,
                              sizeof setting)) {
          return fail(err,
                      "error occured generating password " + std::string(std::strerror(errno)));
        }
        auto data = std::make_unique<crypt_data>();
        std::memset(data.get(), 0, sizeof(crypt_data));
        const char* h = crypt_r(input.c_str(), setting, data.get());
        if (!h || h[0] == '*') return fail(err, "error occured generating password");
        return Value::string(h);
      });

  m["rsadecrypt"] = make_function(
      {param("ciphertext", Type::string()), param("privatekey", Type::string())}, std::nullopt,
      static_type(Type::string()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        const std::string& s = a[0].as_string();
        auto ct = go_base64_decode(s);
        if (!ct) {
          return fail(err, "failed to decode input " + go_quote(s) +
                               ": cipher text must be base64-encoded");
        }
        auto blk = pem_decode(a[1].as_string());
        if (!blk) return fail(err, "failed to parse key: no key found");
        auto proc = blk->headers.find("Proc-Type");
        if (proc != blk->headers.end() && proc->second == "4,ENCRYPTED") {
          return fail(err,
                      "failed to parse key: password protected keys are not supported. Please "
                      "decrypt the key prior to use");
        }
        int tag = second_element_tag(blk->der);
        bool key_ok = false;
        auto out = tag == 0x02 ? rsa_pkcs1v15_decrypt(blk->der, *ct, &key_ok) : std::nullopt;
        if (!key_ok) {
          if (tag == 0x30) {
            return fail(err,
                        "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for "
                        "this key format)");
          }
          if (tag == 0x04) {
            return fail(err,
                        "x509: failed to parse private key (use ParseECPrivateKey instead for "
                        "this key format)");
          }
          return fail(err, "x509: failed to parse private key");
        }
        if (!out) return fail(err, "crypto/rsa: decryption error");
        return Value::string(std::move(*out));
      });

  m["uuidv4"] =
      make_function({}, std::nullopt, static_type(Type::string()),
                    [](const Args&, const Type&, FunctionError* err) -> std::optional<Value> {
                      unsigned char b[16];
                      if (getrandom(b, sizeof b, 0) != static_cast<ssize_t>(sizeof b))
                        return fail(err, "failed to read random bytes");
                      b[6] = (b[6] & 0x0f) | 0x40;
                      b[8] = (b[8] & 0x3f) | 0x80;
                      return Value::string(format_uuid(b));
                    });
  m["uuidv5"] = make_function(
      {param("namespace", Type::string()), param("name", Type::string())}, std::nullopt,
      static_type(Type::string()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        const std::string& ns = a[0].as_string();
        std::string nsstr;
        if (ns == "dns")
          nsstr = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        else if (ns == "url")
          nsstr = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
        else if (ns == "oid")
          nsstr = "6ba7b812-9dad-11d1-80b4-00c04fd430c8";
        else if (ns == "x500")
          nsstr = "6ba7b814-9dad-11d1-80b4-00c04fd430c8";
        else
          nsstr = ns;
        std::string e;
        auto u = parse_uuid(nsstr, &e);
        if (!u) return fail(err, "uuidv5() doesn't support namespace " + ns + " (" + e + ")");
        std::string data(reinterpret_cast<const char*>(u->data()), 16);
        data += a[1].as_string();
        std::string d = digest_bytes(nettle_sha1, data);
        auto* h = reinterpret_cast<unsigned char*>(d.data());
        h[6] = (h[6] & 0x0f) | 0x50;
        h[8] = (h[8] & 0x3f) | 0x80;
        return Value::string(format_uuid(h));
      });
}

}  // namespace kiln::funcs
