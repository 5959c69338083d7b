// Numbers as go-cty keeps them: math/big.Float values with a precision per
// value (64 bits for integers, 512 for parsed literals), rounded to nearest
// even. MPFR gives the same correctly rounded results; small integers take a
// fast path that is exact and never needs MPFR.
#include "hcl/number.h"

#include <gmp.h>
#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace kiln::hcl {

namespace {

constexpr uint32_t kIntPrec = 64;
constexpr uint32_t kParsePrec = 512;

// big.Float's exponent is an int32 (MinExp..MaxExp, with the mantissa in
// [0.5, 1) as in MPFR): beyond it results overflow to infinity. MPFR keeps
// the range per thread, so every thread sets it before its first number.
void ensure_exp_range() {
  thread_local bool done = false;
  if (done) return;
  mpfr_set_emin(std::numeric_limits<int32_t>::min());
  mpfr_set_emax(std::numeric_limits<int32_t>::max());
  done = true;
}

mpfr_ptr as_mpfr(void* p) {
  return static_cast<mpfr_ptr>(p);
}

mpfr_ptr new_mpfr(uint32_t prec) {
  ensure_exp_range();
  auto* m = new __mpfr_struct;
  mpfr_init2(m, prec);
  return m;
}

void free_mpfr(void* p) {
  if (p == nullptr) return;
  mpfr_clear(as_mpfr(p));
  delete as_mpfr(p);
}

// A temporary MPFR view of a Number (copies small integers).
class Tmp {
 public:
  explicit Tmp(const Number& n, int64_t small, void* big, uint32_t prec) {
    (void)n;
    if (big != nullptr) {
      ptr_ = as_mpfr(big);
    } else {
      mpfr_init2(own_, std::max<uint32_t>(prec, kIntPrec));
      mpfr_set_si(own_, small, MPFR_RNDN);
      ptr_ = own_;
      owned_ = true;
    }
  }
  ~Tmp() {
    if (owned_) mpfr_clear(own_);
  }
  Tmp(const Tmp&) = delete;
  Tmp& operator=(const Tmp&) = delete;
  mpfr_srcptr get() const { return ptr_; }

 private:
  mpfr_t own_;
  mpfr_ptr ptr_ = nullptr;
  bool owned_ = false;
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Whether an exact integer result may stay on the fast path: it must print
// as its plain digits, which holds when it fits the precision's mantissa.
bool small_ok(int64_t r, uint32_t prec) {
  if (prec >= 64) return true;
  constexpr int64_t k53 = int64_t{1} << 53;
  return r > -k53 && r < k53;
}

// The decimal digits of m * 2**shift (m > 0), produced on demand: Go's
// decimal type (math/big/decimal.go) holds the full expansion, but the
// shortest-decimal search only looks at the first few digits, so we
// generate them lazily. value = 0.d0 d1 d2 ... * 10**exp, d0 != 0.
class DigitStream {
 public:
  DigitStream(mpz_srcptr m, long shift) {
    mpz_init(frac_);
    mpz_t v;
    mpz_init_set(v, m);
    mpz_abs(v, v);
    if (shift >= 0) {
      mpz_mul_2exp(v, v, static_cast<mp_bitcnt_t>(shift));
      s_ = 0;
    } else {
      s_ = static_cast<mp_bitcnt_t>(-shift);
      mpz_fdiv_r_2exp(frac_, v, s_);
      mpz_fdiv_q_2exp(v, v, s_);
    }
    if (mpz_sgn(v) != 0) {
      digits_.resize(mpz_sizeinbase(v, 10) + 2);
      mpz_get_str(digits_.data(), 10, v);
      digits_.resize(std::char_traits<char>::length(digits_.c_str()));
      exp_ = static_cast<long>(digits_.size());
    } else {
      exp_ = 0;
      // Skip the leading zeros of a pure fraction.
      if (mpz_sgn(frac_) != 0) {
        for (;;) {
          char d = next_frac_digit();
          if (d != '0') {
            digits_.push_back(d);
            break;
          }
          --exp_;
        }
      }
    }
    mpz_clear(v);
  }
  ~DigitStream() { mpz_clear(frac_); }
  DigitStream(const DigitStream&) = delete;
  DigitStream& operator=(const DigitStream&) = delete;

  long exp() const { return exp_; }
  bool empty() const { return digits_.empty(); }

  char at(size_t i) {
    ensure(i + 1);
    return i < digits_.size() ? digits_[i] : '0';
  }
  // Whether every digit after index i is zero.
  bool rest_zero(size_t i) {
    ensure(i + 1);
    if (mpz_sgn(frac_) != 0) return false;
    for (size_t j = i + 1; j < digits_.size(); ++j)
      if (digits_[j] != '0') return false;
    return true;
  }
  // Go's i+1 == len(x.mant) (mantissa without trailing zeros).
  bool len_is(size_t n) { return n > 0 && at(n - 1) != '0' && rest_zero(n - 1); }
  // All significant digits (only for finite expansions, i.e. after the
  // caller saw rest_zero()).
  std::string all() {
    while (mpz_sgn(frac_) != 0) digits_.push_back(next_frac_digit());
    size_t n = digits_.size();
    while (n > 0 && digits_[n - 1] == '0') --n;
    return digits_.substr(0, n);
  }
  std::string prefix(size_t n) {
    ensure(n);
    return digits_.substr(0, std::min(n, digits_.size()));
  }

 private:
  std::string digits_;
  long exp_ = 0;
  mpz_t frac_;
  mp_bitcnt_t s_ = 0;

  char next_frac_digit() {
    mpz_mul_ui(frac_, frac_, 10);
    mpz_t q;
    mpz_init(q);
    mpz_fdiv_q_2exp(q, frac_, s_);
    mpz_fdiv_r_2exp(frac_, frac_, s_);
    char d = static_cast<char>('0' + mpz_get_ui(q));
    mpz_clear(q);
    return d;
  }
  void ensure(size_t n) {
    while (digits_.size() < n && mpz_sgn(frac_) != 0) digits_.push_back(next_frac_digit());
  }
};

// A finished decimal: digits without trailing zeros, value = 0.mant * 10**exp.
struct Decimal {
  std::string mant;
  long exp = 0;
  char at(size_t i) const { return i < mant.size() ? mant[i] : '0'; }
};

// Go's decimal.round/roundUp/roundDown to n digits, given the first n
// digits and the stream for what follows.
void round_up_digits(Decimal& d) {
  size_t n = d.mant.size();
  while (n > 0 && d.mant[n - 1] >= '9') --n;
  if (n == 0) {
    d.mant.assign(1, '1');
    d.exp++;
    return;
  }
  d.mant[n - 1]++;
  d.mant.resize(n);
}

void trim_zeros(Decimal& d) {
  size_t n = d.mant.size();
  while (n > 0 && d.mant[n - 1] == '0') --n;
  d.mant.resize(n);
  if (n == 0) d.exp = 0;
}

enum class RoundMode { Nearest, Down, Up };

Decimal finish_rounding(DigitStream& ds, size_t n, RoundMode mode) {
  Decimal d;
  d.exp = ds.exp();
  // Go: "if n < 0 || n >= len(x.mant) return" (nothing to do).
  if (ds.rest_zero(n - 1)) {
    d.mant = ds.all();
    return d;
  }
  d.mant = ds.prefix(n);
  bool up = false;
  if (mode == RoundMode::Up) {
    up = true;
  } else if (mode == RoundMode::Nearest) {
    char next = ds.at(n);
    if (next == '5' && ds.len_is(n + 1))
      up = n > 0 && ((d.mant[n - 1] - '0') & 1) != 0;
    else
      up = next >= '5';
  }
  if (up)
    round_up_digits(d);
  else
    trim_zeros(d);
  return d;
}

// math/big ftoa.go roundShortest for x = (sign) z * 2**e, z having prec
// significant bits.
Decimal shortest_decimal(mpz_srcptr z, long e, uint32_t prec) {
  mpz_t mant, tmp;
  mpz_init(mant);
  mpz_abs(mant, z);
  long exp = e;
  long s = static_cast<long>(mpz_sizeinbase(mant, 2)) - static_cast<long>(prec + 1);
  if (s < 0)
    mpz_mul_2exp(mant, mant, static_cast<mp_bitcnt_t>(-s));
  else if (s > 0)
    mpz_fdiv_q_2exp(mant, mant, static_cast<mp_bitcnt_t>(s));
  exp += s;
  // The value itself, exactly (Go builds it from x.mant unshifted; the
  // same number).
  DigitStream d(z, e);
  mpz_init(tmp);
  mpz_sub_ui(tmp, mant, 1);
  DigitStream lower(tmp, exp);
  mpz_add_ui(tmp, mant, 1);
  DigitStream upper(tmp, exp);
  bool inclusive = mpz_tstbit(mant, 1) == 0;
  mpz_clear(tmp);
  mpz_clear(mant);

  for (size_t i = 0; i == 0 || !d.rest_zero(i - 1); ++i) {
    char m = d.at(i);
    char l = lower.at(i);
    char u = upper.at(i);
    bool okdown = l != m || (inclusive && lower.len_is(i + 1));
    bool okup = m != u && (inclusive || m + 1 < u || !upper.rest_zero(i));
    if (okdown && okup) return finish_rounding(d, i + 1, RoundMode::Nearest);
    if (okdown) return finish_rounding(d, i + 1, RoundMode::Down);
    if (okup) return finish_rounding(d, i + 1, RoundMode::Up);
  }
  Decimal out;
  out.exp = d.exp();
  out.mant = d.all();
  return out;
}

std::string fmt_f(bool neg, const Decimal& d) {
  std::string buf;
  if (neg) buf.push_back('-');
  if (d.exp > 0) {
    size_t m = std::min(d.mant.size(), static_cast<size_t>(d.exp));
    buf.append(d.mant, 0, m);
    for (; m < static_cast<size_t>(d.exp); ++m) buf.push_back('0');
  } else {
    buf.push_back('0');
  }
  long prec = std::max(static_cast<long>(d.mant.size()) - d.exp, 0L);
  if (prec > 0) {
    buf.push_back('.');
    for (long i = 0; i < prec; ++i) {
      long idx = d.exp + i;
      buf.push_back(idx < 0 ? '0' : d.at(static_cast<size_t>(idx)));
    }
  }
  return buf;
}

// Go's Float.pow5 at the given precision.
void pow5(mpfr_ptr z, uint64_t n) {
  static const uint64_t tab[] = {1ULL,
                                 5ULL,
                                 25ULL,
                                 125ULL,
                                 625ULL,
                                 3125ULL,
                                 15625ULL,
                                 78125ULL,
                                 390625ULL,
                                 1953125ULL,
                                 9765625ULL,
                                 48828125ULL,
                                 244140625ULL,
                                 1220703125ULL,
                                 6103515625ULL,
                                 30517578125ULL,
                                 152587890625ULL,
                                 762939453125ULL,
                                 3814697265625ULL,
                                 19073486328125ULL,
                                 95367431640625ULL,
                                 476837158203125ULL,
                                 2384185791015625ULL,
                                 11920928955078125ULL,
                                 59604644775390625ULL,
                                 298023223876953125ULL,
                                 1490116119384765625ULL,
                                 7450580596923828125ULL};
  constexpr uint64_t m = 27;
  if (n <= m) {
    mpfr_set_uj(z, tab[n], MPFR_RNDN);
    return;
  }
  mpfr_set_uj(z, tab[m], MPFR_RNDN);
  n -= m;
  mpfr_t f;
  mpfr_init2(f, mpfr_get_prec(z) + 64);
  mpfr_set_ui(f, 5, MPFR_RNDN);
  while (n > 0) {
    if (n & 1) mpfr_mul(z, z, f, MPFR_RNDN);
    mpfr_mul(f, f, f, MPFR_RNDN);
    n >>= 1;
  }
  mpfr_clear(f);
}

}  // namespace

struct NumberAccess {
  // Takes ownership of m and stores it in n, normalising exact small
  // integers to the fast path.
  static void adopt(Number& n, mpfr_ptr m) {
    free_mpfr(n.big_);
    n.big_ = nullptr;
    n.prec_ = static_cast<uint32_t>(mpfr_get_prec(m));
    if (n.prec_ >= kIntPrec && mpfr_integer_p(m) && !(mpfr_zero_p(m) && mpfr_signbit(m)) &&
        mpfr_fits_slong_p(m, MPFR_RNDN)) {
      n.small_ = mpfr_get_si(m, MPFR_RNDN);
      mpfr_clear(m);
      delete m;
      return;
    }
    n.big_ = m;
  }
  static Tmp view(const Number& n) { return Tmp(n, n.small_, n.big_, n.prec_); }
  static Number small(int64_t v, uint32_t prec) {
    Number r;
    r.small_ = v;
    r.prec_ = prec;
    return r;
  }
  static bool is_small(const Number& n) { return n.big_ == nullptr; }
  static int64_t small_of(const Number& n) { return n.small_; }
  static uint32_t prec_of(const Number& n) { return n.prec_; }

  template <typename F>
  static Number binop(const Number& a, const Number& b, F f) {
    uint32_t prec = std::max(a.prec_, b.prec_);
    Tmp x(a, a.small_, a.big_, a.prec_);
    Tmp y(b, b.small_, b.big_, b.prec_);
    mpfr_ptr r = new_mpfr(prec);
    f(r, x.get(), y.get());
    Number out;
    adopt(out, r);
    return out;
  }
};

Number::Number() = default;

Number::Number(int64_t v) : small_(v), prec_(kIntPrec) {}

Number Number::from_double(double v) {
  Number n;
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.0e15 &&
      !(v == 0 && std::signbit(v))) {
    n.small_ = static_cast<int64_t>(v);
    n.prec_ = 53;
    return n;
  }
  mpfr_ptr m = new_mpfr(53);
  mpfr_set_d(m, v, MPFR_RNDN);
  n.prec_ = 53;
  n.big_ = m;
  return n;
}

std::optional<Number> Number::parse(std::string_view s) {
  if (s == "Inf" || s == "inf") return infinity(false);
  if (s.size() == 4 && (s[0] == '+' || s[0] == '-') &&
      (s.substr(1) == "Inf" || s.substr(1) == "inf"))
    return infinity(s[0] == '-');
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    neg = s[i] == '-';
    ++i;
  }
  std::string digits;
  long frac = 0;
  bool seen_dot = false;
  bool any_digit = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (is_digit(c)) {
      any_digit = true;
      if (!(digits.empty() && c == '0')) digits.push_back(c);
      if (seen_dot) ++frac;
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  if (!any_digit) return std::nullopt;
  long exp10 = 0, exp2 = 0;
  if (i < s.size()) {
    char c = s[i];
    bool base2;
    if (c == 'e' || c == 'E')
      base2 = false;
    else if (c == 'p' || c == 'P')
      base2 = true;
    else
      return std::nullopt;
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      eneg = s[i] == '-';
      ++i;
    }
    if (i >= s.size()) return std::nullopt;
    long e = 0;
    for (; i < s.size(); ++i) {
      if (!is_digit(s[i])) return std::nullopt;
      if (e < 1000000000L) e = e * 10 + (s[i] - '0');
    }
    if (eneg) e = -e;
    (base2 ? exp2 : exp10) = e;
  }
  if (digits.empty()) {
    if (!neg) return NumberAccess::small(0, kParsePrec);
    mpfr_ptr m = new_mpfr(kParsePrec);
    mpfr_set_zero(m, -1);
    Number n;
    NumberAccess::adopt(n, m);
    return n;
  }
  long exp5 = exp10 - frac;
  exp2 += exp5;
  // Fast path: a plain integer that fits.
  if (exp5 == 0 && exp2 == 0 && digits.size() <= 18) {
    int64_t v = std::stoll(digits);
    return NumberAccess::small(neg ? -v : v, kParsePrec);
  }
  mpz_t mant;
  mpz_init_set_str(mant, digits.c_str(), 10);
  {
    // Go rejects exponents outside int32 before scaling by 5**exp5.
    long long e2 = static_cast<long long>(mpz_sizeinbase(mant, 2)) + exp2;
    if (e2 < std::numeric_limits<int32_t>::min() || e2 > std::numeric_limits<int32_t>::max()) {
      mpz_clear(mant);
      return std::nullopt;
    }
  }
  ensure_exp_range();
  if (neg) mpz_neg(mant, mant);
  mpfr_t x;
  mpfr_init2(x, std::max<mpfr_prec_t>(static_cast<mpfr_prec_t>(mpz_sizeinbase(mant, 2)), 2));
  mpfr_set_z(x, mant, MPFR_RNDN);  // exact
  mpz_clear(mant);
  mpfr_mul_2si(x, x, exp2, MPFR_RNDN);  // exact
  mpfr_ptr z = new_mpfr(kParsePrec);
  if (exp5 == 0) {
    mpfr_set(z, x, MPFR_RNDN);
  } else {
    mpfr_t p;
    mpfr_init2(p, kParsePrec + 64);
    pow5(p, static_cast<uint64_t>(exp5 < 0 ? -exp5 : exp5));
    if (exp5 < 0)
      mpfr_div(z, x, p, MPFR_RNDN);
    else
      mpfr_mul(z, x, p, MPFR_RNDN);
    mpfr_clear(p);
  }
  mpfr_clear(x);
  Number n;
  NumberAccess::adopt(n, z);
  return n;
}

Number Number::infinity(bool negative) {
  Number n;
  mpfr_ptr m = new_mpfr(kIntPrec);
  mpfr_set_inf(m, negative ? -1 : 1);
  n.prec_ = kIntPrec;
  n.big_ = m;
  return n;
}

Number::Number(const Number& o) : small_(o.small_), prec_(o.prec_) {
  if (o.big_ != nullptr) {
    mpfr_ptr m = new_mpfr(o.prec_);
    mpfr_set(m, as_mpfr(o.big_), MPFR_RNDN);
    big_ = m;
  }
}

Number::Number(Number&& o) noexcept : small_(o.small_), prec_(o.prec_), big_(o.big_) {
  o.big_ = nullptr;
}

Number& Number::operator=(const Number& o) {
  if (this == &o) return *this;
  Number tmp(o);
  *this = std::move(tmp);
  return *this;
}

Number& Number::operator=(Number&& o) noexcept {
  if (this == &o) return *this;
  free_mpfr(big_);
  small_ = o.small_;
  prec_ = o.prec_;
  big_ = o.big_;
  o.big_ = nullptr;
  return *this;
}

Number::~Number() {
  free_mpfr(big_);
}

Number Number::operator+(const Number& o) const {
  if (big_ == nullptr && o.big_ == nullptr) {
    int64_t r;
    if (!__builtin_add_overflow(small_, o.small_, &r) && small_ok(r, std::max(prec_, o.prec_)))
      return NumberAccess::small(r, std::max(prec_, o.prec_));
  }
  return NumberAccess::binop(
      *this, o, [](mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b) { mpfr_add(r, a, b, MPFR_RNDN); });
}

Number Number::operator-(const Number& o) const {
  if (big_ == nullptr && o.big_ == nullptr) {
    int64_t r;
    if (!__builtin_sub_overflow(small_, o.small_, &r) && small_ok(r, std::max(prec_, o.prec_)))
      return NumberAccess::small(r, std::max(prec_, o.prec_));
  }
  return NumberAccess::binop(
      *this, o, [](mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b) { mpfr_sub(r, a, b, MPFR_RNDN); });
}

Number Number::operator*(const Number& o) const {
  if (big_ == nullptr && o.big_ == nullptr) {
    int64_t r;
    if (!__builtin_mul_overflow(small_, o.small_, &r) &&
        !(r == 0 && (small_ < 0 || o.small_ < 0)) && small_ok(r, std::max(prec_, o.prec_)))
      return NumberAccess::small(r, std::max(prec_, o.prec_));
  }
  return NumberAccess::binop(
      *this, o, [](mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b) { mpfr_mul(r, a, b, MPFR_RNDN); });
}

Number Number::operator/(const Number& o) const {
  if (big_ == nullptr && o.big_ == nullptr && o.small_ != 0 &&
      !(small_ == std::numeric_limits<int64_t>::min() && o.small_ == -1) &&
      small_ % o.small_ == 0 && !(small_ == 0 && o.small_ < 0))
    return NumberAccess::small(small_ / o.small_, std::max(prec_, o.prec_));
  return NumberAccess::binop(
      *this, o, [](mpfr_ptr r, mpfr_srcptr a, mpfr_srcptr b) { mpfr_div(r, a, b, MPFR_RNDN); });
}

Number Number::mod(const Number& o) const {
  if (o.is_inf() || is_inf()) return *this * o;
  if (o.is_zero()) return *this;
  constexpr int64_t kLim = int64_t{1} << 52;
  if (big_ == nullptr && o.big_ == nullptr && small_ > -kLim && small_ < kLim && o.small_ > -kLim &&
      o.small_ < kLim && !(small_ == 0)) {
    int64_t r = small_ % o.small_;
    if (!(r == 0 && small_ < 0)) return NumberAccess::small(r, prec_);
  }
  ensure_exp_range();
  uint32_t qprec = std::max(prec_, o.prec_);
  Tmp x(*this, small_, big_, prec_);
  Tmp y(o, o.small_, o.big_, o.prec_);
  mpfr_t rat, t;
  mpfr_init2(rat, qprec);
  mpfr_div(rat, x.get(), y.get(), MPFR_RNDN);
  mpfr_init2(t, qprec);
  mpfr_trunc(t, rat);
  mpfr_ptr work = new_mpfr(prec_);
  mpfr_set(work, t, MPFR_RNDN);
  if (mpfr_zero_p(work)) mpfr_set_zero(work, 1);  // SetInt(0) gives +0
  mpfr_mul(work, y.get(), work, MPFR_RNDN);
  mpfr_sub(work, x.get(), work, MPFR_RNDN);
  mpfr_clear(rat);
  mpfr_clear(t);
  Number out;
  NumberAccess::adopt(out, work);
  return out;
}

Number Number::operator-() const {
  if (big_ == nullptr && small_ != 0 && small_ != std::numeric_limits<int64_t>::min())
    return NumberAccess::small(-small_, prec_);
  Tmp x(*this, small_, big_, prec_);
  mpfr_ptr r = new_mpfr(prec_ < kIntPrec && big_ == nullptr ? kIntPrec : prec_);
  mpfr_neg(r, x.get(), MPFR_RNDN);
  Number out;
  NumberAccess::adopt(out, r);
  return out;
}

int Number::compare(const Number& o) const {
  if (big_ == nullptr && o.big_ == nullptr)
    return small_ < o.small_ ? -1 : (small_ > o.small_ ? 1 : 0);
  Tmp x(*this, small_, big_, prec_);
  Tmp y(o, o.small_, o.big_, o.prec_);
  int c = mpfr_cmp(x.get(), y.get());
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool Number::is_zero() const {
  return big_ == nullptr ? small_ == 0 : mpfr_zero_p(as_mpfr(big_)) != 0;
}

bool Number::is_integer() const {
  return big_ == nullptr ? true : mpfr_integer_p(as_mpfr(big_)) != 0;
}

bool Number::is_inf() const {
  return big_ != nullptr && mpfr_inf_p(as_mpfr(big_)) != 0;
}

bool Number::is_nan() const {
  return big_ != nullptr && mpfr_nan_p(as_mpfr(big_)) != 0;
}

bool Number::is_negative() const {
  return big_ == nullptr ? small_ < 0
                         : (mpfr_signbit(as_mpfr(big_)) != 0 && !mpfr_nan_p(as_mpfr(big_)));
}

std::optional<int64_t> Number::to_int64() const {
  if (big_ == nullptr) return small_;
  mpfr_srcptr m = as_mpfr(big_);
  if (!mpfr_integer_p(m) || !mpfr_fits_slong_p(m, MPFR_RNDN)) return std::nullopt;
  return static_cast<int64_t>(mpfr_get_si(m, MPFR_RNDN));
}

double Number::to_double() const {
  if (big_ == nullptr) return static_cast<double>(small_);
  return mpfr_get_d(as_mpfr(big_), MPFR_RNDN);
}

Number Number::floor() const {
  if (big_ == nullptr || is_inf()) return *this;
  mpfr_ptr r = new_mpfr(prec_);
  mpfr_floor(r, as_mpfr(big_));
  Number out;
  NumberAccess::adopt(out, r);
  return out;
}

Number Number::ceil() const {
  if (big_ == nullptr || is_inf()) return *this;
  mpfr_ptr r = new_mpfr(prec_);
  mpfr_ceil(r, as_mpfr(big_));
  Number out;
  NumberAccess::adopt(out, r);
  return out;
}

std::string Number::str() const {
  if (big_ == nullptr) return std::to_string(small_);
  mpfr_srcptr m = as_mpfr(big_);
  if (mpfr_nan_p(m)) return "NaN";
  if (mpfr_inf_p(m)) return mpfr_signbit(m) ? "-Inf" : "+Inf";
  bool neg = mpfr_signbit(m) != 0;
  if (mpfr_zero_p(m)) return neg ? "-0" : "0";
  mpz_t z;
  mpz_init(z);
  mpfr_exp_t e = mpfr_get_z_2exp(z, m);
  Decimal d = shortest_decimal(z, e, prec_);
  mpz_clear(z);
  return fmt_f(neg, d);
}

}  // namespace kiln::hcl
