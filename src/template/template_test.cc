// Template model tests. Expected texts come from Packer: outputs of Debian's
// Packer 1.6.6 (`packer console`, `packer inspect`, `packer validate`) where
// its behaviour matches the newest Packer, else Packer 1.16's hcl2template
// source as packer-surface.md quotes it.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "hcl/ast.h"
#include "template/schemas.h"
#include "template/template.h"

namespace kiln::tmpl {
namespace {

namespace fs = std::filesystem;
using hcl::Diagnostics;
using hcl::Type;
using hcl::Value;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/kiln-template-test-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& content) const {
    std::string p = path_ + "/" + name;
    fs::create_directories(fs::path(p).parent_path());
    std::ofstream(p) << content;
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string summaries(const Diagnostics& d) {
  std::string s;
  for (auto& x : d) s += (x.severity == hcl::Severity::Error ? "E:" : "W:") + x.summary + "\n";
  return s;
}

// Loads, initialises and evaluates `expr` as the console does.
std::string console(const Config& cfg, const std::string& expr) {
  bool exit = false;
  Diagnostics d;
  std::string out = console_eval(&cfg, expr, &exit, d);
  if (d.has_errors()) return "ERROR: " + d[0].summary + ": " + d[0].detail;
  return out;
}

const char* kVars = R"(
variable "s" {
  type    = string
  default = "def"
}
variable "l" {
  type    = list(string)
  default = ["a"]
}
variable "n" {
  type    = number
  default = 1
  validation {
    condition     = var.n < 10
    error_message = "Too big."
  }
}
variable "o" {
  type = object({ a = string, b = optional(number, 7), c = optional(list(string)) })
  default = { a = "x" }
}
source "null" "x" {
  communicator = "none"
}
build {
  sources = ["null.x"]
}
)";

TEST(Template, VariablePrecedence) {
  // default < PKR_VAR_ < *.auto.pkrvars.hcl < -var-file (in order) < -var,
  // whatever the order on the command line (verified with Packer 1.6.6).
  TempDir dir;
  dir.write("v.pkr.hcl", kVars);
  dir.write("a.auto.pkrvars.hcl", "s = \"auto\"\nl = [\"f1\", \"f2\"]\n");
  std::string vf1 = dir.write("x.pkrvars.hcl", "s = \"vf1\"\n");
  std::string vf2 = dir.write("y.pkrvars.json", "{\"s\": \"vf2\"}");

  {
    Config cfg;
    LoadOptions o;
    o.path = dir.path();
    o.env = std::vector<std::string>{"PKR_VAR_s=env", "PKR_VAR_n=5"};
    ASSERT_FALSE(cfg.load(o).has_errors());
    ASSERT_FALSE(cfg.initialize().has_errors());
    EXPECT_EQ(console(cfg, "var.s"), "auto");
    EXPECT_EQ(console(cfg, "var.n"), "5");
    EXPECT_EQ(console(cfg, "var.l"), "[\n  \"f1\",\n  \"f2\",\n]");
  }
  {
    Config cfg;
    LoadOptions o;
    o.path = dir.path();
    o.env = std::vector<std::string>{"PKR_VAR_s=env"};
    o.vars = {{"s", "cmd1"}, {"s", "cmd2"}};
    o.var_files = {vf1, vf2};
    ASSERT_FALSE(cfg.load(o).has_errors());
    EXPECT_EQ(console(cfg, "var.s"), "cmd2");
  }
  {
    Config cfg;
    LoadOptions o;
    o.path = dir.path();
    o.var_files = {vf2, vf1};
    ASSERT_FALSE(cfg.load(o).has_errors());
    EXPECT_EQ(console(cfg, "var.s"), "vf1");
  }
  {
    // A single file: auto var files are not loaded.
    Config cfg;
    LoadOptions o;
    o.path = dir.path() + "/v.pkr.hcl";
    o.env = std::vector<std::string>{};
    ASSERT_FALSE(cfg.load(o).has_errors());
    EXPECT_EQ(console(cfg, "var.s"), "def");
    EXPECT_EQ(console(cfg, "path.root"), dir.path());
  }
}

TEST(Template, OptionalAttributeDefaults) {
  TempDir dir;
  std::string f = dir.write("v.pkr.hcl", kVars);
  Config cfg;
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  o.vars = {{"o", "{a = \"z\", c = [\"q\"]}"}};
  ASSERT_FALSE(cfg.load(o).has_errors());
  EXPECT_EQ(console(cfg, "var.o"),
            "{\n  \"a\" = \"z\"\n  \"b\" = 7\n  \"c\" = [\n    \"q\",\n  ]\n}");
  Config cfg2;
  o.vars = {};
  ASSERT_FALSE(cfg2.load(o).has_errors());
  EXPECT_EQ(console(cfg2, "var.o.b"), "7");
  EXPECT_EQ(console(cfg2, "var.o.c"), "null");
}

TEST(Template, VariableValueErrors) {
  TempDir dir;
  std::string f = dir.write("v.pkr.hcl", kVars);
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{"PKR_VAR_n=abc"};
  {
    Config cfg;
    Diagnostics d = cfg.load(o);
    ASSERT_EQ(summaries(d), "E:Invalid value for variable\n");
    EXPECT_EQ(d[0].detail,
              "The value for n is not compatible with the variable's type constraint: a number is "
              "required.");
  }
  o.env = std::vector<std::string>{};
  o.vars = {{"zz", "1"}};
  {
    Config cfg;
    Diagnostics d = cfg.load(o);
    ASSERT_EQ(summaries(d), "E:Undefined -var variable\n");
    EXPECT_EQ(d[0].detail,
              "A \"zz\" variable was passed in the command line but was not found in known "
              "variables. To declare variable \"zz\", place this block in one of your .pkr files, "
              "such as variables.pkr.hcl");
  }
  o.vars = {{"l", "3"}};
  {
    Config cfg;
    Diagnostics d = cfg.load(o);
    ASSERT_EQ(summaries(d), "E:Invalid argument value for -var variable\n");
  }
  o.vars = {{"n", "12"}};
  {
    Config cfg;
    ASSERT_FALSE(cfg.load(o).has_errors());
    Diagnostics d = cfg.initialize();
    ASSERT_EQ(summaries(d), "E:Invalid value for cmd variable\n");
    EXPECT_EQ(d[0].detail,
              "Too big.\n\nThis was checked by the validation rule at " + f + ":13,3-13.");
  }
  o.vars = {};
  o.var_files = {dir.write("u.pkrvars.hcl", "zz = 1\nn = \"q\"\n")};
  {
    Config cfg;
    Diagnostics d = cfg.load(o);
    EXPECT_EQ(summaries(d), "W:Undefined variable\nE:Invalid value for variable\n");
  }
  o.var_files = {dir.write("d.pkrvars.hcl", "variable \"x\" {}\n")};
  {
    Config cfg;
    Diagnostics d = cfg.load(o);
    EXPECT_EQ(summaries(d), "E:Variable declaration in a .pkrvar file\n");
  }
  o.var_files = {dir.write("t.txt", "")};
  {
    Config cfg;
    Diagnostics d = cfg.load(o);
    ASSERT_EQ(summaries(d), "E:Could not guess format of " + o.var_files[0] + "\n");
  }
}

TEST(Template, UnsetVariable) {
  TempDir dir;
  std::string f = dir.write("v.pkr.hcl", "variable \"u\" {\n  type = string\n}\n");
  Config cfg;
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  ASSERT_FALSE(cfg.load(o).has_errors());
  Diagnostics d = cfg.initialize();
  ASSERT_EQ(summaries(d), "E:Unset variable \"u\"\n");
  EXPECT_EQ(console(cfg, "var.u"), "<unknown>");
}

TEST(Template, TypeConstraintErrors) {
  TempDir dir;
  std::string f = dir.write("v.pkr.hcl", R"(
variable "a" {
  type = list
}
variable "b" {
  type = strin
}
variable "c" {
  type = object({ x = optional(number, "nope") })
}
variable "d" {
  type    = number
  default = "abc"
}
)");
  Config cfg;
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  Diagnostics d = cfg.load(o);
  EXPECT_EQ(summaries(d),
            "E:Invalid type specification\nE:Invalid type specification\n"
            "E:Invalid default value for optional attribute\nE:Invalid default value for "
            "variable\n");
  EXPECT_EQ(d[0].detail,
            "The list type constructor requires one argument specifying the element type.");
  EXPECT_EQ(d[1].detail, "The keyword \"strin\" is not a valid type specification.");
}

TEST(Template, LocalsInDependencyOrderAndCycles) {
  TempDir dir;
  std::string f = dir.write("l.pkr.hcl", R"(
locals {
  c = "${local.b}-c"
  a = "a"
}
local "b" {
  expression = "${local.a}-b"
}
)");
  Config cfg;
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  ASSERT_FALSE(cfg.load(o).has_errors());
  ASSERT_FALSE(cfg.initialize().has_errors());
  EXPECT_EQ(console(cfg, "local.c"), "a-b-c");

  std::string g = dir.write("c.pkr.hcl", R"(
locals {
  x = local.y
  y = local.x
  z = local.nope
}
)");
  Config cyc;
  o.path = g;
  ASSERT_FALSE(cyc.load(o).has_errors());
  Diagnostics d = cyc.initialize();
  ASSERT_EQ(summaries(d), "E:failed to prepare execution graph\n");
  EXPECT_EQ(d[0].detail,
            "An error occurred while building the graph for datasources/locals: 2 errors "
            "occurred:\n\t* could not get dependency \"local.nope\" for \"local.z\", "
            "\"local.nope\" missing in template\n\t* Cycle: local.x, local.y\n\n");
}

TEST(Template, DuplicateAndInvalidDeclarations) {
  TempDir dir;
  std::string f = dir.write("d.pkr.hcl", R"(
variable "a" {}
variable "a" {}
locals { l = 1 }
locals { l = 2 }
local "x" {}
foo {}
)");
  Config cfg;
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  Diagnostics d = cfg.load(o);
  EXPECT_EQ(summaries(d),
            "E:Unsupported block type\nE:Duplicate variable\nE:Duplicate local definition\n"
            "E:Missing required argument\n");
  EXPECT_EQ(d[1].detail, "Duplicate a variable definition found.");
}

const char* kBuild = R"(
source "null" "a" {
  communicator = "none"
}
source "hcloud" "h" {
  image        = "debian-12"
  location     = "nbg1"
  server_type  = "cx22"
  ssh_username = "root"
  token        = "t"
  snapshot_name = "snap-${source.name}"
}
build {
  name        = "bb"
  description = "desc"
  sources     = ["source.null.a", "hcloud.h"]
  source "null.a" {
    name = "renamed"
  }
  provisioner "shell-local" {
    name   = "p1"
    inline = ["echo ${source.name} ${build.name} ${build.ID}"]
    only   = ["null.renamed"]
  }
  provisioner "shell-local" {
    inline = ["echo"]
    override = {
      renamed = { inline = ["overridden"] }
    }
  }
  post-processor "manifest" {}
  post-processors {
    post-processor "checksum" {
      name = "sum"
    }
    post-processor "shell-local" { inline = ["x"] }
  }
}
)";

TEST(Template, BuildsOnlyExceptRenameOverride) {
  TempDir dir;
  std::string f = dir.write("b.pkr.hcl", kBuild);
  Config cfg;
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  ASSERT_FALSE(cfg.load(o).has_errors());
  ASSERT_FALSE(cfg.initialize().has_errors()) << cfg.render(cfg.initialize());
  Diagnostics d;
  auto builds = cfg.get_builds({}, {}, d);
  ASSERT_FALSE(d.has_errors()) << cfg.render(d);
  ASSERT_EQ(builds.size(), 3u);
  EXPECT_EQ(builds[0].name, "bb.null.a");
  EXPECT_EQ(builds[1].name, "bb.hcloud.h");
  EXPECT_EQ(builds[2].name, "bb.null.renamed");
  EXPECT_EQ(builds[1].builder_config.attributes().at("snapshot_name").as_string(), "snap-h");
  // only = ["null.renamed"] applies to the renamed use only.
  EXPECT_EQ(builds[0].provisioners.size(), 1u);
  ASSERT_EQ(builds[2].provisioners.size(), 2u);
  EXPECT_EQ(builds[2].provisioners[0].config.attributes().at("inline").elements()[0].as_string(),
            "echo renamed bb <unknown>");
  EXPECT_EQ(builds[2].provisioners[1].config.attributes().at("inline").elements()[0].as_string(),
            "overridden");
  EXPECT_EQ(builds[0].provisioners[0].config.attributes().at("inline").elements()[0].as_string(),
            "echo");
  // At run time the engine re-decodes with the build's real values.
  Diagnostics rd;
  const ProvisionerBlock& pb = *builds[2].provisioners[0].block;
  Value again = cfg.decode_at_runtime(builds[2], PluginKind::Provisioner, pb.type, *pb.rest,
                                      pb.override_value, {{"ID", Value::string("42")}}, rd);
  ASSERT_FALSE(rd.has_errors());
  EXPECT_EQ(again.attributes().at("inline").elements()[0].as_string(), "echo renamed bb 42");
  ASSERT_EQ(builds[0].post_processors.size(), 2u);
  EXPECT_EQ(builds[0].post_processors[1].size(), 2u);

  // -only/-except are globs over the full build name; -except also drops
  // a named post-processor and the rest of its chain.
  EXPECT_EQ(cfg.get_builds({"bb.{hcloud,nothing}.*"}, {}, d).size(), 1u);
  EXPECT_EQ(cfg.get_builds({"bb.null.[a-b]"}, {}, d).size(), 1u);
  auto only = cfg.get_builds({"*.renamed"}, {}, d);
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].name, "bb.null.renamed");
  auto except = cfg.get_builds({}, {"bb.null.*", "sum"}, d);
  ASSERT_EQ(except.size(), 1u);
  EXPECT_EQ(except[0].name, "bb.hcloud.h");
  EXPECT_EQ(except[0].post_processors.size(), 1u);

  EXPECT_EQ(inspect_text(cfg),
            "Packer Inspect: HCL2 mode\n\n> input-variables:\n\n\n> local-variables:\n\n\n"
            "> builds:\n\n  > bb:\n\n  > Description: desc\n\n    sources:\n\n      null.a\n\n"
            "      hcloud.h\n\n      null.renamed\n\n    provisioners:\n\n      shell-local.p1\n"
            "      shell-local\n\n    post-processors:\n\n      0:\n        manifest\n\n"
            "      1:\n        checksum.sum\n        shell-local\n\n");
}

Diagnostics validate_text(const std::string& text, Config& cfg, const TempDir& dir) {
  std::string f = dir.write("t.pkr.hcl", text);
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  Diagnostics d = cfg.load(o);
  if (d.has_errors()) return d;
  d.append(cfg.initialize());
  if (d.has_errors()) return d;
  cfg.get_builds({}, {}, d);
  return d;
}

TEST(Template, PluginSchemaErrors) {
  TempDir dir;
  {
    Config cfg;
    Diagnostics d = validate_text(R"(
source "hcloud" "x" {
  image = "debian-12"
  locaton = "nbg1"
}
build { sources = ["hcloud.x"] }
)",
                                  cfg, dir);
    ASSERT_EQ(summaries(d), "E:Unsupported argument\n");
    EXPECT_EQ(d[0].detail,
              "An argument named \"locaton\" is not expected here. Did you mean "
              "\"location\"?");
    EXPECT_EQ(d[0].subject->start.line, 4);
  }
  {
    Config cfg;
    Diagnostics d = validate_text(R"(
source "hcloud" "x" {
  image = "debian-12"
  snapshot_labels = ["x"]
}
build { sources = ["hcloud.x"] }
)",
                                  cfg, dir);
    ASSERT_EQ(summaries(d), "E:Incorrect attribute value type\n");
    EXPECT_EQ(d[0].detail,
              "Inappropriate value for attribute \"snapshot_labels\": map of string "
              "required.");
  }
  {
    // Prepare errors (Packer 1.6.6 gives exactly this text).
    ::unsetenv("HCLOUD_TOKEN");
    Config cfg;
    Diagnostics d = validate_text(R"(
source "hcloud" "x" {
  image = "debian-12"
  server_type = "cx22"
  token = "t"
}
build { sources = ["hcloud.x"] }
)",
                                  cfg, dir);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].summary,
              "2 error(s) occurred:\n\n* An ssh_username must be specified\n  Note: some "
              "builders used to default ssh_username to \"root\".\n* location is required");
    EXPECT_EQ(d[0].subject->start.line, 2);
  }
  {
    Config cfg;
    Diagnostics d = validate_text(R"(
source "hcloud" "x" {
  image = "debian-12"
  server_type = "cx22"
  location = "nbg1"
  ssh_username = "root"
  token = "t"
  poll_interval = 3
}
build { sources = ["hcloud.x"] }
)",
                                  cfg, dir);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].summary,
              "1 error(s) decoding:\n\n* error decoding 'poll_interval': time: missing unit in "
              "duration \"3\"");
  }
  {
    Config cfg;
    Diagnostics d = validate_text(R"(
source "null" "a" { communicator = "none" }
build {
  sources = ["null.a"]
  provisioner "file" {
    content = "x"
    destination = "/tmp/x"
    bogus = 1
  }
}
)",
                                  cfg, dir);
    ASSERT_EQ(summaries(d), "E:Failed preparing provisioner-block \"file\" \"\"\n");
    EXPECT_EQ(d[0].detail, dir.path() +
                               "/t.pkr.hcl:8,5-10: Unsupported argument; An argument named "
                               "\"bogus\" is not expected here.");
  }
  {
    Config cfg;
    Diagnostics d = validate_text(R"(
source "null" "a" { communicator = "none" }
build {
  sources = ["null.a"]
  provisioner "shel" { inline = ["x"] }
}
)",
                                  cfg, dir);
    ASSERT_EQ(summaries(d), "E:Unknown provisioner type \"shel\"\n");
    EXPECT_EQ(d[0].detail, "Did you mean to use \"shell\"?");
  }
  {
    Config cfg;
    Diagnostics d = validate_text(R"(
source "null" "a" { communicator = "none" }
build {
  sources = ["source.null.b"]
}
)",
                                  cfg, dir);
    ASSERT_EQ(summaries(d), "E:Unknown source null.b\n");
  }
  {
    Config cfg;
    Diagnostics d = validate_text(R"(
data "consul" "x" {}
)",
                                  cfg, dir);
    ASSERT_EQ(summaries(d), "E:Unknown data type consul\n");
  }
}

TEST(Template, ConsoleFormatting) {
  // Outputs of `packer console` (Packer 1.6.6) for these expressions.
  Config cfg;
  auto eval = [&](const std::string& e) { return console(cfg, e); };
  EXPECT_EQ(eval("\"a\\nb\""), "a\nb");
  EXPECT_EQ(eval("1000000"), "1000000");
  EXPECT_EQ(eval("1e18"), "1000000000000000000");
  EXPECT_EQ(eval("1e19"), "1e+19");
  EXPECT_EQ(eval("12345678901234567890"), "1.2345678901234567e+19");
  EXPECT_EQ(eval("0.0001"), "0.0001");
  EXPECT_EQ(eval("0.00001"), "1e-05");
  EXPECT_EQ(eval("1/3"), "0.3333333333333333");
  EXPECT_EQ(eval("[1,\"a\"]"), "[\n  1,\n  \"a\",\n]");
  EXPECT_EQ(eval("{a=1, \"b c\"=[true]}"), "{\n  \"a\" = 1\n  \"b c\" = [\n    true,\n  ]\n}");
  EXPECT_EQ(eval("[[1],[]]"), "[\n  [\n    1,\n  ],\n  [],\n]");
  EXPECT_EQ(eval("[null, {a=null,b={}}]"), "[\n  null,\n  {\n    \"b\" = {}\n  },\n]");
  EXPECT_EQ(eval("null"), "null");
  EXPECT_EQ(eval("{}"), "{}");
  EXPECT_EQ(eval("packer.version"), kPackerVersion);
  EXPECT_EQ(eval("\"x\" + 1"),
            "ERROR: Invalid operand: Unsuitable value for left operand: a number is required.");
}

TEST(Template, SensitiveValuesAreFiltered) {
  TempDir dir;
  std::string f = dir.write("s.pkr.hcl", R"(
variable "tok" {
  type      = string
  default   = "hunter2"
  sensitive = true
}
variable "arr" {
  type      = list(string)
  default   = ["a1", "b2"]
  sensitive = true
}
locals {
  x = "${var.tok}-y"
}
)");
  Config cfg;
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  ASSERT_FALSE(cfg.load(o).has_errors());
  ASSERT_FALSE(cfg.initialize().has_errors());
  std::string text = cfg.filter_secrets(inspect_text(cfg));
  EXPECT_NE(text.find("var.tok: \"<sensitive>\"\n"), std::string::npos) << text;
  // Packer's expected output for sensitive arrays
  // (command/test-fixtures/hcl-inspect-with-sensitive-vars).
  EXPECT_NE(text.find("var.arr: \"[\\n  \\\"<sensitive>\\\",\\n  \\\"<sensitive>\\\",\\n]\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("local.x: \"<sensitive>-y\""), std::string::npos) << text;
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
}

TEST(Template, RequiredVersionAndPlugins) {
  TempDir dir;
  {
    Config cfg;
    LoadOptions o;
    o.path = dir.write("v.pkr.hcl", "packer {\n  required_version = \">= 1.7.0, < 2.0.0\"\n}\n");
    EXPECT_FALSE(cfg.load(o).has_errors());
  }
  {
    Config cfg;
    LoadOptions o;
    o.path = dir.write("w.pkr.hcl", "packer {\n  required_version = \"< 1.7.0\"\n}\n");
    Diagnostics d = cfg.load(o);
    ASSERT_EQ(summaries(d), "E:Unsupported Packer Core version\n");
  }
  {
    Config cfg;
    LoadOptions o;
    o.path = dir.write("p.pkr.hcl", R"(
packer {
  required_plugins {
    hcloud = { version = ">= 1.0.0, < 2.0.0", source = "github.com/hetznercloud/hcloud" }
    amazon = { version = ">= 1.0.0", source = "github.com/hashicorp/amazon" }
  }
}
)");
    ASSERT_FALSE(cfg.load(o).has_errors());
    std::vector<std::string> ok;
    Diagnostics d = check_required_plugins(cfg, &ok);
    ASSERT_EQ(ok.size(), 1u);
    ASSERT_EQ(summaries(d), "E:Missing plugins\n");
    EXPECT_NE(d[0].detail.find("github.com/hashicorp/amazon >= 1.0.0"), std::string::npos);
  }
  EXPECT_EQ(version_satisfies("1.16.0", "~> 1.7", nullptr), std::optional<bool>(true));
  EXPECT_EQ(version_satisfies("1.16.0", "~> 1.7.0", nullptr), std::optional<bool>(false));
  EXPECT_EQ(version_satisfies("1.16.0", ">= 1.16.0, != 1.16.1", nullptr),
            std::optional<bool>(true));
  EXPECT_EQ(version_satisfies("1.16.0", "bogus", nullptr), std::nullopt);
}

TEST(Template, GoDurations) {
  std::string err;
  EXPECT_EQ(parse_go_duration("1h30m", &err), std::optional<double>(5400));
  EXPECT_EQ(parse_go_duration("500ms", &err), std::optional<double>(0.5));
  EXPECT_FALSE(parse_go_duration("3", &err));
  EXPECT_EQ(err, "time: missing unit in duration \"3\"");
  EXPECT_FALSE(parse_go_duration("3x", &err));
  EXPECT_EQ(err, "time: unknown unit \"x\" in duration \"3x\"");
  EXPECT_FALSE(parse_go_duration("", &err));
  EXPECT_EQ(err, "time: invalid duration \"\"");
}

TEST(Template, SeedTemplate) {
  // The seed template validates with its key file present; without it the
  // error names the file and the template line.
  TempDir home;
  std::string seed = std::string(KILN_TEMPLATE_TESTDATA) + "/../../../../shared/seed/template";
  if (!fs::exists(seed + "/nixos-hetzner.pkr.hcl")) GTEST_SKIP() << "no seed at " << seed;
  const char* old_home = std::getenv("HOME");
  std::string saved = old_home ? old_home : "";
  ::setenv("HOME", home.path().c_str(), 1);
  ::setenv("HCLOUD_TOKEN", "test-token", 1);
  {
    Config cfg;
    LoadOptions o;
    o.path = seed + "/nixos-hetzner.pkr.hcl";
    ASSERT_FALSE(cfg.load(o).has_errors());
    Diagnostics d = cfg.initialize();
    ASSERT_TRUE(d.has_errors());
    std::string text = cfg.render(d);
    EXPECT_NE(text.find("nixos-hetzner.pkr.hcl line 27"), std::string::npos) << text;
    EXPECT_NE(text.find(home.path() + "/.ssh/hetzner-nixos.pub"), std::string::npos) << text;
  }
  home.write(".ssh/hetzner-nixos.pub", "ssh-ed25519 AAAA kiln\n");
  {
    Config cfg;
    LoadOptions o;
    o.path = seed;
    ASSERT_FALSE(cfg.load(o).has_errors());
    Diagnostics d = cfg.initialize();
    ASSERT_FALSE(d.has_errors()) << cfg.render(d);
    auto builds = cfg.get_builds({}, {}, d);
    ASSERT_FALSE(d.has_errors()) << cfg.render(d);
    ASSERT_EQ(builds.size(), 1u);
    EXPECT_EQ(builds[0].name, "hcloud.nixos");
    EXPECT_EQ(builds[0].provisioners.size(), 3u);
    EXPECT_TRUE(check_required_plugins(cfg, nullptr).empty());
    std::string text = cfg.filter_secrets(inspect_text(cfg));
    EXPECT_NE(text.find("var.hcloud_token: \"<sensitive>\""), std::string::npos);
  }
  ::setenv("HOME", saved.c_str(), 1);
}

}  // namespace
}  // namespace kiln::tmpl

namespace kiln::tmpl {
namespace {

TEST(Template, DynamicBlocks) {
  // dynblock.Expand over the whole file, as Packer's parseConfig does.
  TempDir dir;
  std::string f = dir.write("d.pkr.hcl", R"(
variable "names" {
  default = ["a", "b"]
}
source "null" "base" {
  communicator = "none"
}
build {
  dynamic "source" {
    for_each = var.names
    labels   = ["null.base"]
    content {
      name = source.value
    }
  }
  dynamic "provisioner" {
    for_each = { x = "1", y = "2" }
    iterator = p
    labels   = ["shell-local"]
    content {
      inline = ["echo ${p.key}=${p.value} ${source.name}"]
    }
  }
}
)");
  Config cfg;
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  ASSERT_FALSE(cfg.load(o).has_errors());
  ASSERT_FALSE(cfg.initialize().has_errors());
  ASSERT_EQ(cfg.builds.size(), 1u);
  Diagnostics bd;
  auto builds = cfg.get_builds({}, {}, bd);
  ASSERT_FALSE(bd.has_errors()) << cfg.render(bd);
  ASSERT_EQ(builds.size(), 2u);
  EXPECT_EQ(builds[0].name, "null.a");
  EXPECT_EQ(builds[1].name, "null.b");
  ASSERT_EQ(builds[1].provisioners.size(), 2u);
  EXPECT_EQ(builds[1].provisioners[1].config.attributes().at("inline").elements()[0].as_string(),
            "echo y=2 b");

  Config bad;
  o.path = dir.write("e.pkr.hcl", R"(
build {
  dynamic "post-processor" {
    for_each = 3
    labels   = ["manifest"]
    content {}
  }
}
)");
  ASSERT_FALSE(bad.load(o).has_errors());
  Diagnostics bad_diags = bad.initialize();
  ASSERT_EQ(summaries(bad_diags), "E:Invalid dynamic for_each value\n");
  EXPECT_EQ(bad_diags[0].detail,
            "Cannot use a number value in for_each. An iterable collection is required.");
}

}  // namespace
}  // namespace kiln::tmpl

namespace kiln::tmpl {
namespace {

TEST(Template, DataSources) {
  TempDir dir;
  std::string f = dir.write("d.pkr.hcl", R"(
data "null" "a" {
  input = "in-${local.base}"
}
locals {
  base = "b"
  out  = data.null.a.output
}
)");
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  {
    Config cfg;
    ASSERT_FALSE(cfg.load(o).has_errors());
    ASSERT_FALSE(cfg.initialize(/*skip_datasources=*/false).has_errors());
    EXPECT_EQ(console(cfg, "local.out"), "in-b");
  }
  {
    // validate without -evaluate-datasources: unknown placeholders.
    Config cfg;
    ASSERT_FALSE(cfg.load(o).has_errors());
    ASSERT_FALSE(cfg.initialize(/*skip_datasources=*/true).has_errors());
    EXPECT_EQ(console(cfg, "local.out"), "<unknown>");
  }
}

}  // namespace
}  // namespace kiln::tmpl

namespace kiln::tmpl {
namespace {

TEST(Template, NestedOptionalDefaults) {
  // typeexpr.Defaults.Apply semantics: defaults at any depth, inside
  // collections and tuples; a missing optional attribute without default
  // is null (and hcl2shim omits it when printing).
  TempDir dir;
  std::string f = dir.write("o.pkr.hcl", R"(
variable "servers" {
  type = list(object({
    name = string
    size = optional(string, "cx22")
    disk = optional(object({ size = optional(number, 20), type = string }))
  }))
  default = [{ name = "a" }, { name = "b", size = "cx32", disk = { type = "ssd" } }]
}
variable "m" {
  type    = map(object({ x = optional(number, 1) }))
  default = { k = {} }
}
variable "t" {
  type    = tuple([string, object({ y = optional(bool, true) })])
  default = ["s", {}]
}
)");
  Config cfg;
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  o.vars = {{"m", "{ j = { x = 5 }, k = {} }"}};
  Diagnostics d = cfg.load(o);
  ASSERT_FALSE(d.has_errors()) << cfg.render(d);
  EXPECT_EQ(console(cfg, "var.servers[0].size"), "cx22");
  EXPECT_EQ(console(cfg, "var.servers[0].disk"), "null");
  EXPECT_EQ(console(cfg, "var.servers[1].disk.size"), "20");
  EXPECT_EQ(console(cfg, "var.servers[1].size"), "cx32");
  EXPECT_EQ(console(cfg, "var.m"),
            "{\n  \"j\" = {\n    \"x\" = 5\n  }\n  \"k\" = {\n    \"x\" = 1\n  }\n}");
  EXPECT_EQ(console(cfg, "var.t[1].y"), "true");
}

TEST(Template, JsonSyntax) {
  TempDir dir;
  std::string f = dir.write("t.pkr.json", R"json({
  "variable": {
    "l": {"type": "list(string)", "default": ["a"]},
    "o": {"type": "object({a = string, b = optional(number, 3)})", "default": {"a": "x"}}
  },
  "locals": {"x": "${upper(var.l[0])}"},
  "source": {"null": {"a": {"communicator": "none"}}},
  "build": {
    "name": "j",
    "sources": ["source.null.a"],
    "provisioner": [{"shell-local": {"inline": ["echo ${local.x} ${source.name}"]}}]
  }
})json");
  Config cfg;
  LoadOptions o;
  o.path = f;
  o.env = std::vector<std::string>{};
  ASSERT_FALSE(cfg.load(o).has_errors());
  ASSERT_FALSE(cfg.initialize().has_errors());
  EXPECT_EQ(console(cfg, "var.o.b"), "3");
  Diagnostics d;
  auto builds = cfg.get_builds({}, {}, d);
  ASSERT_FALSE(d.has_errors()) << cfg.render(d);
  ASSERT_EQ(builds.size(), 1u);
  EXPECT_EQ(builds[0].name, "j.null.a");
  EXPECT_EQ(builds[0].provisioners[0].config.attributes().at("inline").elements()[0].as_string(),
            "echo A a");
}

}  // namespace
}  // namespace kiln::tmpl
