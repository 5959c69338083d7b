// Filesystem functions and templatefile. The oracle cases were recorded
// with Packer 1.6.6's console run inside testdata/fs (path.root ".").
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "funcs/funcs_test_util.h"

#ifndef KILN_FUNCS_TESTDATA
#error "KILN_FUNCS_TESTDATA must name src/funcs/testdata"
#endif

namespace kiln::funcs::testing {
namespace {

class Filesystem : public ::testing::Test {
 protected:
  void SetUp() override {
    char buf[4096];
    ASSERT_NE(getcwd(buf, sizeof buf), nullptr);
    old_ = buf;
    dir_ = std::string(KILN_FUNCS_TESTDATA) + "/fs";
    ASSERT_EQ(chdir(dir_.c_str()), 0);
    FuncsOptions o;
    o.path_root = ".";
    o.home = "/home/tester";
    ctx_.functions = packer_functions(o);
  }
  void TearDown() override { ASSERT_EQ(chdir(old_.c_str()), 0); }
  std::string old_, dir_;
  hcl::EvalContext ctx_;
};

const Case kOracle[] = {
#include "funcs/testdata/oracle/filesystem.inc"
};

TEST_F(Filesystem, MatchesPacker166) {
  run_cases(kOracle, std::size(kOracle), ctx_);
}

// Go's fs.FileMode string for a directory, from its permission bits (they
// depend on the umask of whoever checked the tree out).
TEST_F(Filesystem, FileexistsOnDirectory) {
  struct stat st;
  ASSERT_EQ(stat("set", &st), 0);
  std::string mode = "d";
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i) mode += (st.st_mode & (1u << (8 - i))) ? rwx[i] : '-';
  EXPECT_EQ(eval_outcome("fileexists(\"set\")", ctx_),
            "ERR: Call to function \"fileexists\" failed: set is not a regular file, but \"" +
                mode + "\".");
}

TEST_F(Filesystem, PathsAndHome) {
  const Case cases[] = {
      {"pathexpand(\"~\")", "\"/home/tester\""},
      {"pathexpand(\"~/x/y\")", "\"/home/tester/x/y\""},
      {"abspath(\"/a/../b/./c\")", "\"/b/c\""},
      // filebase64 (1.13): plain os.ReadFile, relative to the working
      // directory, errors from Go's os package.
      {"filebase64(\"hello.txt\")", "\"SGVsbG8sIGZpbGUhCg==\""},
      {"filebase64(\"binary.bin\")", "\"//4gYmFk\""},
      {"filebase64(\"nope.txt\")",
       "ERR: Call to function \"filebase64\" failed: failed to read file \"nope.txt\": open "
       "nope.txt: no such file or directory."},
  };
  run_cases(cases, std::size(cases), ctx_);
  char real[4096];
  ASSERT_NE(realpath(dir_.c_str(), real), nullptr);
  EXPECT_EQ(eval_outcome("abspath(\"x/y\")", ctx_), "\"" + std::string(real) + "/x/y\"");
}

TEST_F(Filesystem, Templatefile) {
  const Case cases[] = {
      {"templatefile(\"tmpl/list.tpl\", {name = \"World\", items = [\"a\", \"b\"]})",
       "\"Hello, World!\\n- a\\n- b\\n\""},
      {"templatefile(\"tmpl/funcs.tpl\", {name = \"x\", items = [1, 2]})", "\"X 2\""},
      // A template that is a single interpolation keeps the value's type.
      {"templatefile(\"tmpl/bare.tpl\", {name = [1, 2]})", "[1,2]"},
      {"templatefile(\"tmpl/missing.tpl\", {})",
       "ERR: Invalid value for \"vars\" parameter: vars map does not contain key \"nope\", "
       "referenced at tmpl/missing.tpl:1,3-7."},
      {"templatefile(\"tmpl/bare.tpl\", \"x\")",
       "ERR: Invalid value for \"vars\" parameter: invalid vars value: must be a map."},
      {"templatefile(\"tmpl/bare.tpl\", {name = 1, \"not valid\" = 2})",
       "ERR: Invalid value for \"vars\" parameter: invalid template variable name \"not valid\": "
       "must start with a letter, followed by zero or more letters, digits, and underscores."},
      {"templatefile(\"tmpl/nope.tpl\", {})",
       "ERR: Call to function \"templatefile\" failed: no file exists at tmpl/nope.tpl."},
      {"templatefile(\"tmpl/recursive.tpl\", {})",
       "ERR: Call to function \"templatefile\" failed: tmpl/recursive.tpl:1,3-16: Error in "
       "function call; Call to function \"templatefile\" failed: cannot recursively call "
       "templatefile from inside templatefile call.."},
  };
  run_cases(cases, std::size(cases), ctx_);
  // Parse and evaluation errors come back as the diagnostics' text.
  std::string broken = eval_outcome("templatefile(\"tmpl/broken.tpl\", {})", ctx_);
  EXPECT_EQ(broken.rfind("ERR: Call to function \"templatefile\" failed: tmpl/broken.tpl:1,", 0),
            0u)
      << broken;
  std::string evalerr = eval_outcome("templatefile(\"tmpl/evalerr.tpl\", {})", ctx_);
  EXPECT_NE(evalerr.find("tmpl/evalerr.tpl:1,"), std::string::npos) << evalerr;
}

}  // namespace
}  // namespace kiln::funcs::testing
