// Function extraction for `prepare`: a source file becomes the functions worth training on.
// Each function is cut out with its indentation removed and parsed on its own (exactly as
// sample production will parse it); functions that do not survive that, are too large, or have
// no bug sites are dropped and counted.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/exclude.h"
#include "data/shard.h"
#include "parser/language.h"

namespace bugseek::data {

enum class DropReason : uint8_t {
  kSyntaxError = 0,  // the function contains ERROR/MISSING nodes in its file
  kTooLarge,         // over ExtractOptions::max_function_bytes
  kTooManyNodes,     // graph over ExtractOptions::max_function_nodes
  kNoSites,          // no place to plant a bug
  kStandaloneParse,  // does not parse once cut out of its file
  kError,            // the parser threw (a bug in bugseek; logged with -v)
};
constexpr int kNumDropReasons = 6;
std::string_view drop_reason_name(DropReason reason);

struct ExtractOptions {
  uint32_t max_function_bytes = 16384;  // larger functions are dropped (0 = no limit)
  uint32_t max_function_nodes = 6000;   // functions whose graph has more nodes are dropped (0 = no limit)
};

struct ExtractResult {
  bool parsed = false;                   // the file itself parsed (units were looked for)
  uint32_t units = 0;                    // function units found
  std::vector<FunctionRecord> functions;
  std::array<uint64_t, kNumDropReasons> dropped{};
  std::vector<std::string> labels;       // token texts of kept functions, if asked for
  uint64_t excluded_exact = 0;           // kept functions dropped as copies of an excluded one
  uint64_t excluded_near = 0;            // ... as near copies (ExcludeSet::match)
};

// Extracts the functions of one file (`text`, corpus-relative `rel_path`). With
// `collect_labels`, also returns the token texts of the kept functions (vocabulary training).
// Functions that would be kept but match `exclude` (if given) are dropped and counted instead.
// Never throws for bad code.
ExtractResult extract_functions(const std::string& text, const std::string& rel_path,
                                const parser::Language& language, const ExtractOptions& options,
                                bool collect_labels, const ExcludeSet* exclude = nullptr);

}  // namespace bugseek::data
