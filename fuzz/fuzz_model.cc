// Fuzz target (c): loading a model file (`scan`, `eval`, `inspect`, `train --init`) as
// detector::load_model_file does it: the section container, then the config, language, grammar
// version, info and calibration sections. The weights section is only copied here; reading it
// needs LibTorch, which the fuzz build leaves out (torch_stubs.cc). Bad bytes must end in
// bugseek::Error.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/error.h"
#include "detector/model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // load_model_file takes a path, so the bytes go through a file of this process's own.
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("bugseek-fuzz-model-" + std::to_string(getpid()) + ".bugseek");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const bugseek::detector::ModelFile model = bugseek::detector::load_model_file(path);
    // What `inspect` and `scan` do next with the torch-free parts.
    (void)bugseek::detector::config_to_text(model.config);
    if (model.calibration) {
      (void)bugseek::detector::calibration_to_text(*model.calibration);
      (void)bugseek::detector::threshold_for_rate(*model.calibration, 0.01);
    }
  } catch (const bugseek::Error&) {
  }
  return 0;
}
