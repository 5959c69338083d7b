// Encoding functions against Packer 1.6.6 (testdata/oracle/encoding.txt)
// and Packer 1.16's source where it differs or is newer.
#include <zlib.h>

#include <cstring>

#include "funcs/funcs_test_util.h"

namespace kiln::funcs::testing {
namespace {

const Case kOracle[] = {
#include "funcs/testdata/oracle/encoding.inc"
};

TEST(Encoding, MatchesPacker166) {
  run_cases(kOracle, std::size(kOracle));
}

const Case kPacker116[] = {
    // go-cty 1.13: jsonencode accepts null; CSV errors are wrapped.
    {"jsonencode(null)", "\"null\""},
    {"csvdecode(\"a,b\\n1,2,3\")",
     "ERR: Call to function \"csvdecode\" failed: CSV parse error on line 2: wrong number of "
     "fields."},
    {"csvdecode(\"a,b\\n1,2\\n3\")",
     "ERR: Call to function \"csvdecode\" failed: CSV parse error on line 3: wrong number of "
     "fields."},
    {"csvdecode(\"a,b\\n1,x\\\"y\")",
     "ERR: Call to function \"csvdecode\" failed: CSV parse error on line 2: bare \" in "
     "non-quoted-field."},
    {"csvdecode(\"a,b\\n1,\\\"x\\\"y\")",
     "ERR: Call to function \"csvdecode\" failed: CSV parse error on line 2: extraneous or "
     "missing \" in quoted-field."},
    {"csvdecode(\"a,b\\n1,\\\"x\\n\\\"y\\\"\")",
     "ERR: Call to function \"csvdecode\" failed: CSV parse error on line 3: extraneous or "
     "missing \" in quoted-field."},
    // textencodebase64 / textdecodebase64 (1.11).
    {"textencodebase64(\"Hello World\", \"UTF-16LE\")", "\"SABlAGwAbABvACAAVwBvAHIAbABkAA==\""},
    {"textencodebase64(\"ab\", \"UTF-16\")", "\"/v8AYQBi\""},
    {"textencodebase64(\"é\", \"latin1\")", "\"6Q==\""},
    {"textencodebase64(\"€\", \"ISO-8859-1\")",
     "ERR: Invalid value for \"string\" parameter: the given string contains characters that "
     "cannot be represented in ISO_8859-1:1987."},
    {"textencodebase64(\"a\", \"nope\")",
     "ERR: Invalid value for \"encoding\" parameter: \"nope\" is not a supported IANA encoding "
     "name or alias."},
    {"textdecodebase64(\"SABlAGwAbABvACAAVwBvAHIAbABkAA==\", \"UTF-16LE\")", "\"Hello World\""},
    {"textdecodebase64(\"6Q==\", \"windows-1252\")", "\"é\""},
    {"textdecodebase64(\"6Q=\", \"windows-1252\")",
     "ERR: Invalid value for \"source\" parameter: the given value is has an invalid base64 "
     "symbol at offset 3."},
    {"textdecodebase64(\"6Q==\", \"nope\")",
     "ERR: Invalid value for \"encoding\" parameter: \"nope\" is not a supported IANA encoding "
     "name or alias."},
    {"textencodebase64(\"ü\", \"CP850\")", "\"gQ==\""},
    {"textdecodebase64(\"gQ==\", \"ibm850\")", "\"ü\""},
    {"textdecodebase64(\"gA==\", \"US-ASCII\")",
     "ERR: Invalid value for \"source\" parameter: the given string contains symbols that are "
     "not defined for US-ASCII."},
    {"textencodebase64(\"日本\", \"euc-jp\")", "\"xvzL3A==\""},
    {"textencodebase64(\"a\", \"cp1252\")",
     "ERR: Invalid value for \"encoding\" parameter: \"cp1252\" is not a supported IANA "
     "encoding name or alias."},
};

TEST(Encoding, Packer116) {
  run_cases(kPacker116, std::size(kPacker116));
}

TEST(Encoding, Base64GzipIsGzip) {
  std::string got = eval_outcome("base64gzip(\"test test test\")", test_context());
  ASSERT_GE(got.size(), 2u);
  // The header as Go's gzip.Writer writes it: deflate, no flags, zero
  // mtime, unknown OS (1f 8b 08 00 00 00 00 00 00 ff).
  EXPECT_EQ(got.substr(0, 14), "\"H4sIAAAAAAAA/") << got;
  // Decode the base64 and inflate: the original text comes back.
  std::string b64 = got.substr(1, got.size() - 2), raw;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : b64) {
    const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char* p = std::strchr(tbl, c);
    if (c == '=' || !p) break;
    acc = (acc << 6) | static_cast<uint32_t>(p - tbl);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      raw += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  z_stream zs{};
  ASSERT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  char out[256];
  zs.next_in = reinterpret_cast<Bytef*>(raw.data());
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = reinterpret_cast<Bytef*>(out);
  zs.avail_out = sizeof out;
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  EXPECT_EQ(std::string(out, zs.total_out), "test test test");
  inflateEnd(&zs);
}

}  // namespace
}  // namespace kiln::funcs::testing
