#include "hcldec/merged.h"

#include <fmt/format.h>

namespace kiln::hcldec {

namespace {
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void duplicate_argument(const std::string& name, const hcl::Attribute& existing,
                        const hcl::Attribute& attr, hcl::Diagnostics& diags) {
  diags.error(
      "Duplicate argument",
      fmt::format("Argument {} was already set at {}", quote(name), existing.name_range.str()),
      attr.name_range);
}
}  // namespace

hcl::BodyContent MergedBody::content(const hcl::BodySchema& schema, hcl::Diagnostics& diags) const {
  return merged_content(schema, false, nullptr, diags);
}

hcl::BodyContent MergedBody::partial_content(const hcl::BodySchema& schema, hcl::BodyPtr* remain,
                                             hcl::Diagnostics& diags) const {
  return merged_content(schema, true, remain, diags);
}

hcl::Attributes MergedBody::just_attributes(hcl::Diagnostics& diags) const {
  hcl::Attributes attrs;
  for (const auto& body : bodies_) {
    hcl::Attributes these = body->just_attributes(diags);
    for (auto& [name, attr] : these) {
      if (auto it = attrs.find(name); it != attrs.end()) {
        duplicate_argument(name, it->second, attr, diags);
        continue;
      }
      attrs.emplace(name, std::move(attr));
    }
  }
  return attrs;
}

hcl::Range MergedBody::missing_item_range() const {
  if (bodies_.empty()) {
    hcl::Range r;
    r.filename = hcl::intern_filename("<empty>");
    r.start = r.end = hcl::Pos{0, 0, 0};
    return r;
  }
  return bodies_.front()->missing_item_range();
}

hcl::BodyContent MergedBody::merged_content(const hcl::BodySchema& schema, bool partial,
                                            hcl::BodyPtr* remain, hcl::Diagnostics& diags) const {
  // Required attributes are checked over the merged result, not per body.
  hcl::BodySchema merged_schema;
  merged_schema.blocks = schema.blocks;
  for (auto a : schema.attributes) {
    a.required = false;
    merged_schema.attributes.push_back(std::move(a));
  }

  std::vector<hcl::BodyPtr> leftovers;
  hcl::BodyContent content;
  // hcl.mergedBodies leaves the merged content's MissingItemRange zero.
  content.missing_item_range.start = content.missing_item_range.end = hcl::Pos{0, 0, 0};
  for (const auto& body : bodies_) {
    hcl::BodyContent these;
    if (partial) {
      hcl::BodyPtr rest;
      these = body->partial_content(merged_schema, &rest, diags);
      if (rest) leftovers.push_back(std::move(rest));
    } else {
      these = body->content(merged_schema, diags);
    }
    for (auto& [name, attr] : these.attributes) {
      if (auto it = content.attributes.find(name); it != content.attributes.end()) {
        duplicate_argument(name, it->second, attr, diags);
        continue;
      }
      content.attributes.emplace(name, std::move(attr));
    }
    for (auto& b : these.blocks) content.blocks.push_back(std::move(b));
  }

  for (const auto& a : schema.attributes) {
    if (!a.required || content.attributes.count(a.name)) continue;
    diags.error("Missing required argument",
                fmt::format("The argument {} is required, but was not set.", quote(a.name)),
                std::nullopt);
  }
  if (remain) *remain = merge_bodies(leftovers);
  return content;
}

hcl::BodyPtr merge_bodies(const std::vector<hcl::BodyPtr>& bodies) {
  std::vector<hcl::BodyPtr> flat;
  for (const auto& b : bodies) {
    if (auto* m = dynamic_cast<const MergedBody*>(b.get()))
      flat.insert(flat.end(), m->bodies().begin(), m->bodies().end());
    else
      flat.push_back(b);
  }
  return std::make_shared<MergedBody>(std::move(flat));
}

hcl::BodyPtr empty_body() {
  return std::make_shared<MergedBody>(std::vector<hcl::BodyPtr>{});
}

}  // namespace kiln::hcldec
