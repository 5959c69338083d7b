// Parser tests: trees, ranges and diagnostics compared with HashiCorp's
// hclsyntax (v2.24.0 parser sources), dumped in one shared text format
// (parser_dump.h). The expected texts were produced by the Go parser.
#include <gtest/gtest.h>
#include <pthread.h>

#include <string>

#include "hcl/ast.h"
#include "hcl/parse.h"
#include "hcl/parser_dump.h"

namespace kiln::hcl::syntax {
namespace {

struct GoldenCase {
  const char* mode;
  const char* src;
  const char* want;
};

const GoldenCase kGolden[] = {
    {"config", R"G(a = 1
b = "hello ${name}!"
c = [1, 2, 3,]
d = { x = 1, "y" = 2
  (z) : 3 }
e = foo.bar[0].baz[*].q
f = f(1, 2, x...)
g = a ? b : c || d && !e == -f + 2 * 3 % 4 / 5 - 6 >= 7
h = [for k, v in x : v if k > 1]
i = {for k, v in x : k => v... if true}
j = foo.*.bar.0
k = "${x}"
l = <<EOT
hello
  ${world}
EOT
m = <<-EOT
    a
      b
    ${c}
  EOT
n = "a%{if x}b%{else}c%{endif}d"
o = "%{for x in y}${x},%{endfor}"
p = "a ${~ x ~} b"
q = x[1.5]
r = x["str"]
s = x[y]
t = (1 + 2) * 3
u = null
v = true
block "label" ident {
  inner = 1
  nested { x = 2 }
}
empty {}
)G",
     R"G(Body[1:1(0)-36:1(561) end=36:1(561)-36:1(561)]
  attr a [1:1(0)-1:6(5) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](1)
  attr b [2:1(6)-2:21(26) name=2:1(6)-2:2(7) eq=2:3(8)-2:4(9)] = Tmpl[2:5(10)-2:21(26)](Lit[2:6(11)-2:12(17)]("hello "), Scope[2:14(19)-2:18(23)](name@2:14(19)-2:18(23)), Lit[2:19(24)-2:20(25)]("!"))
  attr c [3:1(27)-3:15(41) name=3:1(27)-3:2(28) eq=3:3(29)-3:4(30)] = Tuple[3:5(31)-3:15(41) open=3:5(31)-3:6(32)](Lit[3:6(32)-3:7(33)](1), Lit[3:9(35)-3:10(36)](2), Lit[3:12(38)-3:13(39)](3))
  attr d [4:1(42)-5:12(74) name=4:1(42)-4:2(43) eq=4:3(44)-4:4(45)] = Object[4:5(46)-5:12(74) open=4:5(46)-4:6(47)](Key[4:7(48)-4:8(49) force=false](Scope[4:7(48)-4:8(49)](x@4:7(48)-4:8(49))) = Lit[4:11(52)-4:12(53)](1), Key[4:14(55)-4:17(58) force=false](Tmpl[4:14(55)-4:17(58)](Lit[4:15(56)-4:16(57)]("y"))) = Lit[4:20(61)-4:21(62)](2), Key[5:3(65)-5:6(68) force=true](Paren[5:3(65)-5:6(68)](Scope[5:4(66)-5:5(67)](z@5:4(66)-5:5(67)))) = Lit[5:9(71)-5:10(72)](3))
  attr e [6:1(75)-6:24(98) name=6:1(75)-6:2(76) eq=6:3(77)-6:4(78)] = Splat[6:5(79)-6:24(98) marker=6:19(93)-6:22(96)](Scope[6:5(79)-6:19(93)](foo@6:5(79)-6:8(82).bar@6:8(82)-6:12(86)[0]@6:12(86)-6:15(89).baz@6:15(89)-6:19(93)), Rel[6:19(93)-6:24(98)](Anon[6:19(93)-6:22(96)] .q@6:22(96)-6:24(98)))
  attr f [7:1(99)-7:18(116) name=7:1(99)-7:2(100) eq=7:3(101)-7:4(102)] = Call[7:5(103)-7:18(116)](f name=7:5(103)-7:6(104) open=7:6(104)-7:7(105) close=7:17(115)-7:18(116) expand=true; Lit[7:7(105)-7:8(106)](1), Lit[7:10(108)-7:11(109)](2), Scope[7:13(111)-7:14(112)](x@7:13(111)-7:14(112)))
  attr g [8:1(117)-8:56(172) name=8:1(117)-8:2(118) eq=8:3(119)-8:4(120)] = Cond[8:5(121)-8:56(172)](Scope[8:5(121)-8:6(122)](a@8:5(121)-8:6(122)) ? Scope[8:9(125)-8:10(126)](b@8:9(125)-8:10(126)) : Bin[8:13(129)-8:56(172)](Scope[8:13(129)-8:14(130)](c@8:13(129)-8:14(130)) || Bin[8:18(134)-8:56(172)](Scope[8:18(134)-8:19(135)](d@8:18(134)-8:19(135)) && Bin[8:23(139)-8:56(172)](Un[8:23(139)-8:25(141) sym=8:23(139)-8:24(140)](! Scope[8:24(140)-8:25(141)](e@8:24(140)-8:25(141))) == Bin[8:29(145)-8:56(172)](Bin[8:29(145)-8:51(167)](Bin[8:29(145)-8:47(163)](Un[8:29(145)-8:31(147) sym=8:29(145)-8:30(146)](neg Scope[8:30(146)-8:31(147)](f@8:30(146)-8:31(147))) + Bin[8:34(150)-8:47(163)](Bin[8:34(150)-8:43(159)](Bin[8:34(150)-8:39(155)](Lit[8:34(150)-8:35(151)](2) * Lit[8:38(154)-8:39(155)](3)) % Lit[8:42(158)-8:43(159)](4)) / Lit[8:46(162)-8:47(163)](5))) - Lit[8:50(166)-8:51(167)](6)) >= Lit[8:55(171)-8:56(172)](7))))))
  attr h [9:1(173)-9:33(205) name=9:1(173)-9:2(174) eq=9:3(175)-9:4(176)] = For[9:5(177)-9:33(205) open=9:5(177)-9:6(178) close=9:32(204)-9:33(205)](k,v in Scope[9:18(190)-9:19(191)](x@9:18(190)-9:19(191)) : nil => Scope[9:22(194)-9:23(195)](v@9:22(194)-9:23(195)) if Bin[9:27(199)-9:32(204)](Scope[9:27(199)-9:28(200)](k@9:27(199)-9:28(200)) > Lit[9:31(203)-9:32(204)](1)) group=false)
  attr i [10:1(206)-10:40(245) name=10:1(206)-10:2(207) eq=10:3(208)-10:4(209)] = For[10:5(210)-10:40(245) open=10:5(210)-10:6(211) close=10:39(244)-10:40(245)](k,v in Scope[10:18(223)-10:19(224)](x@10:18(223)-10:19(224)) : Scope[10:22(227)-10:23(228)](k@10:22(227)-10:23(228)) => Scope[10:27(232)-10:28(233)](v@10:27(232)-10:28(233)) if Lit[10:35(240)-10:39(244)](true) group=true)
  attr j [11:1(246)-11:16(261) name=11:1(246)-11:2(247) eq=11:3(248)-11:4(249)] = Splat[11:5(250)-11:16(261) marker=11:8(253)-11:10(255)](Scope[11:5(250)-11:8(253)](foo@11:5(250)-11:8(253)), Rel[11:10(255)-11:16(261)](Anon[11:8(253)-11:10(255)] .bar@11:10(255)-11:14(259)[0]@11:14(259)-11:16(261)))
  attr k [12:1(262)-12:11(272) name=12:1(262)-12:2(263) eq=12:3(264)-12:4(265)] = Wrap[12:5(266)-12:11(272)](Scope[12:8(269)-12:9(270)](x@12:8(269)-12:9(270)))
  attr l [13:1(273)-16:4(303) name=13:1(273)-13:2(274) eq=13:3(275)-13:4(276)] = Tmpl[13:5(277)-16:4(303)](Lit[14:1(283)-15:3(291)]("hello\n  "), Scope[15:5(293)-15:10(298)](world@15:5(293)-15:10(298)), Lit[15:11(299)-16:1(300)]("\n"))
  attr m [17:1(304)-21:6(343) name=17:1(304)-17:2(305) eq=17:3(306)-17:4(307)] = Tmpl[17:5(308)-21:6(343)](Lit[18:5(319)-20:5(333)]("a\n  b\n"), Scope[20:7(335)-20:8(336)](c@20:7(335)-20:8(336)), Lit[20:9(337)-21:1(338)]("\n"))
  attr n [22:1(344)-22:33(376) name=22:1(344)-22:2(345) eq=22:3(346)-22:4(347)] = Tmpl[22:5(348)-22:33(376)](Lit[22:6(349)-22:7(350)]("a"), Cond[22:7(350)-22:31(374)](Scope[22:12(355)-22:13(356)](x@22:12(355)-22:13(356)) ? Tmpl[22:14(357)-22:15(358)](Lit[22:14(357)-22:15(358)]("b")) : Tmpl[22:22(365)-22:23(366)](Lit[22:22(365)-22:23(366)]("c"))), Lit[22:31(374)-22:32(375)]("d"))
  attr o [23:1(377)-23:34(410) name=23:1(377)-23:2(378) eq=23:3(379)-23:4(380)] = Tmpl[23:5(381)-23:34(410)](Join[23:6(382)-23:33(409)](For[23:6(382)-23:33(409) open=23:6(382)-23:19(395) close=23:24(400)-23:33(409)](,x in Scope[23:17(393)-23:18(394)](y@23:17(393)-23:18(394)) : nil => Tmpl[23:21(397)-23:24(400)](Scope[23:21(397)-23:22(398)](x@23:21(397)-23:22(398)), Lit[23:23(399)-23:24(400)](",")) if nil group=false)))
  attr p [24:1(411)-24:19(429) name=24:1(411)-24:2(412) eq=24:3(413)-24:4(414)] = Tmpl[24:5(415)-24:19(429)](Lit[24:6(416)-24:8(418)]("a"), Scope[24:12(422)-24:13(423)](x@24:12(422)-24:13(423)), Lit[24:16(426)-24:18(428)]("b"))
  attr q [25:1(430)-25:11(440) name=25:1(430)-25:2(431) eq=25:3(432)-25:4(433)] = Scope[25:5(434)-25:11(440)](x@25:5(434)-25:6(435)[1.5]@25:6(435)-25:11(440))
  attr r [26:1(441)-26:13(453) name=26:1(441)-26:2(442) eq=26:3(443)-26:4(444)] = Scope[26:5(445)-26:13(453)](x@26:5(445)-26:6(446)["str"]@26:6(446)-26:13(453))
  attr s [27:1(454)-27:9(462) name=27:1(454)-27:2(455) eq=27:3(456)-27:4(457)] = Index[27:5(458)-27:9(462) open=27:6(459)-27:7(460) br=27:6(459)-27:9(462)](Scope[27:5(458)-27:6(459)](x@27:5(458)-27:6(459)), Scope[27:7(460)-27:8(461)](y@27:7(460)-27:8(461)))
  attr t [28:1(463)-28:16(478) name=28:1(463)-28:2(464) eq=28:3(465)-28:4(466)] = Bin[28:5(467)-28:16(478)](Paren[28:5(467)-28:12(474)](Bin[28:6(468)-28:11(473)](Lit[28:6(468)-28:7(469)](1) + Lit[28:10(472)-28:11(473)](2))) * Lit[28:15(477)-28:16(478)](3))
  attr u [29:1(479)-29:9(487) name=29:1(479)-29:2(480) eq=29:3(481)-29:4(482)] = Lit[29:5(483)-29:9(487)](null)
  attr v [30:1(488)-30:9(496) name=30:1(488)-30:2(489) eq=30:3(490)-30:4(491)] = Lit[30:5(492)-30:9(496)](true)
  block block@31:1(497)-31:6(502) ["label"@31:7(503)-31:14(510) "ident"@31:15(511)-31:20(516)] open=31:21(517)-31:22(518) close=34:1(550)-34:2(551)
    Body[31:21(517)-34:2(551) end=34:2(551)-34:2(551)]
      attr inner [32:3(521)-32:12(530) name=32:3(521)-32:8(526) eq=32:9(527)-32:10(528)] = Lit[32:11(529)-32:12(530)](1)
      block nested@33:3(533)-33:9(539) [] open=33:10(540)-33:11(541) close=33:18(548)-33:19(549)
        Body[33:12(542)-33:17(547) end=33:17(547)-33:17(547)]
          attr x [33:12(542)-33:17(547) name=33:12(542)-33:13(543) eq=33:14(544)-33:15(545)] = Lit[33:16(546)-33:17(547)](2)
  block empty@35:1(552)-35:6(557) [] open=35:7(558)-35:8(559) close=35:8(559)-35:9(560)
    Body[35:7(558)-35:9(560) end=35:9(560)-35:9(560)]
)G"},
    {"config", R"G(a = 1 b = 2
)G",
     R"G(Body[1:1(0)-2:1(12) end=2:1(12)-2:1(12)]
  attr a [1:1(0)-1:6(5) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](1)
DIAG Missing newline after argument | An argument definition must end with a newline. | 1:7(6)-1:8(7) | 1:1(0)-1:8(7)
)G"},
    {"config", R"G(a = 1, b = 2
)G",
     R"G(Body[1:1(0)-2:1(13) end=2:1(13)-2:1(13)]
  attr a [1:1(0)-1:6(5) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](1)
DIAG Unexpected comma after argument | Argument definitions must be separated by newlines, not commas. An argument definition must end with a newline. | 1:6(5)-1:7(6) | 1:1(0)-1:7(6)
)G"},
    {"config", R"G(a = 
)G",
     R"G(Body[1:1(0)-2:1(5) end=2:1(5)-2:1(5)]
  attr a [1:1(0)-1:4(3) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-2:1(5)](unknown(dynamic))
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:5(4)-2:1(5) | -
)G"},
    {"config", R"G("a" = 1
)G",
     R"G(Body[1:1(0)-1:2(1) end=1:2(1)-1:2(1)]
DIAG Invalid argument name | Argument names must not be quoted. | 1:1(0)-1:2(1) | -
)G"},
    {"config", R"G(a {
  b = 1
)G",
     R"G(Body[1:1(0)-3:1(12) end=3:1(12)-3:1(12)]
  block a@1:1(0)-1:2(1) [] open=1:3(2)-1:4(3) close=3:1(12)-3:1(12)
    Body[1:3(2)-3:1(12) end=3:1(12)-3:1(12)]
      attr b [2:3(6)-2:8(11) name=2:3(6)-2:4(7) eq=2:5(8)-2:6(9)] = Lit[2:7(10)-2:8(11)](1)
DIAG Unclosed configuration block | There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file. | 1:3(2)-1:4(3) | -
)G"},
    {"config", R"G(a "b" = 1
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  block a@1:1(0)-1:2(1) ["b"@1:3(2)-1:6(5)] open=1:1(0)-1:2(1) close=1:1(0)-1:2(1)
    Body[1:1(0)-1:2(1) end=1:1(0)-1:2(1)]
DIAG Invalid block definition | The equals sign "=" indicates an argument definition, and must not be used when defining a block. | 1:7(6)-1:8(7) | 1:1(0)-1:8(7)
)G"},
    {"config", R"G(a
{
}
)G",
     R"G(Body[1:1(0)-2:2(3) end=2:2(3)-2:2(3)]
DIAG Argument or block definition required | An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value. | 1:1(0)-1:2(1) | -
)G"},
    {"config", R"G(a { b = 1, c = 2 }
)G",
     R"G(Body[1:1(0)-2:1(19) end=2:1(19)-2:1(19)]
  block a@1:1(0)-1:2(1) [] open=1:3(2)-1:4(3) close=1:18(17)-1:19(18)
    Body[1:5(4)-1:10(9) end=1:10(9)-1:10(9)]
      attr b [1:5(4)-1:10(9) name=1:5(4)-1:6(5) eq=1:7(6)-1:8(7)] = Lit[1:9(8)-1:10(9)](1)
DIAG Invalid single-argument block definition | Single-line block syntax can include only one argument definition. To define multiple arguments, use the multi-line block syntax with one argument definition per line. | 1:10(9)-1:11(10) | -
)G"},
    {"config", R"G(a { b = 1
}
)G",
     R"G(Body[1:1(0)-3:1(12) end=3:1(12)-3:1(12)]
  block a@1:1(0)-1:2(1) [] open=1:3(2)-1:4(3) close=2:1(10)-2:2(11)
    Body[1:5(4)-1:10(9) end=1:10(9)-1:10(9)]
      attr b [1:5(4)-1:10(9) name=1:5(4)-1:6(5) eq=1:7(6)-1:8(7)] = Lit[1:9(8)-1:10(9)](1)
DIAG Invalid single-argument block definition | An argument definition on the same line as its containing block creates a single-line block definition, which must also be closed on the same line. Place the block's closing brace immediately after the argument definition. | 1:10(9)-2:1(10) | -
)G"},
    {"config", R"G(a { b c {} }
)G",
     R"G(Body[1:1(0)-2:1(13) end=2:1(13)-2:1(13)]
  block a@1:1(0)-1:2(1) [] open=1:3(2)-1:4(3) close=2:1(13)-2:1(13)
    Body[1:3(2)-2:1(13) end=2:1(13)-2:1(13)]
DIAG Argument definition required | A single-line block definition can contain only a single argument. If you meant to define argument "b", use an equals sign to assign it a value. To define a nested block, place it on a line of its own within its parent block. | 1:5(4)-1:8(7) | -
)G"},
    {"config", R"G(a { b = 1 } c = 2
)G",
     R"G(Body[1:1(0)-2:1(18) end=2:1(18)-2:1(18)]
  block a@1:1(0)-1:2(1) [] open=1:3(2)-1:4(3) close=1:11(10)-1:12(11)
    Body[1:5(4)-1:10(9) end=1:10(9)-1:10(9)]
      attr b [1:5(4)-1:10(9) name=1:5(4)-1:6(5) eq=1:7(6)-1:8(7)] = Lit[1:9(8)-1:10(9)](1)
DIAG Missing newline after block definition | A block definition must end with a newline. | 1:13(12)-1:14(13) | 1:1(0)-1:14(13)
)G"},
    {"config", R"G(a = 1
a = 2
)G",
     R"G(Body[1:1(0)-3:1(12) end=3:1(12)-3:1(12)]
  attr a [1:1(0)-1:6(5) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](1)
DIAG Attribute redefined | The argument "a" was already set at t.hcl:1,1-2. Each argument may be set only once. | 2:1(6)-2:2(7) | -
)G"},
    {"config", R"G(a = [1 2]
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-1:10(9) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tuple[1:5(4)-1:10(9) open=1:5(4)-1:6(5)](Lit[1:6(5)-1:7(6)](1))
DIAG Missing item separator | Expected a comma to mark the beginning of the next item. | 1:8(7)-1:9(8) | 1:5(4)-1:9(8)
)G"},
    {"config", R"G(a = [1,
2
]
)G",
     R"G(Body[1:1(0)-4:1(12) end=4:1(12)-4:1(12)]
  attr a [1:1(0)-3:2(11) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tuple[1:5(4)-3:2(11) open=1:5(4)-1:6(5)](Lit[1:6(5)-1:7(6)](1), Lit[2:1(8)-2:2(9)](2))
)G"},
    {"config", R"G(a = [1
,2]
)G",
     R"G(Body[1:1(0)-3:1(11) end=3:1(11)-3:1(11)]
  attr a [1:1(0)-2:4(10) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tuple[1:5(4)-2:4(10) open=1:5(4)-1:6(5)](Lit[1:6(5)-1:7(6)](1), Lit[2:2(8)-2:3(9)](2))
)G"},
    {"config", R"G(a = {b = 1 c = 2}
)G",
     R"G(Body[1:1(0)-2:1(18) end=2:1(18)-2:1(18)]
  attr a [1:1(0)-1:18(17) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Object[1:5(4)-1:18(17) open=1:5(4)-1:6(5)](Key[1:6(5)-1:7(6) force=false](Scope[1:6(5)-1:7(6)](b@1:6(5)-1:7(6))) = Lit[1:10(9)-1:11(10)](1))
DIAG Missing attribute separator | Expected a newline or comma to mark the beginning of the next attribute. | 1:12(11)-1:13(12) | 1:5(4)-1:13(12)
)G"},
    {"config", R"G(a = {b
}
)G",
     R"G(Body[1:1(0)-3:1(9) end=3:1(9)-3:1(9)]
  attr a [1:1(0)-2:2(8) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Object[1:5(4)-2:2(8) open=1:5(4)-1:6(5)]()
DIAG Missing attribute value | Expected an attribute value, introduced by an equals sign ("="). | 1:7(6)-2:1(7) | 1:5(4)-2:1(7)
)G"},
    {"config", R"G(a = {b c}
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-1:10(9) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Object[1:5(4)-1:10(9) open=1:5(4)-1:6(5)]()
DIAG Missing key/value separator | Expected an equals sign ("=") to mark the beginning of the attribute value. If you intended to given an attribute name containing periods or spaces, write the name in quotes to create a string literal. | 1:8(7)-1:9(8) | 1:5(4)-1:9(8)
)G"},
    {"config", R"G(a = {b = 1
)G",
     R"G(Body[1:1(0)-2:1(11) end=2:1(11)-2:1(11)]
  attr a [1:1(0)-2:1(11) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Object[1:5(4)-2:1(11) open=1:5(4)-1:6(5)](Key[1:6(5)-1:7(6) force=false](Scope[1:6(5)-1:7(6)](b@1:6(5)-1:7(6))) = Lit[1:10(9)-1:11(10)](1))
DIAG Missing expression | Expected the start of an expression, but found the end of the file. | 2:1(11)-2:1(11) | -
)G"},
    {"config", R"G(a = [1, 2
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-2:1(10) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tuple[1:5(4)-2:1(10) open=1:5(4)-1:6(5)](Lit[1:6(5)-1:7(6)](1), Lit[1:9(8)-1:10(9)](2))
DIAG Unterminated tuple constructor expression | There is no corresponding closing bracket before the end of the file. This may be caused by incorrect bracket nesting elsewhere in this file. | 1:5(4)-1:6(5) | -
)G"},
    {"config", R"G(a = f(1 2)
)G",
     R"G(Body[1:1(0)-2:1(11) end=2:1(11)-2:1(11)]
  attr a [1:1(0)-1:11(10) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Call[1:5(4)-1:11(10)](f name=1:5(4)-1:6(5) open=1:6(5)-1:7(6) close=1:10(9)-1:11(10) expand=false; Lit[1:7(6)-1:8(7)](1))
DIAG Missing argument separator | A comma is required to separate each function argument from the next. | 1:9(8)-1:10(9) | 1:5(4)-1:10(9)
)G"},
    {"config", R"G(a = f(1
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-2:1(8) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Call[1:5(4)-2:1(8)](f name=1:5(4)-1:6(5) open=1:6(5)-1:7(6) close=2:1(8)-2:1(8) expand=false; Lit[1:7(6)-1:8(7)](1))
DIAG Unterminated function call | There is no closing parenthesis for this function call before the end of the file. This may be caused by incorrect parenthesis nesting elsewhere in this file. | 1:5(4)-1:7(6) | -
)G"},
    {"config", R"G(a = f(x..., y)
)G",
     R"G(Body[1:1(0)-2:1(15) end=2:1(15)-2:1(15)]
  attr a [1:1(0)-1:15(14) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Call[1:5(4)-1:15(14)](f name=1:5(4)-1:6(5) open=1:6(5)-1:7(6) close=1:14(13)-1:15(14) expand=true; Scope[1:7(6)-1:8(7)](x@1:7(6)-1:8(7)))
DIAG Missing closing parenthesis | An expanded function argument (with ...) must be immediately followed by closing parentheses. | 1:8(7)-1:11(10) | 1:5(4)-1:11(10)
)G"},
    {"config", R"G(a = (1 + 2
)G",
     R"G(Body[1:1(0)-2:1(11) end=2:1(11)-2:1(11)]
  attr a [1:1(0)-2:1(11) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Paren[1:5(4)-2:1(11)](Bin[1:6(5)-1:11(10)](Lit[1:6(5)-1:7(6)](1) + Lit[1:10(9)-1:11(10)](2)))
DIAG Unbalanced parentheses | Expected a closing parenthesis to terminate the expression. | 2:1(11)-2:1(11) | 1:5(4)-2:1(11)
)G"},
    {"config", R"G(a = (1 +)
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-1:10(9) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:6(5)-1:7(6)](1)
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:9(8)-1:10(9) | -
)G"},
    {"config", R"G(a = 1 ?
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-1:8(7) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](1)
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:8(7)-2:1(8) | -
)G"},
    {"config", R"G(a = 1 ? 2
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-1:10(9) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](1)
DIAG Missing false expression in conditional | The conditional operator (...?...:...) requires a false expression, delimited by a colon. | 1:10(9)-2:1(10) | 1:5(4)-2:1(10)
)G"},
    {"config", R"G(a = 1 ? 2 : 
)G",
     R"G(Body[1:1(0)-2:1(13) end=2:1(13)-2:1(13)]
  attr a [1:1(0)-1:12(11) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](1)
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:13(12)-2:1(13) | -
)G"},
    {"config", R"G(a = x.
)G",
     R"G(Body[1:1(0)-2:1(7) end=2:1(7)-2:1(7)]
  attr a [1:1(0)-1:7(6) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:7(6)](unknown(dynamic))
DIAG Invalid attribute name | An attribute name is required after a dot. | 1:7(6)-2:1(7) | -
)G"},
    {"config", R"G(a = x.1.2
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-1:10(9) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Scope[1:5(4)-1:10(9)](x@1:5(4)-1:6(5)[unknown(dynamic)]@1:6(5)-1:10(9))
DIAG Invalid legacy index syntax | When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax instead, like [1][2]. | 1:7(6)-1:10(9) | -
)G"},
    {"config", R"G(a = x.*.1.2
)G",
     R"G(Body[1:1(0)-2:1(12) end=2:1(12)-2:1(12)]
  attr a [1:1(0)-1:12(11) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Splat[1:5(4)-1:12(11) marker=1:6(5)-1:8(7)](Scope[1:5(4)-1:6(5)](x@1:5(4)-1:6(5)), Rel[1:8(7)-1:12(11)](Anon[1:6(5)-1:8(7)] [unknown(dynamic)]@1:8(7)-1:12(11)))
DIAG Invalid legacy index syntax | When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax with a full splat expression [*] instead, like [1][2]. | 1:7(6)-1:8(7) | -
)G"},
    {"config", R"G(a = x.*.*
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-1:9(8) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Scope[1:5(4)-1:6(5)](x@1:5(4)-1:6(5))
DIAG Nested splat expression not allowed | A splat expression (*) cannot be used inside another attribute-only splat expression. | 1:9(8)-1:10(9) | -
)G"},
    {"config", R"G(a = x[*
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-2:1(8) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Splat[1:5(4)-2:1(8) marker=1:6(5)-2:1(8)](Scope[1:5(4)-1:6(5)](x@1:5(4)-1:6(5)), Anon[1:6(5)-2:1(8)])
DIAG Missing close bracket on splat index | The star for a full splat operator must be immediately followed by a closing bracket ("]"). | 2:1(8)-2:1(8) | -
)G"},
    {"config", R"G(a = x[1
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-2:1(8) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Scope[1:5(4)-2:1(8)](x@1:5(4)-1:6(5)[1]@1:6(5)-2:1(8))
DIAG Missing close bracket on index | The index operator must end with a closing bracket ("]"). | 2:1(8)-2:1(8) | -
)G"},
    {"config", R"G(a = [for x in y]
)G",
     R"G(Body[1:1(0)-2:1(17) end=2:1(17)-2:1(17)]
  attr a [1:1(0)-1:17(16) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:17(16)](unknown(dynamic))
DIAG Invalid 'for' expression | For expression requires a colon after the collection expression. | 1:16(15)-1:17(16) | 1:5(4)-1:17(16)
)G"},
    {"config", R"G(a = [for x in y : x]
)G",
     R"G(Body[1:1(0)-2:1(21) end=2:1(21)-2:1(21)]
  attr a [1:1(0)-1:21(20) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = For[1:5(4)-1:21(20) open=1:5(4)-1:6(5) close=1:20(19)-1:21(20)](,x in Scope[1:15(14)-1:16(15)](y@1:15(14)-1:16(15)) : nil => Scope[1:19(18)-1:20(19)](x@1:19(18)-1:20(19)) if nil group=false)
)G"},
    {"config", R"G(a = [for in y : x]
)G",
     R"G(Body[1:1(0)-2:1(19) end=2:1(19)-2:1(19)]
  attr a [1:1(0)-1:19(18) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:19(18)](unknown(dynamic))
DIAG Invalid 'for' expression | For expression requires the 'in' keyword after its name declarations. | 1:13(12)-1:14(13) | 1:5(4)-1:14(13)
)G"},
    {"config", R"G(a = [for x y : x]
)G",
     R"G(Body[1:1(0)-2:1(18) end=2:1(18)-2:1(18)]
  attr a [1:1(0)-1:18(17) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:18(17)](unknown(dynamic))
DIAG Invalid 'for' expression | For expression requires the 'in' keyword after its name declarations. | 1:12(11)-1:13(12) | 1:5(4)-1:13(12)
)G"},
    {"config", R"G(a = [for x, in y : x]
)G",
     R"G(Body[1:1(0)-2:1(22) end=2:1(22)-2:1(22)]
  attr a [1:1(0)-1:22(21) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:22(21)](unknown(dynamic))
DIAG Invalid 'for' expression | For expression requires the 'in' keyword after its name declarations. | 1:16(15)-1:17(16) | 1:5(4)-1:17(16)
)G"},
    {"config", R"G(a = [for x in y : k => x]
)G",
     R"G(Body[1:1(0)-2:1(26) end=2:1(26)-2:1(26)]
  attr a [1:1(0)-1:26(25) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = For[1:5(4)-1:26(25) open=1:5(4)-1:6(5) close=1:25(24)-1:26(25)](,x in Scope[1:15(14)-1:16(15)](y@1:15(14)-1:16(15)) : Scope[1:19(18)-1:20(19)](k@1:19(18)-1:20(19)) => Scope[1:24(23)-1:25(24)](x@1:24(23)-1:25(24)) if nil group=false)
DIAG Invalid 'for' expression | Key expression is not valid when building a tuple. | 1:19(18)-1:20(19) | 1:5(4)-1:26(25)
)G"},
    {"config", R"G(a = [for x in y : x...]
)G",
     R"G(Body[1:1(0)-2:1(24) end=2:1(24)-2:1(24)]
  attr a [1:1(0)-1:24(23) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = For[1:5(4)-1:24(23) open=1:5(4)-1:6(5) close=1:23(22)-1:24(23)](,x in Scope[1:15(14)-1:16(15)](y@1:15(14)-1:16(15)) : nil => Scope[1:19(18)-1:20(19)](x@1:19(18)-1:20(19)) if nil group=true)
DIAG Invalid 'for' expression | Grouping ellipsis (...) cannot be used when building a tuple. | 1:20(19)-1:23(22) | 1:5(4)-1:24(23)
)G"},
    {"config", R"G(a = {for x in y : x}
)G",
     R"G(Body[1:1(0)-2:1(21) end=2:1(21)-2:1(21)]
  attr a [1:1(0)-1:21(20) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = For[1:5(4)-1:21(20) open=1:5(4)-1:6(5) close=1:20(19)-1:21(20)](,x in Scope[1:15(14)-1:16(15)](y@1:15(14)-1:16(15)) : nil => Scope[1:19(18)-1:20(19)](x@1:19(18)-1:20(19)) if nil group=false)
DIAG Invalid 'for' expression | Key expression is required when building an object. | 1:19(18)-1:20(19) | 1:5(4)-1:21(20)
)G"},
    {"config", R"G(a = {for x in y : x => x if}
)G",
     R"G(Body[1:1(0)-2:1(29) end=2:1(29)-2:1(29)]
  attr a [1:1(0)-1:29(28) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:29(28)](unknown(dynamic))
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:28(27)-1:29(28) | -
)G"},
    {"config", R"G(a = [for x in y : x junk]
)G",
     R"G(Body[1:1(0)-2:1(26) end=2:1(26)-2:1(26)]
  attr a [1:1(0)-1:26(25) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = For[1:5(4)-1:26(25) open=1:5(4)-1:6(5) close=1:25(24)-1:26(25)](,x in Scope[1:15(14)-1:16(15)](y@1:15(14)-1:16(15)) : nil => Scope[1:19(18)-1:20(19)](x@1:19(18)-1:20(19)) if nil group=false)
DIAG Invalid 'for' expression | Extra characters after the end of the 'for' expression. | 1:21(20)-1:25(24) | 1:5(4)-1:25(24)
)G"},
    {"config", R"G(a = "${x"
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-2:1(10) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Wrap[1:5(4)-2:1(10)](Scope[1:8(7)-1:9(8)](x@1:8(7)-1:9(8)))
DIAG Invalid multi-line string | Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \n escape to represent a newline character or use the "heredoc" multi-line template syntax. | 1:10(9)-2:1(10) | -
DIAG Unclosed template interpolation sequence | There is no closing brace for this interpolation sequence before the end of the quoted template. This might be caused by incorrect nesting inside the given expression. | 1:6(5)-1:8(7) | -
)G"},
    {"config", R"G(a = "${x y}"
)G",
     R"G(Body[1:1(0)-2:1(13) end=2:1(13)-2:1(13)]
  attr a [1:1(0)-1:13(12) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Wrap[1:5(4)-1:13(12)](Scope[1:8(7)-1:9(8)](x@1:8(7)-1:9(8)))
DIAG Extra characters after interpolation expression | Expected a closing brace to end the interpolation expression, but found extra characters.

This can happen when you include interpolation syntax for another language, such as shell scripting, but forget to escape the interpolation start token. If this is an embedded sequence for another language, escape it by starting with "$${" instead of just "${". | 1:10(9)-1:11(10) | 1:6(5)-1:11(10)
)G"},
    {"config", R"G(a = "${x:y}"
)G",
     R"G(Body[1:1(0)-2:1(13) end=2:1(13)-2:1(13)]
  attr a [1:1(0)-1:13(12) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Wrap[1:5(4)-1:13(12)](Scope[1:8(7)-1:9(8)](x@1:8(7)-1:9(8)))
DIAG Extra characters after interpolation expression | Template interpolation doesn't expect a colon at this location. Did you intend this to be a literal sequence to be processed as part of another language? If so, you can escape it by starting with "$${" instead of just "${". | 1:9(8)-1:10(9) | 1:6(5)-1:10(9)
)G"},
    {"config", R"G(a = "%{ if x }a"
)G",
     R"G(Body[1:1(0)-2:1(17) end=2:1(17)-2:1(17)]
  attr a [1:1(0)-1:17(16) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:17(16)](Lit[1:16(15)-1:17(16)](unknown(dynamic)))
DIAG Unexpected end of template | The if directive at t.hcl:1,6-15 is missing its corresponding endif directive. | 1:16(15)-1:17(16) | -
)G"},
    {"config", R"G(a = "%{ if x }a%{ endfor }"
)G",
     R"G(Body[1:1(0)-2:1(28) end=2:1(28)-2:1(28)]
  attr a [1:1(0)-1:28(27) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:28(27)](Lit[1:16(15)-1:27(26)](unknown(dynamic)))
DIAG Unexpected endfor directive | Expecting an endif directive for the if started at t.hcl:1,6-15. | 1:16(15)-1:27(26) | -
)G"},
    {"config", R"G(a = "%{ else }"
)G",
     R"G(Body[1:1(0)-2:1(16) end=2:1(16)-2:1(16)]
  attr a [1:1(0)-1:16(15) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:16(15)](Lit[1:6(5)-1:15(14)](unknown(dynamic)))
DIAG Unexpected else directive | The control directives within this template are unbalanced. | 1:6(5)-1:15(14) | -
)G"},
    {"config", R"G(a = "%{ endif }"
)G",
     R"G(Body[1:1(0)-2:1(17) end=2:1(17)-2:1(17)]
  attr a [1:1(0)-1:17(16) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:17(16)](Lit[1:6(5)-1:16(15)](unknown(dynamic)))
DIAG Unexpected endif directive | The control directives within this template are unbalanced. | 1:6(5)-1:16(15) | -
)G"},
    {"config", R"G(a = "%{ for x in y }a%{ else }b%{ endfor }"
)G",
     R"G(Body[1:1(0)-2:1(44) end=2:1(44)-2:1(44)]
  attr a [1:1(0)-1:44(43) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:44(43)](Lit[1:22(21)-1:31(30)](unknown(dynamic)), Lit[1:31(30)-1:32(31)]("b"), Lit[1:32(31)-1:43(42)](unknown(dynamic)))
DIAG Unexpected else directive | An else clause is not expected for a for directive. | 1:22(21)-1:31(30) | -
DIAG Unexpected endfor directive | The control directives within this template are unbalanced. | 1:32(31)-1:43(42) | -
)G"},
    {"config", R"G(a = "%{ iff x }"
)G",
     R"G(Body[1:1(0)-2:1(17) end=2:1(17)-2:1(17)]
  attr a [1:1(0)-1:17(16) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:17(16)](Lit[1:8(7)-1:8(7)](""))
DIAG Invalid template control keyword | "iff" is not a valid template control keyword. Did you mean "if"? | 1:9(8)-1:12(11) | 1:6(5)-1:12(11)
)G"},
    {"config", R"G(a = "%{ for }"
)G",
     R"G(Body[1:1(0)-2:1(15) end=2:1(15)-2:1(15)]
  attr a [1:1(0)-1:15(14) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:15(14)](Lit[1:8(7)-1:8(7)](""))
DIAG Invalid 'for' directive | For directive requires variable name after 'for'. | 1:13(12)-1:14(13) | -
)G"},
    {"config", R"G(a = "%{ for x }"
)G",
     R"G(Body[1:1(0)-2:1(17) end=2:1(17)-2:1(17)]
  attr a [1:1(0)-1:17(16) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:17(16)](Lit[1:8(7)-1:8(7)](""))
DIAG Invalid 'for' directive | For directive requires 'in' keyword after names. | 1:15(14)-1:16(15) | -
)G"},
    {"config", R"G(a = "%{ for x, }"
)G",
     R"G(Body[1:1(0)-2:1(18) end=2:1(18)-2:1(18)]
  attr a [1:1(0)-1:18(17) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:18(17)](Lit[1:8(7)-1:8(7)](""))
DIAG Invalid 'for' directive | For directive requires value variable name after comma. | 1:16(15)-1:17(16) | -
)G"},
    {"config", R"G(a = "%{ if x }a%{ else }b%{ else }c%{ endif }"
)G",
     R"G(Body[1:1(0)-2:1(47) end=2:1(47)-2:1(47)]
  attr a [1:1(0)-1:47(46) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:47(46)](Lit[1:26(25)-1:35(34)](unknown(dynamic)), Lit[1:35(34)-1:36(35)]("c"), Lit[1:36(35)-1:46(45)](unknown(dynamic)))
DIAG Unexpected else directive | Already in the else clause for the if started at t.hcl:1,6-15. | 1:26(25)-1:35(34) | -
DIAG Unexpected endif directive | The control directives within this template are unbalanced. | 1:36(35)-1:46(45) | -
)G"},
    {"config", R"G(a = "%{ if x } extra }"
)G",
     R"G(Body[1:1(0)-2:1(24) end=2:1(24)-2:1(24)]
  attr a [1:1(0)-1:24(23) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:24(23)](Lit[1:23(22)-1:24(23)](unknown(dynamic)))
DIAG Unexpected end of template | The if directive at t.hcl:1,6-15 is missing its corresponding endif directive. | 1:23(22)-1:24(23) | -
)G"},
    {"config", R"G(a = "%{ 1 }"
)G",
     R"G(Body[1:1(0)-2:1(13) end=2:1(13)-2:1(13)]
  attr a [1:1(0)-1:13(12) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:13(12)](Lit[1:8(7)-1:8(7)](""))
DIAG Invalid template directive | A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence. | 1:9(8)-1:10(9) | 1:6(5)-1:10(9)
)G"},
    {"config", R"G(a = "abc
)G",
     R"G(Body[1:1(0)-2:1(9) end=2:1(9)-2:1(9)]
  attr a [1:1(0)-2:1(9) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-2:1(9)](Lit[1:6(5)-1:9(8)]("abc"))
DIAG Invalid multi-line string | Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \n escape to represent a newline character or use the "heredoc" multi-line template syntax. | 1:9(8)-2:1(9) | -
DIAG Unterminated template string | No closing marker was found for the string. | 1:9(8)-2:1(9) | 1:6(5)-2:1(9)
)G"},
    {"config", R"G(a = "\q \u12 \U1234 \ud800"
)G",
     R"G(Body[1:1(0)-2:1(28) end=2:1(28)-2:1(28)]
  attr a [1:1(0)-1:28(27) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:28(27)](Lit[1:6(5)-1:27(26)]("q \\u12 \\U1234 \\ud800"))
DIAG Invalid escape sequence | The symbol "q" is not a valid escape sequence selector. | 1:6(5)-1:8(7) | -
DIAG Invalid escape sequence | The \u escape sequence must be followed by four hexadecimal digits. | 1:9(8)-1:13(12) | -
DIAG Invalid escape sequence | The \U escape sequence must be followed by eight hexadecimal digits. | 1:14(13)-1:20(19) | -
DIAG Invalid escape sequence | Cannot encode character U+d800 in UTF-8. | 1:21(20)-1:27(26) | -
)G"},
    {"config", R"G(a "x${y}" {}
)G",
     R"G(Body[1:1(0)-2:1(13) end=2:1(13)-2:1(13)]
  block a@1:1(0)-1:2(1) ["x${ ... }"@1:3(2)-1:10(9)] open=1:11(10)-1:12(11) close=1:12(11)-1:13(12)
    Body[1:11(10)-1:13(12) end=1:13(12)-1:13(12)]
DIAG Invalid string literal | Template sequences are not allowed in this string. To include a literal "$", double it (as "$$") to escape it. | 1:5(4)-1:7(6) | 1:3(2)-1:7(6)
)G"},
    {"config", R"G(a "x%{if y}" {}
)G",
     R"G(Body[1:1(0)-2:1(16) end=2:1(16)-2:1(16)]
  block a@1:1(0)-1:2(1) ["x%{ ... }"@1:3(2)-1:13(12)] open=1:14(13)-1:15(14) close=1:15(14)-1:16(15)
    Body[1:14(13)-1:16(15) end=1:16(15)-1:16(15)]
DIAG Invalid string literal | Template sequences are not allowed in this string. To include a literal "%", double it (as "%%") to escape it. | 1:5(4)-1:7(6) | 1:3(2)-1:7(6)
)G"},
    {"config", R"G(a "x
)G",
     R"G(Body[1:1(0)-2:1(5) end=2:1(5)-2:1(5)]
  block a@1:1(0)-1:2(1) ["x"@1:3(2)-2:1(5)] open=1:1(0)-1:2(1) close=1:1(0)-1:2(1)
    Body[1:1(0)-1:2(1) end=1:1(0)-1:2(1)]
DIAG Invalid multi-line string | Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \n escape to represent a newline character or use the "heredoc" multi-line template syntax. | 1:5(4)-2:1(5) | -
DIAG Invalid string literal | This item is not valid in a string literal. | 1:5(4)-2:1(5) | 1:3(2)-2:1(5)
)G"},
    {"config", R"G(a = 1.2.3
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-1:10(9) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:10(9)](unknown(number))
DIAG Invalid number literal | Failed to recognize the value of this number literal. | 1:5(4)-1:10(9) | -
)G"},
    {"config", R"G(a = x[
)G",
     R"G(Body[1:1(0)-2:1(7) end=2:1(7)-2:1(7)]
  attr a [1:1(0)-2:1(7) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Scope[1:5(4)-2:1(7)](x@1:5(4)-1:6(5)[unknown(dynamic)]@1:6(5)-2:1(7))
DIAG Missing expression | Expected the start of an expression, but found the end of the file. | 2:1(7)-2:1(7) | -
)G"},
    {"config", R"G(a = -
)G",
     R"G(Body[1:1(0)-2:1(6) end=2:1(6)-2:1(6)]
  attr a [1:1(0)-1:6(5) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Un[1:5(4)-2:1(6) sym=1:5(4)-1:6(5)](neg Lit[1:6(5)-2:1(6)](unknown(dynamic)))
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:6(5)-2:1(6) | -
)G"},
    {"config", R"G(a = !
)G",
     R"G(Body[1:1(0)-2:1(6) end=2:1(6)-2:1(6)]
  attr a [1:1(0)-1:6(5) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Un[1:5(4)-2:1(6) sym=1:5(4)-1:6(5)](! Lit[1:6(5)-2:1(6)](unknown(dynamic)))
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:6(5)-2:1(6) | -
)G"},
    {"config", R"G(a = }
)G",
     R"G(Body[1:1(0)-2:1(6) end=2:1(6)-2:1(6)]
  attr a [1:1(0)-1:4(3) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](unknown(dynamic))
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:5(4)-1:6(5) | -
)G"},
    {"config", R"G(a = ]
)G",
     R"G(Body[1:1(0)-2:1(6) end=2:1(6)-2:1(6)]
  attr a [1:1(0)-1:4(3) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](unknown(dynamic))
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:5(4)-1:6(5) | -
)G"},
    {"config", R"G(}
)G",
     R"G(Body[1:1(0)-1:2(1) end=1:2(1)-1:2(1)]
DIAG Argument or block definition required | An argument or block definition is required here. | 1:1(0)-1:2(1) | -
)G"},
    {"config", R"G(a = & b
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-1:4(3) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](unknown(dynamic))
DIAG Unsupported operator | Bitwise operators are not supported. Did you mean boolean AND ("&&")? | 1:5(4)-1:6(5) | -
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:5(4)-1:6(5) | -
)G"},
    {"config", R"G(a = 'x'
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-1:4(3) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](unknown(dynamic))
DIAG Invalid character | Single quotes are not valid. Use double quotes (") to enclose strings. | 1:5(4)-1:6(5) | -
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:5(4)-1:6(5) | -
)G"},
    {"config", R"G(a = `x`
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-1:4(3) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](unknown(dynamic))
DIAG Invalid character | The "`" character is not valid. To create a multi-line string, use the "heredoc" syntax, like "<<EOT". | 1:5(4)-1:6(5) | -
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:5(4)-1:6(5) | -
)G"},
    {"config", R"G(a = x; b = 2
)G",
     R"G(Body[1:1(0)-2:1(13) end=2:1(13)-2:1(13)]
  attr a [1:1(0)-1:6(5) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Scope[1:5(4)-1:6(5)](x@1:5(4)-1:6(5))
DIAG Invalid character | The ";" character is not valid. Use newlines to separate arguments and blocks, and commas to separate items in collection values. | 1:6(5)-1:7(6) | -
DIAG Missing newline after argument | An argument definition must end with a newline. | 1:6(5)-1:7(6) | 1:1(0)-1:7(6)
)G"},
    {"config", R"G(	a = 1
)G",
     R"G(Body[1:2(1)-2:1(7) end=2:1(7)-2:1(7)]
  attr a [1:2(1)-1:7(6) name=1:2(1)-1:3(2) eq=1:4(3)-1:5(4)] = Lit[1:6(5)-1:7(6)](1)
)G"},
    {"config", R"G(a = 1 /* unterminated
)G",
     R"G(Body[1:1(0)-2:1(22) end=2:1(22)-2:1(22)]
  attr a [1:1(0)-1:8(7) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](1)
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:8(7)-1:9(8) | -
)G"},
    {"config", R"G(a = <<EOT
abc
)G",
     R"G(Body[1:1(0)-3:1(14) end=3:1(14)-3:1(14)]
  attr a [1:1(0)-3:1(14) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-3:1(14)](Lit[2:1(10)-3:1(14)]("abc\n"))
DIAG Unterminated template string | No closing marker was found for the string. | 3:1(14)-3:1(14) | 2:1(10)-3:1(14)
)G"},
    {"config", R"G(a = <<EOT
abc
EOT)G",
     R"G(Body[1:1(0)-3:4(17) end=3:4(17)-3:4(17)]
  attr a [1:1(0)-3:4(17) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-3:4(17)](Lit[2:1(10)-3:4(17)]("abc\nEOT"))
DIAG Unterminated template string | No closing marker was found for the string. | 3:4(17)-3:4(17) | 2:1(10)-3:4(17)
)G"},
    {"config", R"G(a = x[*].y[0].z)G",
     R"G(Body[1:1(0)-1:16(15) end=1:16(15)-1:16(15)]
  attr a [1:1(0)-1:16(15) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Splat[1:5(4)-1:16(15) marker=1:6(5)-1:9(8)](Scope[1:5(4)-1:6(5)](x@1:5(4)-1:6(5)), Rel[1:6(5)-1:16(15)](Anon[1:6(5)-1:9(8)] .y@1:9(8)-1:11(10)[0]@1:11(10)-1:14(13).z@1:14(13)-1:16(15)))
)G"},
    {"config", R"G(a = x.y.*.z)G",
     R"G(Body[1:1(0)-1:12(11) end=1:12(11)-1:12(11)]
  attr a [1:1(0)-1:12(11) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Splat[1:5(4)-1:12(11) marker=1:8(7)-1:10(9)](Scope[1:5(4)-1:8(7)](x@1:5(4)-1:6(5).y@1:6(5)-1:8(7)), Rel[1:10(9)-1:12(11)](Anon[1:8(7)-1:10(9)] .z@1:10(9)-1:12(11)))
)G"},
    {"config", R"G(a = x[*][*])G",
     R"G(Body[1:1(0)-1:12(11) end=1:12(11)-1:12(11)]
  attr a [1:1(0)-1:12(11) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Splat[1:5(4)-1:12(11) marker=1:6(5)-1:9(8)](Scope[1:5(4)-1:6(5)](x@1:5(4)-1:6(5)), Splat[1:6(5)-1:12(11) marker=1:9(8)-1:12(11)](Anon[1:6(5)-1:9(8)], Anon[1:9(8)-1:12(11)]))
)G"},
    {"config", R"G(a = foo::bar(1))G",
     R"G(Body[1:1(0)-1:16(15) end=1:16(15)-1:16(15)]
  attr a [1:1(0)-1:16(15) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Call[1:5(4)-1:16(15)](foo::bar name=1:5(4)-1:13(12) open=1:13(12)-1:14(13) close=1:15(14)-1:16(15) expand=false; Lit[1:14(13)-1:15(14)](1))
)G"},
    {"config", R"G(a = foo::(1))G",
     R"G(Body[1:1(0)-1:13(12) end=1:13(12)-1:13(12)]
  attr a [1:1(0)-1:13(12) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:11(10)](unknown(dynamic))
DIAG Missing function name | Function scope resolution symbol :: must be followed by a function name in this scope. | 1:10(9)-1:11(10) | 1:5(4)-1:11(10)
)G"},
    {"config", R"G(a = foo::bar)G",
     R"G(Body[1:1(0)-1:13(12) end=1:13(12)-1:13(12)]
  attr a [1:1(0)-1:13(12) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:13(12)](unknown(dynamic))
DIAG Missing open parenthesis | Function selector must be followed by an open parenthesis to begin the function call. | 1:13(12)-1:13(12) | 1:5(4)-1:13(12)
)G"},
    {"config", R"G(a { b = 1 })G",
     R"G(Body[1:1(0)-1:12(11) end=1:12(11)-1:12(11)]
  block a@1:1(0)-1:2(1) [] open=1:3(2)-1:4(3) close=1:11(10)-1:12(11)
    Body[1:5(4)-1:10(9) end=1:10(9)-1:10(9)]
      attr b [1:5(4)-1:10(9) name=1:5(4)-1:6(5) eq=1:7(6)-1:8(7)] = Lit[1:9(8)-1:10(9)](1)
)G"},
    {"config", R"G(a = 1 # comment
b = 2 // c
c = 3 /* x */
)G",
     R"G(Body[1:1(0)-4:1(41) end=4:1(41)-4:1(41)]
  attr a [1:1(0)-1:6(5) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](1)
  attr b [2:1(16)-2:6(21) name=2:1(16)-2:2(17) eq=2:3(18)-2:4(19)] = Lit[2:5(20)-2:6(21)](2)
  attr c [3:1(27)-3:6(32) name=3:1(27)-3:2(28) eq=3:3(29)-3:4(30)] = Lit[3:5(31)-3:6(32)](3)
)G"},
    {"config", R"G(a {
  b {
    c = 1
  }
})G",
     R"G(Body[1:1(0)-5:2(25) end=5:2(25)-5:2(25)]
  block a@1:1(0)-1:2(1) [] open=1:3(2)-1:4(3) close=5:1(24)-5:2(25)
    Body[1:3(2)-5:2(25) end=5:2(25)-5:2(25)]
      block b@2:3(6)-2:4(7) [] open=2:5(8)-2:6(9) close=4:3(22)-4:4(23)
        Body[2:5(8)-4:4(23) end=4:4(23)-4:4(23)]
          attr c [3:5(14)-3:10(19) name=3:5(14)-3:6(15) eq=3:7(16)-3:8(17)] = Lit[3:9(18)-3:10(19)](1)
)G"},
    {"config", R"G(a = {
  a = 1,
  b = 2
  c = 3,
}
)G",
     R"G(Body[1:1(0)-6:1(34) end=6:1(34)-6:1(34)]
  attr a [1:1(0)-5:2(33) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Object[1:5(4)-5:2(33) open=1:5(4)-1:6(5)](Key[2:3(8)-2:4(9) force=false](Scope[2:3(8)-2:4(9)](a@2:3(8)-2:4(9))) = Lit[2:7(12)-2:8(13)](1), Key[3:3(17)-3:4(18) force=false](Scope[3:3(17)-3:4(18)](b@3:3(17)-3:4(18))) = Lit[3:7(21)-3:8(22)](2), Key[4:3(25)-4:4(26) force=false](Scope[4:3(25)-4:4(26)](c@4:3(25)-4:4(26))) = Lit[4:7(29)-4:8(30)](3))
)G"},
    {"config", R"G(a = [
  for x in y:
  x
]
)G",
     R"G(Body[1:1(0)-5:1(26) end=5:1(26)-5:1(26)]
  attr a [1:1(0)-4:2(25) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = For[1:5(4)-4:2(25) open=1:5(4)-1:6(5) close=4:1(24)-4:2(25)](,x in Scope[2:12(17)-2:13(18)](y@2:12(17)-2:13(18)) : nil => Scope[3:3(22)-3:4(23)](x@3:3(22)-3:4(23)) if nil group=false)
)G"},
    {"config", R"G(a = {
  for k, v in y:
  k => v
}
)G",
     R"G(Body[1:1(0)-5:1(34) end=5:1(34)-5:1(34)]
  attr a [1:1(0)-4:2(33) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = For[1:5(4)-4:2(33) open=1:5(4)-1:6(5) close=4:1(32)-4:2(33)](k,v in Scope[2:15(20)-2:16(21)](y@2:15(20)-2:16(21)) : Scope[3:3(25)-3:4(26)](k@3:3(25)-3:4(26)) => Scope[3:8(30)-3:9(31)](v@3:8(30)-3:9(31)) if nil group=false)
)G"},
    {"config", R"G(a = f(
1,
2
)
)G",
     R"G(Body[1:1(0)-5:1(14) end=5:1(14)-5:1(14)]
  attr a [1:1(0)-4:2(13) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Call[1:5(4)-4:2(13)](f name=1:5(4)-1:6(5) open=1:6(5)-1:7(6) close=4:1(12)-4:2(13) expand=false; Lit[2:1(7)-2:2(8)](1), Lit[3:1(10)-3:2(11)](2))
)G"},
    {"config", R"G(a = x[
1
]
)G",
     R"G(Body[1:1(0)-4:1(11) end=4:1(11)-4:1(11)]
  attr a [1:1(0)-3:2(10) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Scope[1:5(4)-3:2(10)](x@1:5(4)-1:6(5)[1]@1:6(5)-3:2(10))
)G"},
    {"config", R"G(a = (
1
+
2
)
)G",
     R"G(Body[1:1(0)-6:1(14) end=6:1(14)-6:1(14)]
  attr a [1:1(0)-5:2(13) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Paren[1:5(4)-5:2(13)](Bin[2:1(6)-4:2(11)](Lit[2:1(6)-2:2(7)](1) + Lit[4:1(10)-4:2(11)](2)))
)G"},
    {"config", R"G(a = 1 +
2
)G",
     R"G(Body[1:1(0)-2:2(9) end=2:2(9)-2:2(9)]
  attr a [1:1(0)-1:8(7) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](1)
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:8(7)-2:1(8) | -
)G"},
    {"config", R"G(a = 1
+ 2
)G",
     R"G(Body[1:1(0)-2:2(7) end=2:2(7)-2:2(7)]
  attr a [1:1(0)-1:6(5) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:6(5)](1)
DIAG Argument or block definition required | An argument or block definition is required here. | 2:1(6)-2:2(7) | -
)G"},
    {"config", R"G(a = x
.y
)G",
     R"G(Body[1:1(0)-2:2(7) end=2:2(7)-2:2(7)]
  attr a [1:1(0)-1:6(5) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Scope[1:5(4)-1:6(5)](x@1:5(4)-1:6(5))
DIAG Argument or block definition required | An argument or block definition is required here. | 2:1(6)-2:2(7) | -
)G"},
    {"config", R"G(a = "%{~ if true ~} x %{~ endif ~}"
)G",
     R"G(Body[1:1(0)-2:1(36) end=2:1(36)-2:1(36)]
  attr a [1:1(0)-1:36(35) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:36(35)](Cond[1:6(5)-1:35(34)](Lit[1:13(12)-1:17(16)](true) ? Tmpl[1:20(19)-1:23(22)](Lit[1:20(19)-1:23(22)]("x")) : Tmpl[1:23(22)-1:23(22)](Lit[1:23(22)-1:23(22)](""))))
)G"},
    {"config", R"G(a = "  ${~ x ~}  "
)G",
     R"G(Body[1:1(0)-2:1(19) end=2:1(19)-2:1(19)]
  attr a [1:1(0)-1:19(18) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:19(18)](Lit[1:6(5)-1:8(7)](""), Scope[1:12(11)-1:13(12)](x@1:12(11)-1:13(12)), Lit[1:16(15)-1:18(17)](""))
)G"},
    {"config", R"G(a = <<-EOT
    x

  y
  EOT
)G",
     R"G(Body[1:1(0)-6:1(28) end=6:1(28)-6:1(28)]
  attr a [1:1(0)-5:6(27) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-5:6(27)](Lit[2:3(13)-5:1(22)]("  x\n\ny\n"))
)G"},
    {"config", R"G(a = <<-EOT
  x ${y} z
   w
  EOT
)G",
     R"G(Body[1:1(0)-5:1(33) end=5:1(33)-5:1(33)]
  attr a [1:1(0)-4:6(32) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-4:6(32)](Lit[2:3(13)-2:5(15)]("x "), Scope[2:7(17)-2:8(18)](y@2:7(17)-2:8(18)), Lit[2:9(19)-4:1(27)](" z\n w\n"))
)G"},
    {"config", R"G(a = ""
)G",
     R"G(Body[1:1(0)-2:1(7) end=2:1(7)-2:1(7)]
  attr a [1:1(0)-1:7(6) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:7(6)](Lit[1:7(6)-1:7(6)](""))
)G"},
    {"config", R"G(a = "${x}${y}"
)G",
     R"G(Body[1:1(0)-2:1(15) end=2:1(15)-2:1(15)]
  attr a [1:1(0)-1:15(14) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:15(14)](Scope[1:8(7)-1:9(8)](x@1:8(7)-1:9(8)), Scope[1:12(11)-1:13(12)](y@1:12(11)-1:13(12)))
)G"},
    {"config", R"G(a = "$${x} %%{y} $ % $$ %%"
)G",
     R"G(Body[1:1(0)-2:1(28) end=2:1(28)-2:1(28)]
  attr a [1:1(0)-1:28(27) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:28(27)](Lit[1:6(5)-1:27(26)]("${x} %{y} $ % $$ %%"))
)G"},
    {"config", R"G(a = 007
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-1:8(7) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:8(7)](7)
)G"},
    {"config", R"G(a = 1e3
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-1:8(7) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:8(7)](1000)
)G"},
    {"config", R"G(a = 1.5e-3
)G",
     R"G(Body[1:1(0)-2:1(11) end=2:1(11)-2:1(11)]
  attr a [1:1(0)-1:11(10) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Lit[1:5(4)-1:11(10)](0.0015)
)G"},
    {"config", R"G(a = x.0
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-1:8(7) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Scope[1:5(4)-1:8(7)](x@1:5(4)-1:6(5)[0]@1:6(5)-1:8(7))
)G"},
    {"config", R"G(a = x.0.y
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-1:10(9) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Scope[1:5(4)-1:10(9)](x@1:5(4)-1:6(5)[0]@1:6(5)-1:8(7).y@1:8(7)-1:10(9))
)G"},
    {"config", R"G(a = x[0][1]
)G",
     R"G(Body[1:1(0)-2:1(12) end=2:1(12)-2:1(12)]
  attr a [1:1(0)-1:12(11) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Scope[1:5(4)-1:12(11)](x@1:5(4)-1:6(5)[0]@1:6(5)-1:9(8)[1]@1:9(8)-1:12(11))
)G"},
    {"config", R"G(a = x["a"]["b"]
)G",
     R"G(Body[1:1(0)-2:1(16) end=2:1(16)-2:1(16)]
  attr a [1:1(0)-1:16(15) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Scope[1:5(4)-1:16(15)](x@1:5(4)-1:6(5)["a"]@1:6(5)-1:11(10)["b"]@1:11(10)-1:16(15))
)G"},
    {"config", R"G(a = x[-1]
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-1:10(9) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Index[1:5(4)-1:10(9) open=1:6(5)-1:7(6) br=1:6(5)-1:10(9)](Scope[1:5(4)-1:6(5)](x@1:5(4)-1:6(5)), Un[1:7(6)-1:9(8) sym=1:7(6)-1:8(7)](neg Lit[1:8(7)-1:9(8)](1)))
)G"},
    {"config", R"G(a = -x.y
)G",
     R"G(Body[1:1(0)-2:1(9) end=2:1(9)-2:1(9)]
  attr a [1:1(0)-1:9(8) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Un[1:5(4)-1:9(8) sym=1:5(4)-1:6(5)](neg Scope[1:6(5)-1:9(8)](x@1:6(5)-1:7(6).y@1:7(6)-1:9(8)))
)G"},
    {"config", R"G(a = !x[0]
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-1:10(9) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Un[1:5(4)-1:10(9) sym=1:5(4)-1:6(5)](! Scope[1:6(5)-1:10(9)](x@1:6(5)-1:7(6)[0]@1:7(6)-1:10(9)))
)G"},
    {"config", R"G(a = -1 + 2
)G",
     R"G(Body[1:1(0)-2:1(11) end=2:1(11)-2:1(11)]
  attr a [1:1(0)-1:11(10) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Bin[1:5(4)-1:11(10)](Un[1:5(4)-1:7(6) sym=1:5(4)-1:6(5)](neg Lit[1:6(5)-1:7(6)](1)) + Lit[1:10(9)-1:11(10)](2))
)G"},
    {"config", R"G(a = 1 - -2
)G",
     R"G(Body[1:1(0)-2:1(11) end=2:1(11)-2:1(11)]
  attr a [1:1(0)-1:11(10) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Bin[1:5(4)-1:11(10)](Lit[1:5(4)-1:6(5)](1) - Un[1:9(8)-1:11(10) sym=1:9(8)-1:10(9)](neg Lit[1:10(9)-1:11(10)](2)))
)G"},
    {"config", R"G(a = a == b != c
)G",
     R"G(Body[1:1(0)-2:1(16) end=2:1(16)-2:1(16)]
  attr a [1:1(0)-1:16(15) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Bin[1:5(4)-1:16(15)](Bin[1:5(4)-1:11(10)](Scope[1:5(4)-1:6(5)](a@1:5(4)-1:6(5)) == Scope[1:10(9)-1:11(10)](b@1:10(9)-1:11(10))) != Scope[1:15(14)-1:16(15)](c@1:15(14)-1:16(15)))
)G"},
    {"config", R"G(a = a < b > c
)G",
     R"G(Body[1:1(0)-2:1(14) end=2:1(14)-2:1(14)]
  attr a [1:1(0)-1:14(13) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Bin[1:5(4)-1:14(13)](Bin[1:5(4)-1:10(9)](Scope[1:5(4)-1:6(5)](a@1:5(4)-1:6(5)) < Scope[1:9(8)-1:10(9)](b@1:9(8)-1:10(9))) > Scope[1:13(12)-1:14(13)](c@1:13(12)-1:14(13)))
)G"},
    {"config", R"G(a = (a)
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-1:8(7) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Paren[1:5(4)-1:8(7)](Scope[1:6(5)-1:7(6)](a@1:6(5)-1:7(6)))
)G"},
    {"config", R"G(a = {(a) = 1, "b" = 2, c = 3, 4 = 5}
)G",
     R"G(Body[1:1(0)-2:1(37) end=2:1(37)-2:1(37)]
  attr a [1:1(0)-1:37(36) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Object[1:5(4)-1:37(36) open=1:5(4)-1:6(5)](Key[1:6(5)-1:9(8) force=true](Paren[1:6(5)-1:9(8)](Scope[1:7(6)-1:8(7)](a@1:7(6)-1:8(7)))) = Lit[1:12(11)-1:13(12)](1), Key[1:15(14)-1:18(17) force=false](Tmpl[1:15(14)-1:18(17)](Lit[1:16(15)-1:17(16)]("b"))) = Lit[1:21(20)-1:22(21)](2), Key[1:24(23)-1:25(24) force=false](Scope[1:24(23)-1:25(24)](c@1:24(23)-1:25(24))) = Lit[1:28(27)-1:29(28)](3), Key[1:31(30)-1:32(31) force=false](Lit[1:31(30)-1:32(31)](4)) = Lit[1:35(34)-1:36(35)](5))
)G"},
    {"config", R"G(a = {a: 1, b: 2}
)G",
     R"G(Body[1:1(0)-2:1(17) end=2:1(17)-2:1(17)]
  attr a [1:1(0)-1:17(16) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Object[1:5(4)-1:17(16) open=1:5(4)-1:6(5)](Key[1:6(5)-1:7(6) force=false](Scope[1:6(5)-1:7(6)](a@1:6(5)-1:7(6))) = Lit[1:9(8)-1:10(9)](1), Key[1:12(11)-1:13(12) force=false](Scope[1:12(11)-1:13(12)](b@1:12(11)-1:13(12))) = Lit[1:15(14)-1:16(15)](2))
)G"},
    {"config", R"G(block "a" "b" c {
}
)G",
     R"G(Body[1:1(0)-3:1(20) end=3:1(20)-3:1(20)]
  block block@1:1(0)-1:6(5) ["a"@1:7(6)-1:10(9) "b"@1:11(10)-1:14(13) "c"@1:15(14)-1:16(15)] open=1:17(16)-1:18(17) close=2:1(18)-2:2(19)
    Body[1:17(16)-2:2(19) end=2:2(19)-2:2(19)]
)G"},
    {"config", R"G(block "a\nb" {}
)G",
     R"G(Body[1:1(0)-2:1(16) end=2:1(16)-2:1(16)]
  block block@1:1(0)-1:6(5) ["a\nb"@1:7(6)-1:13(12)] open=1:14(13)-1:15(14) close=1:15(14)-1:16(15)
    Body[1:14(13)-1:16(15) end=1:16(15)-1:16(15)]
)G"},
    {"config", R"G(a = f()
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-1:8(7) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Call[1:5(4)-1:8(7)](f name=1:5(4)-1:6(5) open=1:6(5)-1:7(6) close=1:7(6)-1:8(7) expand=false; )
)G"},
    {"config", R"G(a = f(,)
)G",
     R"G(Body[1:1(0)-2:1(9) end=2:1(9)-2:1(9)]
  attr a [1:1(0)-1:9(8) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Call[1:5(4)-1:9(8)](f name=1:5(4)-1:6(5) open=1:6(5)-1:7(6) close=1:8(7)-1:9(8) expand=false; Lit[1:7(6)-1:8(7)](unknown(dynamic)))
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:7(6)-1:8(7) | -
)G"},
    {"config", R"G(a = f(1,)
)G",
     R"G(Body[1:1(0)-2:1(10) end=2:1(10)-2:1(10)]
  attr a [1:1(0)-1:10(9) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Call[1:5(4)-1:10(9)](f name=1:5(4)-1:6(5) open=1:6(5)-1:7(6) close=1:9(8)-1:10(9) expand=false; Lit[1:7(6)-1:8(7)](1))
)G"},
    {"config", R"G(a = f(1,,2)
)G",
     R"G(Body[1:1(0)-2:1(12) end=2:1(12)-2:1(12)]
  attr a [1:1(0)-1:12(11) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Call[1:5(4)-1:12(11)](f name=1:5(4)-1:6(5) open=1:6(5)-1:7(6) close=1:11(10)-1:12(11) expand=false; Lit[1:7(6)-1:8(7)](1), Lit[1:9(8)-1:10(9)](unknown(dynamic)))
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:9(8)-1:10(9) | -
)G"},
    {"config", R"G(a = f(...)
)G",
     R"G(Body[1:1(0)-2:1(11) end=2:1(11)-2:1(11)]
  attr a [1:1(0)-1:11(10) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Call[1:5(4)-1:11(10)](f name=1:5(4)-1:6(5) open=1:6(5)-1:7(6) close=1:10(9)-1:11(10) expand=false; Lit[1:7(6)-1:10(9)](unknown(dynamic)))
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:7(6)-1:10(9) | -
)G"},
    {"config", R"G(a = [,]
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-1:8(7) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tuple[1:5(4)-1:8(7) open=1:5(4)-1:6(5)](Lit[1:6(5)-1:7(6)](unknown(dynamic)))
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:6(5)-1:7(6) | -
)G"},
    {"config", R"G(a = {,}
)G",
     R"G(Body[1:1(0)-2:1(8) end=2:1(8)-2:1(8)]
  attr a [1:1(0)-1:8(7) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Object[1:5(4)-1:8(7) open=1:5(4)-1:6(5)]()
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:6(5)-1:7(6) | -
)G"},
    {"config", R"G(a = [1,,2]
)G",
     R"G(Body[1:1(0)-2:1(11) end=2:1(11)-2:1(11)]
  attr a [1:1(0)-1:11(10) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tuple[1:5(4)-1:11(10) open=1:5(4)-1:6(5)](Lit[1:6(5)-1:7(6)](1), Lit[1:8(7)-1:9(8)](unknown(dynamic)))
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:8(7)-1:9(8) | -
)G"},
    {"config", R"G(Hello ${name}!
%{ if x ~}
  yes
%{~ else ~}
  no
%{ endif }
)G",
     R"G(Body[1:1(0)-2:2(16) end=2:2(16)-2:2(16)]
DIAG Invalid character | This character is not used within the language. | 1:7(6)-1:8(7) | -
DIAG Unsupported operator | Bitwise operators are not supported. Did you mean boolean NOT ("!")? | 4:3(34)-4:4(35) | -
DIAG Argument or block definition required | An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value. | 1:1(0)-1:6(5) | -
)G"},
    {"config", R"G(%{ for k, v in m ~}
${k}=${v}
%{ endfor ~}
)G",
     R"G(Body[1:1(0)-1:2(1) end=1:2(1)-1:2(1)]
DIAG Invalid character | This character is not used within the language. | 2:1(20)-2:2(21) | -
DIAG Invalid character | This character is not used within the language. | 2:6(25)-2:7(26) | -
DIAG Argument or block definition required | An argument or block definition is required here. | 1:1(0)-1:2(1) | -
)G"},
    {"config", R"G(  a
    ${b}
  c
)G",
     R"G(Body[1:3(2)-2:6(9) end=2:6(9)-2:6(9)]
DIAG Invalid character | This character is not used within the language. | 2:5(8)-2:6(9) | -
DIAG Argument or block definition required | An argument or block definition is required here. To set an argument, use the equals sign "=" to introduce the argument value. | 1:3(2)-1:4(3) | -
)G"},
    {"config", R"G(x = <<-EOT
    hello
      ${world}
    %{ if a }b%{ endif }
  EOT
y = <<EOT
  raw
EOT
)G",
     R"G(Body[1:1(0)-9:1(87) end=9:1(87)-9:1(87)]
  attr x [1:1(0)-5:6(66) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-5:6(66)](Lit[2:5(15)-3:7(27)]("hello\n  "), Scope[3:9(29)-3:14(34)](world@3:9(29)-3:14(34)), Lit[3:15(35)-4:5(40)]("\n"), Cond[4:5(40)-4:25(60)](Scope[4:11(46)-4:12(47)](a@4:11(46)-4:12(47)) ? Tmpl[4:14(49)-4:15(50)](Lit[4:14(49)-4:15(50)]("b")) : Tmpl[4:15(50)-4:15(50)](Lit[4:15(50)-4:15(50)](""))), Lit[4:25(60)-5:1(61)]("\n"))
  attr y [6:1(67)-8:4(86) name=6:1(67)-6:2(68) eq=6:3(69)-6:4(70)] = Tmpl[6:5(71)-8:4(86)](Lit[7:1(77)-8:1(83)]("  raw\n"))
)G"},
    {"config", R"G(x = "a ${b} c %{ for i in l }${i}%{ endfor } d"
)G",
     R"G(Body[1:1(0)-2:1(48) end=2:1(48)-2:1(48)]
  attr x [1:1(0)-1:48(47) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:48(47)](Lit[1:6(5)-1:8(7)]("a "), Scope[1:10(9)-1:11(10)](b@1:10(9)-1:11(10)), Lit[1:12(11)-1:15(14)](" c "), Join[1:15(14)-1:45(44)](For[1:15(14)-1:45(44) open=1:15(14)-1:30(29) close=1:34(33)-1:45(44)](,i in Scope[1:27(26)-1:28(27)](l@1:27(26)-1:28(27)) : nil => Tmpl[1:32(31)-1:33(32)](Scope[1:32(31)-1:33(32)](i@1:32(31)-1:33(32))) if nil group=false)), Lit[1:45(44)-1:47(46)](" d"))
)G"},
    {"config", R"G(x = "$${a} %%{b} \n\t\"\\ \u00e9 \U0001F600"
)G",
     R"G(Body[1:1(0)-2:1(45) end=2:1(45)-2:1(45)]
  attr x [1:1(0)-1:45(44) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tmpl[1:5(4)-1:45(44)](Lit[1:6(5)-1:44(43)]("${a} %{b} \n\t\"\\ é 😀"))
)G"},
    {"config", R"G(x = "${a ? "${b}" : c}"
)G",
     R"G(Body[1:1(0)-2:1(24) end=2:1(24)-2:1(24)]
  attr x [1:1(0)-1:24(23) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Wrap[1:5(4)-1:24(23)](Cond[1:8(7)-1:22(21)](Scope[1:8(7)-1:9(8)](a@1:8(7)-1:9(8)) ? Wrap[1:12(11)-1:18(17)](Scope[1:15(14)-1:16(15)](b@1:15(14)-1:16(15))) : Scope[1:21(20)-1:22(21)](c@1:21(20)-1:22(21))))
)G"},
    {"config", R"G(x = [a.b.c, a[0].b, a[*].b, a.*.b, (a).b, f(a).b, [1][0], {a=1}.a]
)G",
     R"G(Body[1:1(0)-2:1(67) end=2:1(67)-2:1(67)]
  attr x [1:1(0)-1:67(66) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Tuple[1:5(4)-1:67(66) open=1:5(4)-1:6(5)](Scope[1:6(5)-1:11(10)](a@1:6(5)-1:7(6).b@1:7(6)-1:9(8).c@1:9(8)-1:11(10)), Scope[1:13(12)-1:19(18)](a@1:13(12)-1:14(13)[0]@1:14(13)-1:17(16).b@1:17(16)-1:19(18)), Splat[1:21(20)-1:27(26) marker=1:22(21)-1:25(24)](Scope[1:21(20)-1:22(21)](a@1:21(20)-1:22(21)), Rel[1:22(21)-1:27(26)](Anon[1:22(21)-1:25(24)] .b@1:25(24)-1:27(26))), Splat[1:29(28)-1:34(33) marker=1:30(29)-1:32(31)](Scope[1:29(28)-1:30(29)](a@1:29(28)-1:30(29)), Rel[1:32(31)-1:34(33)](Anon[1:30(29)-1:32(31)] .b@1:32(31)-1:34(33))), Rel[1:36(35)-1:41(40)](Paren[1:36(35)-1:39(38)](Scope[1:37(36)-1:38(37)](a@1:37(36)-1:38(37))) .b@1:39(38)-1:41(40)), Rel[1:43(42)-1:49(48)](Call[1:43(42)-1:47(46)](f name=1:43(42)-1:44(43) open=1:44(43)-1:45(44) close=1:46(45)-1:47(46) expand=false; Scope[1:45(44)-1:46(45)](a@1:45(44)-1:46(45))) .b@1:47(46)-1:49(48)), Rel[1:51(50)-1:57(56)](Tuple[1:51(50)-1:54(53) open=1:51(50)-1:52(51)](Lit[1:52(51)-1:53(52)](1)) [0]@1:54(53)-1:57(56)), Rel[1:59(58)-1:66(65)](Object[1:59(58)-1:64(63) open=1:59(58)-1:60(59)](Key[1:60(59)-1:61(60) force=false](Scope[1:60(59)-1:61(60)](a@1:60(59)-1:61(60))) = Lit[1:62(61)-1:63(62)](1)) .a@1:64(63)-1:66(65)))
)G"},
    {"config", R"G(x = {for i, v in l: v => i... if i > 0}
)G",
     R"G(Body[1:1(0)-2:1(40) end=2:1(40)-2:1(40)]
  attr x [1:1(0)-1:40(39) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = For[1:5(4)-1:40(39) open=1:5(4)-1:6(5) close=1:39(38)-1:40(39)](i,v in Scope[1:18(17)-1:19(18)](l@1:18(17)-1:19(18)) : Scope[1:21(20)-1:22(21)](v@1:21(20)-1:22(21)) => Scope[1:26(25)-1:27(26)](i@1:26(25)-1:27(26)) if Bin[1:34(33)-1:39(38)](Scope[1:34(33)-1:35(34)](i@1:34(33)-1:35(34)) > Lit[1:38(37)-1:39(38)](0)) group=true)
)G"},
    {"config", R"G(x = a.b["c"][0].d[x + 1]
)G",
     R"G(Body[1:1(0)-2:1(25) end=2:1(25)-2:1(25)]
  attr x [1:1(0)-1:25(24) name=1:1(0)-1:2(1) eq=1:3(2)-1:4(3)] = Index[1:5(4)-1:25(24) open=1:18(17)-1:19(18) br=1:18(17)-1:25(24)](Scope[1:5(4)-1:18(17)](a@1:5(4)-1:6(5).b@1:6(5)-1:8(7)["c"]@1:8(7)-1:13(12)[0]@1:13(12)-1:16(15).d@1:16(15)-1:18(17)), Bin[1:19(18)-1:24(23)](Scope[1:19(18)-1:20(19)](x@1:19(18)-1:20(19)) + Lit[1:23(22)-1:24(23)](1)))
)G"},
    {"expr", R"G(Hello ${name}!
%{ if x ~}
  yes
%{~ else ~}
  no
%{ endif }
)G",
     R"G(Scope[1:1(0)-1:6(5)](Hello@1:1(0)-1:6(5))
DIAG Invalid character | This character is not used within the language. | 1:7(6)-1:8(7) | -
DIAG Unsupported operator | Bitwise operators are not supported. Did you mean boolean NOT ("!")? | 4:3(34)-4:4(35) | -
DIAG Extra characters after expression | An expression was successfully parsed, but extra characters were found after it. | 1:7(6)-1:8(7) | -
)G"},
    {"expr", R"G(%{ for k, v in m ~}
${k}=${v}
%{ endfor ~}
)G",
     R"G(Lit[1:1(0)-1:2(1)](unknown(dynamic))
DIAG Invalid character | This character is not used within the language. | 2:1(20)-2:2(21) | -
DIAG Invalid character | This character is not used within the language. | 2:6(25)-2:7(26) | -
DIAG Invalid expression | Expected the start of an expression, but found an invalid expression token. | 1:1(0)-1:2(1) | -
)G"},
    {"expr", R"G(  a
    ${b}
  c
)G",
     R"G(Scope[1:3(2)-1:4(3)](a@1:3(2)-1:4(3))
DIAG Invalid character | This character is not used within the language. | 2:5(8)-2:6(9) | -
DIAG Extra characters after expression | An expression was successfully parsed, but extra characters were found after it. | 2:5(8)-2:6(9) | -
)G"},
    {"expr", R"G(x = <<-EOT
    hello
      ${world}
    %{ if a }b%{ endif }
  EOT
y = <<EOT
  raw
EOT
)G",
     R"G(Scope[1:1(0)-1:2(1)](x@1:1(0)-1:2(1))
DIAG Extra characters after expression | An expression was successfully parsed, but extra characters were found after it. | 1:3(2)-1:4(3) | -
)G"},
    {"expr", R"G(x = "a ${b} c %{ for i in l }${i}%{ endfor } d"
)G",
     R"G(Scope[1:1(0)-1:2(1)](x@1:1(0)-1:2(1))
DIAG Extra characters after expression | An expression was successfully parsed, but extra characters were found after it. | 1:3(2)-1:4(3) | -
)G"},
    {"expr", R"G(x = "$${a} %%{b} \n\t\"\\ \u00e9 \U0001F600"
)G",
     R"G(Scope[1:1(0)-1:2(1)](x@1:1(0)-1:2(1))
DIAG Extra characters after expression | An expression was successfully parsed, but extra characters were found after it. | 1:3(2)-1:4(3) | -
)G"},
    {"expr", R"G(x = "${a ? "${b}" : c}"
)G",
     R"G(Scope[1:1(0)-1:2(1)](x@1:1(0)-1:2(1))
DIAG Extra characters after expression | An expression was successfully parsed, but extra characters were found after it. | 1:3(2)-1:4(3) | -
)G"},
    {"expr", R"G(x = [a.b.c, a[0].b, a[*].b, a.*.b, (a).b, f(a).b, [1][0], {a=1}.a]
)G",
     R"G(Scope[1:1(0)-1:2(1)](x@1:1(0)-1:2(1))
DIAG Extra characters after expression | An expression was successfully parsed, but extra characters were found after it. | 1:3(2)-1:4(3) | -
)G"},
    {"expr", R"G(x = {for i, v in l: v => i... if i > 0}
)G",
     R"G(Scope[1:1(0)-1:2(1)](x@1:1(0)-1:2(1))
DIAG Extra characters after expression | An expression was successfully parsed, but extra characters were found after it. | 1:3(2)-1:4(3) | -
)G"},
    {"expr", R"G(x = a.b["c"][0].d[x + 1]
)G",
     R"G(Scope[1:1(0)-1:2(1)](x@1:1(0)-1:2(1))
DIAG Extra characters after expression | An expression was successfully parsed, but extra characters were found after it. | 1:3(2)-1:4(3) | -
)G"},
    {"expr", R"G(a
+
b)G",
     R"G(Bin[1:1(0)-3:2(5)](Scope[1:1(0)-1:2(1)](a@1:1(0)-1:2(1)) + Scope[3:1(4)-3:2(5)](b@3:1(4)-3:2(5)))
)G"},
    {"expr", R"G(1 2)G",
     R"G(Lit[1:1(0)-1:2(1)](1)
DIAG Extra characters after expression | An expression was successfully parsed, but extra characters were found after it. | 1:3(2)-1:4(3) | -
)G"},
    {"expr", R"G(foo(
  1,
  2,
))G",
     R"G(Call[1:1(0)-4:2(16)](foo name=1:1(0)-1:4(3) open=1:4(3)-1:5(4) close=4:1(15)-4:2(16) expand=false; Lit[2:3(7)-2:4(8)](1), Lit[3:3(12)-3:4(13)](2))
)G"},
    {"expr", R"G([for x in y : x if x])G",
     R"G(For[1:1(0)-1:22(21) open=1:1(0)-1:2(1) close=1:21(20)-1:22(21)](,x in Scope[1:11(10)-1:12(11)](y@1:11(10)-1:12(11)) : nil => Scope[1:15(14)-1:16(15)](x@1:15(14)-1:16(15)) if Scope[1:20(19)-1:21(20)](x@1:20(19)-1:21(20)) group=false)
)G"},
    {"expr", R"G({ for k, v in m : k => v })G",
     R"G(For[1:1(0)-1:27(26) open=1:1(0)-1:2(1) close=1:26(25)-1:27(26)](k,v in Scope[1:15(14)-1:16(15)](m@1:15(14)-1:16(15)) : Scope[1:19(18)-1:20(19)](k@1:19(18)-1:20(19)) => Scope[1:24(23)-1:25(24)](v@1:24(23)-1:25(24)) if nil group=false)
)G"},
    {"expr", R"G(a ? b : c ? d : e)G",
     R"G(Cond[1:1(0)-1:18(17)](Scope[1:1(0)-1:2(1)](a@1:1(0)-1:2(1)) ? Scope[1:5(4)-1:6(5)](b@1:5(4)-1:6(5)) : Cond[1:9(8)-1:18(17)](Scope[1:9(8)-1:10(9)](c@1:9(8)-1:10(9)) ? Scope[1:13(12)-1:14(13)](d@1:13(12)-1:14(13)) : Scope[1:17(16)-1:18(17)](e@1:17(16)-1:18(17))))
)G"},
    {"expr", R"G(a || b && c == d)G",
     R"G(Bin[1:1(0)-1:17(16)](Scope[1:1(0)-1:2(1)](a@1:1(0)-1:2(1)) || Bin[1:6(5)-1:17(16)](Scope[1:6(5)-1:7(6)](b@1:6(5)-1:7(6)) && Bin[1:11(10)-1:17(16)](Scope[1:11(10)-1:12(11)](c@1:11(10)-1:12(11)) == Scope[1:16(15)-1:17(16)](d@1:16(15)-1:17(16)))))
)G"},
    {"expr", R"G(-1 - -1)G",
     R"G(Bin[1:1(0)-1:8(7)](Un[1:1(0)-1:3(2) sym=1:1(0)-1:2(1)](neg Lit[1:2(1)-1:3(2)](1)) - Un[1:6(5)-1:8(7) sym=1:6(5)-1:7(6)](neg Lit[1:7(6)-1:8(7)](1)))
)G"},
    {"expr", R"G(!a.b[0])G",
     R"G(Un[1:1(0)-1:8(7) sym=1:1(0)-1:2(1)](! Scope[1:2(1)-1:8(7)](a@1:2(1)-1:3(2).b@1:3(2)-1:5(4)[0]@1:5(4)-1:8(7)))
)G"},
    {"expr", R"G(x.y.*.z[0])G",
     R"G(Rel[1:1(0)-1:11(10)](Splat[1:1(0)-1:8(7) marker=1:4(3)-1:6(5)](Scope[1:1(0)-1:4(3)](x@1:1(0)-1:2(1).y@1:2(1)-1:4(3)), Rel[1:6(5)-1:8(7)](Anon[1:4(3)-1:6(5)] .z@1:6(5)-1:8(7))) [0]@1:8(7)-1:11(10))
)G"},
    {"expr", R"G(x[*].y.z[0])G",
     R"G(Splat[1:1(0)-1:12(11) marker=1:2(1)-1:5(4)](Scope[1:1(0)-1:2(1)](x@1:1(0)-1:2(1)), Rel[1:2(1)-1:12(11)](Anon[1:2(1)-1:5(4)] .y@1:5(4)-1:7(6).z@1:7(6)-1:9(8)[0]@1:9(8)-1:12(11)))
)G"},
    {"expr", R"G("${a}${b}")G",
     R"G(Tmpl[1:1(0)-1:11(10)](Scope[1:4(3)-1:5(4)](a@1:4(3)-1:5(4)), Scope[1:8(7)-1:9(8)](b@1:8(7)-1:9(8)))
)G"},
    {"expr", R"G(<<EOT
hi
EOT
)G",
     R"G(Tmpl[1:1(0)-3:4(12)](Lit[2:1(6)-3:1(9)]("hi\n"))
)G"},
    {"expr", R"G((a + b) * c)G",
     R"G(Bin[1:1(0)-1:12(11)](Paren[1:1(0)-1:8(7)](Bin[1:2(1)-1:7(6)](Scope[1:2(1)-1:3(2)](a@1:2(1)-1:3(2)) + Scope[1:6(5)-1:7(6)](b@1:6(5)-1:7(6)))) * Scope[1:11(10)-1:12(11)](c@1:11(10)-1:12(11)))
)G"},
    {"expr", R"G({a = 1
b = 2})G",
     R"G(Object[1:1(0)-2:7(13) open=1:1(0)-1:2(1)](Key[1:2(1)-1:3(2) force=false](Scope[1:2(1)-1:3(2)](a@1:2(1)-1:3(2))) = Lit[1:6(5)-1:7(6)](1), Key[2:1(7)-2:2(8) force=false](Scope[2:1(7)-2:2(8)](b@2:1(7)-2:2(8))) = Lit[2:5(11)-2:6(12)](2))
)G"},
    {"expr", R"G("\u00e9\n\t\\\"\q")G",
     R"G(Tmpl[1:1(0)-1:19(18)](Lit[1:2(1)-1:18(17)]("é\n\t\\\"q"))
DIAG Invalid escape sequence | The symbol "q" is not a valid escape sequence selector. | 1:16(15)-1:18(17) | -
)G"},
    {"expr", R"G("unterminated)G",
     R"G(Tmpl[1:1(0)-1:14(13)](Lit[1:2(1)-1:14(13)]("unterminated"))
DIAG Unterminated template string | No closing marker was found for the string. | 1:14(13)-1:14(13) | 1:2(1)-1:14(13)
)G"},
    {"expr", R"G(x[ 1 ])G",
     R"G(Scope[1:1(0)-1:7(6)](x@1:1(0)-1:2(1)[1]@1:2(1)-1:7(6))
)G"},
    {"expr", R"G(a.b.c.0.d)G",
     R"G(Scope[1:1(0)-1:10(9)](a@1:1(0)-1:2(1).b@1:2(1)-1:4(3).c@1:4(3)-1:6(5)[0]@1:6(5)-1:8(7).d@1:8(7)-1:10(9))
)G"},
    {"template", R"G(a {
  b = 1
)G",
     R"G(Tmpl[1:1(0)-3:1(12)](Lit[1:1(0)-3:1(12)]("a {\n  b = 1\n"))
)G"},
    {"template", R"G(a = "${x"
)G",
     R"G(Tmpl[1:1(0)-2:1(10)](Lit[1:1(0)-1:6(5)]("a = \""), Scope[1:8(7)-1:9(8)](x@1:8(7)-1:9(8)))
DIAG Invalid multi-line string | Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \n escape to represent a newline character or use the "heredoc" multi-line template syntax. | 1:10(9)-2:1(10) | -
DIAG Extra characters after interpolation expression | Expected a closing brace to end the interpolation expression, but found extra characters.

This can happen when you include interpolation syntax for another language, such as shell scripting, but forget to escape the interpolation start token. If this is an embedded sequence for another language, escape it by starting with "$${" instead of just "${". | 1:9(8)-1:10(9) | 1:1(0)-1:10(9)
)G"},
    {"template", R"G(a = "${x y}"
)G",
     R"G(Tmpl[1:1(0)-2:1(13)](Lit[1:1(0)-1:6(5)]("a = \""), Scope[1:8(7)-1:9(8)](x@1:8(7)-1:9(8)), Lit[1:12(11)-2:1(13)]("\"\n"))
DIAG Extra characters after interpolation expression | Expected a closing brace to end the interpolation expression, but found extra characters.

This can happen when you include interpolation syntax for another language, such as shell scripting, but forget to escape the interpolation start token. If this is an embedded sequence for another language, escape it by starting with "$${" instead of just "${". | 1:10(9)-1:11(10) | 1:1(0)-1:11(10)
)G"},
    {"template", R"G(a = "${x:y}"
)G",
     R"G(Tmpl[1:1(0)-2:1(13)](Lit[1:1(0)-1:6(5)]("a = \""), Scope[1:8(7)-1:9(8)](x@1:8(7)-1:9(8)), Lit[1:12(11)-2:1(13)]("\"\n"))
DIAG Extra characters after interpolation expression | Template interpolation doesn't expect a colon at this location. Did you intend this to be a literal sequence to be processed as part of another language? If so, you can escape it by starting with "$${" instead of just "${". | 1:9(8)-1:10(9) | 1:1(0)-1:10(9)
)G"},
    {"template", R"G(a = "%{ if x }a"
)G",
     R"G(Tmpl[1:1(0)-2:1(17)](Lit[1:1(0)-1:6(5)]("a = \""), Lit[2:1(17)-2:1(17)](unknown(dynamic)))
DIAG Unexpected end of template | The if directive at t.hcl:1,6-15 is missing its corresponding endif directive. | 2:1(17)-2:1(17) | -
)G"},
    {"template", R"G(a = "%{ if x }a%{ endfor }"
)G",
     R"G(Tmpl[1:1(0)-2:1(28)](Lit[1:1(0)-1:6(5)]("a = \""), Lit[1:16(15)-1:27(26)](unknown(dynamic)), Lit[1:27(26)-2:1(28)]("\"\n"))
DIAG Unexpected endfor directive | Expecting an endif directive for the if started at t.hcl:1,6-15. | 1:16(15)-1:27(26) | -
)G"},
    {"template", R"G(a = "%{ else }"
)G",
     R"G(Tmpl[1:1(0)-2:1(16)](Lit[1:1(0)-1:6(5)]("a = \""), Lit[1:6(5)-1:15(14)](unknown(dynamic)), Lit[1:15(14)-2:1(16)]("\"\n"))
DIAG Unexpected else directive | The control directives within this template are unbalanced. | 1:6(5)-1:15(14) | -
)G"},
    {"template", R"G(a = "%{ endif }"
)G",
     R"G(Tmpl[1:1(0)-2:1(17)](Lit[1:1(0)-1:6(5)]("a = \""), Lit[1:6(5)-1:16(15)](unknown(dynamic)), Lit[1:16(15)-2:1(17)]("\"\n"))
DIAG Unexpected endif directive | The control directives within this template are unbalanced. | 1:6(5)-1:16(15) | -
)G"},
    {"template", R"G(a = "%{ for x in y }a%{ else }b%{ endfor }"
)G",
     R"G(Tmpl[1:1(0)-2:1(44)](Lit[1:1(0)-1:6(5)]("a = \""), Lit[1:22(21)-1:31(30)](unknown(dynamic)), Lit[1:31(30)-1:32(31)]("b"), Lit[1:32(31)-1:43(42)](unknown(dynamic)), Lit[1:43(42)-2:1(44)]("\"\n"))
DIAG Unexpected else directive | An else clause is not expected for a for directive. | 1:22(21)-1:31(30) | -
DIAG Unexpected endfor directive | The control directives within this template are unbalanced. | 1:32(31)-1:43(42) | -
)G"},
    {"template", R"G(a = "%{ iff x }"
)G",
     R"G(Tmpl[1:1(0)-2:1(17)](Lit[1:1(0)-2:1(17)]("a = \"\"\n"))
DIAG Invalid template control keyword | "iff" is not a valid template control keyword. Did you mean "if"? | 1:9(8)-1:12(11) | 1:6(5)-1:12(11)
)G"},
    {"template", R"G(a = "%{ for }"
)G",
     R"G(Tmpl[1:1(0)-2:1(15)](Lit[1:1(0)-2:1(15)]("a = \"\"\n"))
DIAG Invalid 'for' directive | For directive requires variable name after 'for'. | 1:13(12)-1:14(13) | -
)G"},
    {"template", R"G(a = "%{ for x }"
)G",
     R"G(Tmpl[1:1(0)-2:1(17)](Lit[1:1(0)-2:1(17)]("a = \"\"\n"))
DIAG Invalid 'for' directive | For directive requires 'in' keyword after names. | 1:15(14)-1:16(15) | -
)G"},
    {"template", R"G(a = "%{ for x, }"
)G",
     R"G(Tmpl[1:1(0)-2:1(18)](Lit[1:1(0)-2:1(18)]("a = \"\"\n"))
DIAG Invalid 'for' directive | For directive requires value variable name after comma. | 1:16(15)-1:17(16) | -
)G"},
    {"template", R"G(a = "%{ if x }a%{ else }b%{ else }c%{ endif }"
)G",
     R"G(Tmpl[1:1(0)-2:1(47)](Lit[1:1(0)-1:6(5)]("a = \""), Lit[1:26(25)-1:35(34)](unknown(dynamic)), Lit[1:35(34)-1:36(35)]("c"), Lit[1:36(35)-1:46(45)](unknown(dynamic)), Lit[1:46(45)-2:1(47)]("\"\n"))
DIAG Unexpected else directive | Already in the else clause for the if started at t.hcl:1,6-15. | 1:26(25)-1:35(34) | -
DIAG Unexpected endif directive | The control directives within this template are unbalanced. | 1:36(35)-1:46(45) | -
)G"},
    {"template", R"G(a = "%{ if x } extra }"
)G",
     R"G(Tmpl[1:1(0)-2:1(24)](Lit[1:1(0)-1:6(5)]("a = \""), Lit[2:1(24)-2:1(24)](unknown(dynamic)))
DIAG Unexpected end of template | The if directive at t.hcl:1,6-15 is missing its corresponding endif directive. | 2:1(24)-2:1(24) | -
)G"},
    {"template", R"G(a = "%{ 1 }"
)G",
     R"G(Tmpl[1:1(0)-2:1(13)](Lit[1:1(0)-2:1(13)]("a = \"\"\n"))
DIAG Invalid template directive | A template directive keyword ("if", "for", etc) is expected at the beginning of a %{ sequence. | 1:9(8)-1:10(9) | 1:6(5)-1:10(9)
)G"},
    {"template", R"G(Hello ${name}!
%{ if x ~}
  yes
%{~ else ~}
  no
%{ endif }
)G",
     R"G(Tmpl[1:1(0)-7:1(60)](Lit[1:1(0)-1:7(6)]("Hello "), Scope[1:9(8)-1:13(12)](name@1:9(8)-1:13(12)), Lit[1:14(13)-2:1(15)]("!\n"), Cond[2:1(15)-6:11(59)](Scope[2:7(21)-2:8(22)](x@2:7(21)-2:8(22)) ? Tmpl[2:11(25)-4:1(32)](Lit[2:11(25)-4:1(32)]("  yes")) : Tmpl[4:12(43)-6:1(49)](Lit[4:12(43)-6:1(49)]("  no\n"))), Lit[6:11(59)-7:1(60)]("\n"))
)G"},
    {"template", R"G(%{ for k, v in m ~}
${k}=${v}
%{ endfor ~}
)G",
     R"G(Tmpl[1:1(0)-4:1(43)](Join[1:1(0)-3:13(42)](For[1:1(0)-3:13(42) open=1:1(0)-1:20(19) close=3:1(30)-3:13(42)](k,v in Scope[1:16(15)-1:17(16)](m@1:16(15)-1:17(16)) : nil => Tmpl[1:20(19)-3:1(30)](Lit[1:20(19)-2:1(20)](""), Scope[2:3(22)-2:4(23)](k@2:3(22)-2:4(23)), Lit[2:5(24)-2:6(25)]("="), Scope[2:8(27)-2:9(28)](v@2:8(27)-2:9(28)), Lit[2:10(29)-3:1(30)]("\n")) if nil group=false)), Lit[3:13(42)-4:1(43)](""))
)G"},
    {"template", R"G(  a
    ${b}
  c
)G",
     R"G(Tmpl[1:1(0)-4:1(17)](Lit[1:1(0)-2:5(8)]("  a\n    "), Scope[2:7(10)-2:8(11)](b@2:7(10)-2:8(11)), Lit[2:9(12)-4:1(17)]("\n  c\n"))
)G"},
    {"template", R"G(x = <<-EOT
    hello
      ${world}
    %{ if a }b%{ endif }
  EOT
y = <<EOT
  raw
EOT
)G",
     R"G(Tmpl[1:1(0)-9:1(87)](Lit[1:1(0)-3:7(27)]("x = <<-EOT\n    hello\n      "), Scope[3:9(29)-3:14(34)](world@3:9(29)-3:14(34)), Lit[3:15(35)-4:5(40)]("\n    "), Cond[4:5(40)-4:25(60)](Scope[4:11(46)-4:12(47)](a@4:11(46)-4:12(47)) ? Tmpl[4:14(49)-4:15(50)](Lit[4:14(49)-4:15(50)]("b")) : Tmpl[4:15(50)-4:15(50)](Lit[4:15(50)-4:15(50)](""))), Lit[4:25(60)-9:1(87)]("\n  EOT\ny = <<EOT\n  raw\nEOT\n"))
)G"},
    {"template", R"G(x = "a ${b} c %{ for i in l }${i}%{ endfor } d"
)G",
     R"G(Tmpl[1:1(0)-2:1(48)](Lit[1:1(0)-1:8(7)]("x = \"a "), Scope[1:10(9)-1:11(10)](b@1:10(9)-1:11(10)), Lit[1:12(11)-1:15(14)](" c "), Join[1:15(14)-1:45(44)](For[1:15(14)-1:45(44) open=1:15(14)-1:30(29) close=1:34(33)-1:45(44)](,i in Scope[1:27(26)-1:28(27)](l@1:27(26)-1:28(27)) : nil => Tmpl[1:32(31)-1:33(32)](Scope[1:32(31)-1:33(32)](i@1:32(31)-1:33(32))) if nil group=false)), Lit[1:45(44)-2:1(48)](" d\"\n"))
)G"},
    {"template", R"G(x = "$${a} %%{b} \n\t\"\\ \u00e9 \U0001F600"
)G",
     R"G(Tmpl[1:1(0)-2:1(45)](Lit[1:1(0)-2:1(45)]("x = \"${a} %{b} \\n\\t\\\"\\\\ \\u00e9 \\U0001F600\"\n"))
)G"},
    {"template", R"G(x = "${a ? "${b}" : c}"
)G",
     R"G(Tmpl[1:1(0)-2:1(24)](Lit[1:1(0)-1:6(5)]("x = \""), Cond[1:8(7)-1:22(21)](Scope[1:8(7)-1:9(8)](a@1:8(7)-1:9(8)) ? Wrap[1:12(11)-1:18(17)](Scope[1:15(14)-1:16(15)](b@1:15(14)-1:16(15))) : Scope[1:21(20)-1:22(21)](c@1:21(20)-1:22(21))), Lit[1:23(22)-2:1(24)]("\"\n"))
)G"},
    {"template", R"G(x = [a.b.c, a[0].b, a[*].b, a.*.b, (a).b, f(a).b, [1][0], {a=1}.a]
)G",
     R"G(Tmpl[1:1(0)-2:1(67)](Lit[1:1(0)-2:1(67)]("x = [a.b.c, a[0].b, a[*].b, a.*.b, (a).b, f(a).b, [1][0], {a=1}.a]\n"))
)G"},
    {"template", R"G(x = {for i, v in l: v => i... if i > 0}
)G",
     R"G(Tmpl[1:1(0)-2:1(40)](Lit[1:1(0)-2:1(40)]("x = {for i, v in l: v => i... if i > 0}\n"))
)G"},
    {"template", R"G(x = a.b["c"][0].d[x + 1]
)G",
     R"G(Tmpl[1:1(0)-2:1(25)](Lit[1:1(0)-2:1(25)]("x = a.b[\"c\"][0].d[x + 1]\n"))
)G"},
    {"traversal", R"G(a = <<EOT
abc
EOT)G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G(a = x[*].y[0].z)G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G(a = x.y.*.z)G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G(a = x[*][*])G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G(a = foo::bar(1))G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G(a = foo::(1))G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G(a = foo::bar)G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G(a { b = 1 })G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G(a = 1 # comment
b = 2 // c
c = 3 /* x */
)G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G(a {
  b {
    c = 1
  }
})G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G(a
+
b)G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 2:1(2)-2:2(3) | 1:1(0)-2:2(3)
)G"},
    {"traversal", R"G(1 2)G",
     R"G(
DIAG Variable name required | Must begin with a variable name. | 1:1(0)-1:2(1) | -
)G"},
    {"traversal", R"G(foo(
  1,
  2,
))G",
     R"G(foo@1:1(0)-1:4(3)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:4(3)-1:5(4) | 1:1(0)-1:5(4)
)G"},
    {"traversal", R"G([for x in y : x if x])G",
     R"G(
DIAG Variable name required | Must begin with a variable name. | 1:1(0)-1:2(1) | -
)G"},
    {"traversal", R"G({ for k, v in m : k => v })G",
     R"G(
DIAG Variable name required | Must begin with a variable name. | 1:1(0)-1:2(1) | -
)G"},
    {"traversal", R"G(a ? b : c ? d : e)G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G(a || b && c == d)G",
     R"G(a@1:1(0)-1:2(1)
DIAG Invalid character | Expected an attribute access or an index operator. | 1:3(2)-1:5(4) | 1:1(0)-1:5(4)
)G"},
    {"traversal", R"G(-1 - -1)G",
     R"G(
DIAG Variable name required | Must begin with a variable name. | 1:1(0)-1:2(1) | -
)G"},
    {"traversal", R"G(!a.b[0])G",
     R"G(
DIAG Variable name required | Must begin with a variable name. | 1:1(0)-1:2(1) | -
)G"},
    {"traversal", R"G(x.y.*.z[0])G",
     R"G(x@1:1(0)-1:2(1).y@1:2(1)-1:4(3)
DIAG Attribute name required | Splat expressions (.*) may not be used here. | 1:5(4)-1:6(5) | 1:1(0)-1:6(5)
)G"},
    {"traversal", R"G(x[*].y.z[0])G",
     R"G(x@1:1(0)-1:2(1)
DIAG Attribute name required | Splat expressions ([*]) may not be used here. | 1:3(2)-1:4(3) | 1:1(0)-1:4(3)
)G"},
    {"traversal", R"G("${a}${b}")G",
     R"G(
DIAG Variable name required | Must begin with a variable name. | 1:1(0)-1:2(1) | -
)G"},
    {"traversal", R"G(<<EOT
hi
EOT
)G",
     R"G(
DIAG Variable name required | Must begin with a variable name. | 1:1(0)-2:1(6) | -
)G"},
    {"traversal", R"G((a + b) * c)G",
     R"G(
DIAG Variable name required | Must begin with a variable name. | 1:1(0)-1:2(1) | -
)G"},
    {"traversal", R"G({a = 1
b = 2})G",
     R"G(
DIAG Variable name required | Must begin with a variable name. | 1:1(0)-1:2(1) | -
)G"},
    {"traversal", R"G("\u00e9\n\t\\\"\q")G",
     R"G(
DIAG Variable name required | Must begin with a variable name. | 1:1(0)-1:2(1) | -
)G"},
    {"traversal", R"G("unterminated)G",
     R"G(
DIAG Variable name required | Must begin with a variable name. | 1:1(0)-1:2(1) | -
)G"},
    {"traversal", R"G(x[ 1 ])G",
     R"G(x@1:1(0)-1:2(1)[1]@1:2(1)-1:7(6)
)G"},
    {"traversal", R"G(a.b.c.0.d)G",
     R"G(a@1:1(0)-1:2(1).b@1:2(1)-1:4(3).c@1:4(3)-1:6(5)
DIAG Attribute name required | Dot must be followed by attribute name. | 1:7(6)-1:8(7) | 1:1(0)-1:8(7)
)G"},
};

std::string run(const std::string& mode, const std::string& src) {
  Diagnostics d;
  std::string_view fn = intern_filename("t.hcl");
  std::string out;
  if (mode == "config") {
    out = dump::body(*parse_config(src, fn, Pos{1, 1, 0}, d), "");
  } else if (mode == "expr") {
    out = dump::expr(parse_expression(src, fn, Pos{1, 1, 0}, d).get()) + "\n";
  } else if (mode == "template") {
    out = dump::expr(parse_template(src, fn, Pos{1, 1, 0}, d).get()) + "\n";
  } else {
    out = dump::trav(parse_traversal_abs(src, fn, Pos{1, 1, 0}, d)) + "\n";
  }
  return out + dump::diags(d);
}

TEST(ParserGolden, MatchesHclsyntax) {
  int n = 0;
  for (const auto& c : kGolden) {
    EXPECT_EQ(run(c.mode, c.src), c.want) << "mode " << c.mode << ", input:\n" << c.src;
    ++n;
  }
  EXPECT_GT(n, 200);
}

TEST(Parser, NativeFileKeepsBytesAndBody) {
  Diagnostics d;
  File f = parse_native_file("a = 1\n", "x.pkr.hcl", d);
  ASSERT_TRUE(f.body);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(*f.bytes, "a = 1\n");
  EXPECT_EQ(f.filename, "x.pkr.hcl");
  auto attrs = f.body->just_attributes(d);
  ASSERT_EQ(attrs.count("a"), 1u);
  EXPECT_EQ(attrs["a"].range.filename, "x.pkr.hcl");
  EXPECT_EQ(attrs["a"].expr->range().str(), "x.pkr.hcl:1,5-6");
}

TEST(Parser, BodyIsNeverNullOnErrors) {
  Diagnostics d;
  File f = parse_native_file("a = \nb {\n  c = [\n", "x.hcl", d);
  ASSERT_TRUE(f.body);
  EXPECT_TRUE(d.has_errors());
}

TEST(Parser, ExprSyntaxErrorRepeatsItsDiagnostics) {
  Diagnostics d;
  NodePtr e = parse_expression("x.", "t.hcl", Pos{1, 1, 0}, d);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].summary, "Invalid attribute name");
  ASSERT_TRUE(dynamic_cast<const ExprSyntaxError*>(e.get()));
  Diagnostics ed;
  Value v = e->value(nullptr, ed);
  EXPECT_FALSE(v.is_known());
  ASSERT_EQ(ed.size(), 1u);
  EXPECT_EQ(ed[0].summary, "Invalid attribute name");
}

TEST(Parser, TupleItemsSeparatedByNewlines) {
  // The specification's grammar allows "," or a newline between items.
  Diagnostics d;
  NodePtr e = parse_expression("[1\n2, 3\n\"x\"\n]", "t.hcl", Pos{1, 1, 0}, d);
  EXPECT_TRUE(d.empty());
  auto* t = dynamic_cast<const TupleConsExpr*>(e.get());
  ASSERT_TRUE(t);
  EXPECT_EQ(t->exprs.size(), 4u);
  // Items on one line still need a comma.
  Diagnostics d2;
  parse_expression("[1 2]", "t.hcl", Pos{1, 1, 0}, d2);
  ASSERT_EQ(d2.size(), 1u);
  EXPECT_EQ(d2[0].summary, "Missing item separator");
}

TEST(Parser, NamespacedFunctionName) {
  Diagnostics d;
  NodePtr e = parse_expression("provider::aws::arn(1)", "t.hcl", Pos{1, 1, 0}, d);
  EXPECT_TRUE(d.empty());
  auto* call = dynamic_cast<const FunctionCallExpr*>(e.get());
  ASSERT_TRUE(call);
  EXPECT_EQ(call->name, "provider::aws::arn");
  EXPECT_EQ(call->name_range.str(), "t.hcl:1,1-19");
}

TEST(Parser, TemplateLiteralsAreMelded) {
  // HCL 2.16+: "hello\n" and "  " of a heredoc become one literal.
  Diagnostics d;
  NodePtr e = parse_expression("<<EOT\nhello\n  ${x}\nEOT\n", "t.hcl", Pos{1, 1, 0}, d);
  auto* t = dynamic_cast<const TemplateExpr*>(e.get());
  ASSERT_TRUE(t);
  ASSERT_EQ(t->parts.size(), 3u);
  auto* lit = dynamic_cast<const LiteralValueExpr*>(t->parts[0].get());
  ASSERT_TRUE(lit);
  EXPECT_EQ(lit->val.as_string(), "hello\n  ");
}

TEST(Parser, StringEscapes) {
  Diagnostics d;
  NodePtr e =
      parse_expression(R"("a\n\t\"\\\u00e9\U0001F600$${x}%%{y}")", "t.hcl", Pos{1, 1, 0}, d);
  EXPECT_TRUE(d.empty());
  auto* t = dynamic_cast<const TemplateExpr*>(e.get());
  ASSERT_TRUE(t);
  ASSERT_EQ(t->parts.size(), 1u);
  auto* lit = dynamic_cast<const LiteralValueExpr*>(t->parts[0].get());
  ASSERT_TRUE(lit);
  EXPECT_EQ(lit->val.as_string(), "a\n\t\"\\\xc3\xa9\xf0\x9f\x98\x80${x}%{y}");
}

TEST(Parser, InvalidEscapes) {
  Diagnostics d;
  parse_expression(R"("\q \u12 \ud800")", "t.hcl", Pos{1, 1, 0}, d);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].detail, "The symbol \"q\" is not a valid escape sequence selector.");
  EXPECT_EQ(d[0].subject->str(), "t.hcl:1,2-4");
  EXPECT_EQ(d[1].detail, "The \\u escape sequence must be followed by four hexadecimal digits.");
  EXPECT_EQ(d[1].subject->str(), "t.hcl:1,5-9");
  EXPECT_EQ(d[2].detail, "Cannot encode character U+d800 in UTF-8.");
}

TEST(Parser, StartRangesAsHclsyntax) {
  // hclsyntax's StartRange (used for function argument errors).
  const std::pair<const char*, const char*> cases[] = {
      {"a + b", "t.hcl:1,1-2"},  {"-x", "t.hcl:1,1-2"},
      {"x[*].y", "t.hcl:1,2-5"}, {"\"${a}b\"", "t.hcl:1,4-5"},
      {"(a)", "t.hcl:1,2-3"},    {"a ? b : c", "t.hcl:1,1-2"},
      {"f(1)", "t.hcl:1,1-3"},   {"[1]", "t.hcl:1,1-2"},
      {"x[y]", "t.hcl:1,2-3"},   {"{for k in v: k => k}", "t.hcl:1,1-2"},
      {"a.b.c", "t.hcl:1,1-6"},  {"x.*.y", "t.hcl:1,2-4"},
  };
  for (const auto& [src, want] : cases) {
    Diagnostics d;
    NodePtr e = parse_expression(src, "t.hcl", Pos{1, 1, 0}, d);
    EXPECT_TRUE(d.empty()) << src;
    EXPECT_EQ(e->start_range().str(), want) << src;
  }
}

TEST(Parser, DeepNestingIsReportedNotFatal) {
  for (const char* open : {"[", "(", "{a=", "\"${", "-", "[*]"}) {
    std::string src = std::string("a = ") + (open[0] == '[' && open[1] == '*' ? "x" : "");
    for (int i = 0; i < 50000; ++i) src += open;
    Diagnostics d;
    auto body = parse_config(src, "t.hcl", Pos{1, 1, 0}, d);
    ASSERT_TRUE(body) << open;
    bool found = false;
    for (const auto& diag : d) found |= diag.summary == "Nesting too deep";
    EXPECT_TRUE(found) << open;
  }
}

TEST(Parser, DeepNestingOnASmallThreadStack) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 512 * 1024);
  pthread_t th;
  static bool found;
  found = false;
  auto fn = [](void*) -> void* {
    std::string src = "a = " + std::string(100000, '[');
    Diagnostics d;
    auto body = parse_config(src, "t.hcl", Pos{1, 1, 0}, d);
    for (const auto& diag : d) found |= diag.summary == "Nesting too deep";
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&th, &attr, fn, nullptr), 0);
  pthread_join(th, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(found);
}

TEST(Parser, LongLeftDeepChainsAreFreed) {
  std::string src = "a = 1";
  for (int i = 0; i < 300000; ++i) src += "+1";
  src += "\nb = x";
  for (int i = 0; i < 300000; ++i) src += "[y].z";
  Diagnostics d;
  auto body = parse_config(src, "t.hcl", Pos{1, 1, 0}, d);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(body->attributes.size(), 2u);
  body.reset();  // must not overflow the stack
}

}  // namespace
}  // namespace kiln::hcl::syntax
