#include "detector/torch_warnings.h"

#include <c10/util/Exception.h>
#include <torch/version.h>

#include <string>

namespace bugseek::detector {
namespace {

bool known(const std::string& message) {
  return message.find("scatter_reduce() is in beta") != std::string::npos;
}

class FilteringHandler : public c10::WarningHandler {
 public:
  explicit FilteringHandler(c10::WarningHandler* next) : next_(next) {}
#if TORCH_VERSION_MAJOR >= 2
  void process(const c10::Warning& warning) override {
    if (!known(warning.msg()) && next_ != nullptr) next_->process(warning);
  }
#else
  void process(const c10::SourceLocation& location, const std::string& message,
               const bool verbatim) override {
    if (!known(message) && next_ != nullptr) next_->process(location, message, verbatim);
  }
#endif

 private:
  c10::WarningHandler* next_;
};

}  // namespace

void quiet_known_torch_warnings() {
  // The handler may be per thread (eval and scan run detectors on worker threads).
  thread_local bool installed = false;
  if (installed) return;
  installed = true;
  thread_local FilteringHandler handler(c10::Warning::get_warning_handler());
  c10::Warning::set_warning_handler(&handler);
}

}  // namespace bugseek::detector
