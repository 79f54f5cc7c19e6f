#include "common/json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "common/json_internal.h"
#include "common/utf8.h"
#include "common/log.h"

namespace bugseek::json {
namespace internal {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace internal

namespace {


[[noreturn]] void type_error(const char* wanted, Type actual) {
  throw Error(str_cat("json: expected ", wanted, ", found ", type_name(actual)));
}

void append_double(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  (void)ec;  // 64 bytes always hold the shortest round-trip form
  std::string_view text(buf, static_cast<size_t>(end - buf));
  out += text;
  // Keep a double recognizable as one when read back ("2" would parse as an int).
  if (text.find_first_of(".eEn") == std::string_view::npos) out += ".0";
}

void dump_into(std::string& out, const Value& v, int indent, int depth) {
  auto newline = [&](int d) {
    if (indent <= 0) return;
    out += '\n';
    out.append(static_cast<size_t>(indent * d), ' ');
  };
  switch (v.type()) {
    case Type::kNull:
      out += "null";
      break;
    case Type::kBool:
      out += v.as_bool() ? "true" : "false";
      break;
    case Type::kInt:
      out += std::to_string(v.as_int());
      break;
    case Type::kDouble:
      append_double(out, v.as_double());
      break;
    case Type::kString:
      append_quoted(out, v.as_string());
      break;
    case Type::kArray: {
      const Array& a = v.as_array();
      out += '[';
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) out += ',';
        newline(depth + 1);
        dump_into(out, a[i], indent, depth + 1);
      }
      if (!a.empty()) newline(depth);
      out += ']';
      break;
    }
    case Type::kObject: {
      const Members& m = v.members();
      out += '{';
      for (size_t i = 0; i < m.size(); ++i) {
        if (i) out += ',';
        newline(depth + 1);
        append_quoted(out, m[i].first);
        out += indent > 0 ? ": " : ":";
        dump_into(out, m[i].second, indent, depth + 1);
      }
      if (!m.empty()) newline(depth);
      out += '}';
      break;
    }
  }
}
}  // namespace

const char* type_name(Type type) {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "integer";
    case Type::kDouble:
      return "number";
    case Type::kString:
      return "string";
    case Type::kArray:
      return "array";
    case Type::kObject:
      return "object";
  }
  return "?";
}

Value::Value(unsigned long i) {
  if (i > static_cast<unsigned long>(std::numeric_limits<int64_t>::max()))
    throw Error(str_cat("json: integer ", i, " does not fit int64"));
  data_ = static_cast<int64_t>(i);
}

Value::Value(unsigned long long i) {
  if (i > static_cast<unsigned long long>(std::numeric_limits<int64_t>::max()))
    throw Error(str_cat("json: integer ", i, " does not fit int64"));
  data_ = static_cast<int64_t>(i);
}

bool Value::as_bool() const {
  if (!is_bool()) type_error("bool", type());
  return std::get<bool>(data_);
}

int64_t Value::as_int() const {
  if (is_int()) return std::get<int64_t>(data_);
  if (type() == Type::kDouble) {
    double d = std::get<double>(data_);
    if (std::floor(d) == d && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
  }
  type_error("integer", type());
}

double Value::as_double() const {
  if (is_int()) return static_cast<double>(std::get<int64_t>(data_));
  if (type() == Type::kDouble) return std::get<double>(data_);
  type_error("number", type());
}

const std::string& Value::as_string() const {
  if (!is_string()) type_error("string", type());
  return std::get<std::string>(data_);
}

const Array& Value::as_array() const {
  if (!is_array()) type_error("array", type());
  return std::get<Array>(data_);
}

Array& Value::as_array() {
  if (!is_array()) type_error("array", type());
  return std::get<Array>(data_);
}

const Members& Value::members() const {
  if (!is_object()) type_error("object", type());
  return std::get<Object>(data_).members;
}

Members& Value::members() {
  if (!is_object()) type_error("object", type());
  return std::get<Object>(data_).members;
}

const Value* Value::find(std::string_view key) const {
  for (const auto& [k, v] : members())
    if (k == key) return &v;
  return nullptr;
}

const Value& Value::at(std::string_view key) const {
  const Value* v = find(key);
  if (!v) throw Error(str_cat("json: missing key \"", key, "\""));
  return *v;
}

Value& Value::set(std::string_view key, Value value) {
  if (is_null()) data_ = Object{};
  Members& m = members();
  for (auto& [k, v] : m) {
    if (k == key) {
      v = std::move(value);
      return v;
    }
  }
  m.emplace_back(std::string(key), std::move(value));
  return m.back().second;
}

Value& Value::push_back(Value value) {
  if (is_null()) data_ = Array{};
  Array& a = as_array();
  a.push_back(std::move(value));
  return a.back();
}

const Value& Value::operator[](size_t index) const {
  const Array& a = as_array();
  if (index >= a.size())
    throw Error(str_cat("json: index ", index, " out of range (size ", a.size(), ")"));
  return a[index];
}

size_t Value::size() const {
  if (is_array()) return as_array().size();
  if (is_object()) return members().size();
  return 0;
}

std::string Value::get_string(std::string_view key, std::string_view fallback) const {
  const Value* v = find(key);
  if (!v || v->is_null()) return std::string(fallback);
  return v->as_string();
}

bool Value::operator==(const Value& other) const {
  if (is_number() && other.is_number() && type() != other.type())
    return as_double() == other.as_double();
  if (type() != other.type()) return false;
  switch (type()) {
    case Type::kNull:
      return true;
    case Type::kBool:
      return as_bool() == other.as_bool();
    case Type::kInt:
      return as_int() == other.as_int();
    case Type::kDouble:
      return as_double() == other.as_double();
    case Type::kString:
      return as_string() == other.as_string();
    case Type::kArray:
      return as_array() == other.as_array();
    case Type::kObject:
      return members() == other.members();
  }
  return false;
}

void append_quoted(std::string& out, std::string_view text) {
  out += '"';
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '\b':
        out += "\\b";
        ++i;
        continue;
      case '\f':
        out += "\\f";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
      ++i;
      continue;
    }
    size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not valid UTF-8
      ++i;
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
  out += '"';
}

std::string dump(const Value& value, const DumpOptions& options) {
  std::string out;
  dump_into(out, value, options.indent, 0);
  return out;
}
}  // namespace bugseek::json
