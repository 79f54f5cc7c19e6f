// Helpers shared by the data tests: a temporary directory removed at the end of a test.
#pragma once

#include "tests/common/temp_dir.h"

namespace bugseek::data::testing {

using TempDir = bugseek::testing::TempDir;

}  // namespace bugseek::data::testing
