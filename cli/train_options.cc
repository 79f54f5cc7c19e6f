// Shared by `train` and `doctor`: TrainConfig from a preset, --config FILE (or a resumed run's
// config.ini) and flags, in that order of precedence.
#include "cli/train_options.h"

#include <iostream>
#include <type_traits>

#include "cli/options.h"
#include "common/error.h"
#include "train/trainer.h"

namespace bugseek::cli {
namespace {

// Adds one option per TrainConfig field, bound to the field, with the field's value as default.
po::options_description train_options(train::TrainConfig& cfg) {
  po::options_description group("Training (defaults shown are the chosen preset's)");
  train::visit_fields(cfg, [&group](const char* name, auto& field, const char* help) {
    using T = std::decay_t<decltype(field)>;
    if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      group.add_options()(name, po::value(&field)->composing(), help);
    } else {
      group.add_options()(name, po::value(&field)->default_value(field), help);
    }
  });
  return group;
}

// Settings that decide where the others come from, read before everything else.
struct Early {
  std::string preset, config, out;
  bool resume = false;
};

Early early_options(int argc, char** argv) {
  Early e;
  po::options_description d;
  d.add_options()("preset", po::value(&e.preset))("config", po::value(&e.config))(
      "out", po::value(&e.out))("resume", po::bool_switch(&e.resume));
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(d).allow_unregistered().run(), vm);
    po::notify(vm);
  } catch (const po::error& err) {
    throw UsageError(std::string(err.what()) + " (see --help)");
  }
  return e;
}

std::string preset_in_file(const std::string& path) {
  std::string preset;
  po::options_description d;
  d.add_options()("preset", po::value(&preset));
  po::variables_map vm;
  po::store(po::parse_config_file<char>(path.c_str(), d, /*allow_unregistered=*/true), vm);
  po::notify(vm);
  return preset;
}

}  // namespace

std::optional<train::TrainConfig> train_config_from_args(int argc, char** argv,
                                                         const std::string& usage) {
  Early early = early_options(argc, argv);
  std::vector<std::string> config_files;
  if (!early.config.empty()) config_files.push_back(early.config);
  if (early.resume) {
    early.out = train::find_resume_dir(early.out);
    config_files.push_back(early.out + "/config.ini");
  }
  std::string preset = early.preset;
  try {
    for (const auto& file : config_files) {
      if (preset.empty()) preset = preset_in_file(file);
    }
  } catch (const po::error& err) {
    throw UsageError(std::string(err.what()));
  }
  train::TrainConfig cfg = train::train_preset(preset.empty() ? "default" : preset);

  GeneralOptions general;
  po::options_description visible("General");
  visible.add_options()("help,h", "show this help and exit")(
      "verbose,v", po::bool_switch(&general.verbose), "more log lines on stderr")(
      "quiet,q", po::bool_switch(&general.quiet), "only warnings and errors on stderr")(
      "config", po::value<std::string>(), "INI file of settings (key = value, names as flags)")(
      "resume", po::bool_switch(&cfg.resume), "continue the run in --out (or the newest run)")(
      "dump-config", "print the effective settings and exit");
  visible.add(train_options(cfg));
  po::options_description dist(
      "Distributed (several machines; torchrun's environment variables RANK, WORLD_SIZE, "
      "MASTER_ADDR, MASTER_PORT are read when these are not given)");
  dist.add_options()("rank", po::value(&cfg.dist.rank), "this process's rank, 0..world size - 1")(
      "world-size", po::value(&cfg.dist.world_size), "number of ranks in the run")(
      "master-addr", po::value(&cfg.dist.master_addr), "address of rank 0 (default 127.0.0.1)")(
      "master-port", po::value(&cfg.dist.master_port), "port of rank 0's store (default 29500)")(
      "dist-timeout", po::value(&cfg.dist.timeout_s)->default_value(cfg.dist.timeout_s),
      "seconds a rank waits for the others (joining, or in a step) before it gives up");
  visible.add(dist);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, usage, visible, {}, {}, vm, general)) return std::nullopt;
  try {
    for (const auto& file : config_files) {
      po::store(po::parse_config_file<char>(file.c_str(), visible), vm);
    }
    po::notify(vm);
  } catch (const po::error& err) {
    throw UsageError(std::string(err.what()));
  }
  if (early.resume) cfg.out = early.out;
  cfg.mode();  // reject a bad --selector before any work
  cfg.selector_target_kind();
  cfg.lr_curve();  // and a bad learning-rate schedule
  cfg.real_fix_kind_mix();  // and a bad real-fix mix
  if (cfg.function_weight != "size" && cfg.function_weight != "uniform") {
    throw UsageError("--function-weight must be size or uniform, not '" + cfg.function_weight + "'");
  }
  if (vm.count("dump-config")) {
    std::cout << train::config_to_text(cfg);
    return std::nullopt;
  }
  return cfg;
}

}  // namespace bugseek::cli
