// Subtoken vocabulary: a SentencePiece model trained on the identifier and literal text of the
// training split. Its bytes are stored in the dataset and inside every model file, and a
// Vocabulary is always rebuilt from those bytes, so tokenization cannot drift from the weights.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "data/batch.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace bugseek::data {

// Labels are cut to this many bytes (at a UTF-8 boundary) before training and encoding: only
// the first kMaxSubtokens pieces are kept anyway, and long docstrings would dominate training.
constexpr size_t kMaxLabelBytes = 64;
std::string_view truncate_label(std::string_view label);

struct VocabTrainOptions {
  int vocab_size = 8000;            // pieces, pad and unknown included (a soft limit on small data)
  std::string model_type = "unigram";  // "unigram" or "bpe"
  int threads = 1;  // trainer threads; more is faster, but the model then depends on the count
  uint64_t max_sentences = 1'000'000;  // sentences sampled for training (0 = all)
  uint64_t seed = 1;
};

// Trains a SentencePiece model on `sentences` (labels joined by spaces) and returns its bytes.
// Id 0 is padding, id 1 unknown; there are no BOS/EOS pieces. SentencePiece's logging is silenced
// unless it fails. Throws Error with SentencePiece's message on failure.
std::string train_vocabulary(const std::vector<std::string>& sentences,
                             const VocabTrainOptions& options);

class Vocabulary {
 public:
  using Subtokens = std::array<int32_t, kMaxSubtokens>;

  // Loads a model from its serialized bytes; throws Error if they are not a SentencePiece model.
  static Vocabulary from_bytes(std::string model_bytes);

  const std::string& bytes() const { return bytes_; }
  int32_t size() const;  // number of ids (the subtoken embedding's rows)

  // All piece ids of `label` (truncated to kMaxLabelBytes first). Thread-safe.
  std::vector<int32_t> encode(std::string_view label) const;
  // The first kMaxSubtokens ids of `label`, kPadId after them; all pad for an empty label.
  Subtokens encode_label(std::string_view label) const;
  // Text of `ids` (pad ids ignored).
  std::string decode(const std::vector<int32_t>& ids) const;
  std::string piece(int32_t id) const;

 private:
  std::shared_ptr<const sentencepiece::SentencePieceProcessor> sp_;
  std::string bytes_;
};

}  // namespace bugseek::data
