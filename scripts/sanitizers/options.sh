# Run-time options for the sanitized tree (scripts/test --sanitize); sourced, not run.
# Every report goes to REPORT_DIR/<tool>.<pid> instead of stderr, so a report from a `bugseek`
# child whose exit status a test ignores still fails scripts/test, which prints them all.

# bugseek_asan_options REPORT_DIR
bugseek_asan_options() {
  # check_initialization_order: catches a global of ours read before its constructor ran.
  echo "log_path=$1/asan:check_initialization_order=1"
}

# bugseek_lsan_options ROOT
bugseek_lsan_options() {
  # Leaks inside the uninstrumented libraries only (LibTorch, OpenMP, ...): see lsan.supp.
  echo "suppressions=$1/scripts/sanitizers/lsan.supp:print_suppressions=0"
}

# bugseek_ubsan_options REPORT_DIR
bugseek_ubsan_options() {
  # The build already makes UB fatal (-fno-sanitize-recover=undefined); the stack says where.
  echo "log_path=$1/ubsan:print_stacktrace=1:halt_on_error=1"
}
