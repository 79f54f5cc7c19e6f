#include "eval/real_bug_file.h"

#include "common/error.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/log.h"

namespace bugseek::eval {
namespace {

std::string optional_string(const json::Value& obj, std::string_view key, std::string_view where) {
  const json::Value* v = obj.find(key);
  if (!v || v->is_null()) return "";
  if (!v->is_string())
    throw Error(str_cat(where, ": field \"", key, "\" must be a string, found ",
                        json::type_name(v->type())));
  return v->as_string();
}

}  // namespace

std::vector<RealBugPair> parse_real_bug_pairs(std::string_view text, std::string_view source) {
  std::vector<RealBugPair> pairs;
  std::string base = std::filesystem::path(std::string(source)).filename().string();
  size_t line_no = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++line_no;
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::string where = str_cat(source, ":", line_no);
    json::Value obj;
    try {
      obj = json::parse(line);
    } catch (const json::ParseError& e) {
      // e.what() is "json: line 1, column C: what"; keep "column C: what" under our own line.
      std::string what = e.what();
      size_t at = what.find("column ");
      throw Error(
          str_cat(where, ": not valid JSON: ", at == std::string::npos ? what : what.substr(at)));
    }
    if (!obj.is_object())
      throw Error(str_cat(where, ": expected a JSON object, found ", json::type_name(obj.type())));
    RealBugPair pair;
    pair.line = line_no;
    pair.id = optional_string(obj, "id", where);
    if (pair.id.empty()) pair.id = str_cat(base, ":", line_no);
    pair.path = optional_string(obj, "path", where);
    pair.language = optional_string(obj, "language", where);
    if (const json::Value* origin = obj.find("origin"); origin && origin->is_object()) {
      pair.repo = optional_string(*origin, "repo", where + ": origin");
    }
    for (auto [key, field] : {std::pair{"buggy_source", &pair.buggy_source},
                              std::pair{"fixed_source", &pair.fixed_source}}) {
      const json::Value* v = obj.find(key);
      if (!v || !v->is_string())
        throw Error(str_cat(where, ": expected a string field \"", key, "\"",
                            v ? str_cat(", found ", json::type_name(v->type())) : ""));
      *field = v->as_string();
    }
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

std::vector<RealBugPair> read_real_bug_pairs(const std::filesystem::path& path) {
  return parse_real_bug_pairs(read_file(path), path.string());
}

}  // namespace bugseek::eval
