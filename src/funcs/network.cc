// cidrhost, cidrnetmask, cidrsubnet, cidrsubnets (go-cty-funcs cidr on
// apparentlymart/go-cidr), with Go's net.ParseCIDR and IP formatting.
#include <fmt/format.h>

#include <cstring>

#include "funcs/common.h"

namespace kiln::funcs {

namespace {

using u128 = unsigned __int128;

struct IPNet {
  std::vector<uint8_t> ip;  // 4 or 16 bytes, masked
  int prefix = 0;
  int bits() const { return static_cast<int>(ip.size()) * 8; }
};

std::optional<std::vector<uint8_t>> parse_ipv4(std::string_view s) {
  std::vector<uint8_t> out;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) {
      if (s.empty() || s[0] != '.') return std::nullopt;
      s.remove_prefix(1);
    }
    size_t n = 0;
    int v = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
      v = v * 10 + (s[n] - '0');
      ++n;
      if (n > 3 || v > 255) return std::nullopt;
    }
    if (n == 0 || (n > 1 && s[0] == '0')) return std::nullopt;
    out.push_back(static_cast<uint8_t>(v));
    s.remove_prefix(n);
  }
  if (!s.empty()) return std::nullopt;
  return out;
}

std::optional<std::vector<uint8_t>> parse_ipv6(std::string_view s) {
  std::vector<uint8_t> ip(16, 0);
  int ellipsis = -1;
  size_t i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    s.remove_prefix(2);
    if (s.empty()) return ip;
  }
  while (i < 16) {
    size_t n = 0;
    unsigned v = 0;
    auto hexv = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    while (n < s.size() && hexv(s[n]) >= 0) {
      v = v * 16 + static_cast<unsigned>(hexv(s[n]));
      ++n;
      if (n > 4) return std::nullopt;
    }
    if (n == 0) return std::nullopt;
    if (n < s.size() && s[n] == '.') {
      if (ellipsis < 0 && i != 12) return std::nullopt;
      if (i + 4 > 16) return std::nullopt;
      auto v4 = parse_ipv4(s);
      if (!v4) return std::nullopt;
      for (int k = 0; k < 4; ++k) ip[i + k] = (*v4)[k];
      i += 4;
      s = {};
      break;
    }
    ip[i] = static_cast<uint8_t>(v >> 8);
    ip[i + 1] = static_cast<uint8_t>(v);
    i += 2;
    s.remove_prefix(n);
    if (s.empty()) break;
    if (s[0] != ':' || s.size() == 1) return std::nullopt;
    s.remove_prefix(1);
    if (s[0] == ':') {
      if (ellipsis >= 0) return std::nullopt;
      ellipsis = static_cast<int>(i);
      s.remove_prefix(1);
      if (s.empty()) break;
    }
  }
  if (!s.empty()) return std::nullopt;
  if (i < 16) {
    if (ellipsis < 0) return std::nullopt;
    size_t n = 16 - i;
    for (int j = static_cast<int>(i) - 1; j >= ellipsis; --j) ip[j + n] = ip[j];
    for (size_t j = static_cast<size_t>(ellipsis); j < static_cast<size_t>(ellipsis) + n; ++j) {
      ip[j] = 0;
    }
  } else if (ellipsis >= 0) {
    return std::nullopt;
  }
  return ip;
}

u128 to_num(const std::vector<uint8_t>& ip) {
  u128 v = 0;
  for (uint8_t b : ip) v = (v << 8) | b;
  return v;
}

std::vector<uint8_t> from_num(u128 v, size_t len) {
  std::vector<uint8_t> ip(len);
  for (size_t i = len; i-- > 0;) {
    ip[i] = static_cast<uint8_t>(v & 0xff);
    v >>= 8;
  }
  return ip;
}

u128 mask_num(int prefix, int bits) {
  if (prefix <= 0) return 0;
  u128 all = bits == 128 ? ~u128(0) : ((u128(1) << bits) - 1);
  if (prefix >= bits) return all;
  return all & ~((u128(1) << (bits - prefix)) - 1);
}

// net.ParseCIDR.
std::optional<IPNet> parse_cidr(const std::string& s, std::string* err) {
  *err = "invalid CIDR expression: invalid CIDR address: " + s;
  size_t slash = s.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string_view addr = std::string_view(s).substr(0, slash);
  std::string_view mask = std::string_view(s).substr(slash + 1);
  IPNet net;
  auto v4 = parse_ipv4(addr);
  if (v4) {
    net.ip = *v4;
  } else {
    auto v6 = parse_ipv6(addr);
    if (!v6) return std::nullopt;
    net.ip = *v6;
  }
  if (mask.empty()) return std::nullopt;
  int n = 0;
  for (char c : mask) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
    if (n > 0xFFFFFF) return std::nullopt;
  }
  if (n > net.bits()) return std::nullopt;
  net.prefix = n;
  net.ip = from_num(to_num(net.ip) & mask_num(n, net.bits()), net.ip.size());
  return net;
}

bool is_v4_mapped(const std::vector<uint8_t>& ip) {
  if (ip.size() != 16) return false;
  for (int i = 0; i < 10; ++i) {
    if (ip[i] != 0) return false;
  }
  return ip[10] == 0xff && ip[11] == 0xff;
}

// net.IP.String.
std::string ip_string(const std::vector<uint8_t>& ip) {
  if (ip.size() == 4 || is_v4_mapped(ip)) {
    size_t o = ip.size() - 4;
    return fmt::format("{}.{}.{}.{}", ip[o], ip[o + 1], ip[o + 2], ip[o + 3]);
  }
  int best = -1, best_len = 0;
  for (int i = 0; i < 16; i += 2) {
    int j = i;
    while (j < 16 && ip[j] == 0 && ip[j + 1] == 0) j += 2;
    if (j - i > best_len && j - i >= 4) {
      best = i;
      best_len = j - i;
    }
    if (j > i) i = j - 2;
  }
  std::string out;
  for (int i = 0; i < 16; i += 2) {
    if (i == best) {
      out += "::";
      i += best_len - 2;
      continue;
    }
    if (i > 0 && !(out.size() >= 2 && out.ends_with("::"))) out += ':';
    out += fmt::format("{:x}", (ip[i] << 8) | ip[i + 1]);
  }
  return out;
}

std::string net_string(const IPNet& n) {
  return ip_string(n.ip) + "/" + std::to_string(n.prefix);
}

}  // namespace

void register_network(FuncMap& m) {
  m["cidrnetmask"] =
      make_function({param("prefix", Type::string())}, std::nullopt, static_type(Type::string()),
                    [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
                      std::string e;
                      auto net = parse_cidr(a[0].as_string(), &e);
                      if (!net) return fail(err, e);
                      return Value::string(
                          ip_string(from_num(mask_num(net->prefix, net->bits()), net->ip.size())));
                    });

  m["cidrhost"] = make_function(
      {param("prefix", Type::string()), param("hostnum", Type::number())}, std::nullopt,
      static_type(Type::string()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        std::string e;
        auto num = to_int(a[1], &e);
        if (!num) return fail(err, e);
        auto net = parse_cidr(a[0].as_string(), &e);
        if (!net) return fail(err, e);
        int host_len = net->bits() - net->prefix;
        u128 max_host = host_len >= 128 ? ~u128(0) : (u128(1) << host_len) - 1;
        u128 n;
        u128 magnitude;
        std::string shown = std::to_string(*num);
        if (*num < 0) {
          // go-cidr turns -k into max-(k-1) and reports that number.
          magnitude = static_cast<u128>(-(*num + 1));
          n = max_host - magnitude;
          if (magnitude > max_host) {
            u128 over = magnitude - max_host;
            shown = "-" + fmt::format("{}", static_cast<uint64_t>(over));
          }
        } else {
          magnitude = static_cast<u128>(*num);
          n = magnitude;
        }
        if (magnitude > max_host) {
          return fail(err, fmt::format("prefix of {} does not accommodate a host numbered {}",
                                       net->prefix, shown));
        }
        // go-cidr inserts the number below 32 bits for any address that
        // has an IPv4 form, IPv4-mapped IPv6 ones included.
        int shift_bits = is_v4_mapped(net->ip) ? net->bits() - 32 : 0;
        u128 ip = to_num(net->ip) | ((n & max_host) << shift_bits);
        return Value::string(ip_string(from_num(ip, net->ip.size())));
      });

  m["cidrsubnet"] = make_function(
      {param("prefix", Type::string()), param("newbits", Type::number()),
       param("netnum", Type::number())},
      std::nullopt, static_type(Type::string()),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        std::string e;
        auto newbits = to_int(a[1], &e);
        if (!newbits) return fail(err, e);
        auto netnum = to_int(a[2], &e);
        if (!netnum) return fail(err, e);
        auto net = parse_cidr(a[0].as_string(), &e);
        if (!net) return fail(err, e);
        if (*newbits > 32) return fail(err, "may not extend prefix by more than 32 bits");
        if (*newbits < 0) {
          return fail(err, fmt::format("insufficient address space to extend prefix of {} by {}",
                                       net->prefix, *newbits));
        }
        int new_len = net->prefix + static_cast<int>(*newbits);
        if (new_len > net->bits()) {
          return fail(err, fmt::format("insufficient address space to extend prefix of {} by {}",
                                       net->prefix, *newbits));
        }
        // go-cidr compares the number's magnitude (big.Int.Uint64).
        uint64_t mag = *netnum < 0 ? static_cast<uint64_t>(-(*netnum + 1)) + 1
                                   : static_cast<uint64_t>(*netnum);
        uint64_t max_num = *newbits >= 64 ? ~uint64_t(0)
                           : *newbits < 0 ? ~uint64_t(0)
                                          : (uint64_t(1) << *newbits) - 1;
        if (mag > max_num) {
          return fail(
              err, fmt::format("prefix extension of {} does not accommodate a subnet numbered {}",
                               *newbits, *netnum));
        }
        int shift = net->bits() - new_len;
        u128 x = to_num(net->ip);
        u128 ip;
        if (*netnum >= 0) {
          ip = x | (static_cast<u128>(*netnum) << shift);
        } else {
          // big.Int's two's-complement OR with a negative number gives a
          // negative result; go-cidr then keeps its magnitude's bytes.
          u128 neg_minus_one = (static_cast<u128>(mag) << shift) - 1;
          ip = (neg_minus_one & ~x) + 1;
        }
        ip &= mask_num(net->bits(), net->bits());
        IPNet out{from_num(ip, net->ip.size()), new_len};
        return Value::string(net_string(out));
      });

  m["cidrsubnets"] = make_function(
      {param("prefix", Type::string())}, param("newbits", Type::number()),
      static_type(Type::list(Type::string())),
      [](const Args& a, const Type&, FunctionError* err) -> std::optional<Value> {
        std::string e;
        auto net = parse_cidr(a[0].as_string(), &e);
        if (!net) return fail(err, e, 0);
        if (a.size() == 1) return Value::list_empty(Type::string());
        const int bits = net->bits();
        const u128 all = mask_num(bits, bits);
        auto first = to_int(a[1], &e);
        if (!first) return fail(err, e, 1);
        // PreviousSubnet(network, first length): the subnet of that length
        // just below the network.
        int first_len = net->prefix + static_cast<int>(*first);
        u128 cur_ip = (to_num(net->ip) - 1) & all & mask_num(first_len, bits);
        int cur_len = first_len;
        std::vector<Value> out;
        for (size_t i = 1; i < a.size(); ++i) {
          auto len = to_int(a[i], &e);
          if (!len) return fail(err, e, static_cast<int>(i));
          if (*len < 1)
            return fail(err, "must extend prefix by at least one bit", static_cast<int>(i));
          if (*len > 32) {
            return fail(err, "may not extend prefix by more than 32 bits", static_cast<int>(i));
          }
          int length = static_cast<int>(*len) + net->prefix;
          if (length > bits) {
            return fail(err,
                        fmt::format("would extend prefix to {} bits, which is too long for an {} "
                                    "address",
                                    length, bits == 32 ? "IPv4" : "IPv6"),
                        static_cast<int>(i));
          }
          // NextSubnet(current, length)
          u128 cur_last = (cur_ip & mask_num(cur_len, bits)) | (~mask_num(cur_len, bits) & all);
          u128 sub = cur_last & mask_num(length, bits);
          u128 last = (sub | (~mask_num(length, bits) & all));
          last = (last + 1) & all;
          u128 next = last & mask_num(length, bits);
          bool rollover = last == 0;
          bool contained = (next & mask_num(net->prefix, bits)) == to_num(net->ip);
          if (rollover || !contained) {
            IPNet cur{from_num(cur_ip, net->ip.size()), cur_len};
            return fail(err,
                        fmt::format("not enough remaining address space for a subnet with a "
                                    "prefix of {} bits after {}",
                                    length, net_string(cur)),
                        static_cast<int>(i));
          }
          cur_ip = next;
          cur_len = length;
          out.push_back(
              Value::string(net_string(IPNet{from_num(cur_ip, net->ip.size()), cur_len})));
        }
        return Value::list(std::move(out));
      });
}

}  // namespace kiln::funcs
