// cty's Function.Call protocol.
#include "hcl/function.h"

#include <gtest/gtest.h>

namespace kiln::hcl {
namespace {

// Records what the implementation saw.
struct Probe {
  int type_calls = 0;
  int impl_calls = 0;
  std::vector<Value> last_args;
};

Function probe_fn(Probe* p, FunctionParam a, std::optional<FunctionParam> var = std::nullopt) {
  Function f;
  f.params = {std::move(a)};
  f.var_param = std::move(var);
  f.type = [p](const std::vector<Value>&, FunctionError*) -> std::optional<Type> {
    ++p->type_calls;
    return Type::string();
  };
  f.impl = [p](const std::vector<Value>& args, const Type&,
               FunctionError*) -> std::optional<Value> {
    ++p->impl_calls;
    p->last_args = args;
    return Value::string("ok");
  };
  return f;
}

TEST(CallFunction, Arity) {
  Probe p;
  auto f = probe_fn(&p, FunctionParam{"a", Type::string()});
  FunctionError err;
  EXPECT_FALSE(call_function(f, {}, &err));
  EXPECT_EQ(err.message, "wrong number of arguments (1 required; 0 given)");
  EXPECT_EQ(err.arg_index, -1);
  EXPECT_FALSE(call_function(f, {Value::string("a"), Value::string("b")}, &err));
  EXPECT_EQ(err.message, "wrong number of arguments (1 required; 2 given)");
  auto v = probe_fn(&p, FunctionParam{"a", Type::string()}, FunctionParam{"r", Type::number()});
  EXPECT_FALSE(call_function(v, {}, &err));
  EXPECT_EQ(err.message, "wrong number of arguments (at least 1 required; 0 given)");
  EXPECT_EQ(p.impl_calls, 0);
}

TEST(CallFunction, ConvertsArguments) {
  Probe p;
  auto f = probe_fn(&p, FunctionParam{"a", Type::string()}, FunctionParam{"r", Type::number()});
  FunctionError err;
  auto r = call_function(f, {Value::number(5), Value::string("7")}, &err);
  ASSERT_TRUE(r);
  EXPECT_TRUE(p.last_args[0].raw_equals(Value::string("5")));
  EXPECT_TRUE(p.last_args[1].raw_equals(Value::number(7)));
  EXPECT_FALSE(call_function(f, {Value::string("a"), Value::string("x")}, &err));
  EXPECT_EQ(err.arg_index, 1);
  EXPECT_EQ(err.message, "a number is required");
}

TEST(CallFunction, NullsRejectedUnlessAllowed) {
  Probe p;
  auto f = probe_fn(&p, FunctionParam{"a", Type::string()});
  FunctionError err;
  EXPECT_FALSE(call_function(f, {Value::null(Type::string())}, &err));
  EXPECT_EQ(err.message, "argument must not be null");
  EXPECT_EQ(err.arg_index, 0);
  FunctionParam nullable{"a", Type::string()};
  nullable.allow_null = true;
  auto g = probe_fn(&p, nullable);
  EXPECT_TRUE(call_function(g, {Value::null(Type::string())}, &err));
  EXPECT_EQ(p.impl_calls, 1);
}

TEST(CallFunction, UnknownsShortCircuit) {
  Probe p;
  auto f = probe_fn(&p, FunctionParam{"a", Type::string()});
  FunctionError err;
  auto r = call_function(f, {Value::unknown(Type::string())}, &err);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->raw_equals(Value::unknown(Type::string())));
  EXPECT_EQ(p.type_calls, 1);
  EXPECT_EQ(p.impl_calls, 0);
  // A dynamic-typed argument to a parameter that does not allow it gives
  // an unknown of dynamic type without asking the type callback.
  r = call_function_converted(f, {Value::dynamic_unknown()}, &err);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->raw_equals(Value::dynamic_unknown()));
  EXPECT_EQ(p.type_calls, 1);
  FunctionParam any{"a", Type::string()};
  any.allow_unknown = true;
  auto g = probe_fn(&p, any);
  r = call_function(g, {Value::unknown(Type::string())}, &err);
  ASSERT_TRUE(r);
  EXPECT_EQ(p.impl_calls, 1);
}

TEST(CallFunction, MarksStrippedAndReapplied) {
  Probe p;
  auto f = probe_fn(&p, FunctionParam{"a", Type::dynamic()});
  FunctionError err;
  Value marked = Value::tuple({Value::string("s").with_marks(kMarkSensitive)});
  auto r = call_function(f, {marked}, &err);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->is_sensitive());
  EXPECT_FALSE(p.last_args[0].contains_marks());
  FunctionParam keep{"a", Type::dynamic()};
  keep.allow_marked = true;
  auto g = probe_fn(&p, keep);
  r = call_function(g, {marked}, &err);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->is_sensitive());
  EXPECT_TRUE(p.last_args[0].contains_marks());
}

TEST(CallFunction, ErrorsFromCallbacks) {
  Function f;
  f.params = {FunctionParam{"a", Type::number()}};
  f.type = [](const std::vector<Value>& a, FunctionError* err) -> std::optional<Type> {
    if (a[0].as_number().is_zero()) {
      err->message = "zero";
      err->arg_index = 0;
      return std::nullopt;
    }
    return Type::number();
  };
  f.impl = [](const std::vector<Value>&, const Type&, FunctionError* err) -> std::optional<Value> {
    err->message = "failed";
    return std::nullopt;
  };
  FunctionError err;
  EXPECT_FALSE(call_function(f, {Value::number(0)}, &err));
  EXPECT_EQ(err.message, "zero");
  EXPECT_EQ(err.arg_index, 0);
  err = FunctionError{};
  EXPECT_FALSE(call_function(f, {Value::number(1)}, &err));
  EXPECT_EQ(err.message, "failed");
  EXPECT_EQ(err.arg_index, -1);
}

}  // namespace
}  // namespace kiln::hcl
