// Test-only fault injection: planted pipeline bugs that the doctor's mutation tests
// (tests/train/doctor_mutation_itest.cc) switch on to prove each doctor check catches its kind of
// bug. A fault is active when its name is in the comma-separated BUGSEEK_TEST_FAULT environment
// variable; nothing else turns one on, and an active fault is announced once on stderr.
#pragma once

#include <string_view>

namespace bugseek {

bool test_fault(std::string_view name);

}  // namespace bugseek
