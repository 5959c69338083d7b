// Internal to the JSON syntax (json_*.cc): the scanner's tokens, the parsed
// JSON tree and the body/expression implementations over it.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hcl/body.h"

namespace kiln::hcl::json {

// --- scanner ------------------------------------------------------------------

enum class TokType : uint8_t {
  BraceO,   // {
  BraceC,   // }
  BrackO,   // [
  BrackC,   // ]
  Comma,    // ,
  Colon,    // :
  Equals,   // = (only to remind the user of JSON's syntax)
  Keyword,  // a run of letters: true, false, null or a mistake
  String,   // a string, quotes included, escapes not yet decoded
  Number,   // a run of number-ish bytes, not yet validated
  Invalid,  // any other byte; scanning stops after it
  Eof,
  Nil_,  // not a token (scanner internal)
};

struct Tok {
  TokType type = TokType::Eof;
  std::string_view bytes;
  Range range;
};

// A single-pass scanner producing one token at a time. After an Invalid
// token it yields only Eof.
class Scanner {
 public:
  Scanner(std::string_view src, std::string_view filename, Pos start);
  Tok next();

 private:
  std::string_view src_;
  size_t i_ = 0;
  Pos pos_;
  std::string_view filename_;
  bool stopped_ = false;
};

// --- tree ---------------------------------------------------------------------

struct Attr;

struct Node {
  enum class Kind : uint8_t { Object, Array, Number, String, Bool, Null, Invalid };
  Kind kind = Kind::Invalid;
  bool boolean = false;
  Range range;               // the whole value
  Range open_range;          // object, array: the opening brace/bracket; else == range
  Range close_range;         // object: the closing brace (zero for the fake root)
  std::string text;          // string: the decoded value; number: the literal
  std::vector<Attr> attrs;   // object, in source order, duplicates kept
  std::vector<Node> values;  // array

  const Range& start_range() const { return open_range; }
  bool is_object() const { return kind == Kind::Object; }
  bool is_array() const { return kind == Kind::Array; }
};

struct Attr {
  std::string name;
  Range name_range;
  Node value;
  Range range() const { return name_range; }
};

// Parses one JSON value from the whole of src as HCL's JSON parser does,
// with its recovery and its diagnostics. The result is never null (an
// Invalid node stands for what could not be parsed).
Node parse_value_text(std::string_view src, std::string_view filename, Pos start,
                      Diagnostics& diags);

// --- body and expression --------------------------------------------------------

// Nodes are owned by one shared root; bodies and expressions hold aliasing
// pointers into it, so the tree lives as long as any of them.
using NodeRef = std::shared_ptr<const Node>;

class JsonExpression : public hcl::Expression {
 public:
  explicit JsonExpression(NodeRef node) : node_(std::move(node)) {}
  Value value(const EvalContext* ctx, Diagnostics& diags) const override;
  std::vector<Traversal> variables() const override;
  Range range() const override { return node_->range; }
  Range start_range() const override { return node_->open_range; }
  const Node& node() const { return *node_; }
  const NodeRef& node_ref() const { return node_; }

 private:
  NodeRef node_;
};

class JsonBody : public hcl::Body {
 public:
  explicit JsonBody(NodeRef node, std::set<std::string> hidden = {})
      : node_(std::move(node)), hidden_(std::move(hidden)) {}
  BodyContent content(const BodySchema& schema, Diagnostics& diags) const override;
  BodyContent partial_content(const BodySchema& schema, BodyPtr* remain,
                              Diagnostics& diags) const override;
  Attributes just_attributes(Diagnostics& diags) const override;
  Range missing_item_range() const override;
  const Node& node() const { return *node_; }

 private:
  BodyContent partial(const BodySchema& schema, std::set<std::string>* used,
                      Diagnostics& diags) const;
  NodeRef node_;
  std::set<std::string> hidden_;
};

// Helpers shared by the JSON files.
std::string go_quote(std::string_view s);  // Go's %q / strconv.Quote
std::string name_suggestion(std::string_view given, const std::vector<std::string>& suggestions);

}  // namespace kiln::hcl::json
