// core/error.hpp — fulcrum::Error, the one exception type users see, and FULCRUM_CHECK, the macro
// that builds its message (op, shapes, what was expected) and prefixes the file:line that threw.
// Every user-reachable misuse goes through here; bare assert() is reserved for internal bugs.
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>

namespace fulcrum {

class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

namespace detail {
[[noreturn]] void throw_error(const char* file, int line, const std::string& message);
}  // namespace detail

}  // namespace fulcrum

// FULCRUM_CHECK(cond, "add: shapes " << a << " and " << b << " cannot broadcast");
// The message is a stream expression, evaluated only when the check fails.
#define FULCRUM_CHECK(cond, message_stream)                                        \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      std::ostringstream fulcrum_check_message_;                                   \
      fulcrum_check_message_ << message_stream;                                    \
      ::fulcrum::detail::throw_error(__FILE__, __LINE__, fulcrum_check_message_.str()); \
    }                                                                              \
  } while (false)

// Throws unconditionally; written without an `if` so that even at -O0 the compiler sees that
// control never continues past it (no "control reaches end of non-void function").
#define FULCRUM_FAIL(message_stream)                                                   \
  do {                                                                                 \
    std::ostringstream fulcrum_fail_message_;                                          \
    fulcrum_fail_message_ << message_stream;                                           \
    ::fulcrum::detail::throw_error(__FILE__, __LINE__, fulcrum_fail_message_.str());   \
  } while (false)
