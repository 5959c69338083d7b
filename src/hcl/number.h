// Arbitrary-precision numbers with go-cty's semantics: a binary float of 512
// bits of mantissa, rounded to nearest even (big.Float as cty uses it), so
// that 0.1 + 0.2 prints as 0.3 and large integers stay exact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiln::hcl {

class Number {
 public:
  static constexpr int kPrecision = 512;

  Number();  // zero
  explicit Number(int64_t v);
  static Number from_double(double v);
  // Parses a decimal literal as HCL's scanner accepts it (digits, optional
  // fraction, optional exponent) and also what cty.ParseNumberVal accepts
  // (leading sign). Returns nullopt when s is not a number.
  static std::optional<Number> parse(std::string_view s);
  static Number infinity(bool negative);

  Number(const Number& o);
  Number(Number&& o) noexcept;
  Number& operator=(const Number& o);
  Number& operator=(Number&& o) noexcept;
  ~Number();

  Number operator+(const Number& o) const;
  Number operator-(const Number& o) const;
  Number operator*(const Number& o) const;
  // Division by zero gives an infinity (as big.Float.Quo); callers report
  // the error where cty does.
  Number operator/(const Number& o) const;
  // cty's Modulo: the result has the sign of the dividend; x % 0 is an error
  // the caller reports.
  Number mod(const Number& o) const;
  Number operator-() const;

  int compare(const Number& o) const;  // -1, 0, 1
  bool operator==(const Number& o) const { return compare(o) == 0; }
  bool operator<(const Number& o) const { return compare(o) < 0; }

  bool is_zero() const;
  bool is_integer() const;
  bool is_inf() const;
  bool is_negative() const;
  std::optional<int64_t> to_int64() const;  // only when integral and in range
  double to_double() const;
  Number floor() const;
  Number ceil() const;

  // big.Float.Text('f', -1): the shortest decimal that reads back as this
  // number at 512 bits, without exponent. This is how cty prints numbers in
  // JSON and as strings ("1/3" has 155 digits).
  std::string str() const;
  // The big.Float precision in bits (64 for Number(int64), 53 for doubles,
  // 512 for parsed numbers; arithmetic keeps the larger one).
  uint32_t precision() const { return prec_; }
  bool is_nan() const;  // only after 0/0 or inf-inf, which cty rejects

 private:
  struct Impl;
  friend struct NumberAccess;
  // Small integers (exact, never -0) live in small_ without MPFR; everything
  // else in an owned mpfr number (big_, an __mpfr_struct*). prec_ is the
  // big.Float precision the value carries (64 for ints, 512 for parsed).
  int64_t small_ = 0;
  uint32_t prec_ = 64;
  void* big_ = nullptr;
};

}  // namespace kiln::hcl
