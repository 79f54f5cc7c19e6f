# BUGSEEK_SANITIZE=ON (scripts/test --sanitize, tree build-asan/): every target compiled here, our
# code and the grammars, is built and linked with AddressSanitizer and UndefinedBehaviorSanitizer.
# Undefined behaviour aborts (no recovery) so a test that hits it fails. LibTorch, OpenBLAS,
# protobuf, tree-sitter's runtime and the static SentencePiece are not instrumented; the run-time
# options that this needs are set by scripts/test (see scripts/sanitizers/).
if(BUGSEEK_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "BUGSEEK_SANITIZE needs GCC or Clang, not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  set(BUGSEEK_SANITIZE_FLAGS
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  # -g1: line tables only, so reports name file:line without full debug info for torch headers.
  add_compile_options(${BUGSEEK_SANITIZE_FLAGS} -g1)
  add_link_options(${BUGSEEK_SANITIZE_FLAGS})
endif()
