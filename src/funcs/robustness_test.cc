// Every function with awkward arguments (nulls, unknowns, marks, wrong
// types, empty and large values): results or errors, never a crash or an
// exception. Run under the sanitizers (KILN_SANITIZE) this also checks
// memory safety.
#include <gtest/gtest.h>

#include "funcs/registry.h"

namespace kiln::funcs {
namespace {

using hcl::Type;
using hcl::Value;

std::vector<Value> samples() {
  return {
      Value::null(Type::string()),
      Value::unknown(Type::string()),
      Value::dynamic_unknown(),
      Value::string(""),
      Value::string("a,b\n1,2"),
      Value::string("10.0.0.0/8"),
      Value::number(int64_t{0}),
      Value::number(int64_t{-1}),
      Value::number(*hcl::Number::parse("1.5")),
      Value::number(*hcl::Number::parse("1e30")),
      Value::boolean(true),
      Value::empty_tuple(),
      Value::list({Value::string("a"), Value::unknown(Type::string())}),
      Value::tuple({Value::number(int64_t{1}), Value::string("x")}),
      Value::empty_object(),
      Value::object({{"a", Value::number(int64_t{1})}}),
      Value::map({{"k", Value::string("v")}}),
      Value::set({Value::string("s")}),
      Value::string("secret").with_marks(hcl::kMarkSensitive),
  };
}

TEST(Robustness, NoCrashOnAwkwardArguments) {
  FuncsOptions o;
  o.path_root = "/nonexistent-kiln-root";
  o.home = "/nonexistent-home";
  auto fns = packer_functions(o);
  auto vals = samples();
  size_t calls = 0, successes = 0;
  for (const auto& [name, fn] : fns) {
    if (name == "bcrypt") continue;  // slow by design
    std::vector<std::vector<Value>> arglists = {{}};
    for (const auto& a : vals) arglists.push_back({a});
    for (const auto& a : vals) {
      for (const auto& b : vals) arglists.push_back({a, b});
    }
    for (const auto& a : vals) arglists.push_back({vals[4], a, vals[6]});
    for (auto& args : arglists) {
      hcl::FunctionError err;
      try {
        auto r = hcl::call_function(fn, args, &err);
        if (r) {
          ++successes;
        } else {
          EXPECT_FALSE(err.message.empty()) << name;
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << name << " threw " << e.what();
      }
      ++calls;
    }
  }
  EXPECT_GT(calls, 1000u);
  EXPECT_GT(successes, 1000u);
}

}  // namespace
}  // namespace kiln::funcs
