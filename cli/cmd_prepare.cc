// `bugseek prepare`: corpus folders -> a dataset directory of function shards per split, a
// SentencePiece vocabulary and a manifest. One library call: data::prepare_dataset.
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/prepare_options.h"
#include "common/error.h"
#include "common/log.h"
#include "data/prepare.h"

namespace bugseek::cli {
namespace {

const char* kUsage =
    "usage: bugseek prepare [--corpus DIR...] [--out DATA_DIR] [options]\n"
    "\n"
    "Walks the corpus folders (default: this machine's Python standard library), drops exact\n"
    "duplicate files, keeps near duplicates (token-set Jaccard >= --near-dup) in one split,\n"
    "splits files train/valid/test by a hash of their path, extracts the functions that have bug\n"
    "sites, writes them as shards, and trains a SentencePiece vocabulary on the training split.\n"
    "With --exclude, functions that copy or nearly copy a buggy or fixed function of a real-bug\n"
    "evaluation file are dropped (counted per split; the manifest records the files' CRC-32).\n"
    "Writes DATA_DIR/{manifest.txt,vocab.model,files.tsv,<split>-NNNNN.shard}; prints a summary.\n"
    "Examples:\n"
    "  bugseek prepare --out data\n"
    "  bugseek prepare --corpus /usr/lib/python3.11 --corpus ~/corpora/django --out data --threads 2\n"
    "  bugseek prepare --exclude ../shared/realbugs/dev.jsonl --out data";

}  // namespace

po::options_description prepare_options_group(data::PrepareConfig& cfg) {
  po::options_description group("Data");
  group.add_options()(
      "corpus", po::value(&cfg.corpus)->composing(),
      "folder or file of source code; repeat for several (default: the Python stdlib)")(
      "out,o", po::value(&cfg.out)->default_value(cfg.out), "dataset directory to write")(
      "exclude", po::value(&cfg.exclude)->composing(),
      "real-bug JSON Lines file (buggy_source/fixed_source, as for eval --suite real) to "
      "decontaminate against: functions of any split equal (up to whitespace) or near "
      "(--near-dup) to one of its buggy or fixed functions are dropped; repeat for several")(
      "valid-fraction", po::value(&cfg.split.valid)->default_value(cfg.split.valid),
      "fraction of files in the validation split, by path hash")(
      "test-fraction", po::value(&cfg.split.test)->default_value(cfg.split.test),
      "fraction of files in the test split; train gets the rest")(
      "max-file-bytes", po::value(&cfg.walk.max_file_bytes)->default_value(cfg.walk.max_file_bytes),
      "skip source files larger than this many bytes (0 = no limit)")(
      "near-dup", po::value(&cfg.dedup.near_threshold)->default_value(cfg.dedup.near_threshold),
      "token-set Jaccard similarity from which two files are near duplicates (> 1 = off)")(
      "near-dup-min-tokens", po::value(&cfg.dedup.min_tokens)->default_value(cfg.dedup.min_tokens),
      "files with fewer distinct tokens are only matched as exact copies")(
      "max-function-bytes",
      po::value(&cfg.extract.max_function_bytes)->default_value(cfg.extract.max_function_bytes),
      "drop functions longer than this many bytes (0 = no limit)")(
      "max-function-nodes",
      po::value(&cfg.extract.max_function_nodes)->default_value(cfg.extract.max_function_nodes),
      "drop functions whose graph has more nodes (0 = no limit)")(
      "vocab-size", po::value(&cfg.vocab.vocab_size)->default_value(cfg.vocab.vocab_size),
      "SentencePiece pieces, pad (id 0) and unknown (id 1) included; smaller on small corpora")(
      "vocab-type", po::value(&cfg.vocab.model_type)->default_value(cfg.vocab.model_type),
      "SentencePiece model: unigram or bpe")(
      "vocab-threads", po::value(&cfg.vocab.threads)->default_value(cfg.vocab.threads),
      "SentencePiece training threads (1 = the same model whatever --threads is)")(
      "vocab-max-lines", po::value(&cfg.vocab.max_sentences)->default_value(cfg.vocab.max_sentences),
      "training-split lines (labels of one function) sampled for the vocabulary (0 = all)")(
      "shard-functions", po::value(&cfg.shard_functions)->default_value(cfg.shard_functions),
      "functions per shard file");
  return group;
}

int run_prepare(int argc, char** argv) {
  data::PrepareConfig cfg;
  GeneralOptions general;
  po::options_description visible = general_group(general, true, true);
  visible.add(prepare_options_group(cfg));
  po::options_description hidden;
  po::positional_options_description positional;
  po::variables_map vm;
  if (!parse_command_line(argc, argv, kUsage, visible, hidden, positional, vm, general)) return 0;
  cfg.threads = resolve_threads(general.threads);
  cfg.vocab.seed = general.seed;
  if (cfg.vocab.model_type != "unigram" && cfg.vocab.model_type != "bpe") {
    throw UsageError("--vocab-type must be unigram or bpe, got '" + cfg.vocab.model_type + "'");
  }
  const data::PrepareSummary summary = data::prepare_dataset(cfg);
  std::cout << summary.format_table() << "  dataset                    " << cfg.out << "\n";
  return 0;
}

}  // namespace bugseek::cli
