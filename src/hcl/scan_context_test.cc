// The context line of text diagnostics, compared with hclsyntax's
// navigation.ContextString on the same (valid) files: for each run of byte
// offsets [from, to], the string Go gave.
#include "hcl/scan_context.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kiln::hcl {
namespace {

struct OffsetRun {
  size_t from, to;
  std::string context;
};

struct Case {
  std::string src;
  std::vector<OffsetRun> runs;
};

const Case kCases[] = {
    {"source \"null\" \"x\" {\n  a = 1\n  b {\n    c = \"${x}\"\n  }\n}\n\nbuild {\n  sources = "
     "[\"source.null.x\"]\n}\nv = { a = 1 }\n",
     {{0, 53, "source \"null\" \"x\""}, {54, 55, ""}, {56, 94, "build"}, {95, 110, ""}}},
    {"a = 1\nlocals { x = 1 }\n# c\nvariable \"caf\xc3"
     "\xa9"
     "\\n\" {}\nblock ident_label \"q\" {\n}\n",
     {{0, 5, ""},
      {6, 21, "locals"},
      {22, 26, ""},
      {27, 47,
       "variable \"caf\xc3"
       "\xa9"
       "\\n\""},
      {48, 48, ""},
      {49, 73, "block \"ident_label\" \"q\""},
      {74, 75, ""}}},
    {"a = <<EOT\nb {\nEOT\nc { d = <<EOT\n}\nEOT\n}\n", {{0, 17, ""}, {18, 38, "c"}, {39, 40, ""}}},
    {"  a { }   b { }\n", {{0, 1, ""}, {2, 6, "a"}, {7, 16, ""}}},
};

TEST(ScanContext, MatchesHashicorpNavigation) {
  for (const Case& c : kCases) {
    for (const OffsetRun& r : c.runs)
      for (size_t off = r.from; off <= r.to; ++off)
        EXPECT_EQ(native_context_string(c.src, off), r.context)
            << "offset " << off << " in " << c.src;
  }
}

}  // namespace
}  // namespace kiln::hcl
