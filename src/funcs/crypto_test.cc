// Hash, crypto and UUID functions against Packer 1.6.6
// (testdata/oracle/crypto.txt), plus bcrypt/rsadecrypt/uuid properties.
#include <crypt.h>
#include <unistd.h>

#include <cstring>
#include <regex>

#include "funcs/funcs_test_util.h"

namespace kiln::funcs::testing {
namespace {

const Case kOracle[] = {
#include "funcs/testdata/oracle/crypto.inc"
};

TEST(Crypto, MatchesPacker166) {
  run_cases(kOracle, std::size(kOracle));
}

std::string unquote(const std::string& json) {
  EXPECT_GE(json.size(), 2u) << json;
  return json.size() >= 2 ? json.substr(1, json.size() - 2) : json;
}

TEST(Crypto, BcryptVerifies) {
  for (const char* expr : {"bcrypt(\"test\")", "bcrypt(\"test\", 4)", "bcrypt(\"test\", 2)"}) {
    std::string h = unquote(eval_outcome(expr, test_context()));
    // Go's bcrypt writes "$2a$" and the cost; costs below 4 become 10.
    std::string cost = std::string(expr).find(", 4") != std::string::npos ? "04" : "10";
    EXPECT_EQ(h.substr(0, 7), "$2a$" + cost + "$") << h;
    EXPECT_EQ(h.size(), 60u);
    crypt_data d;
    std::memset(&d, 0, sizeof d);
    EXPECT_EQ(std::string(crypt_r("test", h.c_str(), &d)), h);
    std::memset(&d, 0, sizeof d);
    EXPECT_NE(std::string(crypt_r("tesT", h.c_str(), &d)), h);
  }
  // A random salt each call.
  EXPECT_NE(eval_outcome("bcrypt(\"x\", 4)", test_context()),
            eval_outcome("bcrypt(\"x\", 4)", test_context()));
  EXPECT_EQ(eval_outcome("bcrypt(\"" + std::string(73, 'a') + "\")", test_context()),
            "ERR: Call to function \"bcrypt\" failed: error occured generating password bcrypt: "
            "password length exceeds 72 bytes.");
}

TEST(Crypto, Uuidv4) {
  std::string a = unquote(eval_outcome("uuidv4()", test_context()));
  std::string b = unquote(eval_outcome("uuidv4()", test_context()));
  std::regex re("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(a, re)) << a;
  EXPECT_NE(a, b);
}

// The key pair and ciphertext in testdata/crypto were made with openssl
// (genrsa -traditional; pkeyutl -encrypt with PKCS#1 v1.5 padding); the
// outcomes were checked with Packer 1.6.6.
TEST(Crypto, RsaDecrypt) {
  char buf[4096];
  ASSERT_NE(getcwd(buf, sizeof buf), nullptr);
  std::string dir = std::string(KILN_FUNCS_TESTDATA) + "/crypto";
  ASSERT_EQ(chdir(dir.c_str()), 0);
  hcl::EvalContext ctx;
  FuncsOptions o;
  o.path_root = ".";
  ctx.functions = packer_functions(o);
  const Case cases[] = {
      {"rsadecrypt(file(\"ciphertext.b64\"), file(\"key.pem\"))", "\"message\""},
      {"rsadecrypt(file(\"ciphertext.b64\"), file(\"wrong.pem\"))",
       "ERR: Call to function \"rsadecrypt\" failed: crypto/rsa: decryption error."},
      {"rsadecrypt(file(\"ciphertext.b64\"), file(\"pkcs8.pem\"))",
       "ERR: Call to function \"rsadecrypt\" failed: x509: failed to parse private key (use "
       "ParsePKCS8PrivateKey instead for this key format)."},
      {"rsadecrypt(\"AAAA\", file(\"key.pem\"))",
       "ERR: Call to function \"rsadecrypt\" failed: crypto/rsa: decryption error."},
  };
  run_cases(cases, std::size(cases), ctx);
  ASSERT_EQ(chdir(buf), 0);
}

}  // namespace
}  // namespace kiln::funcs::testing
