#include "data/vocab.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "common/error.h"
#include "common/log.h"
#include "sentencepiece_processor.h"
#include "sentencepiece_trainer.h"

namespace sentencepiece::logging {
void SetMinLogLevel(int v);  // defined in libsentencepiece (src/common.h is not installed)
}

namespace bugseek::data {
namespace {

class VectorIterator : public sentencepiece::SentenceIterator {
 public:
  explicit VectorIterator(const std::vector<const std::string*>& items) : items_(items) {}
  bool done() const override { return pos_ >= items_.size(); }
  void Next() override { ++pos_; }
  const std::string& value() const override { return *items_[pos_]; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  const std::vector<const std::string*>& items_;
  size_t pos_ = 0;
};

// Sends fd 2 to a temporary file while SentencePiece trains (it prints progress through
// std::cerr regardless of --minloglevel for some lines); `captured()` returns what was written.
class StderrCapture {
 public:
  StderrCapture() {
    std::fflush(stderr);
    char name[] = "/tmp/bugseek_spm_XXXXXX";
    tmp_fd_ = ::mkstemp(name);
    if (tmp_fd_ < 0) return;
    ::unlink(name);
    saved_fd_ = ::dup(2);
    ::dup2(tmp_fd_, 2);
  }
  ~StderrCapture() { restore(); }
  std::string restore() {
    std::string out;
    if (saved_fd_ < 0) return out;
    std::fflush(stderr);
    ::dup2(saved_fd_, 2);
    ::close(saved_fd_);
    saved_fd_ = -1;
    ::lseek(tmp_fd_, 0, SEEK_SET);
    char buf[4096];
    ssize_t n;
    while ((n = ::read(tmp_fd_, buf, sizeof(buf))) > 0 && out.size() < (1u << 20)) {
      out.append(buf, static_cast<size_t>(n));
    }
    ::close(tmp_fd_);
    return out;
  }

 private:
  int tmp_fd_ = -1;
  int saved_fd_ = -1;
};

}  // namespace

std::string_view truncate_label(std::string_view label) {
  if (label.size() <= kMaxLabelBytes) return label;
  size_t n = kMaxLabelBytes;
  while (n > 0 && (static_cast<unsigned char>(label[n]) & 0xC0) == 0x80) --n;  // no split chars
  return label.substr(0, n);
}

std::string train_vocabulary(const std::vector<std::string>& sentences,
                             const VocabTrainOptions& options) {
  if (options.model_type != "unigram" && options.model_type != "bpe") {
    throw UsageError("vocabulary type must be unigram or bpe, got '" + options.model_type + "'");
  }
  if (options.vocab_size < 8) throw UsageError("vocabulary size must be at least 8");
  std::vector<const std::string*> items;
  items.reserve(sentences.size());
  for (const auto& s : sentences) {
    if (!s.empty()) items.push_back(&s);
  }
  if (items.empty()) throw_error("train_vocabulary", "", "no training text (empty training split?)");
  // Sample here rather than in SentencePiece, so the choice follows our seed.
  if (options.max_sentences > 0 && items.size() > options.max_sentences) {
    std::mt19937_64 rng(options.seed);
    std::shuffle(items.begin(), items.end(), rng);
    items.resize(options.max_sentences);
  }
  const std::string args = str_cat(
      "--model_type=", options.model_type, " --vocab_size=", options.vocab_size,
      " --pad_id=0 --unk_id=1 --bos_id=-1 --eos_id=-1 --hard_vocab_limit=false",
      " --normalization_rule_name=identity --character_coverage=0.9999 --split_digits=true",
      " --max_sentence_length=8192 --max_sentencepiece_length=16 --input_sentence_size=0",
      " --num_threads=", std::max(1, options.threads));
  VectorIterator it(items);
  std::string model;
  sentencepiece::logging::SetMinLogLevel(1);
  sentencepiece::util::Status status;
  std::string log;
  {
    StderrCapture capture;
    status = sentencepiece::SentencePieceTrainer::Train(args, &it, &model);
    log = capture.restore();
  }
  if (!status.ok()) {
    throw_error("train_vocabulary", "",
                "SentencePiece training failed: " + status.ToString() + "\n" + log);
  }
  log_debug("vocab", "SentencePiece said:\n", log);
  return model;
}

Vocabulary Vocabulary::from_bytes(std::string model_bytes) {
  sentencepiece::logging::SetMinLogLevel(1);  // no "precompiled_charsmap is empty" lines
  auto sp = std::make_shared<sentencepiece::SentencePieceProcessor>();
  const auto status = sp->LoadFromSerializedProto(model_bytes);
  if (!status.ok()) {
    throw_error("Vocabulary::from_bytes", "",
                "not a SentencePiece model (" + status.ToString() + ")");
  }
  if (sp->pad_id() != kPadId) {
    throw_error("Vocabulary::from_bytes", "",
                str_cat("model pads with id ", sp->pad_id(), ", expected ", kPadId));
  }
  Vocabulary v;
  v.sp_ = std::move(sp);
  v.bytes_ = std::move(model_bytes);
  return v;
}

int32_t Vocabulary::size() const { return sp_->GetPieceSize(); }

std::vector<int32_t> Vocabulary::encode(std::string_view label) const {
  std::vector<int> ids;
  label = truncate_label(label);
  if (!label.empty()) sp_->Encode(std::string(label), &ids).IgnoreError();
  return std::vector<int32_t>(ids.begin(), ids.end());
}

Vocabulary::Subtokens Vocabulary::encode_label(std::string_view label) const {
  Subtokens out;
  out.fill(kPadId);
  const std::vector<int32_t> ids = encode(label);
  std::copy_n(ids.begin(), std::min<size_t>(ids.size(), kMaxSubtokens), out.begin());
  return out;
}

std::string Vocabulary::decode(const std::vector<int32_t>& ids) const {
  std::vector<int> keep;
  for (int32_t id : ids) {
    if (id != kPadId) keep.push_back(id);
  }
  std::string text;
  sp_->Decode(keep, &text).IgnoreError();
  return text;
}

std::string Vocabulary::piece(int32_t id) const {
  if (id < 0 || id >= size()) return "";
  return sp_->IdToPiece(id);
}

}  // namespace bugseek::data
