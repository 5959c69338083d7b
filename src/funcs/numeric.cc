// Numeric functions: abs, ceil, floor, log, max, min, parseint, pow,
// signum (go-cty stdlib) and sum (Packer).
#include <gmp.h>

#include <cmath>
#include <cstring>

#include "funcs/common.h"

namespace kiln::funcs {

namespace {

std::optional<Value> number_or_error(double d, FunctionError* err) {
  if (std::isnan(d)) return fail(err, "the result is not a number (NaN)");
  return Value::number(Number::from_double(d));
}

// big.Int.SetString(s, base) for 2 <= base <= 62: an optional sign, then
// digits; for bases up to 36 letters of either case are 10..35, above that
// lower case is 10..35 and upper case 36..61. No underscores, no prefix.
std::optional<std::string> parse_big_int(const std::string& s, int base) {
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    neg = s[i] == '-';
    ++i;
  }
  if (i == s.size()) return std::nullopt;
  mpz_t acc;
  mpz_init(acc);
  for (; i < s.size(); ++i) {
    char c = s[i];
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'z') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'Z') {
      d = c - 'A' + (base <= 36 ? 10 : 36);
    } else {
      d = 99;
    }
    if (d >= base) {
      mpz_clear(acc);
      return std::nullopt;
    }
    mpz_mul_ui(acc, acc, static_cast<unsigned long>(base));
    mpz_add_ui(acc, acc, static_cast<unsigned long>(d));
  }
  if (neg) mpz_neg(acc, acc);
  char* str = mpz_get_str(nullptr, 10, acc);
  std::string out(str);
  void (*freefn)(void*, size_t);
  mp_get_memory_functions(nullptr, nullptr, &freefn);
  freefn(str, std::strlen(str) + 1);
  mpz_clear(acc);
  return out;
}

}  // namespace

void register_numeric(FuncMap& m) {
  m["abs"] = make_function(
      {param("num", Type::number(), kDynamic | kMarked)}, std::nullopt, static_type(Type::number()),
      [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
        const Value& v = a[0];
        Value un = v.unmarked();
        Value r = un.as_number().is_negative() ? Value::number(-un.as_number()) : un;
        return r.with_marks(v.marks());
      });

  m["ceil"] =
      make_function({param("num", Type::number())}, std::nullopt, static_type(Type::number()),
                    [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
                      const Number& n = a[0].as_number();
                      if (n.is_inf()) return a[0];
                      return Value::number(n.ceil());
                    });
  m["floor"] =
      make_function({param("num", Type::number())}, std::nullopt, static_type(Type::number()),
                    [](const Args& a, const Type&, FunctionError*) -> std::optional<Value> {
                      const Number& n = a[0].as_number();
                      if (n.is_inf()) return a[0];
                      return Value::number(n.floor());
                    });

  m["log"] = make_function(
      {param("num", Type::number()), param("base", Type::number())}, std::nullopt,
      static_type(Type::number()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        return number_or_error(std::log(to_float(a[0])) / std::log(to_float(a[1])), err);
      });
  m["pow"] =
      make_function({param("num", Type::number()), param("power", Type::number())}, std::nullopt,
                    static_type(Type::number()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      return number_or_error(std::pow(to_float(a[0]), to_float(a[1])), err);
                    });

  m["signum"] =
      make_function({param("num", Type::number())}, std::nullopt, static_type(Type::number()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      std::string e;
                      auto n = to_int(a[0], &e);
                      if (!n) return fail(err, e);
                      return Value::number(int64_t{*n < 0 ? -1 : (*n > 0 ? 1 : 0)});
                    });

  auto minmax = [](bool is_min) {
    return make_function(
        {}, param("numbers", Type::number(), kDynamic), static_type(Type::number()),
        [is_min](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
          if (a.empty()) return fail(err, "must pass at least one number");
          const Value* best = nullptr;
          for (const auto& v : a) {
            if (!best) {
              // cty starts from an infinity and replaces only on a strict
              // comparison, so an infinity argument equal to it keeps the
              // start value (which prints the same).
              best = &v;
              continue;
            }
            int c = v.as_number().compare(best->as_number());
            if (is_min ? c < 0 : c > 0) best = &v;
          }
          return *best;
        });
  };
  m["min"] = minmax(true);
  m["max"] = minmax(false);

  m["parseint"] = make_function(
      {param("number", Type::dynamic()), param("base", Type::number())}, std::nullopt,
      [](const Args& a, FunctionError* err) -> std::optional<Type> {
        if (a[0].type() != Type::string()) {
          return fail(err, "first argument must be a string, not " + a[0].type().friendly_name(),
                      0);
        }
        return Type::number();
      },
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        std::string e;
        auto base = to_int(a[1], &e);
        if (!base) return fail(err, e, 1);
        if (*base < 2 || *base > 62) {
          return fail(err, "base must be a whole number between 2 and 62 inclusive", 1);
        }
        const std::string& s = a[0].as_string();
        auto digits = parse_big_int(s, static_cast<int>(*base));
        if (!digits) {
          return fail(
              err,
              "cannot parse " + go_quote(s) + " as a base " + std::to_string(*base) + " integer",
              0);
        }
        return Value::number(*Number::parse(*digits));
      });

  m["sum"] = make_function(
      {param("list", Type::dynamic())}, std::nullopt, static_type(Type::number()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        const Value& list = a[0];
        const Type& ty = list.type();
        bool iterable = ty.is_collection() || ty.is_tuple() || ty.is_object();
        if (!iterable) return fail(err, "cannot sum noniterable", 0);
        if (list.length() == 0) return fail(err, "cannot sum an empty list", 0);
        if (!ty.is_list() && !ty.is_set() && !ty.is_tuple()) {
          return fail(err, "argument must be list, set, or tuple. Received " + ty.friendly_name(),
                      0);
        }
        if (!list.is_wholly_known()) return Value::unknown(Type::number());
        std::optional<Number> sum;
        for (const auto& v : list.elements()) {
          std::string ce;
          auto n = v.is_null() ? std::nullopt : hcl::convert(v, Type::number(), &ce);
          if (!n) return fail(err, "argument must be list, set, or tuple of number values", 0);
          if (!sum) {
            sum = n->as_number();
          } else {
            Number r = *sum + n->as_number();
            if (r.is_nan()) return fail(err, "can't compute sum of opposing infinities");
            sum = std::move(r);
          }
        }
        return Value::number(*sum);
      });
}

}  // namespace kiln::funcs
