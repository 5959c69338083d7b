// The native body's implementation of hcl::Body (hclsyntax's structure.go):
// schema matching with its exact diagnostics.
#include <algorithm>
#include <string>
#include <vector>

#include "hcl/ast.h"
#include "hcl/parser_impl.h"

namespace kiln::hcl::syntax {
namespace {

Range between(const Range& a, const Range& b) {
  Range r;
  r.filename = a.filename;
  r.start = a.start;
  r.end = b.end;
  return r;
}

std::string quote(const std::string& s) {
  return detail::go_quote(s);
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ", ";
    out += v[i];
  }
  return out;
}

Attribute as_attribute(const NativeAttribute& a) {
  Attribute out;
  out.name = a.name;
  out.expr = a.expr;
  out.range = a.src_range;
  out.name_range = a.name_range;
  return out;
}

Block as_block(const NativeBlock& b) {
  Block out;
  out.type = b.type;
  out.labels = b.labels;
  out.body = b.body;
  out.def_range = b.def_range();
  out.type_range = b.type_range;
  out.label_ranges = b.label_ranges;
  return out;
}

}  // namespace

Range NativeBlock::def_range() const {
  const Range& last = label_ranges.empty() ? type_range : label_ranges.back();
  return between(type_range, last);
}

Range NativeBody::missing_item_range() const {
  Range r;
  r.filename = src_range.filename;
  r.start = r.end = src_range.start;
  return r;
}

// The matching part of partial_content; hidden_a/hidden_b start as the
// body's hidden names and end as the remainder's.
BodyContent NativeBody::match_schema(const BodySchema& schema, std::set<std::string>& hidden_a,
                                     std::set<std::string>& hidden_b, Diagnostics& diags) const {
  BodyContent content;

  for (const auto& attr_s : schema.attributes) {
    auto it = attributes.find(attr_s.name);
    bool hidden = hidden_a.count(attr_s.name) > 0;
    if (hidden || it == attributes.end()) {
      if (attr_s.required)
        diags.error(
            "Missing required argument",
            "The argument " + quote(attr_s.name) + " is required, but no definition was found.",
            missing_item_range());
      continue;
    }
    hidden_a.insert(attr_s.name);
    content.attributes[attr_s.name] = as_attribute(it->second);
  }

  for (const auto& block : blocks) {
    if (hidden_b.count(block.type)) continue;
    const BlockHeaderSchema* bs = nullptr;
    // The last schema entry of a type wins, as with Go's map.
    for (const auto& s : schema.blocks)
      if (s.type == block.type) bs = &s;
    if (!bs) continue;

    const auto& names = bs->label_names;
    if (block.labels.size() > names.size()) {
      const std::string& name = block.type;
      if (names.empty())
        diags.error("Extraneous label for " + name,
                    "No labels are expected for " + name + " blocks.", block.label_ranges[0],
                    between(block.type_range, block.open_brace_range));
      else
        diags.error("Extraneous label for " + name,
                    "Only " + std::to_string(names.size()) + " labels (" + join(names) +
                        ") are expected for " + name + " blocks.",
                    block.label_ranges[names.size()],
                    between(block.type_range, block.open_brace_range));
      continue;
    }
    if (block.labels.size() < names.size()) {
      const std::string& name = block.type;
      diags.error("Missing " + names[block.labels.size()] + " for " + name,
                  "All " + name + " blocks must have " + std::to_string(names.size()) +
                      " labels (" + join(names) + ").",
                  block.open_brace_range, between(block.type_range, block.open_brace_range));
      continue;
    }
    content.blocks.push_back(as_block(block));
  }
  // Blocks are hidden only now, so that several blocks of a type all match.
  for (const auto& s : schema.blocks) hidden_b.insert(s.type);

  content.missing_item_range = missing_item_range();
  return content;
}

BodyContent NativeBody::partial_content(const BodySchema& schema, BodyPtr* remain,
                                        Diagnostics& diags) const {
  std::set<std::string> hidden_a = hidden_attrs;
  std::set<std::string> hidden_b = hidden_blocks;
  BodyContent content = match_schema(schema, hidden_a, hidden_b, diags);
  if (remain) {
    auto rest = std::make_shared<NativeBody>();
    rest->attributes = attributes;
    rest->blocks = blocks;
    rest->hidden_attrs = std::move(hidden_a);
    rest->hidden_blocks = std::move(hidden_b);
    rest->src_range = src_range;
    rest->end_range = end_range;
    *remain = std::move(rest);
  }
  return content;
}

BodyContent NativeBody::content(const BodySchema& schema, Diagnostics& diags) const {
  std::set<std::string> hidden_a = hidden_attrs;
  std::set<std::string> hidden_b = hidden_blocks;
  BodyContent content = match_schema(schema, hidden_a, hidden_b, diags);

  // hclsyntax reports these in map order (random); source order is stable.
  std::vector<const NativeAttribute*> extra;
  for (const auto& [name, attr] : attributes)
    if (!hidden_a.count(name)) extra.push_back(&attr);
  std::sort(extra.begin(), extra.end(), [](const NativeAttribute* a, const NativeAttribute* b) {
    return a->name_range.start.byte < b->name_range.start.byte;
  });
  for (const NativeAttribute* ap : extra) {
    const std::string& name = ap->name;
    const NativeAttribute& attr = *ap;
    std::vector<std::string> suggestions;
    for (const auto& s : schema.attributes)
      if (!content.attributes.count(s.name)) suggestions.push_back(s.name);
    std::string suggestion = detail::name_suggestion(name, suggestions);
    if (!suggestion.empty()) {
      suggestion = " Did you mean " + quote(suggestion) + "?";
    } else {
      for (const auto& b : schema.blocks) {
        if (b.type == name) {
          suggestion = " Did you mean to define a block of type " + quote(name) + "?";
          break;
        }
      }
    }
    diags.error("Unsupported argument",
                "An argument named " + quote(name) + " is not expected here." + suggestion,
                attr.name_range);
  }

  for (const auto& block : blocks) {
    if (hidden_b.count(block.type)) continue;
    std::vector<std::string> suggestions;
    for (const auto& s : schema.blocks) suggestions.push_back(s.type);
    std::string suggestion = detail::name_suggestion(block.type, suggestions);
    if (!suggestion.empty()) {
      suggestion = " Did you mean " + quote(suggestion) + "?";
    } else {
      for (const auto& a : schema.attributes) {
        if (a.name == block.type) {
          suggestion = " Did you mean to define argument " + quote(block.type) +
                       "? If so, use the equals sign to assign it a value.";
          break;
        }
      }
    }
    diags.error("Unsupported block type",
                "Blocks of type " + quote(block.type) + " are not expected here." + suggestion,
                block.type_range);
  }
  return content;
}

Attributes NativeBody::just_attributes(Diagnostics& diags) const {
  Attributes attrs;
  // As hclsyntax: any block counts, even one hidden by partial_content.
  if (!blocks.empty()) {
    const auto& example = blocks.front();
    diags.error("Unexpected " + quote(example.type) + " block", "Blocks are not allowed here.",
                example.type_range);
  }
  for (const auto& [name, attr] : attributes) {
    if (hidden_attrs.count(name)) continue;
    attrs[name] = as_attribute(attr);
  }
  return attrs;
}

}  // namespace kiln::hcl::syntax
