// Torch-free half of the detector API: names, presets, validation and the config's text form.
#include <cstdlib>
#include <sstream>

#include "common/error.h"
#include "detector/detector.h"

namespace bugseek::detector {
namespace {

[[noreturn]] void bad_name(std::string_view what, std::string_view name, std::string_view allowed) {
  throw UsageError("detector: unknown " + std::string(what) + " '" + std::string(name) +
                   "' (expected " + std::string(allowed) + ")");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int parse_int(std::string_view key, std::string_view value) {
  std::string v(value);
  char* end = nullptr;
  long x = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0') {
    throw Error("detector config: " + std::string(key) + ": expected an integer, got '" + v + "'");
  }
  return static_cast<int>(x);
}

double parse_double(std::string_view key, std::string_view value) {
  std::string v(value);
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0') {
    throw Error("detector config: " + std::string(key) + ": expected a number, got '" + v + "'");
  }
  return x;
}

}  // namespace

std::string_view family_name(ModelFamily family) {
  return family == ModelFamily::kGnn ? "gnn" : "transformer";
}

ModelFamily family_from_name(std::string_view name) {
  if (name == "gnn") return ModelFamily::kGnn;
  if (name == "transformer" || name == "great") return ModelFamily::kTransformer;
  bad_name("model family", name, "gnn|transformer");
}

std::string_view aggregation_name(Aggregation aggregation) {
  switch (aggregation) {
    case Aggregation::kMax: return "max";
    case Aggregation::kMean: return "mean";
    case Aggregation::kSum: return "sum";
  }
  return "max";
}

Aggregation aggregation_from_name(std::string_view name) {
  if (name == "max") return Aggregation::kMax;
  if (name == "mean") return Aggregation::kMean;
  if (name == "sum") return Aggregation::kSum;
  bad_name("aggregation", name, "max|mean|sum");
}

std::string_view pooling_name(Pooling pooling) { return pooling == Pooling::kMax ? "max" : "mean"; }

Pooling pooling_from_name(std::string_view name) {
  if (name == "max") return Pooling::kMax;
  if (name == "mean") return Pooling::kMean;
  bad_name("subtoken pooling", name, "max|mean");
}

DeviceKind device_from_name(std::string_view name) {
  if (name == "cpu") return DeviceKind::kCpu;
  if (name == "cuda" || name == "gpu") return DeviceKind::kCuda;
  if (name == "auto") return DeviceKind::kAuto;
  bad_name("device", name, "cpu|cuda|auto");
}

DetectorConfig detector_preset(std::string_view preset, ModelFamily family) {
  DetectorConfig c;
  c.family = family;
  if (preset == "tiny") {
    c.hidden = 32;
    c.layers = 2;
    c.heads = 2;
    c.max_len = 256;
    c.dropout = 0.0;
  } else if (preset == "default") {
    // Sized for 2 CPU cores: tens of standard-library functions per second per core for either
    // family (bench/bench_detector.cc).
    c.hidden = 128;
    c.layers = 4;
    c.heads = 4;
    c.max_len = 512;
  } else if (preset == "large") {
    // Near BugLab: hidden 256, 8 layers, 8 heads. Wants a smaller learning rate (~1e-4).
    c.hidden = 256;
    c.layers = 8;
    c.heads = 8;
    c.ff_mult = 4;
    c.max_len = 512;
  } else {
    bad_name("detector preset", preset, "tiny|default|large");
  }
  return c;
}

void validate(const DetectorConfig& c) {
  auto fail = [](const std::string& msg) { throw UsageError("detector config: " + msg); };
  if (c.hidden < 2) fail("hidden must be >= 2, got " + std::to_string(c.hidden));
  if (c.layers < 0) fail("layers must be >= 0, got " + std::to_string(c.layers));
  if (c.heads < 1 || c.hidden % c.heads != 0) {
    fail("heads must divide hidden (" + std::to_string(c.hidden) + "), got " +
         std::to_string(c.heads));
  }
  if (c.ff_mult < 1) fail("ff_mult must be >= 1, got " + std::to_string(c.ff_mult));
  if (c.max_len < 1) fail("max_len must be >= 1, got " + std::to_string(c.max_len));
  if (c.dropout < 0 || c.dropout >= 1) fail("dropout must be in [0, 1), got " + std::to_string(c.dropout));
  if (c.subtoken_vocab < 2) fail("subtoken_vocab must be >= 2");
  if (c.node_type_vocab < 1) fail("node_type_vocab must be >= 1");
  if (c.text_vocab < 1) fail("text_vocab must be >= 1");
}

std::string config_to_text(const DetectorConfig& c) {
  std::ostringstream out;
  out << "family = " << family_name(c.family) << "\n"
      << "hidden = " << c.hidden << "\n"
      << "layers = " << c.layers << "\n"
      << "heads = " << c.heads << "\n"
      << "ff_mult = " << c.ff_mult << "\n"
      << "max_len = " << c.max_len << "\n"
      << "aggregation = " << aggregation_name(c.aggregation) << "\n"
      << "subtoken_pooling = " << pooling_name(c.subtoken_pooling) << "\n";
  out.precision(17);
  out << "dropout = " << c.dropout << "\n"
      << "subtoken_vocab = " << c.subtoken_vocab << "\n"
      << "node_type_vocab = " << c.node_type_vocab << "\n"
      << "text_vocab = " << c.text_vocab << "\n";
  return out.str();
}

DetectorConfig config_from_text(std::string_view text) {
  DetectorConfig c;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      throw Error("detector config: expected 'key = value', got '" + std::string(line) + "'");
    }
    std::string_view key = trim(line.substr(0, eq));
    std::string_view value = trim(line.substr(eq + 1));
    if (key == "family") c.family = family_from_name(value);
    else if (key == "hidden") c.hidden = parse_int(key, value);
    else if (key == "layers") c.layers = parse_int(key, value);
    else if (key == "heads") c.heads = parse_int(key, value);
    else if (key == "ff_mult") c.ff_mult = parse_int(key, value);
    else if (key == "max_len") c.max_len = parse_int(key, value);
    else if (key == "aggregation") c.aggregation = aggregation_from_name(value);
    else if (key == "subtoken_pooling") c.subtoken_pooling = pooling_from_name(value);
    else if (key == "dropout") c.dropout = parse_double(key, value);
    else if (key == "subtoken_vocab") c.subtoken_vocab = parse_int(key, value);
    else if (key == "node_type_vocab") c.node_type_vocab = parse_int(key, value);
    else if (key == "text_vocab") c.text_vocab = parse_int(key, value);
    else throw Error("detector config: unknown key '" + std::string(key) + "'");
  }
  validate(c);
  return c;
}

}  // namespace bugseek::detector
