# Third-party dependencies. Grammar and SentencePiece sources are fetched and verified by
# scripts/setup into BUGSEEK_DEPS_DIR; nothing third-party is committed.

find_package(Threads REQUIRED)
find_package(Torch REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options)
find_package(Protobuf REQUIRED)

# tree-sitter runtime (Debian libtree-sitter-dev 0.20.7; its .pc version is wrong, so no version check).
find_path(TREE_SITTER_INCLUDE_DIR tree_sitter/api.h REQUIRED)
find_library(TREE_SITTER_LIBRARY tree-sitter REQUIRED)
add_library(tree_sitter_runtime INTERFACE)
target_include_directories(tree_sitter_runtime SYSTEM INTERFACE ${TREE_SITTER_INCLUDE_DIR})
target_link_libraries(tree_sitter_runtime INTERFACE ${TREE_SITTER_LIBRARY})

# Grammars: one static library per language, compiled from the fetched npm package.
function(bugseek_add_grammar name version)
  set(dir "${BUGSEEK_DEPS_DIR}/tree-sitter-${name}-${version}")
  if(NOT EXISTS "${dir}/src/parser.c")
    message(FATAL_ERROR "tree-sitter-${name} ${version} not found in ${dir}: run scripts/setup first")
  endif()
  set(srcs "${dir}/src/parser.c")
  if(EXISTS "${dir}/src/scanner.c")
    list(APPEND srcs "${dir}/src/scanner.c")
  endif()
  add_library(tree_sitter_${name} STATIC ${srcs})
  target_include_directories(tree_sitter_${name} PRIVATE "${dir}/src")
  set_target_properties(tree_sitter_${name} PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
  target_compile_options(tree_sitter_${name} PRIVATE -w -O2)
  target_compile_definitions(tree_sitter_${name} PUBLIC "BUGSEEK_GRAMMAR_${name}_VERSION=\"${version}\"")
endfunction()
bugseek_add_grammar(python 0.23.6)

# SentencePiece 0.1.97 built static against the system protobuf by scripts/setup.
set(SPM_DIR "${BUGSEEK_DEPS_DIR}/sentencepiece-0.1.97")
if(NOT EXISTS "${SPM_DIR}/build/src/libsentencepiece_train.a")
  message(FATAL_ERROR "SentencePiece not built in ${SPM_DIR}: run scripts/setup first")
endif()
add_library(sentencepiece_static INTERFACE)
target_include_directories(sentencepiece_static SYSTEM INTERFACE "${SPM_DIR}/src")
target_link_libraries(sentencepiece_static INTERFACE
  "${SPM_DIR}/build/src/libsentencepiece_train.a" "${SPM_DIR}/build/src/libsentencepiece.a"
  protobuf::libprotobuf Threads::Threads)

if(BUGSEEK_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
