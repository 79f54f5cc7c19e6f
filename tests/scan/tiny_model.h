// Test fixtures shared by the scan and eval-suite tests until a trained model is checked in:
// a tiny untrained detector with a SentencePiece vocabulary trained on a few Python lines, saved
// as a real model file; and a temporary directory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/fs.h"
#include "data/node_vocab.h"
#include "data/vocab.h"
#include "detector/detector.h"
#include "detector/model_file.h"
#include "parser/language.h"
#include "tests/common/temp_dir.h"

namespace bugseek::testing {

using ScratchDir = TempDir;

inline const std::string& tiny_vocab_bytes() {
  static const std::string bytes = [] {
    const char* words[] = {"def", "return", "self", "count", "total", "value", "items", "len",
                           "index", "name", "path", "result", "if", "for", "in", "range", "x",
                           "y", "a", "b", "True", "False", "None", "0", "1", "2"};
    std::vector<std::string> lines;
    for (int i = 0; i < 200; ++i) {
      std::string line;
      for (int j = 0; j < 10; ++j) {
        line += std::string(words[(i * 7 + j) % 26]) + "_" + words[(i * 3 + j * 5) % 26] + " " +
                words[(i + j) % 26] + " ( ) + - * < <= == and or not ";
      }
      lines.push_back(line);
    }
    data::VocabTrainOptions o;
    o.vocab_size = 150;
    return data::train_vocabulary(lines, o);
  }();
  return bytes;
}

// A tiny untrained GNN (or transformer) detector saved as `dir`/tiny.bugseek; returns its path.
inline std::filesystem::path write_tiny_model(
    const std::filesystem::path& dir, uint64_t seed = 1,
    detector::ModelFamily family = detector::ModelFamily::kGnn) {
  const parser::Language& language = *parser::find_language("python");
  const data::Vocabulary vocab = data::Vocabulary::from_bytes(tiny_vocab_bytes());
  detector::ModelFile model;
  model.config = detector::detector_preset("tiny", family);
  model.config.subtoken_vocab = vocab.size();
  model.config.node_type_vocab = data::node_type_vocab_size(language);
  model.config.text_vocab = data::text_vocab_size();
  detector::Detector det(model.config, seed);
  model.vocab_model = tiny_vocab_bytes();
  model.language = language.name;
  model.grammar_version = language.grammar_version;
  model.weights = det.save_weights();
  model.info["note"] = "untrained test model";
  const auto path = dir / "tiny.bugseek";
  detector::save_model_file(path, model);
  return path;
}

}  // namespace bugseek::testing
