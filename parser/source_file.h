// Parsing one file: checks the bytes (binary, invalid UTF-8, size), runs tree-sitter once with a
// time bound, and counts ERROR/MISSING nodes. Broken input is data: the result says what is wrong
// and never throws for it. Units and graphs are then built from the ParsedFile.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "parser/language.h"

struct TSTree;

namespace bugseek::parser {

enum class ParseStatus : uint8_t {
  kOk = 0,           // parsed, maybe with syntax errors (see error_nodes)
  kEmpty,            // zero bytes; no tree
  kBinary,           // NUL bytes found; no tree
  kInvalidUtf8,      // not UTF-8; no tree
  kTooLarge,         // over ParseOptions::max_bytes; no tree
  kTimeout,          // tree-sitter ran past ParseOptions::timeout_micros; no tree
  kTooDeep,          // tree deeper than ParseOptions::max_depth; tree kept, no graphs
};
const char* parse_status_name(ParseStatus status);

struct ParseOptions {
  uint64_t max_bytes = 8u << 20;         // 8 MiB
  uint64_t timeout_micros = 10'000'000;  // 10 s
  uint32_t max_depth = 2000;             // syntax tree depth limit for graph passes
  // Incremental re-parse: the previous tree, already copied and ts_tree_edit()ed to match the
  // new text (see apply_rewrite). Not owned; nullptr = parse from scratch.
  const TSTree* old_tree = nullptr;
};

struct TreeDeleter {
  void operator()(TSTree* tree) const;
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;

struct ParsedFile {
  std::string path;
  std::string text;
  const Language* language = nullptr;
  TreePtr tree;  // null unless status is kOk or kTooDeep
  ParseStatus status = ParseStatus::kOk;
  uint32_t error_nodes = 0;    // ERROR nodes
  uint32_t missing_nodes = 0;  // MISSING nodes
  uint32_t max_depth = 0;
  std::string problem;  // why status is not kOk, for users ("NUL byte at offset 12"); else empty
  bool has_syntax_errors() const { return error_nodes + missing_nodes > 0; }
  bool ok() const { return status == ParseStatus::kOk; }
};

// Parses `text` as `language`. Never throws for bad input; see ParsedFile::status.
ParsedFile parse_source(std::string text, const Language& language, std::string path = "",
                        const ParseOptions& options = {});

}  // namespace bugseek::parser
