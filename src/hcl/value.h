// The value model, with go-cty's semantics: types (primitive, collection,
// structural, the dynamic pseudo-type "any"), null and unknown values,
// marks (sensitive), conversion, unification and equality.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hcl/number.h"

namespace kiln::hcl {

class Type {
 public:
  enum class Kind : uint8_t { Dynamic, Bool, Number, String, List, Map, Set, Object, Tuple };

  Type();  // Dynamic
  static Type dynamic();
  static Type boolean();
  static Type number();
  static Type string();
  static Type list(Type element);
  static Type map(Type element);
  static Type set(Type element);
  // Optional attributes only matter in type constraints (optional(...)).
  static Type object(std::map<std::string, Type> attributes, std::set<std::string> optional = {});
  static Type tuple(std::vector<Type> elements);
  static Type empty_object() { return object({}); }
  static Type empty_tuple() { return tuple({}); }

  Kind kind() const;
  bool is_dynamic() const { return kind() == Kind::Dynamic; }
  bool is_primitive() const;
  bool is_collection() const;  // list, map, set
  bool is_list() const { return kind() == Kind::List; }
  bool is_map() const { return kind() == Kind::Map; }
  bool is_set() const { return kind() == Kind::Set; }
  bool is_object() const { return kind() == Kind::Object; }
  bool is_tuple() const { return kind() == Kind::Tuple; }

  const Type& element_type() const;                            // list, map, set
  const std::map<std::string, Type>& attribute_types() const;  // object
  const std::set<std::string>& optional_attributes() const;    // object
  const std::vector<Type>& tuple_element_types() const;        // tuple
  bool has_attribute(const std::string& name) const;

  // True if this type is or contains the dynamic pseudo-type.
  bool has_dynamic_types() const;

  bool operator==(const Type& o) const;
  bool operator!=(const Type& o) const { return !(*this == o); }

  // cty's FriendlyName: "string", "list of string", "map of number",
  // "object", "tuple", "dynamic" ... used in error messages.
  std::string friendly_name() const;
  // cty's FriendlyNameForConstraint: like friendly_name but "any" for dynamic.
  std::string friendly_name_for_constraint() const;
  // ctyjson.MarshalType: "string", ["list","string"], ["object",{...}], ...
  std::string json() const;

 private:
  struct Impl;
  friend struct TypeAccess;
  std::shared_ptr<const Impl> impl_;
  explicit Type(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
};

// Marks travel with values (cty marks); kiln needs only "sensitive".
enum Mark : uint8_t { kMarkNone = 0, kMarkSensitive = 1 };

class Value {
 public:
  Value();  // cty.NilVal-like: a null of dynamic type

  static Value null(Type t);
  static Value unknown(Type t);
  static Value dynamic_unknown() { return unknown(Type::dynamic()); }  // cty.DynamicVal
  static Value boolean(bool b);
  static Value number(Number n);
  static Value number(int64_t n) { return number(Number(n)); }
  // Strings are normalised to NFC, as cty.StringVal does.
  static Value string(std::string s);
  // Collections: elements must already share one type (use convert/unify
  // first). The *_empty forms give the element type.
  static Value list(std::vector<Value> elements);
  static Value list_empty(Type element);
  static Value set(std::vector<Value> elements);  // dedupes, orders as cty
  static Value set_empty(Type element);
  static Value map(std::map<std::string, Value> elements);
  static Value map_empty(Type element);
  static Value object(std::map<std::string, Value> attributes);
  static Value tuple(std::vector<Value> elements);
  static Value empty_object() { return object({}); }
  static Value empty_tuple() { return tuple({}); }

  const Type& type() const { return type_; }
  bool is_null() const { return state_ == State::Null; }
  bool is_known() const { return state_ != State::Unknown; }
  // Known, and every nested value known too.
  bool is_wholly_known() const;

  uint8_t marks() const { return marks_; }
  bool is_sensitive() const { return (marks_ & kMarkSensitive) != 0; }
  // Marks on this value or any nested value.
  bool contains_marks() const;
  Value with_marks(uint8_t marks) const;
  Value unmarked() const;
  // Removes marks deeply; returns the union of what was removed.
  Value unmarked_deep(uint8_t* removed = nullptr) const;

  // Accessors; the value must be known, non-null and of the right kind.
  bool as_bool() const;
  const Number& as_number() const;
  const std::string& as_string() const;
  // list, set, tuple: elements in order (sets in cty's order).
  const std::vector<Value>& elements() const;
  // map, object: by key, in byte order of keys.
  const std::map<std::string, Value>& attributes() const;
  size_t length() const;  // collection or tuple length; not for unknown values

  // cty's Equals: unknown if either side is unknown (or contains unknowns
  // that matter), a bool otherwise; nulls compare equal only to nulls.
  Value equals(const Value& o) const;
  // Structural identity, unknowns and marks included (cty RawEquals).
  bool raw_equals(const Value& o) const;

  // For debugging and test messages: a compact cty-like rendering.
  std::string debug_string() const;

 private:
  enum class State : uint8_t { Known, Null, Unknown };
  struct Payload;
  friend struct ValueAccess;
  Type type_;
  State state_ = State::Null;
  uint8_t marks_ = kMarkNone;
  std::shared_ptr<const Payload> payload_;
};

// --- conversion (cty/convert) ---------------------------------------------

// Converts val to the wanted type with cty's safe and unsafe conversions
// (number <-> string, bool <-> string, tuple -> list/set, object -> map,
// list <-> set, and so on), inserting unknowns and nulls as cty does. On
// failure returns nullopt and sets *error to cty's message, for example
// "a number is required" or "attribute \"foo\" is required".
std::optional<Value> convert(const Value& val, const Type& want, std::string* error);

// cty's convert.Unify: the single type all of types can convert to, if any.
std::optional<Type> unify(const std::vector<Type>& types);
// cty's convert.UnifyUnsafe (allows unsafe conversions such as string to
// number; HCL's conditional and collection expressions use this one).
std::optional<Type> unify_unsafe(const std::vector<Type>& types);

// The JSON encoding of a value that hcldec prints (ctyjson.Marshal with the
// value's own type), written as Go's encoding/json writes it: compact, with
// <, > and & escaped, numbers as Number::str().
// Returns an empty string when the value cannot be encoded (use the
// overload below to get cty's error message).
std::string value_to_json(const Value& val);
// As above; on failure returns nullopt and sets *error to cty's message:
// "value is not known", "value has marks, so it cannot be serialized as
// JSON" or "cannot serialize infinity as JSON".
std::optional<std::string> value_to_json(const Value& val, std::string* error);
// ctyjson.Marshal(val, cty.DynamicPseudoType), as hcldec --with-type prints:
// {"value":...,"type":...} (a value of dynamic type is written bare).
std::optional<std::string> value_to_json_typed(const Value& val, std::string* error);

// A string as Go's encoding/json writes it: HTML-safe (<, >, & escaped),
// U+2028/U+2029 escaped, invalid UTF-8 as U+FFFD.
std::string json_quote(std::string_view s);

// ctyjson.Unmarshal of simple JSON into a value of the given type (used for
// hcldec --vars and for JSON-typed inputs). With Type::dynamic() the value's
// type is inferred as cty's ImpliedType does (objects, tuples, numbers...).
std::optional<Value> value_from_json(std::string_view json, const Type& type, std::string* error);
// ctyjson type descriptor ("string", ["list","number"], ...) to a type: the
// inverse of Type::json().
std::optional<Type> type_from_json(std::string_view json, std::string* error);

}  // namespace kiln::hcl
