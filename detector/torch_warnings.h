// LibTorch 1.13 prints "scatter_reduce() is in beta" once per process (we use it knowingly, and
// it is stable in 2.x); that line would land in every user's scan, eval and train output. This
// installs, once per thread, a warning handler that drops that one known message and passes
// every other warning on. Internal to detector/.
#pragma once

namespace bugseek::detector {

void quiet_known_torch_warnings();

}  // namespace bugseek::detector
