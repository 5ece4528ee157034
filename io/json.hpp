// io/json.hpp — a small strict JSON reader (RFC 8259: UTF-8, no comments, no
// trailing commas, no duplicate keys) for the safetensors header, keeping the byte offset of
// every value so errors can point into the file; and quote() for writing JSON strings.
// It knows nothing of safetensors: the schema is checked in safetensors_read.cpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fulcrum::io::json {

struct Value {
  enum class Kind { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  size_t offset = 0;   // where the value starts, in the caller's coordinates (base + position)
  bool boolean = false;
  std::string text;    // a string's decoded UTF-8, or a number's literal as written ("-1.5e3")
  std::vector<Value> items;                           // array
  std::vector<std::pair<std::string, Value>> members;  // object, in the order written
};
const char* kind_name(Value::Kind kind);  // "object", "array", …

// Parses `text`, which must hold exactly one value (surrounded by optional whitespace).
// Errors are fulcrum::Error: "<context>: byte <base + position>: expected …, got …".
// Nesting deeper than 64 levels is refused (no stack overflow on hostile input).
Value parse(std::string_view text, const std::string& context, size_t base = 0);

// The index of the first byte that breaks UTF-8 (overlong forms and surrogates included), or npos.
size_t invalid_utf8_position(std::string_view text);

// `text` as a JSON string literal, with quotes, escaping '"', '\\' and control characters.
std::string quote(std::string_view text);

}  // namespace fulcrum::io::json
