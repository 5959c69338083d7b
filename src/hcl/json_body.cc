// The JSON body: properties are attributes or blocks as the schema says;
// nested objects (or arrays of objects) give block labels and bodies.
#include <utf8proc.h>

#include <cstdio>
#include <string_view>

#include "hcl/json_ast.h"
#include "hcl/json_syntax.h"
#include "hcl/quote.h"

namespace kiln::hcl::json {

// --- helpers ------------------------------------------------------------------

std::string go_quote(std::string_view s) {
  return go_quote_string(s);
}

namespace {

std::u32string to_runes(std::string_view s) {
  std::u32string r;
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto n = static_cast<utf8proc_ssize_t>(s.size());
  utf8proc_ssize_t i = 0;
  while (i < n) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t len = utf8proc_iterate(p + i, n - i, &cp);
    if (len <= 0) {
      cp = 0xFFFD;
      len = 1;
    }
    r += static_cast<char32_t>(cp);
    i += len;
  }
  return r;
}

size_t levenshtein(const std::u32string& a, const std::u32string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      size_t sub = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, sub});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string name_suggestion(std::string_view given, const std::vector<std::string>& suggestions) {
  std::u32string g = to_runes(given);
  for (const auto& s : suggestions) {
    if (levenshtein(g, to_runes(s)) < 3) return s;
  }
  return "";
}

// --- body ---------------------------------------------------------------------

namespace {

// Flattens an object, or an array of objects, into its properties in order.
// label_name, when given, words the errors for block labels.
std::vector<const Attr*> collect_deep_attrs(const Node& v, const std::string* label_name,
                                            Diagnostics& diags) {
  std::vector<const Attr*> attrs;
  switch (v.kind) {
    case Node::Kind::Null:
      break;
    case Node::Kind::Object:
      attrs.reserve(v.attrs.size());
      for (const auto& a : v.attrs) attrs.push_back(&a);
      break;
    case Node::Kind::Array:
      for (const auto& ev : v.values) {
        if (ev.is_object()) {
          for (const auto& a : ev.attrs) attrs.push_back(&a);
        } else if (label_name != nullptr) {
          diags.error("Incorrect JSON value type",
                      "A JSON object is required here, to specify " + *label_name +
                          " labels for this block.",
                      ev.start_range());
        } else {
          diags.error("Incorrect JSON value type",
                      "A JSON object is required here, to define arguments and child blocks.",
                      ev.start_range());
        }
      }
      break;
    default:
      if (label_name != nullptr) {
        diags.error("Incorrect JSON value type",
                    "Either a JSON object or JSON array of objects is required here, to specify " +
                        *label_name + " labels for this block.",
                    v.start_range());
      } else {
        diags.error("Incorrect JSON value type",
                    "Either a JSON object or JSON array of objects is required here, to define "
                    "arguments and child blocks.",
                    v.start_range());
      }
  }
  return attrs;
}

struct BlockUnpacker {
  const NodeRef& root;  // for aliasing pointers
  const std::string& type;
  const Range& type_range;
  const std::vector<std::string>& label_names;
  std::vector<Block>& blocks;
  Diagnostics& diags;
  std::vector<std::string> labels;
  std::vector<Range> label_ranges;

  void unpack(const Node& v, size_t level) {
    if (level < label_names.size()) {
      const std::string& label_name = label_names[level];
      std::vector<const Attr*> attrs = collect_deep_attrs(v, &label_name, diags);
      if (attrs.empty()) {
        diags.error("Missing block label",
                    "At least one object property is required, whose name represents the " + type +
                        " block's " + label_name + ".",
                    v.start_range());
        return;
      }
      labels.emplace_back();
      label_ranges.emplace_back();
      for (const Attr* p : attrs) {
        labels.back() = p->name;
        label_ranges.back() = p->name_range;
        unpack(p->value, level + 1);
      }
      labels.pop_back();
      label_ranges.pop_back();
      return;
    }
    switch (v.kind) {
      case Node::Kind::Null:
        return;  // no block at all
      case Node::Kind::Object:
        add(v, v.open_range);
        return;
      case Node::Kind::Array:
        // Each element is a block; a non-object one is reported when its
        // content is asked for.
        for (const auto& av : v.values) add(av, v.open_range);
        return;
      default:
        diags.error("Incorrect JSON value type",
                    "Either a JSON object or a JSON array is required, representing the contents "
                    "of one or more " +
                        go_quote(type) + " blocks.",
                    v.start_range());
    }
  }

  void add(const Node& body, const Range& def_range) {
    Block& b = blocks.emplace_back();
    b.type = type;
    b.labels = labels;
    b.body = std::make_shared<JsonBody>(NodeRef(root, &body));
    b.def_range = def_range;
    b.type_range = type_range;
    b.label_ranges = label_ranges;
  }
};

Attribute make_attribute(const NodeRef& root, const Attr& a) {
  Attribute attr;
  attr.name = a.name;
  attr.expr = std::make_shared<JsonExpression>(NodeRef(root, &a.value));
  attr.range = Range::between(a.name_range, a.value.range);
  attr.name_range = a.name_range;
  return attr;
}

}  // namespace

BodyContent JsonBody::partial(const BodySchema& schema, std::set<std::string>* used,
                              Diagnostics& diags) const {
  std::vector<const Attr*> attrs = collect_deep_attrs(*node_, nullptr, diags);
  *used = hidden_;
  BodyContent content;
  content.missing_item_range = missing_item_range();

  for (const Attr* a : attrs) {
    const std::string& name = a->name;
    if (hidden_.count(name) != 0) continue;

    // As with a map built from the schema, the last entry of a name counts.
    const AttributeSchema* attr_s = nullptr;
    for (const auto& s : schema.attributes)
      if (s.name == name) attr_s = &s;
    if (attr_s != nullptr) {
      auto existing = content.attributes.find(name);
      if (existing != content.attributes.end()) {
        diags.error("Duplicate argument",
                    "The argument " + go_quote(name) + " was already set at " +
                        existing->second.range.str() + ".",
                    a->name_range, a->range());
        continue;
      }
      content.attributes.emplace(name, make_attribute(node_, *a));
      used->insert(name);
      continue;
    }
    const BlockHeaderSchema* block_s = nullptr;
    for (const auto& s : schema.blocks)
      if (s.type == name) block_s = &s;
    if (block_s != nullptr) {
      BlockUnpacker u{
          node_, block_s->type, a->name_range, block_s->label_names, content.blocks, diags, {}, {}};
      u.unpack(a->value, 0);
      used->insert(name);
    }
    // Anything else is left for content() to report.
  }

  for (const auto& s : schema.attributes) {
    if (!s.required) continue;
    if (content.attributes.count(s.name) == 0) {
      diags.error("Missing required argument",
                  "The argument " + go_quote(s.name) + " is required, but no definition was found.",
                  missing_item_range());
    }
  }
  return content;
}

BodyContent JsonBody::partial_content(const BodySchema& schema, BodyPtr* remain,
                                      Diagnostics& diags) const {
  std::set<std::string> used;
  BodyContent content = partial(schema, &used, diags);
  if (remain != nullptr) *remain = std::make_shared<JsonBody>(node_, std::move(used));
  return content;
}

BodyContent JsonBody::content(const BodySchema& schema, Diagnostics& diags) const {
  std::set<std::string> used;
  BodyContent content = partial(schema, &used, diags);

  std::vector<std::string> suggestions;
  for (const auto& s : schema.attributes)
    if (used.count(s.name) == 0) suggestions.push_back(s.name);
  for (const auto& s : schema.blocks) suggestions.push_back(s.type);

  std::vector<const Attr*> attrs = collect_deep_attrs(*node_, nullptr, diags);
  for (const Attr* a : attrs) {
    if (a->name == "//") continue;  // a comment
    if (used.count(a->name) != 0) continue;
    std::string suggestion = name_suggestion(a->name, suggestions);
    if (!suggestion.empty()) suggestion = " Did you mean " + go_quote(suggestion) + "?";
    diags.error("Extraneous JSON object property",
                "No argument or block type is named " + go_quote(a->name) + "." + suggestion,
                a->name_range, a->range());
  }
  return content;
}

Attributes JsonBody::just_attributes(Diagnostics& diags) const {
  Attributes attrs;
  if (!node_->is_object()) {
    diags.error("Incorrect JSON value type",
                "A JSON object is required here, setting the arguments for this block.",
                node_->start_range());
    return attrs;
  }
  for (const Attr& a : node_->attrs) {
    if (a.name == "//") continue;
    if (hidden_.count(a.name) != 0) continue;
    auto existing = attrs.find(a.name);
    if (existing != attrs.end()) {
      diags.error("Duplicate attribute definition",
                  "The argument " + go_quote(a.name) + " was already set at " +
                      existing->second.range.str() + ".",
                  a.name_range);
      continue;
    }
    attrs.emplace(a.name, make_attribute(node_, a));
  }
  return attrs;
}

Range JsonBody::missing_item_range() const {
  switch (node_->kind) {
    case Node::Kind::Object:
      return node_->close_range;
    case Node::Kind::Array:
      return node_->open_range;
    default:
      return node_->start_range();
  }
}

// --- navigation ---------------------------------------------------------------

namespace {

void navigation_steps(const Node& v, size_t offset, std::string& out) {
  auto contains = [offset](const Range& r) {
    return offset >= r.start.byte && offset < r.end.byte;
  };
  if (v.is_object()) {
    for (const auto& a : v.attrs) {
      if (!a.value.is_object() && !a.value.is_array()) continue;
      if (contains(a.value.range)) {
        out += "." + a.name;
        navigation_steps(a.value, offset, out);
        return;
      }
    }
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.values.size(); ++i) {
      const Node& e = v.values[i];
      if (!e.is_object() && !e.is_array()) continue;
      if (contains(e.range)) {
        out += "[" + std::to_string(i) + "]";
        navigation_steps(e, offset, out);
        return;
      }
    }
  }
}

}  // namespace

std::string context_string(const Body& body, size_t offset) {
  auto* jb = dynamic_cast<const JsonBody*>(&body);
  if (jb == nullptr) return "";
  std::string out;
  navigation_steps(jb->node(), offset, out);
  if (!out.empty() && out[0] == '.') out.erase(0, 1);
  return out;
}

bool is_json_body(const Body& body) {
  return dynamic_cast<const JsonBody*>(&body) != nullptr;
}

}  // namespace kiln::hcl::json
