// JSON values for every machine-readable output (metrics.jsonl, eval --format json, scan --format
// json/sarif) and for reading JSON Lines inputs (real bug-fix pairs). Objects keep insertion order
// and numbers print the same way every time, so equal values always serialize to equal bytes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/error.h"

namespace bugseek::json {

class Value;
using Array = std::vector<Value>;
// Ordered members; set() replaces a key in place, so keys stay unique.
using Members = std::vector<std::pair<std::string, Value>>;

struct Object {
  Members members;
};

enum class Type { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
const char* type_name(Type type);

class Value {
 public:
  Value() = default;  // null
  Value(std::nullptr_t) {}
  Value(bool b) : data_(b) {}
  Value(int i) : data_(static_cast<int64_t>(i)) {}
  Value(long i) : data_(static_cast<int64_t>(i)) {}
  Value(long long i) : data_(static_cast<int64_t>(i)) {}
  Value(unsigned i) : data_(static_cast<int64_t>(i)) {}
  Value(unsigned long i);       // throws Error above INT64_MAX
  Value(unsigned long long i);  // throws Error above INT64_MAX
  Value(double d) : data_(d) {}
  Value(float f) : data_(static_cast<double>(f)) {}
  Value(const char* s) : data_(std::string(s)) {}
  Value(std::string s) : data_(std::move(s)) {}
  Value(std::string_view s) : data_(std::string(s)) {}
  Value(Array a) : data_(std::move(a)) {}
  Value(Object o) : data_(std::move(o)) {}

  static Value object() { return Value(Object{}); }
  static Value array() { return Value(Array{}); }

  Type type() const { return static_cast<Type>(data_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_number() const { return type() == Type::kInt || type() == Type::kDouble; }
  bool is_int() const { return type() == Type::kInt; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  // Typed access; each throws Error naming the expected and actual type on a mismatch.
  bool as_bool() const;
  int64_t as_int() const;    // ints, and doubles holding an exact integer
  double as_double() const;  // any number
  const std::string& as_string() const;
  const Array& as_array() const;
  Array& as_array();
  const Members& members() const;
  Members& members();

  // Object access. find() returns nullptr if absent; at() throws Error naming the key.
  const Value* find(std::string_view key) const;
  const Value& at(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  // Sets `key` (appending it if new) on an object, or on a null value which becomes an object.
  Value& set(std::string_view key, Value value);
  // Appends to an array, or to a null value which becomes an array.
  Value& push_back(Value value);

  // Array access; throws Error when out of range.
  const Value& operator[](size_t index) const;
  size_t size() const;  // elements of an array or members of an object; 0 otherwise

  // String member or `fallback` when the key is absent or null (convenience for optional fields).
  std::string get_string(std::string_view key, std::string_view fallback = "") const;

  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }

 private:
  std::variant<std::nullptr_t, bool, int64_t, double, std::string, Array, Object> data_{nullptr};
};

struct DumpOptions {
  int indent = 0;  // 0 = one line; n = pretty-printed with n spaces per level
};

// Serializes `value`. Strings are escaped per RFC 8259 (invalid UTF-8 becomes U+FFFD, so the
// output is always valid JSON); NaN and infinities, which JSON cannot hold, become null; doubles
// use the shortest text that reads back to the same double.
std::string dump(const Value& value, const DumpOptions& options = {});

// Appends the JSON string literal for `text` (quotes included) to `out`.
void append_quoted(std::string& out, std::string_view text);

// Thrown by parse(): the message says what was expected, with line and column (1-based, bytes).
class ParseError : public Error {
 public:
  ParseError(const std::string& message, size_t line, size_t column)
      : Error(message), line_(line), column_(column) {}
  size_t line() const { return line_; }
  size_t column() const { return column_; }

 private:
  size_t line_;
  size_t column_;
};

struct ParseOptions {
  size_t max_depth = 512;  // nesting limit, so hostile input cannot overflow the stack
};

// Parses exactly one JSON text (surrounding whitespace allowed). Strict RFC 8259: no comments,
// no trailing commas, \uXXXX surrogate pairs joined, lone surrogates and invalid UTF-8 rejected.
// Integers that fit int64 parse as kInt, other numbers as kDouble. Duplicate keys: last wins.
Value parse(std::string_view text, const ParseOptions& options = {});

// Parses JSON Lines: one value per non-blank line. Errors name `source` (a path, for messages)
// and the line number in the file.
std::vector<Value> parse_lines(std::string_view text, std::string_view source = "<input>",
                               const ParseOptions& options = {});

}  // namespace bugseek::json
