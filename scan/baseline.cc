#include "scan/baseline.h"

#include "common/error.h"
#include "common/fs.h"
#include "common/log.h"

namespace bugseek::scan {
namespace {

constexpr char kSeparator = '\x1f';

std::string normal_path(const std::string& path) {
  std::string p = std::filesystem::path(path).lexically_normal().string();
  return p.empty() ? path : p;
}

std::string make_key(const std::string& path, const std::string& function, const std::string& kind,
                     const std::string& original, const std::string& replacement) {
  std::string key = normal_path(path);
  for (const std::string* part : {&function, &kind, &original, &replacement}) {
    key += kSeparator;
    key += *part;
  }
  return key;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A SARIF artifact URI back to the path scan was given (eval::path_to_uri's inverse).
std::string uri_to_path(const std::string& uri) {
  std::string s = uri.rfind("file://", 0) == 0 ? uri.substr(7) : uri;
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The quoted text after `after` in `message` up to `until` ("" when absent): the fallback for
// SARIF written before results carried "original" and "replacement" properties.
std::string between(const std::string& message, const std::string& after,
                    const std::string& until) {
  size_t b = message.find(after);
  if (b == std::string::npos) return "";
  b += after.size();
  const size_t e = message.find(until, b);
  return e == std::string::npos ? "" : message.substr(b, e - b);
}

std::string sarif_result_key(const json::Value& r) {
  const json::Value* props = r.find("properties");
  auto prop = [&](std::string_view name) {
    return props != nullptr ? props->get_string(name) : std::string();
  };
  std::string kind = prop("kind");
  if (kind.empty()) {
    kind = r.get_string("ruleId");
    if (kind.rfind("bugseek/", 0) == 0) kind = kind.substr(8);
  }
  std::string path;
  if (const json::Value* locations = r.find("locations");
      locations != nullptr && locations->size() > 0) {
    const json::Value* physical = (*locations)[0].find("physicalLocation");
    const json::Value* artifact =
        physical != nullptr ? physical->find("artifactLocation") : nullptr;
    if (artifact != nullptr) path = uri_to_path(artifact->get_string("uri"));
  }
  std::string original = prop("original");
  std::string replacement = prop("replacement");
  if (original.empty() && replacement.empty()) {
    const json::Value* message = r.find("message");
    const std::string text = message != nullptr ? message->get_string("text") : "";
    original = between(text, ": '", "' should be '");
    replacement = between(text, "' should be '", "' (p=");
  }
  return make_key(path, prop("function"), kind, original, replacement);
}

}  // namespace

std::string baseline_key(const eval::Finding& f) {
  return make_key(f.path, f.function, f.kind, f.original, f.replacement);
}

Baseline Baseline::load(const std::filesystem::path& path) {
  const std::string text = read_file(path);
  json::Value value;
  try {
    value = json::parse(text);
  } catch (const json::ParseError& e) {
    throw_error("Baseline::load", path.string(), str_cat("not JSON: ", e.what()));
  }
  return from_json(value, path.string());
}

Baseline Baseline::from_json(const json::Value& value, const std::string& where) {
  Baseline b;
  const json::Value* findings = nullptr;
  if (value.is_array()) {
    findings = &value;
  } else if (value.is_object()) {
    findings = value.find("findings");
    if (const json::Value* runs = value.find("runs"); runs != nullptr && runs->is_array()) {
      for (const json::Value& run : runs->as_array()) {
        const json::Value* results = run.find("results");
        if (results == nullptr || !results->is_array()) continue;
        for (const json::Value& r : results->as_array()) b.add(sarif_result_key(r));
      }
      return b;
    }
  }
  if (findings == nullptr || !findings->is_array()) {
    throw_error("Baseline::from_json", where,
                "expected the output of `bugseek scan --format json` (with \"findings\") or "
                "--format sarif (with \"runs\")");
  }
  for (const json::Value& f : findings->as_array()) {
    if (!f.is_object()) continue;
    b.add(make_key(f.get_string("path"), f.get_string("function"), f.get_string("kind"),
                   f.get_string("original"), f.get_string("replacement")));
  }
  return b;
}

size_t Baseline::remove_known(std::vector<eval::Finding>& findings) const {
  std::map<std::string, size_t> left = counts_;
  size_t removed = 0;
  std::vector<eval::Finding> kept;
  kept.reserve(findings.size());
  for (eval::Finding& f : findings) {
    auto it = left.find(baseline_key(f));
    if (it != left.end() && it->second > 0) {
      it->second -= 1;
      removed += 1;
    } else {
      kept.push_back(std::move(f));
    }
  }
  findings = std::move(kept);
  return removed;
}

}  // namespace bugseek::scan
