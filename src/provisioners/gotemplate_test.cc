#include "provisioners/gotemplate.h"

#include <gtest/gtest.h>

namespace kiln::prov {
namespace {

std::string render(const std::string& t, const TemplateData& d) {
  std::string err;
  auto r = render_template(t, d, &err);
  return r ? *r : "ERROR: " + err;
}

TemplateData data() {
  TemplateData d;
  d.fields = {{"Path", "/tmp/script_1.sh"}, {"Vars", "A='1' "}};
  d.build = {{"Host", "10.0.0.5"}, {"ID", "42"}};
  d.build_name = "nixos";
  d.builder_type = "hcloud";
  return d;
}

TEST(GoTemplate, PackerDefaultsRender) {
  EXPECT_EQ(render("chmod +x {{.Path}}; {{.Vars}} {{.Path}}", data()),
            "chmod +x /tmp/script_1.sh; A='1'  /tmp/script_1.sh");
  EXPECT_EQ(render("{{ .Path }}", data()), "/tmp/script_1.sh");
  EXPECT_EQ(render("no template here {", data()), "no template here {");
}

TEST(GoTemplate, FunctionsAndPipes) {
  EXPECT_EQ(render("{{build `Host`}}:{{ build \"ID\" }}", data()), "10.0.0.5:42");
  EXPECT_EQ(render("{{build_name}}-{{build_type}}", data()), "nixos-hcloud");
  EXPECT_EQ(render("{{ build_name | upper }}", data()), "NIXOS");
  EXPECT_EQ(render("{{ lower \"ABC\" }}", data()), "abc");
  EXPECT_EQ(render("{{ replace_all \"-\" \"_\" \"a-b-c\" }}", data()), "a_b_c");
  EXPECT_EQ(render("{{ replace \"-\" \"_\" 1 \"a-b-c\" }}", data()), "a_b-c");
  EXPECT_EQ(render("{{ split \"a,b,c\" \",\" 1 }}", data()), "b");
  EXPECT_EQ(render("{{ timestamp }}", data()).size(), 10u);
  EXPECT_EQ(render("{{ uuid }}", data()).size(), 36u);
}

TEST(GoTemplate, TrimMarkersAndComments) {
  EXPECT_EQ(render("a  {{- .Path -}}  b", data()), "a/tmp/script_1.shb");
  EXPECT_EQ(render("a{{/* note */}}b", data()), "ab");
}

TEST(GoTemplate, MissingFieldsStrictOrNoValue) {
  TemplateData d = data();
  EXPECT_EQ(render("{{.Nope}}", d), "<no value>");
  d.strict_fields = true;
  EXPECT_EQ(render("{{.Nope}}", d).rfind("ERROR: template: can't evaluate field Nope", 0), 0u);
}

TEST(GoTemplate, ErrorsAreValues) {
  EXPECT_EQ(render("{{ .Path", data()), "ERROR: template: unclosed action");
  EXPECT_NE(render("{{ nosuch }}", data()).find("function \"nosuch\" not defined"),
            std::string::npos);
  EXPECT_NE(render("{{ if .Path }}x{{ end }}", data()).find("not supported"), std::string::npos);
  EXPECT_NE(render("{{ build `Missing` }}", data()).find("Missing not found"), std::string::npos);
  EXPECT_NE(render("{{ \"open }}", data()).find("ERROR"), std::string::npos);
}

}  // namespace
}  // namespace kiln::prov
