// The fuzz build has no LibTorch: these stand in for the detector's torch code that the linked
// torch-free sources name (detector/model_file.cc's make_detector, cli/train_options.cc's
// --resume lookup) but no fuzz target calls. Reaching one is a harness bug, so they abort.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "detector/detector.h"
#include "train/trainer.h"

namespace {
[[noreturn]] void unreachable(const char* what) {
  std::fprintf(stderr, "fuzz: %s needs LibTorch, which this build leaves out\n", what);
  std::abort();
}
}  // namespace

namespace bugseek::detector {
Detector::Detector(const DetectorConfig&, uint64_t, DeviceKind) { unreachable("Detector"); }
struct Detector::Impl {};
Detector::~Detector() = default;
void Detector::load_weights(std::string_view) { unreachable("Detector::load_weights"); }
}  // namespace bugseek::detector

namespace bugseek::train {
std::string find_resume_dir(const std::string&) { unreachable("find_resume_dir"); }
}  // namespace bugseek::train
