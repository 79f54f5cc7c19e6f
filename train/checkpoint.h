// Resume state of a run: everything --resume needs to continue as if never stopped (config,
// step, data cursor, timing, best score, both models' weights and optimizer moments, the metric
// history for the report). One SectionFile "bugseek-train-state", written atomically after the
// model files, so a kill -9 at any moment leaves the previous complete state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace bugseek::train {

constexpr uint32_t kStateFormatVersion = 1;
constexpr const char* kStateFileName = "state.bugseek";
// A warm-started run's vocabulary (that of its --init model), read again on --resume.
constexpr const char* kInitVocabName = "init-vocab.model";
// Which vocabulary and dataset manifest the run reads (CRC-32 and size of each); --resume checks.
constexpr const char* kInputsRecordName = "inputs.id";

struct Progress {
  uint64_t step = 0;
  uint64_t cursor = 0;          // next training-sample index (function order is seeded)
  double elapsed_s = 0;         // training seconds over all invocations
  double best_overall = -1;       // best validation overall accuracy so far
  uint64_t best_step = 0;
  int stalls = 0;               // validations since the best
  uint64_t graphs_seen = 0;
};

struct TrainState {
  std::string config_text;      // train config (key = value lines)
  Progress progress;
  std::string detector_weights, detector_optimizer;
  std::string selector_weights, selector_optimizer;  // empty for the random selector
  std::string history;          // metrics.jsonl-style lines the report is drawn from
};

// A run reads one dataset with one vocabulary from start to end. A fresh run (`resume` false)
// records both in RUN_DIR/inputs.id (CRC-32 and size of the SentencePiece model and of the
// dataset manifest); a resumed one refuses others with a UsageError that says which differs, both
// identities, and where the new one comes from (`vocab_source`, `data_source`), since another
// vocabulary would silently give the learned embeddings other meanings and another dataset would
// draw training functions from another set. A run from before the record existed passes.
void record_or_check_run_inputs(const std::filesystem::path& run_dir, bool resume,
                                std::string_view vocabulary, std::string_view manifest,
                                const std::string& vocab_source, const std::string& data_source);

void save_state(const std::filesystem::path& path, const TrainState& state);
TrainState load_state(const std::filesystem::path& path);
// The same from the file's bytes; `where` names them in errors. Throws Error on anything but a
// complete state file of a known version.
TrainState parse_state(std::string_view bytes, const std::string& where);

}  // namespace bugseek::train
