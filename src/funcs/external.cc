// Packer's secret-store look-ups (aws_secretsmanager, aws_secretsmanager_raw,
// vault, consul_key): kiln keeps their signatures so templates that name
// them get a clear error rather than "Call to unknown function".
#include "funcs/common.h"

namespace kiln::funcs {

namespace {

Function unsupported(const std::string& name, std::vector<FunctionParam> params) {
  return make_function(
      std::move(params), std::nullopt, static_type(Type::string()),
      [name](const Args&, const Type&, FunctionError* err) -> std::optional<Value> {
        return fail(err, name +
                             " is not supported by kiln: kiln does not read secrets from external "
                             "stores; pass the value in a variable instead");
      });
}

}  // namespace

void register_external(FuncMap& m) {
  m["aws_secretsmanager"] = unsupported(
      "aws_secretsmanager", {param("name", Type::string()), param("key", Type::string())});
  m["aws_secretsmanager_raw"] =
      unsupported("aws_secretsmanager_raw", {param("name", Type::string())});
  m["vault"] = unsupported("vault", {param("path", Type::string()), param("key", Type::string())});
  m["consul_key"] = unsupported("consul_key", {param("key", Type::string())});
}

}  // namespace kiln::funcs
