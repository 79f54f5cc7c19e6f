// Errors thrown by library code. cli/main.cc catches them and prints `bugseek: error: ...`.
// An Error carries where it happened and, when it applies, the path and what was expected.
#pragma once

#include <stdexcept>
#include <string>

namespace bugseek {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Bad user input (flags, config values): the CLI maps it to exit code 2.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message) {}
};

// Builds "where: path: message" without the caller formatting by hand.
[[noreturn]] void throw_error(const std::string& where, const std::string& path,
                              const std::string& message);

}  // namespace bugseek
