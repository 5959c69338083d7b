// The function table: exactly Packer 1.16's names (hcl2template/functions.go)
// plus templatefile, env only on request; and the call protocol details
// (unknown and sensitive arguments) as go-cty's Function.Call has them.
#include "funcs/funcs_test_util.h"

namespace kiln::funcs::testing {
namespace {

TEST(Registry, HasExactlyPackersFunctions) {
  const char* names[] = {"abs",
                         "abspath",
                         "alltrue",
                         "anytrue",
                         "aws_secretsmanager",
                         "aws_secretsmanager_raw",
                         "base64decode",
                         "base64encode",
                         "base64gzip",
                         "basename",
                         "bcrypt",
                         "can",
                         "ceil",
                         "chomp",
                         "chunklist",
                         "cidrhost",
                         "cidrnetmask",
                         "cidrsubnet",
                         "cidrsubnets",
                         "coalesce",
                         "coalescelist",
                         "compact",
                         "concat",
                         "consul_key",
                         "contains",
                         "convert",
                         "csvdecode",
                         "dirname",
                         "distinct",
                         "element",
                         "endswith",
                         "file",
                         "filebase64",
                         "fileexists",
                         "fileset",
                         "flatten",
                         "floor",
                         "format",
                         "formatdate",
                         "formatlist",
                         "indent",
                         "index",
                         "join",
                         "jsondecode",
                         "jsonencode",
                         "keys",
                         "legacy_isotime",
                         "legacy_strftime",
                         "length",
                         "log",
                         "lookup",
                         "lower",
                         "max",
                         "md5",
                         "merge",
                         "min",
                         "parseint",
                         "pathexpand",
                         "pow",
                         "range",
                         "regex",
                         "regex_replace",
                         "regexall",
                         "replace",
                         "reverse",
                         "rfc3339_parse",
                         "rsadecrypt",
                         "setintersection",
                         "setproduct",
                         "setunion",
                         "sha1",
                         "sha256",
                         "sha512",
                         "signum",
                         "slice",
                         "sort",
                         "split",
                         "startswith",
                         "strcontains",
                         "strrev",
                         "substr",
                         "sum",
                         "templatefile",
                         "textdecodebase64",
                         "textencodebase64",
                         "timeadd",
                         "timestamp",
                         "title",
                         "trim",
                         "trimprefix",
                         "trimspace",
                         "trimsuffix",
                         "try",
                         "unix_timestamp_parse",
                         "upper",
                         "urlencode",
                         "uuidv4",
                         "uuidv5",
                         "values",
                         "vault",
                         "yamldecode",
                         "yamlencode",
                         "zipmap"};
  auto fns = packer_functions(FuncsOptions{});
  std::set<std::string> want(std::begin(names), std::end(names));
  std::set<std::string> got;
  for (const auto& [name, _] : fns) got.insert(name);
  EXPECT_EQ(got, want);
  EXPECT_EQ(fns.count("env"), 0u);
  FuncsOptions with_env;
  with_env.allow_env = true;
  EXPECT_EQ(packer_functions(with_env).count("env"), 1u);
  EXPECT_EQ(env_functions().size(), 1u);
}

TEST(Registry, Env) {
  setenv("KILN_FUNCS_TEST_VAR", "hello", 1);
  unsetenv("KILN_FUNCS_TEST_UNSET");
  hcl::EvalContext ctx;
  ctx.functions = env_functions();
  EXPECT_EQ(eval_outcome("env(\"KILN_FUNCS_TEST_VAR\")", ctx), "\"hello\"");
  EXPECT_EQ(eval_outcome("env(\"KILN_FUNCS_TEST_UNSET\")", ctx), "\"\"");
}

TEST(Registry, SecretStoresAreRefused) {
  EXPECT_EQ(eval_outcome("vault(\"secret/x\", \"k\")", test_context()),
            "ERR: Call to function \"vault\" failed: vault is not supported by kiln: kiln does not "
            "read secrets from external stores; pass the value in a variable instead.");
  EXPECT_EQ(eval_outcome("consul_key(\"k\")", test_context()).substr(0, 50),
            "ERR: Call to function \"consul_key\" failed: consul_");
}

hcl::Value call(const std::string& name, std::vector<hcl::Value> args, std::string* err) {
  auto fns = packer_functions(FuncsOptions{});
  hcl::FunctionError ferr;
  auto v = hcl::call_function(fns.at(name), std::move(args), &ferr);
  if (!v) {
    *err = ferr.message;
    return hcl::Value();
  }
  return *v;
}

TEST(Registry, UnknownArgumentsGiveUnknownResults) {
  std::string err;
  hcl::Value u = hcl::Value::unknown(hcl::Type::string());
  hcl::Value r = call("upper", {u}, &err);
  EXPECT_FALSE(r.is_known());
  EXPECT_EQ(r.type(), hcl::Type::string());
  // length() inspects its argument: a known list of unknowns has a length.
  r = call("length", {hcl::Value::list({u, u})}, &err);
  ASSERT_TRUE(r.is_known());
  EXPECT_EQ(r.as_number().to_int64(), 2);
  // format() with an unknown argument is unknown, not an error.
  r = call("format", {hcl::Value::string("%s"), u}, &err);
  EXPECT_FALSE(r.is_known());
  // jsonencode of something not wholly known.
  r = call("jsonencode", {hcl::Value::tuple({u})}, &err);
  EXPECT_FALSE(r.is_known());
}

TEST(Registry, SensitiveMarksPropagate) {
  std::string err;
  hcl::Value secret = hcl::Value::string("s3cr3t").with_marks(hcl::kMarkSensitive);
  hcl::Value r = call("upper", {secret}, &err);
  EXPECT_TRUE(r.is_sensitive());
  EXPECT_EQ(r.unmarked().as_string(), "S3CR3T");
  r = call("sha256", {secret}, &err);
  EXPECT_TRUE(r.is_sensitive());
  // Collections keep marks on the elements they pass through.
  hcl::Value list = hcl::Value::list({secret, hcl::Value::string("plain")});
  r = call("element", {list, hcl::Value::number(int64_t{0})}, &err);
  EXPECT_TRUE(r.is_sensitive());
  r = call("length", {list.with_marks(hcl::kMarkSensitive)}, &err);
  EXPECT_TRUE(r.is_sensitive());
  r = call("keys", {hcl::Value::object({{"a", secret}}).with_marks(hcl::kMarkSensitive)}, &err);
  EXPECT_TRUE(r.is_sensitive());
}

}  // namespace
}  // namespace kiln::funcs::testing
