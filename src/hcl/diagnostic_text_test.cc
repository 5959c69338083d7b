// Text rendering of diagnostics, compared with HashiCorp's
// hcl.NewDiagnosticTextWriter (HCL 2.14.1): each expected text is what the
// Go writer produced for the same diagnostic and source.
#include "hcl/diagnostic_text.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace kiln::hcl {
namespace {

const std::string_view kFile = intern_filename("main.hcl");

struct Case {
  std::string src, summary, detail;
  bool warning;
  std::optional<Range> subject, context;
  bool nofile;
  unsigned width;
  bool color;
  bool unused;
  std::string want;
};

const Case kCases[] = {
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Unsupported argument",
     "An argument named \"default\" is not expected here.", false,
     Range{kFile, Pos{2, 3, 17}, Pos{2, 10, 24}}, std::nullopt, false, 0, false, true,
     "Error: Unsupported argument\n\n  on main.hcl line 2:\n   2:   default = foo(\n\nAn argument "
     "named \"default\" is not expected here.\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Unsupported argument",
     "An argument named \"default\" is not expected here.", false,
     Range{kFile, Pos{2, 3, 17}, Pos{2, 10, 24}}, std::nullopt, false, 80, true, true,
     "\x1b"
     "[31mError\x1b"
     "[0m: Unsupported argument\n\n  on main.hcl line 2:\n   2:   \x1b"
     "[1;4mdefault\x1b"
     "[0m = foo(\n\nAn argument named \"default\" is not expected here.\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Multi", "", false,
     Range{kFile, Pos{2, 13, 27}, Pos{4, 6, 38}}, std::nullopt, false, 0, false, true,
     "Error: Multi\n\n  on main.hcl line 2:\n   2:   default = foo(\n   4:   bar)\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Multi color", "d", false,
     Range{kFile, Pos{2, 13, 27}, Pos{4, 6, 38}}, std::nullopt, false, 0, true, true,
     "\x1b"
     "[31mError\x1b"
     "[0m: Multi color\n\n  on main.hcl line 2:\n   2:   default = \x1b"
     "[1;4mfoo(\x1b"
     "[0m\n   4: \x1b"
     "[1;4m  bar\x1b"
     "[0m)\n\nd\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Ends at next line start", "x", false,
     Range{kFile, Pos{1, 15, 14}, Pos{2, 1, 15}}, std::nullopt, false, 0, false, true,
     "Error: Ends at next line start\n\n  on main.hcl line 1:\n   1: variable \"x\" {\n   2:   "
     "default = foo(\n\nx\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Newline token", "x", false,
     Range{kFile, Pos{2, 16, 30}, Pos{2, 17, 31}}, std::nullopt, false, 0, false, true,
     "Error: Newline token\n\n  on main.hcl line 2:\n   2:   default = foo(\n\nx\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Empty at EOL", "x", false,
     Range{kFile, Pos{2, 16, 30}, Pos{2, 16, 30}}, std::nullopt, false, 0, false, true,
     "Error: Empty at EOL\n\n  on main.hcl line 2:\n   2:   default = foo(\n\nx\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Empty at EOF", "x", false,
     Range{kFile, Pos{6, 1, 42}, Pos{6, 1, 42}}, std::nullopt, false, 0, false, true,
     "Error: Empty at EOF\n\n  on main.hcl line 6:\n\nx\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "With context", "x", false,
     Range{kFile, Pos{2, 5, 19}, Pos{2, 10, 24}}, Range{kFile, Pos{1, 1, 0}, Pos{5, 2, 41}}, false,
     0, true, true,
     "\x1b"
     "[31mError\x1b"
     "[0m: With context\n\n  on main.hcl line 2:\n   1: variable \"x\" {\n   2:   de\x1b"
     "[1;4mfault\x1b"
     "[0m = foo(\n   4:   bar)\n   5: }\n\nx\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "No file", "x", false,
     Range{kFile, Pos{2, 5, 19}, Pos{2, 10, 24}}, std::nullopt, true, 0, false, true,
     "Error: No file\n\n  on main.hcl line 2:\n  (source code not available)\n\nx\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "No subject", "Just detail.", false,
     std::nullopt, std::nullopt, false, 0, false, true, "Error: No subject\n\nJust detail.\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "No subject no detail", "", false,
     std::nullopt, std::nullopt, false, 0, false, true, "Error: No subject no detail\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Warn", "w", true,
     Range{kFile, Pos{1, 1, 0}, Pos{1, 9, 8}}, std::nullopt, false, 0, true, true,
     "\x1b"
     "[33mWarning\x1b"
     "[0m: Warn\n\n  on main.hcl line 1:\n   1: \x1b"
     "[1;4mvariable\x1b"
     "[0m \"x\" {\n\nw\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Wrap",
     "The given value is not suitable for this argument: a number is required, but the value given "
     "was a string which could not be converted.\nSecond  paragraph  with   extra   spaces and "
     "averyveryveryveryverylongwordthatexceedsthelimitofthewrapper here.",
     false, Range{kFile, Pos{1, 1, 0}, Pos{1, 9, 8}}, std::nullopt, false, 40, false, true,
     "Error: Wrap\n\n  on main.hcl line 1:\n   1: variable \"x\" {\n\nThe given value is not "
     "suitable for this\nargument: a number is required, but the\nvalue given was a string which "
     "could not\nbe converted.\nSecond  paragraph  with   extra   "
     "spaces\nand\naveryveryveryveryverylongwordthatexceedsthelimitofthewrapper\nhere.\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Wrap 20",
     "  leading spaces and trailing   \n\n  x  ", false, std::nullopt, std::nullopt, false, 20,
     false, true, "Error: Wrap 20\n\n  leading spaces and\ntrailing   \n\n  x  \n\n"},
    {"a = 1\r\nb = \"caf\xc3"
     "\xa9"
     "\" + 2\r\n",
     "CRLF", "x", false, Range{kFile, Pos{2, 5, 11}, Pos{2, 12, 19}}, std::nullopt, false, 0, true,
     true,
     "\x1b"
     "[31mError\x1b"
     "[0m: CRLF\n\n  on main.hcl line 2:\n   2: b = \x1b"
     "[1;4m\"caf\xc3"
     "\xa9"
     "\" \x1b"
     "[0m+ 2\n\nx\n\n"},
    {"a = 1\r\nb = \"caf\xc3"
     "\xa9"
     "\" + 2\r\n",
     "CRLF multi", "x", false, Range{kFile, Pos{1, 5, 4}, Pos{2, 6, 12}}, std::nullopt, false, 0,
     false, true,
     "Error: CRLF multi\n\n  on main.hcl line 1:\n   1: a = 1\n   2: b = \"caf\xc3"
     "\xa9"
     "\" + 2\n\nx\n\n"},
    {"x = \"\xc3"
     "\xa9"
     "\xc3"
     "\xa9"
     "\" y",
     "Multibyte", "x", false, Range{kFile, Pos{1, 7, 7}, Pos{1, 8, 9}}, std::nullopt, false, 0,
     true, true,
     "\x1b"
     "[31mError\x1b"
     "[0m: Multibyte\n\n  on main.hcl line 1:\n   1: x = \"\xc3"
     "\xa9"
     "\x1b"
     "[1;4m\xc3"
     "\xa9"
     "\x1b"
     "[0m\" y\n\nx\n\n"},
    {"no newline at end", "Last line", "x", false, Range{kFile, Pos{1, 4, 3}, Pos{1, 11, 10}},
     std::nullopt, false, 0, false, true,
     "Error: Last line\n\n  on main.hcl line 1:\n   1: no newline at end\n\nx\n\n"},
    {"variable \"x\" {\n  default = foo(\n\n  bar)\n}\n", "Context before subject", "x", false,
     Range{kFile, Pos{4, 3, 35}, Pos{4, 6, 38}}, Range{kFile, Pos{2, 1, 15}, Pos{4, 4, 36}}, false,
     0, false, true,
     "Error: Context before subject\n\n  on main.hcl line 4:\n   2:   default = foo(\n   4:   "
     "bar)\n\nx\n\n"},
};

TEST(DiagnosticText, MatchesHashicorpWriter) {
  for (const Case& c : kCases) {
    Diagnostic d{c.warning ? Severity::Warning : Severity::Error, c.summary, c.detail, c.subject,
                 c.context};
    std::map<std::string, std::string> files{{"main.hcl", c.src}};
    EXPECT_EQ(render_diagnostic(d, c.nofile ? nullptr : &files, c.width, c.color), c.want)
        << "summary: " << c.summary;
  }
}

TEST(DiagnosticText, ContextLineAndPackerFormat) {
  std::string src = "source \"null\" \"x\" {\n  communicator = 1\n}\n";
  Diagnostic d{Severity::Error, "Unsupported argument",
               "An argument named \"communicator\" is not expected here.",
               Range{kFile, Pos{2, 3, 22}, Pos{2, 15, 34}}, std::nullopt};
  std::map<std::string, std::string> files{{"main.hcl", src}};
  EXPECT_EQ(render_packer_diagnostic(d, &files, "source \"null\" \"x\""),
            "Error: Unsupported argument\n\n"
            "  on main.hcl line 2, in source \"null\" \"x\":\n"
            "   2:   communicator = 1\n\n"
            "An argument named \"communicator\" is not expected here.\n\n");
}

TEST(DiagnosticText, WrapString) {
  EXPECT_EQ(wrap_string("aaa bbb ccc", 7), "aaa bbb\nccc");
  EXPECT_EQ(wrap_string("aaa bbb ccc", 0), "aaa bbb ccc");
  // Bad UTF-8 becomes U+FFFD; no-break space does not break, em space does.
  EXPECT_EQ(wrap_string("a\xff"
                        "b c\u00a0d e\u2003f",
                        3),
            "a\uFFFD"
            "b\nc\u00a0d\ne\u2003f");
  EXPECT_EQ(wrap_string("", 10), "");
}

TEST(DiagnosticText, RenderList) {
  Diagnostics diags;
  diags.error("A", "", std::nullopt);
  diags.warning("B", "b", std::nullopt);
  EXPECT_EQ(render_diagnostics(diags, nullptr, 0, false), "Error: A\n\nWarning: B\n\nb\n\n");
}

TEST(DiagnosticText, ExpressionValues) {
  // hcl's writer for a "Too many function arguments" diagnostic whose
  // expression upper(var.b.c, local.n, var.a, var.a, [1][0]) was evaluated
  // with var.a = "x\ny", var.b.c = 3 and local.n = null.
  std::string src = "x = upper(var.b.c, local.n, var.a, var.a, [1][0])\n";
  Diagnostic d{Severity::Error, "Too many function arguments",
               "Function \"upper\" expects only 1 argument(s).",
               Range{kFile, Pos{1, 30, 29}, Pos{1, 35, 34}}, std::nullopt};
  std::map<std::string, std::string> files{{"main.hcl", src}};
  std::vector<std::string> values = {"var.b.c as 3", "local.n set to null", "var.a as \"x\\ny\""};
  EXPECT_EQ(render_diagnostic(d, &files, 0, false, {}, &values),
            "Error: Too many function arguments\n\n  on main.hcl line 1:\n   1: x = upper(var.b.c, "
            "local.n, var.a, var.a, [1][0])\n\nwith local.n set to null,\n     var.a as "
            "\"x\\ny\",\n     var.b.c as 3.\n\nFunction \"upper\" expects only 1 argument(s).\n\n");
}

}  // namespace
}  // namespace kiln::hcl
