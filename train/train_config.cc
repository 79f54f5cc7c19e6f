#include "train/train_config.h"

#include <sstream>
#include <type_traits>

#include "common/error.h"
#include "parser/rewrites.h"

namespace bugseek::train {

TrainConfig train_preset(std::string_view name) {
  TrainConfig c;
  c.preset = std::string(name);
  if (name == "tiny") {
    c.functions_per_step = 4;
    c.bugs_per_function = 2;
    c.max_steps = 30;
    c.max_time = 300;
    c.valid_every = 10;
    c.valid_functions = 24;
    c.log_every = 5;
    c.warmup_steps = 5;
    c.vocab_size = 1000;
    c.max_nodes = 600;
    c.lr = 3e-3;
  } else if (name == "default") {
    // The values in the struct.
  } else if (name == "large") {
    c.functions_per_step = 16;
    c.max_time = 0;
    c.valid_every = 500;
    c.valid_functions = 1024;
    c.vocab_size = 16000;
    c.max_nodes = 4000;
    c.lr = 5e-4;
    c.selector_lr = 5e-4;
  } else {
    throw UsageError("unknown preset '" + std::string(name) + "' (tiny | default | large)");
  }
  return c;
}

namespace {

detector::DetectorConfig model_config(const std::string& preset, const std::string& family,
                                      int hidden, int layers) {
  auto config = detector::detector_preset(preset, detector::family_from_name(family));
  if (hidden > 0) config.hidden = hidden;
  if (layers > 0) config.layers = layers;
  return config;
}

}  // namespace

detector::DetectorConfig TrainConfig::detector_config() const {
  auto config = model_config(preset, family, hidden, layers);
  if (heads > 0) config.heads = heads;
  if (max_len > 0) config.max_len = max_len;
  config.aggregation = detector::aggregation_from_name(aggregation);
  config.dropout = dropout;
  return config;
}

detector::DetectorConfig TrainConfig::selector_config() const {
  // The selector only ranks bugs: one preset smaller than the detector is enough.
  const std::string smaller = preset == "large" ? "default" : "tiny";
  auto config = model_config(smaller, selector_family, selector_hidden, selector_layers);
  config.aggregation = detector::aggregation_from_name(aggregation);
  config.dropout = dropout;
  return config;
}

selector::PolicyConfig TrainConfig::policy() const {
  selector::PolicyConfig p;
  p.samples_per_function = bugs_per_function;
  p.temperature = selector_temperature;
  p.exploration = selector_exploration;
  std::vector<std::string> kind_names;
  for (int k = 0; k < parser::kNumBugKinds; ++k) {
    kind_names.emplace_back(parser::bug_kind_name(static_cast<parser::BugKind>(k)));
  }
  p.kind_mix = selector::parse_kind_mix(kind_mix, kind_names);
  return p;
}

std::vector<double> TrainConfig::real_fix_kind_mix() const {
  if (real_fixes_mix == "uniform") return {};
  if (real_fixes_mix == "rewrites") {
    throw UsageError("--real-fixes-mix must be uniform, real or KIND=W,..., not 'rewrites'");
  }
  std::vector<std::string> kind_names;
  for (int k = 0; k < parser::kNumBugKinds; ++k) {
    kind_names.emplace_back(parser::bug_kind_name(static_cast<parser::BugKind>(k)));
  }
  return selector::parse_kind_mix(real_fixes_mix, kind_names, "--real-fixes-mix");
}

SelectorMode TrainConfig::mode() const {
  if (selector_mode == "learned") return SelectorMode::kLearned;
  if (selector_mode == "random") return SelectorMode::kRandom;
  throw UsageError("--selector must be learned or random, not '" + selector_mode + "'");
}

selector::SelectorTarget TrainConfig::selector_target_kind() const {
  const selector::SelectorTarget target = selector::parse_selector_target(selector_target);
  if (selector::learns_real_bugs(target)) {
    if (real_fixes.empty()) {
      throw UsageError("--selector-target " + selector_target +
                       " learns from real fixes: give them with --real-fixes FILE");
    }
    if (mode() != SelectorMode::kLearned) {
      throw UsageError("--selector-target " + selector_target + " needs --selector learned");
    }
  }
  return target;
}

LrSchedule TrainConfig::lr_curve() const {
  LrSchedule curve;
  curve.kind = lr_schedule;
  curve.warmup_steps = warmup_steps;
  curve.decay_steps = lr_decay_steps > 0 ? lr_decay_steps : max_steps;
  curve.final_scale = lr_final_scale;
  if (lr_schedule != "constant" && lr_schedule != "cosine") {
    throw UsageError("--lr-schedule must be constant or cosine, not '" + lr_schedule + "'");
  }
  if (lr_schedule == "cosine" && curve.decay_steps == 0) {
    throw UsageError("--lr-schedule cosine needs --lr-decay-steps or --max-steps");
  }
  if (!(lr_final_scale >= 0 && lr_final_scale <= 1)) {
    throw UsageError("--lr-final-scale must be between 0 and 1");
  }
  return curve;
}

std::string config_to_text(const TrainConfig& config) {
  std::ostringstream out;
  TrainConfig copy = config;
  visit_fields(copy, [&out](const char* name, const auto& value, const char*) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      if (value.empty()) out << "# " << name << " = (none)\n";
      for (const auto& item : value) out << name << " = " << item << "\n";  // repeatable key
    } else if constexpr (std::is_same_v<T, bool>) {
      out << name << " = " << (value ? "true" : "false") << "\n";
    } else {
      out << name << " = " << value << "\n";
    }
  });
  return out.str();
}

}  // namespace bugseek::train
