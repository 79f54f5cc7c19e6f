// Writes seed inputs for the file-reader targets with bugseek's own writers, so the fuzzer starts
// from well-formed files: a shard and a manifest (fuzz_dataset; first byte picks the reader), a
// training state (fuzz_state), a model file with a calibration (fuzz_model) and the tiny preset's
// config.ini (fuzz_config). Usage: make_seeds OUT_DIR.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "data/dataset.h"
#include "data/shard.h"
#include "detector/calibration.h"
#include "detector/model_file.h"
#include "train/checkpoint.h"
#include "train/train_config.h"

namespace fs = std::filesystem;
using namespace bugseek;

namespace {
void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds OUT_DIR\n");
    return 2;
  }
  const fs::path out = argv[1];
  std::vector<data::FunctionRecord> records(2);
  records[0].text = "def f(a, b):\n    return a < b\n";
  records[0].file = "pkg/m.py";
  records[0].name = "f";
  records[0].language = "python";
  records[0].num_sites = 3;
  records[1].text = "def g(x):\n    if x and not x.y:\n        x += 1\n    return x\n";
  records[1].file = "pkg/n.py";
  records[1].name = "C.g";
  records[1].language = "python";
  records[1].indent = 4;
  const std::string shard = data::encode_shard(records);
  write(out / "fuzz_dataset" / "shard", std::string(1, '\0') + shard);

  data::Manifest manifest;
  manifest.languages.push_back({"python", "0.23.6"});
  manifest.files = {3, 1, 1};
  manifest.functions = {2, 1, 1};
  manifest.shards.push_back(
      {data::Split::kTrain, "train-00000.shard", 2, shard.size(), 0x1234abcd});
  manifest.vocab_file = "vocab.model";
  manifest.vocab_bytes = 100;
  manifest.vocab_crc32 = 0xdeadbeef;
  manifest.stats.push_back({"files", 5});
  write(out / "fuzz_dataset" / "manifest", std::string(1, '\1') + data::format_manifest(manifest));

  train::TrainState state;
  state.config_text = "preset = tiny\nseed = 1\n";
  state.progress.step = 20;
  state.progress.cursor = 80;
  state.progress.best_overall = 0.25;
  state.detector_weights = std::string(64, '\x01');
  state.history = "{\"type\":\"train\",\"step\":5}\n";
  const fs::path state_path = out / "fuzz_state" / "state";
  fs::create_directories(state_path.parent_path());
  train::save_state(state_path, state);

  detector::ModelFile model;
  model.config = detector::detector_preset("tiny", detector::ModelFamily::kGnn);
  model.vocab_model = "not a real SentencePiece model";
  model.language = "python";
  model.grammar_version = BUGSEEK_GRAMMAR_python_VERSION;
  model.weights = std::string(32, '\x02');
  model.info = {{"step", "20"}, {"selector", "learned"}};
  model.calibration = detector::calibrate({0.1, 0.2, 0.3, 0.9, 0.05}, 0.2, "runs/dataset valid");
  const fs::path model_path = out / "fuzz_model" / "model";
  fs::create_directories(model_path.parent_path());
  detector::save_model_file(model_path, model);
  model.calibration.reset();
  detector::save_model_file(out / "fuzz_model" / "model-uncalibrated", model);

  write(out / "fuzz_config" / "tiny.ini", train::config_to_text(train::train_preset("tiny")));
  write(out / "fuzz_config" / "small.ini",
        "preset = tiny\nseed = 7\nfamily = transformer\nkind-mix = variable-misuse=1\n"
        "corpus = a\ncorpus = b\n");
  return 0;
}
