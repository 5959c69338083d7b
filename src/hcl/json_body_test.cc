// JSON bodies: just_attributes, partial_content with labelled blocks, the
// remaining body, missing-item ranges and the root checks, compared with
// HashiCorp's hcl/json (2.14.1; the table in json_golden_file.inc). The
// schema is: attribute "a" (required), block "b" with one label "l"; the
// remaining body is asked for just_attributes and for content with an
// optional attribute "c". The navigation context (json's ContextString) is
// compared at every byte offset.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "hcl/json_syntax.h"
#include "hcl/parse.h"

namespace kiln::hcl {
namespace {

struct FileCase {
  const char* src;
  std::vector<std::string> parse_diags;
  const char* missing;
  const char* missing_filename;
  std::vector<std::string> just;  // name@range/name range/expr range/expr start range
  std::vector<std::string> just_diags;
  std::vector<std::string> partial_diags;
  std::vector<std::string> blocks;
  const char* partial_missing;
  std::vector<std::string> remain;
  std::vector<std::string> remain_just_diags;
  std::vector<std::string> remain_content_diags;
  const char* nav;  // the navigation context at each byte offset, ";"-separated
};

const FileCase kFileCases[] = {
#include "hcl/json_golden_file.inc"
};

std::string pos_str(const Pos& p) {
  return std::to_string(p.line) + "," + std::to_string(p.column) + "," + std::to_string(p.byte);
}
std::string range_str(const Range& r) {
  return pos_str(r.start) + "-" + pos_str(r.end);
}
std::vector<std::string> diag_strs(const Diagnostics& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) {
    out.push_back(d.summary + "|" + d.detail + "|" + (d.subject ? range_str(*d.subject) : "") +
                  "|" + (d.context ? range_str(*d.context) : ""));
  }
  return out;
}

TEST(JsonBody, MatchesHcl) {
  for (const auto& c : kFileCases) {
    SCOPED_TRACE(std::string("source: ") + c.src);
    Diagnostics pd;
    File f = json::parse(c.src, "f.json", Pos{}, pd);
    ASSERT_TRUE(f.body);
    EXPECT_TRUE(json::is_json_body(*f.body));
    EXPECT_EQ(diag_strs(pd), c.parse_diags);
    std::string nav;
    for (size_t i = 0; i <= std::string_view(c.src).size(); ++i) {
      if (i > 0) nav += ";";
      nav += json::context_string(*f.body, i);
    }
    EXPECT_EQ(nav, c.nav);
    EXPECT_EQ(range_str(f.body->missing_item_range()), c.missing);
    EXPECT_EQ(f.body->missing_item_range().filename, c.missing_filename);

    Diagnostics jd;
    Attributes attrs = f.body->just_attributes(jd);
    std::vector<std::string> just;
    for (const auto& [name, a] : attrs) {
      just.push_back(name + "@" + range_str(a.range) + "/" + range_str(a.name_range) + "/" +
                     range_str(a.expr->range()) + "/" + range_str(a.expr->start_range()));
    }
    std::sort(just.begin(), just.end());
    EXPECT_EQ(just, c.just);
    EXPECT_EQ(diag_strs(jd), c.just_diags);

    BodySchema schema;
    schema.attributes.push_back({"a", true});
    schema.blocks.push_back({"b", {"l"}});
    Diagnostics cd;
    BodyPtr remain;
    BodyContent content = f.body->partial_content(schema, &remain, cd);
    EXPECT_EQ(diag_strs(cd), c.partial_diags);
    std::vector<std::string> blocks;
    for (const Block& b : content.blocks) {
      std::string labels;
      for (const auto& l : b.labels) labels += (labels.empty() ? "" : ",") + l;
      blocks.push_back(b.type + "/" + labels + "@def" + range_str(b.def_range) + "@type" +
                       range_str(b.type_range) + "@missing" +
                       range_str(b.body->missing_item_range()));
      for (const auto& lr : b.label_ranges) blocks.push_back("label@" + range_str(lr));
    }
    EXPECT_EQ(blocks, c.blocks);
    EXPECT_EQ(range_str(content.missing_item_range), c.partial_missing);

    ASSERT_TRUE(remain);
    Diagnostics rd;
    std::vector<std::string> names;
    for (const auto& [name, a] : remain->just_attributes(rd)) names.push_back(name);
    EXPECT_EQ(names, c.remain);
    EXPECT_EQ(diag_strs(rd), c.remain_just_diags);
    Diagnostics rcd;
    BodySchema cschema;
    cschema.attributes.push_back({"c", false});
    remain->content(cschema, rcd);
    EXPECT_EQ(diag_strs(rcd), c.remain_content_diags);
  }
}

TEST(JsonBody, ParseFileDispatchesBySuffix) {
  Diagnostics d;
  File j = parse_file(R"({"a": 1})", "x.pkr.json", d);
  EXPECT_TRUE(d.empty());
  ASSERT_TRUE(j.body);
  EXPECT_TRUE(json::is_json_body(*j.body));
  EXPECT_EQ(j.filename, "x.pkr.json");
  ASSERT_TRUE(j.bytes);
  EXPECT_EQ(*j.bytes, R"({"a": 1})");

  File n = parse_file("a = 1\n", "x.pkr.hcl", d);
  EXPECT_TRUE(d.empty());
  ASSERT_TRUE(n.body);
  EXPECT_FALSE(json::is_json_body(*n.body));
}

TEST(JsonBody, BodiesOutliveTheirFile) {
  Diagnostics d;
  BodyPtr inner;
  {
    File f = parse_json_file(R"({"b": {"x": {"v": "s"}}})", "f.json", d);
    BodySchema schema;
    schema.blocks.push_back({"b", {"l"}});
    BodyContent c = f.body->content(schema, d);
    ASSERT_EQ(c.blocks.size(), 1u);
    inner = c.blocks[0].body;
  }
  Attributes attrs = inner->just_attributes(d);
  ASSERT_TRUE(d.empty());
  ASSERT_EQ(attrs.count("v"), 1u);
  EXPECT_EQ(attrs.at("v").expr->value(nullptr, d).as_string(), "s");
}

TEST(JsonBody, ContextString) {
  Diagnostics d;
  std::string src = R"({"a": {"b": [1, {"c": "x"}]}})";
  File f = parse_json_file(src, "f.json", d);
  EXPECT_EQ(json::context_string(*f.body, src.find("\"x\"")), "a.b[1]");
  EXPECT_EQ(json::context_string(*f.body, src.find("1,")), "a.b");
  EXPECT_EQ(json::context_string(*f.body, 0), "");
}

TEST(JsonBody, DeepNestingIsAnErrorNotACrash) {
  std::string src = "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  Diagnostics d;
  File f = parse_json_file(src, "deep.json", d);
  ASSERT_TRUE(f.body);
  EXPECT_TRUE(d.has_errors());
}

TEST(JsonBody, ModerateNestingParses) {
  std::string src = "{\"a\": " + std::string(900, '[') + std::string(900, ']') + "}";
  Diagnostics d;
  File f = parse_json_file(src, "deep.json", d);
  EXPECT_FALSE(d.has_errors());
  Attributes attrs = f.body->just_attributes(d);
  EvalContext ctx;
  Value v = attrs.at("a").expr->value(&ctx, d);
  EXPECT_FALSE(d.has_errors());
  EXPECT_TRUE(v.type().is_tuple());
  EXPECT_TRUE(attrs.at("a").expr->variables().empty());
}

}  // namespace
}  // namespace kiln::hcl
