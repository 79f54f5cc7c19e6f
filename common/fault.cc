#include "common/fault.h"

#include <cstdlib>
#include <mutex>
#include <set>
#include <string>

#include "common/log.h"

namespace bugseek {

bool test_fault(std::string_view name) {
  static const char* const active = std::getenv("BUGSEEK_TEST_FAULT");
  if (active == nullptr || *active == '\0') return false;
  const std::string_view list(active);
  size_t start = 0;
  bool found = false;
  while (start <= list.size() && !found) {
    const size_t end = std::min(list.find(',', start), list.size());
    found = list.substr(start, end - start) == name;
    start = end + 1;
  }
  if (found) {
    static std::mutex mutex;
    static std::set<std::string> announced;
    std::lock_guard<std::mutex> lock(mutex);
    if (announced.insert(std::string(name)).second) {
      log_warn("fault", "test fault '", name, "' is active (BUGSEEK_TEST_FAULT)");
    }
  }
  return found;
}

}  // namespace bugseek
