// Functions for the --exclude tests: real-bug pairs (as JSON Lines) and a corpus module holding
// a copy of a buggy source, a re-indented and re-wrapped fixed source (a method in the pair), a
// near copy (two tokens changed) and an unrelated function.
#pragma once

#include <string>

#include "common/json.h"

namespace bugseek::data::testing {

inline const char* kBuggySmall =
    "def buggy_one(items, limit):\n"
    "    total = 0\n"
    "    for item in items:\n"
    "        if item > limit:\n"
    "            total += item\n"
    "    return total\n";
inline const char* kFixedSmall =  // kBuggySmall's fix
    "def buggy_one(items, limit):\n"
    "    total = 0\n"
    "    for item in items:\n"
    "        if item >= limit:\n"
    "            total += item\n"
    "    return total\n";
inline const char* kBuggyMethod =
    "    def scale(self, factor):\n"
    "        if factor > 0:\n"
    "            raise ValueError(\"negative factor\")\n"
    "        return [value * factor for value in self.values]\n";
inline const char* kFixedMethod =
    "    def scale(self, factor):\n"
    "        if factor < 0:\n"
    "            raise ValueError(\"negative factor\")\n"
    "        return [value * factor for value in self.values]\n";
inline const char* kFixedMethodReformatted =  // as a top-level function, re-wrapped
    "def scale(self, factor):\n"
    "    if factor < 0: raise ValueError(\"negative factor\")\n"
    "    return [value * factor\n"
    "            for value in self.values]\n";
inline const char* kBuggyLarge =  // 30+ distinct identifiers: near matches apply
    "def summarize_report(records, threshold, weights, labels, output):\n"
    "    count_alpha = 0\n"
    "    count_beta = 0\n"
    "    maximum_gamma = None\n"
    "    for index, record in enumerate(records):\n"
    "        weight = weights.get(record.kind, 1)\n"
    "        label = labels.get(record.kind, \"other\")\n"
    "        if record.score * weight > threshold:\n"
    "            count_alpha += 1\n"
    "        elif record.score < 0:\n"
    "            count_beta += 1\n"
    "        if maximum_gamma is None or record.score > maximum_gamma:\n"
    "            maximum_gamma = record.score\n"
    "        output.write(label + str(index))\n"
    "    return count_alpha, count_beta, maximum_gamma\n";
inline const char* kFixedLarge =
    "def summarize_report(records, threshold, weights, labels, output):\n"
    "    count_alpha = 0\n"
    "    count_beta = 0\n"
    "    maximum_gamma = None\n"
    "    for index, record in enumerate(records):\n"
    "        weight = weights.get(record.kind, 1)\n"
    "        label = labels.get(record.kind, \"other\")\n"
    "        if record.score * weight >= threshold:\n"
    "            count_alpha += 1\n"
    "        elif record.score < 0:\n"
    "            count_beta += 1\n"
    "        if maximum_gamma is None or record.score > maximum_gamma:\n"
    "            maximum_gamma = record.score\n"
    "        output.write(label + str(index))\n"
    "    return count_alpha, count_beta, maximum_gamma\n";
inline const char* kNearLarge =  // kBuggyLarge with threshold -> cutoff and one 1 -> 2
    "def summarize_report(records, cutoff, weights, labels, output):\n"
    "    count_alpha = 0\n"
    "    count_beta = 0\n"
    "    maximum_gamma = None\n"
    "    for index, record in enumerate(records):\n"
    "        weight = weights.get(record.kind, 1)\n"
    "        label = labels.get(record.kind, \"other\")\n"
    "        if record.score * weight > cutoff:\n"
    "            count_alpha += 1\n"
    "        elif record.score < 0:\n"
    "            count_beta += 2\n"
    "        if maximum_gamma is None or record.score > maximum_gamma:\n"
    "            maximum_gamma = record.score\n"
    "        output.write(label + str(index))\n"
    "    return count_alpha, count_beta, maximum_gamma\n";
inline const char* kUnrelated =
    "def wrap_words(text, width):\n"
    "    words = text.split()\n"
    "    lines = []\n"
    "    current = \"\"\n"
    "    for word in words:\n"
    "        if len(current) + len(word) > width:\n"
    "            lines.append(current)\n"
    "            current = word\n"
    "        else:\n"
    "            current += \" \" + word\n"
    "    return lines\n";

// One JSON Lines line of a real-bug pair.
inline std::string pair_line(const std::string& id, const std::string& buggy,
                             const std::string& fixed) {
  std::string line = "{\"id\": ";
  json::append_quoted(line, id);
  line += ", \"language\": \"python\", \"buggy_source\": ";
  json::append_quoted(line, buggy);
  line += ", \"fixed_source\": ";
  json::append_quoted(line, fixed);
  return line + "}\n";
}

inline std::string exclude_jsonl() {
  return pair_line("small", kBuggySmall, kFixedSmall) +
         pair_line("method", kBuggyMethod, kFixedMethod) +
         pair_line("large", kBuggyLarge, kFixedLarge);
}

// The corpus module: the first three functions are to be excluded, the last one kept.
inline std::string exclude_corpus_module() {
  return std::string(kBuggySmall) + "\n\n" + kFixedMethodReformatted + "\n\n" + kNearLarge +
         "\n\n" + kUnrelated;
}

}  // namespace bugseek::data::testing
