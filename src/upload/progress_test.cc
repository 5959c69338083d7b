// The progress output: plain lines per 10 % into the UI's sink (in order
// with its other lines), a bar redrawn in place on a terminal.
#include "upload/progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace upload {
namespace {

TEST(Progress, PlainLinesEveryTenPercentThenASummary) {
  std::vector<std::string> lines;
  ProgressMeter m("Uploading", 1000, false, stderr,
                  [&](const std::string& l) { lines.push_back(l); });
  for (int done = 0; done <= 1000; done += 25) m.update(static_cast<std::uint64_t>(done));
  m.finish(1000);
  ASSERT_EQ(lines.size(), 11u);  // 10 %, 20 %, ... 100 %, and the summary
  EXPECT_NE(lines[0].find("(10%)"), std::string::npos) << lines[0];
  EXPECT_NE(lines[9].find("(100%)"), std::string::npos) << lines[9];
  EXPECT_NE(lines[10].find("1000 B / 1000 B (100%)"), std::string::npos) << lines[10];
  EXPECT_NE(lines[10].find("/s, "), std::string::npos) << lines[10];  // throughput and time
}

TEST(Progress, TerminalBarIsRedrawnInPlace) {
  char* buf = nullptr;
  std::size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  ASSERT_NE(f, nullptr);
  {
    ProgressMeter m("Uploading", 4u << 20, true, f);
    m.finish(4u << 20);
  }
  std::fclose(f);
  std::string out(buf, len);
  free(buf);
  EXPECT_EQ(out.rfind("\r\033[K", 0), 0u) << out;  // clears the bar's line
  EXPECT_NE(out.find("4.0 MiB / 4.0 MiB (100%)"), std::string::npos) << out;
  EXPECT_EQ(out.back(), '\n');
}

TEST(Progress, HumanSizes) {
  EXPECT_EQ(ProgressMeter::bytes(512), "512 B");
  EXPECT_EQ(ProgressMeter::bytes(1536), "1.5 KiB");
  EXPECT_EQ(ProgressMeter::bytes(3.0 * (1 << 30)), "3.0 GiB");
}

}  // namespace
}  // namespace upload
