// NativeBody (hcl::Body of the native syntax) tests: content,
// partial_content and just_attributes compared with hclsyntax's Body. The
// expected texts were produced by HashiCorp's Go implementation (with
// "Unsupported argument" errors in source order; Go's order is random).
#include <gtest/gtest.h>

#include <string>

#include "hcl/ast.h"
#include "hcl/parser_dump.h"

namespace kiln::hcl::syntax {
namespace {

std::vector<std::string> split(const std::string& x, char c) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : x) {
    if (ch == c) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

// "a!,b;blk:label1:label2,other": attributes (! = required), then blocks.
BodySchema schema(const std::string& s) {
  BodySchema sc;
  auto semi = s.find(';');
  std::string a = s.substr(0, semi), b = semi == std::string::npos ? "" : s.substr(semi + 1);
  if (!a.empty())
    for (auto& n : split(a, ',')) {
      bool req = !n.empty() && n.back() == '!';
      sc.attributes.push_back({req ? n.substr(0, n.size() - 1) : n, req});
    }
  if (!b.empty())
    for (auto& n : split(b, ',')) {
      auto f = split(n, ':');
      BlockHeaderSchema h;
      h.type = f[0];
      h.label_names.assign(f.begin() + 1, f.end());
      sc.blocks.push_back(h);
    }
  return sc;
}

std::string content(const BodyContent& c) {
  std::string out;
  for (auto& [n, a] : c.attributes)
    out += "attr " + n + " " + dump::rng(a.range) + " name=" + dump::rng(a.name_range) +
           " expr=" + dump::rng(a.expr->range()) + "\n";
  for (auto& b : c.blocks) {
    std::string l = "[";
    for (size_t i = 0; i < b.labels.size(); ++i) {
      if (i) l += " ";
      l += detail::go_quote(b.labels[i]);
    }
    l += "]";
    out += "block " + b.type + " " + l + " def=" + dump::rng(b.def_range) +
           " type=" + dump::rng(b.type_range) +
           " body=" + dump::rng(static_cast<const NativeBody&>(*b.body).src_range) + "\n";
  }
  out += "missing=" + dump::rng(c.missing_item_range) + "\n";
  return out;
}

BodyContent attrs_only(Attributes a) {
  BodyContent c;
  c.attributes = std::move(a);
  c.missing_item_range.start = c.missing_item_range.end = Pos{0, 0, 0};  // Go's zero range
  return c;
}

std::string run(const std::string& mode, const std::string& src, const std::string& s1,
                const std::string& s2) {
  Diagnostics d;
  auto b = parse_config(src, "t.hcl", Pos{1, 1, 0}, d);
  std::string out = dump::diags(d);
  Diagnostics d1;
  if (mode == "content") {
    auto c = b->content(schema(s1), d1);
    out += content(c) + dump::diags(d1);
  } else if (mode == "partial") {
    BodyPtr rem, rem2;
    auto c = b->partial_content(schema(s1), &rem, d1);
    out += content(c) + dump::diags(d1);
    Diagnostics d2, d3, d4;
    auto c2 = rem->partial_content(schema(s2), &rem2, d2);
    out += content(c2) + dump::diags(d2);
    auto c3 = rem2->content(BodySchema{}, d3);
    out += content(c3) + dump::diags(d3);
    auto c4 = attrs_only(rem2->just_attributes(d4));
    out += content(c4) + dump::diags(d4);
  } else {
    auto c = attrs_only(b->just_attributes(d1));
    out += content(c) + dump::diags(d1);
  }
  return out;
}

struct Case {
  const char* mode;
  const char* src;
  const char* schema1;
  const char* schema2;
  const char* want;
};

const Case kCases[] = {
    {"content", R"G(nme = "x"
count = 1
disk "extra" {
  size = 1
}
disk {
  size = 2
  bogus = 3
}
server "a" {
}
server "a" "b" "c" {
}
server "a" "b" {
  x = 1
}
count {}
dsk {}
)G",
     "name!,count;disk,server:kind:name", "",
     R"G(attr count 2:1(10)-2:10(19) name=2:1(10)-2:6(15) expr=2:9(18)-2:10(19)
block disk [] def=6:1(48)-6:5(52) type=6:1(48)-6:5(52) body=6:6(53)-9:2(79)
block server ["a" "b"] def=14:1(118)-14:15(132) type=14:1(118)-14:7(124) body=14:16(133)-16:2(144)
missing=1:1(0)-1:1(0)
DIAG Missing required argument | The argument "name" is required, but no definition was found. | 1:1(0)-1:1(0) | -
DIAG Extraneous label for disk | No labels are expected for disk blocks. | 3:6(25)-3:13(32) | 3:1(20)-3:15(34)
DIAG Missing name for server | All server blocks must have 2 labels (kind, name). | 10:12(91)-10:13(92) | 10:1(80)-10:13(92)
DIAG Extraneous label for server | Only 2 labels (kind, name) are expected for server blocks. | 12:16(110)-12:19(113) | 12:1(95)-12:21(115)
DIAG Unsupported argument | An argument named "nme" is not expected here. Did you mean "name"? | 1:1(0)-1:4(3) | -
DIAG Unsupported block type | Blocks of type "count" are not expected here. Did you mean to define argument "count"? If so, use the equals sign to assign it a value. | 17:1(145)-17:6(150) | -
DIAG Unsupported block type | Blocks of type "dsk" are not expected here. Did you mean "disk"? | 18:1(154)-18:4(157) | -
)G"},
    {"content", R"G(a = 1
b = 2
c {
}
c "x" {}
d "y" "z" {}
a2 = 3
)G",
     "a;c,d:p:q", "",
     R"G(attr a 1:1(0)-1:6(5) name=1:1(0)-1:2(1) expr=1:5(4)-1:6(5)
block c [] def=3:1(12)-3:2(13) type=3:1(12)-3:2(13) body=3:3(14)-4:2(17)
block d ["y" "z"] def=6:1(27)-6:10(36) type=6:1(27)-6:2(28) body=6:11(37)-6:13(39)
missing=1:1(0)-1:1(0)
DIAG Extraneous label for c | No labels are expected for c blocks. | 5:3(20)-5:6(23) | 5:1(18)-5:8(25)
DIAG Unsupported argument | An argument named "b" is not expected here. | 2:1(6)-2:2(7) | -
DIAG Unsupported argument | An argument named "a2" is not expected here. | 7:1(40)-7:3(42) | -
)G"},
    {"content", R"G(a = 1
b = 2
c {
}
c "x" {}
d "y" "z" {}
a2 = 3
)G",
     "a!,b,zz!;c:n,d:p", "",
     R"G(attr a 1:1(0)-1:6(5) name=1:1(0)-1:2(1) expr=1:5(4)-1:6(5)
attr b 2:1(6)-2:6(11) name=2:1(6)-2:2(7) expr=2:5(10)-2:6(11)
block c ["x"] def=5:1(18)-5:6(23) type=5:1(18)-5:2(19) body=5:7(24)-5:9(26)
missing=1:1(0)-1:1(0)
DIAG Missing required argument | The argument "zz" is required, but no definition was found. | 1:1(0)-1:1(0) | -
DIAG Missing n for c | All c blocks must have 1 labels (n). | 3:3(14)-3:4(15) | 3:1(12)-3:4(15)
DIAG Extraneous label for d | Only 1 labels (p) are expected for d blocks. | 6:7(33)-6:10(36) | 6:1(27)-6:12(38)
DIAG Unsupported argument | An argument named "a2" is not expected here. Did you mean "zz"? | 7:1(40)-7:3(42) | -
)G"},
    {"content", R"G(a = 1
b = 2
c {
}
c "x" {}
d "y" "z" {}
a2 = 3
)G",
     ";", "",
     R"G(missing=1:1(0)-1:1(0)
DIAG Unsupported argument | An argument named "a" is not expected here. | 1:1(0)-1:2(1) | -
DIAG Unsupported argument | An argument named "b" is not expected here. | 2:1(6)-2:2(7) | -
DIAG Unsupported argument | An argument named "a2" is not expected here. | 7:1(40)-7:3(42) | -
DIAG Unsupported block type | Blocks of type "c" are not expected here. | 3:1(12)-3:2(13) | -
DIAG Unsupported block type | Blocks of type "c" are not expected here. | 5:1(18)-5:2(19) | -
DIAG Unsupported block type | Blocks of type "d" are not expected here. | 6:1(27)-6:2(28) | -
)G"},
    {"content", R"G(a = 1
b = 2
c {
}
c "x" {}
d "y" "z" {}
a2 = 3
)G",
     "a,b,a2,c;c,d:p:q", "",
     R"G(attr a 1:1(0)-1:6(5) name=1:1(0)-1:2(1) expr=1:5(4)-1:6(5)
attr a2 7:1(40)-7:7(46) name=7:1(40)-7:3(42) expr=7:6(45)-7:7(46)
attr b 2:1(6)-2:6(11) name=2:1(6)-2:2(7) expr=2:5(10)-2:6(11)
block c [] def=3:1(12)-3:2(13) type=3:1(12)-3:2(13) body=3:3(14)-4:2(17)
block d ["y" "z"] def=6:1(27)-6:10(36) type=6:1(27)-6:2(28) body=6:11(37)-6:13(39)
missing=1:1(0)-1:1(0)
DIAG Extraneous label for c | No labels are expected for c blocks. | 5:3(20)-5:6(23) | 5:1(18)-5:8(25)
)G"},
    {"partial", R"G(a = 1
b = 2
c {
}
c "x" {}
d "y" "z" {}
a2 = 3
)G",
     "a;c", "b;d:p",
     R"G(attr a 1:1(0)-1:6(5) name=1:1(0)-1:2(1) expr=1:5(4)-1:6(5)
block c [] def=3:1(12)-3:2(13) type=3:1(12)-3:2(13) body=3:3(14)-4:2(17)
missing=1:1(0)-1:1(0)
DIAG Extraneous label for c | No labels are expected for c blocks. | 5:3(20)-5:6(23) | 5:1(18)-5:8(25)
attr b 2:1(6)-2:6(11) name=2:1(6)-2:2(7) expr=2:5(10)-2:6(11)
missing=1:1(0)-1:1(0)
DIAG Extraneous label for d | Only 1 labels (p) are expected for d blocks. | 6:7(33)-6:10(36) | 6:1(27)-6:12(38)
missing=1:1(0)-1:1(0)
DIAG Unsupported argument | An argument named "a2" is not expected here. | 7:1(40)-7:3(42) | -
attr a2 7:1(40)-7:7(46) name=7:1(40)-7:3(42) expr=7:6(45)-7:7(46)
missing=0:0(0)-0:0(0)
DIAG Unexpected "c" block | Blocks are not allowed here. | 3:1(12)-3:2(13) | -
)G"},
    {"partial", R"G(a = 1
b = 2
c {
}
c "x" {}
d "y" "z" {}
a2 = 3
)G",
     "a,b;", "a!,b!;c:l,d:p:q",
     R"G(attr a 1:1(0)-1:6(5) name=1:1(0)-1:2(1) expr=1:5(4)-1:6(5)
attr b 2:1(6)-2:6(11) name=2:1(6)-2:2(7) expr=2:5(10)-2:6(11)
missing=1:1(0)-1:1(0)
block c ["x"] def=5:1(18)-5:6(23) type=5:1(18)-5:2(19) body=5:7(24)-5:9(26)
block d ["y" "z"] def=6:1(27)-6:10(36) type=6:1(27)-6:2(28) body=6:11(37)-6:13(39)
missing=1:1(0)-1:1(0)
DIAG Missing required argument | The argument "a" is required, but no definition was found. | 1:1(0)-1:1(0) | -
DIAG Missing required argument | The argument "b" is required, but no definition was found. | 1:1(0)-1:1(0) | -
DIAG Missing l for c | All c blocks must have 1 labels (l). | 3:3(14)-3:4(15) | 3:1(12)-3:4(15)
missing=1:1(0)-1:1(0)
DIAG Unsupported argument | An argument named "a2" is not expected here. | 7:1(40)-7:3(42) | -
attr a2 7:1(40)-7:7(46) name=7:1(40)-7:3(42) expr=7:6(45)-7:7(46)
missing=0:0(0)-0:0(0)
DIAG Unexpected "c" block | Blocks are not allowed here. | 3:1(12)-3:2(13) | -
)G"},
    {"partial", R"G(nme = "x"
count = 1
disk "extra" {
  size = 1
}
disk {
  size = 2
  bogus = 3
}
server "a" {
}
server "a" "b" "c" {
}
server "a" "b" {
  x = 1
}
count {}
dsk {}
)G",
     "name!;disk", "count;server:kind:name,dsk",
     R"G(block disk [] def=6:1(48)-6:5(52) type=6:1(48)-6:5(52) body=6:6(53)-9:2(79)
missing=1:1(0)-1:1(0)
DIAG Missing required argument | The argument "name" is required, but no definition was found. | 1:1(0)-1:1(0) | -
DIAG Extraneous label for disk | No labels are expected for disk blocks. | 3:6(25)-3:13(32) | 3:1(20)-3:15(34)
attr count 2:1(10)-2:10(19) name=2:1(10)-2:6(15) expr=2:9(18)-2:10(19)
block server ["a" "b"] def=14:1(118)-14:15(132) type=14:1(118)-14:7(124) body=14:16(133)-16:2(144)
block dsk [] def=18:1(154)-18:4(157) type=18:1(154)-18:4(157) body=18:5(158)-18:7(160)
missing=1:1(0)-1:1(0)
DIAG Missing name for server | All server blocks must have 2 labels (kind, name). | 10:12(91)-10:13(92) | 10:1(80)-10:13(92)
DIAG Extraneous label for server | Only 2 labels (kind, name) are expected for server blocks. | 12:16(110)-12:19(113) | 12:1(95)-12:21(115)
missing=1:1(0)-1:1(0)
DIAG Unsupported argument | An argument named "nme" is not expected here. | 1:1(0)-1:4(3) | -
DIAG Unsupported block type | Blocks of type "count" are not expected here. | 17:1(145)-17:6(150) | -
attr nme 1:1(0)-1:10(9) name=1:1(0)-1:4(3) expr=1:7(6)-1:10(9)
missing=0:0(0)-0:0(0)
DIAG Unexpected "disk" block | Blocks are not allowed here. | 3:1(20)-3:5(24) | -
)G"},
    {"justattrs", R"G(a = 1
b = 2
c {
}
c "x" {}
d "y" "z" {}
a2 = 3
)G",
     "", "",
     R"G(attr a 1:1(0)-1:6(5) name=1:1(0)-1:2(1) expr=1:5(4)-1:6(5)
attr a2 7:1(40)-7:7(46) name=7:1(40)-7:3(42) expr=7:6(45)-7:7(46)
attr b 2:1(6)-2:6(11) name=2:1(6)-2:2(7) expr=2:5(10)-2:6(11)
missing=0:0(0)-0:0(0)
DIAG Unexpected "c" block | Blocks are not allowed here. | 3:1(12)-3:2(13) | -
)G"},
    {"justattrs", R"G(x = 1
y = 2
)G",
     "", "",
     R"G(attr x 1:1(0)-1:6(5) name=1:1(0)-1:2(1) expr=1:5(4)-1:6(5)
attr y 2:1(6)-2:6(11) name=2:1(6)-2:2(7) expr=2:5(10)-2:6(11)
missing=0:0(0)-0:0(0)
)G"},
    {"content", R"G(x = 1
y = 2
)G",
     "x,y!,z!;x", "",
     R"G(attr x 1:1(0)-1:6(5) name=1:1(0)-1:2(1) expr=1:5(4)-1:6(5)
attr y 2:1(6)-2:6(11) name=2:1(6)-2:2(7) expr=2:5(10)-2:6(11)
missing=1:1(0)-1:1(0)
DIAG Missing required argument | The argument "z" is required, but no definition was found. | 1:1(0)-1:1(0) | -
)G"},
    {"content", R"G(x = 1
y = 2
)G",
     "xx,yy;", "",
     R"G(missing=1:1(0)-1:1(0)
DIAG Unsupported argument | An argument named "x" is not expected here. Did you mean "xx"? | 1:1(0)-1:2(1) | -
DIAG Unsupported argument | An argument named "y" is not expected here. Did you mean "xx"? | 2:1(6)-2:2(7) | -
)G"},
    {"content", R"G(a { b c {} }
)G",
     "a;a", "",
     R"G(DIAG Argument definition required | A single-line block definition can contain only a single argument. If you meant to define argument "b", use an equals sign to assign it a value. To define a nested block, place it on a line of its own within its parent block. | 1:5(4)-1:8(7) | -
block a [] def=1:1(0)-1:2(1) type=1:1(0)-1:2(1) body=1:3(2)-2:1(13)
missing=1:1(0)-1:1(0)
)G"},
    {"content", R"G(a "b" = 1
)G",
     "a;a:x", "",
     R"G(DIAG Invalid block definition | The equals sign "=" indicates an argument definition, and must not be used when defining a block. | 1:7(6)-1:8(7) | 1:1(0)-1:8(7)
block a ["b"] def=1:1(0)-1:6(5) type=1:1(0)-1:2(1) body=1:1(0)-1:2(1)
missing=1:1(0)-1:1(0)
)G"},
    {"content", R"G(a = 1
a = 2
)G",
     "a;", "",
     R"G(DIAG Attribute redefined | The argument "a" was already set at t.hcl:1,1-2. Each argument may be set only once. | 2:1(6)-2:2(7) | -
attr a 1:1(0)-1:6(5) name=1:1(0)-1:2(1) expr=1:5(4)-1:6(5)
missing=1:1(0)-1:1(0)
)G"},
};

TEST(NativeBody, MatchesHclsyntax) {
  for (const auto& c : kCases)
    EXPECT_EQ(run(c.mode, c.src, c.schema1, c.schema2), c.want)
        << c.mode << " " << c.schema1 << " / " << c.schema2 << "\n"
        << c.src;
}

TEST(NativeBody, DefRangeCoversTypeAndLabels) {
  Diagnostics d;
  auto b = parse_config("source \"a\" \"b\" {\n}\nbuild {\n}\n", "t.hcl", Pos{1, 1, 0}, d);
  ASSERT_EQ(b->blocks.size(), 2u);
  EXPECT_EQ(b->blocks[0].def_range().str(), "t.hcl:1,1-15");
  EXPECT_EQ(b->blocks[1].def_range().str(), "t.hcl:3,1-6");
}

TEST(NativeBody, PartialContentHidesWhatItTook) {
  Diagnostics d;
  auto b = parse_config("a = 1\nb = 2\nc {}\n", "t.hcl", Pos{1, 1, 0}, d);
  BodyPtr rest;
  BodySchema s;
  s.attributes.push_back({"a", false});
  s.blocks.push_back({"c", {}});
  auto got = b->partial_content(s, &rest, d);
  EXPECT_EQ(got.attributes.size(), 1u);
  EXPECT_EQ(got.blocks.size(), 1u);
  auto left = rest->just_attributes(d);
  // As hclsyntax, blocks count even when partial_content took them.
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].summary, "Unexpected \"c\" block");
  d.clear();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left.begin()->first, "b");
  // Taking "a" again from the rest finds nothing, and a required one is missing.
  s.attributes[0].required = true;
  rest->partial_content(s, nullptr, d);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].summary, "Missing required argument");
  EXPECT_EQ(d[0].subject->str(), "t.hcl:1,1-1");
}

}  // namespace
}  // namespace kiln::hcl::syntax
