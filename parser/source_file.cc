// parse_source: byte checks, one bounded tree-sitter parse, and one iterative walk that counts
// ERROR/MISSING nodes and measures depth. Bad input only ever sets ParsedFile::status.
#include "parser/source_file.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "parser/tree_cursor.h"

namespace bugseek::parser {
namespace {

// Offset of the first byte that breaks UTF-8 (overlongs, surrogates and > U+10FFFF included),
// or text.size() if it is all valid.
size_t find_invalid_utf8(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path, 8 bytes at a time.
    if (i + 8 <= n) {
      uint64_t chunk;
      std::memcpy(&chunk, s + i, 8);
      if ((chunk & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // > U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return n;
}

uint32_t line_of(const std::string& text, size_t offset) {
  uint32_t line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

// One parser per thread and language, reused: creating parsers per file costs more than small
// files take to parse.
TSParser* thread_parser(const TSLanguage* grammar) {
  thread_local std::vector<std::pair<const TSLanguage*, ParserPtr>> parsers;
  for (auto& [lang, parser] : parsers) {
    if (lang == grammar) return parser.get();
  }
  ParserPtr parser(ts_parser_new());
  if (!ts_parser_set_language(parser.get(), grammar)) {
    throw_error("parse_source", "",
                "tree-sitter rejected the grammar (grammar ABI " +
                    std::to_string(ts_language_version(grammar)) + ", runtime accepts " +
                    std::to_string(TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION) + "-" +
                    std::to_string(TREE_SITTER_LANGUAGE_VERSION) + ")");
  }
  parsers.emplace_back(grammar, std::move(parser));
  return parsers.back().second.get();
}

// Counts ERROR and MISSING nodes and the tree depth, without recursion.
void scan_tree(ParsedFile& file) {
  TSNode root = ts_tree_root_node(file.tree.get());
  const bool any_error = ts_node_has_error(root);
  Cursor cursor(root);
  uint32_t depth = 1, max_depth = 1;
  auto visit = [&] {
    if (!any_error) return;
    TSNode node = cursor.node();
    if (ts_node_symbol(node) == static_cast<TSSymbol>(-1)) ++file.error_nodes;
    if (ts_node_is_missing(node)) ++file.missing_nodes;
  };
  visit();
  for (;;) {
    if (cursor.first_child()) {
      if (++depth > max_depth) max_depth = depth;
      visit();
      continue;
    }
    bool moved = false;
    while (!(moved = cursor.next_sibling())) {
      if (!cursor.parent()) break;
      --depth;
    }
    if (!moved) break;
    visit();
  }
  file.max_depth = max_depth;
}

}  // namespace

void TreeDeleter::operator()(TSTree* tree) const { ts_tree_delete(tree); }

const char* parse_status_name(ParseStatus status) {
  switch (status) {
    case ParseStatus::kOk:
      return "ok";
    case ParseStatus::kEmpty:
      return "empty";
    case ParseStatus::kBinary:
      return "binary";
    case ParseStatus::kInvalidUtf8:
      return "invalid-utf8";
    case ParseStatus::kTooLarge:
      return "too-large";
    case ParseStatus::kTimeout:
      return "timeout";
    case ParseStatus::kTooDeep:
      return "too-deep";
  }
  return "unknown";
}

ParsedFile parse_source(std::string text, const Language& language, std::string path,
                        const ParseOptions& options) {
  ParsedFile file;
  file.path = std::move(path);
  file.text = std::move(text);
  file.language = &language;
  const std::string& t = file.text;

  if (t.empty()) {
    file.status = ParseStatus::kEmpty;
    file.problem = "empty file";
    return file;
  }
  const uint64_t limit = std::min<uint64_t>(options.max_bytes, UINT32_MAX);
  if (t.size() > limit) {
    file.status = ParseStatus::kTooLarge;
    file.problem =
        std::to_string(t.size()) + " bytes, over the limit of " + std::to_string(limit) + " bytes";
    return file;
  }
  if (const void* nul = std::memchr(t.data(), '\0', t.size())) {
    const size_t at = static_cast<const char*>(nul) - t.data();
    file.status = ParseStatus::kBinary;
    file.problem = "binary file (NUL byte at offset " + std::to_string(at) + ")";
    return file;
  }
  if (size_t bad = find_invalid_utf8(t); bad != t.size()) {
    file.status = ParseStatus::kInvalidUtf8;
    file.problem = "not UTF-8 (invalid byte at offset " + std::to_string(bad) + ", line " +
                   std::to_string(line_of(t, bad)) + ")";
    return file;
  }

  TSParser* parser = thread_parser(language.grammar());
  ts_parser_set_timeout_micros(parser, options.timeout_micros);
  file.tree.reset(
      ts_parser_parse_string(parser, options.old_tree, t.data(), static_cast<uint32_t>(t.size())));
  if (!file.tree) {
    ts_parser_reset(parser);  // otherwise the next parse would resume this one
    file.status = ParseStatus::kTimeout;
    file.problem =
        "parsing took longer than " + std::to_string(options.timeout_micros / 1000) + " ms";
    return file;
  }
  scan_tree(file);
  if (options.max_depth > 0 && file.max_depth > options.max_depth) {
    file.status = ParseStatus::kTooDeep;
    file.problem = "syntax tree " + std::to_string(file.max_depth) +
                   " levels deep, over the limit of " + std::to_string(options.max_depth);
  }
  return file;
}

}  // namespace bugseek::parser
