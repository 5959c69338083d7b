// Traversals and the Index/GetAttr operations, as hcl's traversal.go and
// ops.go define them (messages and subjects included).
#include "hcl/traversal.h"

#include <fmt/format.h>

namespace kiln::hcl {

namespace {

constexpr const char* kInvalidIndex = "Invalid index";

Value add_marks(Value v, uint8_t marks) {
  if (marks == kMarkNone) return v;
  return v.with_marks(static_cast<uint8_t>(v.marks() | marks));
}

std::optional<Range> opt(const Range* r) {
  if (r) return *r;
  return std::nullopt;
}

Value fail(Diagnostics& diags, const char* summary, std::string detail, const Range* range) {
  diags.error(summary, std::move(detail), opt(range));
  return Value::dynamic_unknown();
}

// The element at a whole, non-negative index of a known, unmarked list or
// tuple, or nullptr when there is none.
const Value* sequence_element(const Value& seq, const Number& idx) {
  auto i = idx.to_int64();
  if (!i || *i < 0) return nullptr;
  const auto& elems = seq.elements();
  if (static_cast<uint64_t>(*i) >= elems.size()) return nullptr;
  return &elems[static_cast<size_t>(*i)];
}

}  // namespace

Range Traversal::range() const {
  if (steps.empty()) return Range{};
  return Range::between(steps.front().range, steps.back().range);
}

Value index_value(const Value& collection, const Value& key, const Range* range,
                  Diagnostics& diags) {
  if (collection.is_null()) {
    return fail(diags, "Attempt to index null value",
                "This value is null, so it does not have any indices.", range);
  }
  if (key.is_null()) {
    return fail(diags, kInvalidIndex, "Can't use a null value as an indexing key.", range);
  }
  const Type& ty = collection.type();
  const Type& kty = key.type();
  if (kty.is_dynamic() || ty.is_dynamic()) return Value::dynamic_unknown();

  switch (ty.kind()) {
    case Type::Kind::List:
    case Type::Kind::Tuple:
    case Type::Kind::Map: {
      const bool sequence = ty.kind() != Type::Kind::Map;
      std::string err;
      auto converted = convert(key, sequence ? Type::number() : Type::string(), &err);
      if (!converted) {
        return fail(
            diags, kInvalidIndex,
            fmt::format("The given key does not identify an element in this collection value: {}.",
                        err),
            range);
      }
      const uint8_t key_marks = converted->marks();
      const uint8_t coll_marks = collection.marks();
      const Value k = converted->unmarked();
      const Value c = collection.unmarked();
      // cty's HasIndex: unknown when either side is unknown.
      if (!k.is_known() || !c.is_known()) {
        if (ty.is_tuple()) return Value::dynamic_unknown();
        return add_marks(Value::unknown(ty.element_type()), key_marks | coll_marks);
      }
      const Value* found = nullptr;
      if (sequence) {
        found = sequence_element(c, k.as_number());
      } else {
        const auto& attrs = c.attributes();
        auto it = attrs.find(k.as_string());
        if (it != attrs.end()) found = &it->second;
      }
      if (found) return add_marks(*found, key_marks | coll_marks);

      if (sequence) {
        const Number& n = k.as_number();
        if (!n.is_integer()) {
          return fail(diags, kInvalidIndex,
                      "The given key does not identify an element in this collection value: "
                      "indexing a sequence requires a whole number, but the given index has a "
                      "fractional part.",
                      range);
        }
        if (n.is_negative() && !n.is_zero()) {
          return fail(diags, kInvalidIndex,
                      "The given key does not identify an element in this collection value: a "
                      "negative number is not a valid index for a sequence.",
                      range);
        }
        if (coll_marks == kMarkNone) {
          // hcl compares index - length < 1, so only an index equal to the
          // length (or less) gets the specific message; larger ones fall
          // through to the generic one.
          const Number len(static_cast<int64_t>(c.length()));
          const Number diff = n - len;
          if (diff.compare(Number(1)) < 0) {
            if (len.is_zero()) {
              return fail(diags, kInvalidIndex,
                          "The given key does not identify an element in this collection value: "
                          "the collection has no elements.",
                          range);
            }
            return fail(diags, kInvalidIndex,
                        "The given key does not identify an element in this collection value: "
                        "the given index is greater than or equal to the length of the "
                        "collection.",
                        range);
          }
        }
      }
      return fail(diags, kInvalidIndex,
                  "The given key does not identify an element in this collection value.", range);
    }
    case Type::Kind::Object: {
      const bool was_number = kty.kind() == Type::Kind::Number;
      std::string err;
      auto converted = convert(key, Type::string(), &err);
      if (!converted) {
        return fail(
            diags, kInvalidIndex,
            fmt::format("The given key does not identify an element in this collection value: {}.",
                        err),
            range);
      }
      if (!collection.is_known()) return Value::dynamic_unknown();
      if (!converted->is_known()) return Value::dynamic_unknown();
      const std::string& name = converted->unmarked().as_string();
      if (!ty.has_attribute(name)) {
        std::string detail = "The given key does not identify an element in this collection value.";
        if (was_number) {
          detail += " An object only supports looking up attributes by name, not by numeric index.";
        }
        return fail(diags, kInvalidIndex, std::move(detail), range);
      }
      // cty's GetAttr keeps the object's marks (the key's are dropped).
      const Value c = collection.unmarked();
      return add_marks(c.attributes().at(name), collection.marks());
    }
    case Type::Kind::Set:
      return fail(diags, kInvalidIndex,
                  "Elements of a set are identified only by their value and don't have any "
                  "separate index or key to select with, so it's only possible to perform "
                  "operations across all elements of the set.",
                  range);
    default:
      return fail(diags, kInvalidIndex, "This value does not have any indices.", range);
  }
}

Value get_attr(const Value& obj, const std::string& name, const Range* range, Diagnostics& diags) {
  if (obj.is_null()) {
    return fail(diags, "Attempt to get attribute from null value",
                "This value is null, so it does not have any attributes.", range);
  }
  constexpr const char* kUnsupported = "Unsupported attribute";
  const Type& ty = obj.type();
  switch (ty.kind()) {
    case Type::Kind::Object: {
      if (!ty.has_attribute(name)) {
        return fail(diags, kUnsupported,
                    fmt::format("This object does not have an attribute named \"{}\".", name),
                    range);
      }
      if (!obj.is_known()) {
        return add_marks(Value::unknown(ty.attribute_types().at(name)), obj.marks());
      }
      return add_marks(obj.unmarked().attributes().at(name), obj.marks());
    }
    case Type::Kind::Map: {
      if (!obj.is_known()) return add_marks(Value::unknown(ty.element_type()), obj.marks());
      const Value m = obj.unmarked();
      const auto& elems = m.attributes();
      auto it = elems.find(name);
      if (it == elems.end()) {
        return fail(diags, "Missing map element",
                    fmt::format("This map does not have an element with the key \"{}\".", name),
                    range);
      }
      return add_marks(it->second, obj.marks());
    }
    case Type::Kind::Dynamic:
      return Value::dynamic_unknown();
    case Type::Kind::List:
      if (ty.element_type().is_object()) {
        if (ty.element_type().has_attribute(name)) {
          return fail(diags, kUnsupported,
                      fmt::format("Can't access attributes on a list of objects. Did you mean to "
                                  "access attribute \"{}\" for a specific element of the list, or "
                                  "across all elements of the list?",
                                  name),
                      range);
        }
        return fail(diags, kUnsupported,
                    "Can't access attributes on a list of objects. Did you mean to access an "
                    "attribute for a specific element of the list, or across all elements of the "
                    "list?",
                    range);
      }
      break;
    case Type::Kind::Set:
      if (ty.element_type().is_object()) {
        return fail(diags, kUnsupported,
                    "Can't access attributes on a set of objects. Did you mean to access an "
                    "attribute across all elements of the set?",
                    range);
      }
      break;
    case Type::Kind::Bool:
    case Type::Kind::Number:
    case Type::Kind::String:
      return fail(diags, kUnsupported,
                  fmt::format("Can't access attributes on a primitive-typed value ({}).",
                              ty.friendly_name()),
                  range);
    default:
      break;
  }
  return fail(diags, kUnsupported, "This value does not have any attributes.", range);
}

Value apply_traversal_steps(const Value& val, const std::vector<TraversalStep>& steps, size_t first,
                            Diagnostics& diags) {
  Value current = val;
  for (size_t i = first; i < steps.size(); ++i) {
    const TraversalStep& step = steps[i];
    const size_t before = diags.size();
    switch (step.kind) {
      case TraversalStep::Kind::Attr:
        current = get_attr(current, step.name, &step.range, diags);
        break;
      case TraversalStep::Kind::Index:
        current = index_value(current, step.key, &step.range, diags);
        break;
      case TraversalStep::Kind::Root:
      case TraversalStep::Kind::Splat:
        // Not valid as relative steps; hcl panics here. Report rather than
        // abort.
        diags.error("Invalid traversal", "This traversal step cannot be applied to a value.",
                    step.range);
        return Value::dynamic_unknown();
    }
    for (size_t d = before; d < diags.size(); ++d) {
      if (diags[d].severity == Severity::Error) return Value::dynamic_unknown();
    }
  }
  return current;
}

}  // namespace kiln::hcl
