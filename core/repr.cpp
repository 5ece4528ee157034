// core/repr.cpp — repr_number of repr.hpp: Python's float repr, the shortest string that reads
// back as the same double, with ".0" when integral.
#include "core/repr.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace fulcrum::detail {

std::string repr_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Shortest round-trip digits d.ddd and exponent e from to_chars, then Python's layout:
  // fixed notation when −4 ≤ e < 16 (0.0001, 0.1, 1.0, 300.0), else 1e-05 / 1.5e+16.
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string text(buffer, result.ptr), sign;
  if (text[0] == '-') {
    sign = "-";
    text.erase(0, 1);
  }
  const size_t e_at = text.find('e');
  const int exponent = std::stoi(text.substr(e_at + 1));
  std::string digits = text.substr(0, e_at);
  if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
  std::string out = sign;
  if (exponent < -4 || exponent >= 16) {
    out.push_back(digits[0]);
    if (digits.size() > 1) out.append(".").append(digits.substr(1));
    const std::string magnitude = std::to_string(std::abs(exponent));
    out.append(exponent < 0 ? "e-" : "e+").append(magnitude.size() < 2 ? "0" : "").append(magnitude);
  } else if (exponent < 0) {
    out.append("0.").append(static_cast<size_t>(-exponent - 1), '0').append(digits);
  } else {
    const size_t integer_digits = static_cast<size_t>(exponent) + 1;
    if (digits.size() < integer_digits) digits.append(integer_digits - digits.size(), '0');
    const std::string fraction = digits.substr(integer_digits);
    out.append(digits.substr(0, integer_digits)).append(".").append(fraction.empty() ? "0" : fraction);
  }
  return out;
}

}  // namespace fulcrum::detail
