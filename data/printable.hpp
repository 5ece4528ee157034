// data/printable.hpp — how the readers quote a piece of a file in an error message: at most 40
// bytes (longer text is cut, with its full length given), every byte outside printable ASCII —
// control characters, terminal escapes, non-ASCII — written as \xNN, and '"' and '\' escaped.
// A hostile file cannot then flood the log or drive the terminal through a message.
#pragma once
#include <cstdio>
#include <string>
#include <string_view>

namespace fulcrum::data {

// The first max_bytes bytes of `text`, escaped, followed by "… (N bytes)" when cut.
inline std::string escaped(std::string_view text, size_t max_bytes = 40) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < max_bytes; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '"' || byte == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(byte));
    } else if (byte >= 0x20 && byte < 0x7f) {
      out.push_back(static_cast<char>(byte));
    } else {
      char code[8];
      std::snprintf(code, sizeof(code), "\\x%02x", byte);
      out += code;
    }
  }
  if (text.size() > max_bytes) out.append("… (").append(std::to_string(text.size())).append(" bytes)");
  return out;
}

// escaped() between double quotes: "x2", "caf\xe9", "aaaa…" (200 bytes).
inline std::string printable(std::string_view text, size_t max_bytes = 40) {
  std::string out(1, '"');
  out.append(escaped(text.substr(0, max_bytes), max_bytes)).push_back('"');
  if (text.size() > max_bytes) out.append("… (").append(std::to_string(text.size())).append(" bytes)");
  return out;
}

}  // namespace fulcrum::data
