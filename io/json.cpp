// io/json.cpp — the strict JSON reader declared in json.hpp: recursive descent
// over the grammar of RFC 8259, one function per production, every error at a byte offset.
#include "io/json.hpp"

#include <cstdio>

#include "core/error.hpp"

namespace fulcrum::io::json {

const char* kind_name(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::null: return "null";
    case Value::Kind::boolean: return "boolean";
    case Value::Kind::number: return "number";
    case Value::Kind::string: return "string";
    case Value::Kind::array: return "array";
    case Value::Kind::object: return "object";
  }
  return "?";
}

size_t invalid_utf8_position(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    size_t length = 0;
    uint32_t code = 0;
    if (c < 0x80) { ++i; continue; }
    if (c >= 0xC2 && c <= 0xDF) { length = 2; code = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { length = 3; code = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { length = 4; code = c & 0x07; }
    else return i;  // continuation byte first, or 0xC0/0xC1/0xF5+ (never valid)
    if (i + length > n) return i;
    for (size_t k = 1; k < length; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      code = (code << 6) | (s[i + k] & 0x3F);
    }
    // Overlong encodings, UTF-16 surrogates and code points past U+10FFFF are invalid.
    if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) ||
        (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

namespace {

void append_utf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

class Parser {
public:
  Parser(std::string_view text, const std::string& context, size_t base)
      : text_(text), context_(context), base_(base) {}

  Value parse_document() {
    skip_whitespace();
    Value value = parse_value(0);
    skip_whitespace();
    if (pos_ != text_.size()) fail("expected the end of the JSON text after the top-level value");
    return value;
  }

private:
  static constexpr int kMaxDepth = 64;
  std::string_view text_;
  const std::string& context_;
  size_t base_;
  size_t pos_ = 0;

  // "got 'x'", "got byte 0x01" or "got the end of the text".
  std::string got() const {
    if (pos_ >= text_.size()) return "got the end of the text";
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    char buffer[32];
    if (c >= 0x20 && c < 0x7F) {
      std::snprintf(buffer, sizeof buffer, "got '%c'", c);
    } else {
      std::snprintf(buffer, sizeof buffer, "got byte 0x%02X", c);
    }
    return buffer;
  }
  [[noreturn]] void fail(const std::string& expected) const {
    FULCRUM_FAIL(context_ << ": byte " << base_ + pos_ << ": " << expected << ", " << got());
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  void skip_whitespace() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }
  void expect(char c, const char* what) {
    if (peek() != c || at_end()) fail(what);
    ++pos_;
  }

  Value parse_value(int depth) {
    if (depth > kMaxDepth) fail("expected at most 64 levels of nesting");
    Value value;
    value.offset = base_ + pos_;
    switch (peek()) {
      case '{': parse_object(value, depth); break;
      case '[': parse_array(value, depth); break;
      case '"': value.kind = Value::Kind::string; value.text = parse_string(); break;
      case 't': parse_literal("true"); value.kind = Value::Kind::boolean; value.boolean = true; break;
      case 'f': parse_literal("false"); value.kind = Value::Kind::boolean; break;
      case 'n': parse_literal("null"); break;
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) {
          value.kind = Value::Kind::number;
          value.text = parse_number();
        } else {
          fail("expected a JSON value (object, array, string, number, true, false or null)");
        }
    }
    return value;
  }

  void parse_literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) {
      std::string expected = "expected '";
      fail(expected.append(word).append("'"));
    }
    pos_ += word.size();
  }

  void parse_object(Value& value, int depth) {
    value.kind = Value::Kind::object;
    ++pos_;  // '{'
    skip_whitespace();
    if (peek() == '}' && !at_end()) { ++pos_; return; }
    while (true) {
      skip_whitespace();
      const size_t key_position = pos_;
      if (peek() != '"' || at_end()) fail("expected a string key in the object");
      std::string key = parse_string();
      for (const auto& member : value.members) {
        if (member.first == key) {
          pos_ = key_position;
          std::string expected = "expected each key once in an object, but key ";
          fail(expected.append(quote(key)).append(" is repeated"));
        }
      }
      skip_whitespace();
      expect(':', "expected ':' after an object key");
      skip_whitespace();
      value.members.emplace_back(std::move(key), parse_value(depth + 1));
      skip_whitespace();
      if (peek() == ',' && !at_end()) { ++pos_; continue; }
      expect('}', "expected ',' or '}' in an object");
      return;
    }
  }

  void parse_array(Value& value, int depth) {
    value.kind = Value::Kind::array;
    ++pos_;  // '['
    skip_whitespace();
    if (peek() == ']' && !at_end()) { ++pos_; return; }
    while (true) {
      skip_whitespace();
      value.items.push_back(parse_value(depth + 1));
      skip_whitespace();
      if (peek() == ',' && !at_end()) { ++pos_; continue; }
      expect(']', "expected ',' or ']' in an array");
      return;
    }
  }

  // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  std::string parse_number() {
    const size_t start = pos_;
    auto digits = [&](const char* what) {
      if (!(peek() >= '0' && peek() <= '9')) fail(what);
      while (peek() >= '0' && peek() <= '9') ++pos_;
    };
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
      if (peek() >= '0' && peek() <= '9') fail("expected no leading zeros in a number");
    } else {
      digits("expected a digit in the number");
    }
    if (peek() == '.') { ++pos_; digits("expected a digit after the decimal point"); }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      digits("expected a digit in the exponent");
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  uint32_t parse_hex4() {
    uint32_t code = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = peek();
      uint32_t digit;
      if (c >= '0' && c <= '9') digit = static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') digit = static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') digit = static_cast<uint32_t>(c - 'A' + 10);
      else fail("expected 4 hex digits after \\u");
      code = code * 16 + digit;
      ++pos_;
    }
    return code;
  }

  std::string parse_string() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (at_end()) fail("expected a closing '\"' of the string");
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') { ++pos_; return out; }
      if (c < 0x20) fail("expected no raw control characters in a string (escape them)");
      if (c != '\\') { out.push_back(static_cast<char>(c)); ++pos_; continue; }
      ++pos_;
      const char escape = peek();
      ++pos_;
      switch (escape) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': out += parse_unicode_escape(); break;
        default: --pos_; fail("expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
      }
    }
  }

  // After "\u": one code unit, or a surrogate pair "\uD83D\uDE00"; lone surrogates are errors.
  std::string parse_unicode_escape() {
    uint32_t code = parse_hex4();
    if (code >= 0xDC00 && code <= 0xDFFF) {
      pos_ -= 4;
      fail("expected a high surrogate before a low one in \\u escapes");
    }
    if (code >= 0xD800 && code <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") fail("expected a low surrogate \\uDC00-\\uDFFF after a high one");
      pos_ += 2;
      const uint32_t low = parse_hex4();
      if (low < 0xDC00 || low > 0xDFFF) {
        pos_ -= 4;
        fail("expected a low surrogate \\uDC00-\\uDFFF after a high one");
      }
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    std::string out;
    append_utf8(out, code);
    return out;
  }
};

}  // namespace

Value parse(std::string_view text, const std::string& context, size_t base) {
  return Parser(text, context, base).parse_document();
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04X", c);
          out += buffer;
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace fulcrum::io::json
