#include "common/error.h"

namespace bugseek {

void throw_error(const std::string& where, const std::string& path, const std::string& message) {
  std::string text = where;
  if (!path.empty()) text += ": " + path;
  text += ": " + message;
  throw Error(text);
}

}  // namespace bugseek
