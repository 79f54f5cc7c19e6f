#include "train/trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "common/checksum.h"
#include "common/error.h"
#include "common/fault.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/log.h"
#include "common/progress.h"
#include "data/dataset.h"
#include "data/featurize.h"
#include "data/node_vocab.h"
#include "data/prepare.h"
#include "data/producer.h"
#include "data/sample.h"
#include "data/vocab.h"
#include "detector/model_file.h"
#include "detector/torch_api.h"
#include "eval/real_bug_file.h"
#include "eval/suites.h"
#include "parser/language.h"
#include "scan/calibrate.h"
#include "selector/policy.h"
#include "selector/wiring.h"
#include "train/checkpoint.h"
#include "train/distributed.h"
#include "train/doctor.h"
#include "train/monitors.h"
#include "train/phases.h"
#include "train/report.h"
#include "train/signals.h"
#include "train/twin_loss.h"
#include "train/validation.h"

namespace bugseek::train {
namespace fs = std::filesystem;

namespace {

constexpr int32_t kMaxNodesPerBatch = 12000;

std::string format_accuracies(const ValidationResult& r) {
  char text[128];
  std::snprintf(text, sizeof text, "val.loss %.3f | no-bug %.2f loc %.2f rep %.2f joint %.2f",
                r.loss, r.no_bug_acc, r.loc_acc, r.repair_acc, r.joint_acc);
  return text;
}

int default_threads(const TrainConfig& config) {
  if (config.threads > 0) return config.threads;
  // Ranks started together on one machine share its cores.
  const char* local = std::getenv("LOCAL_WORLD_SIZE");
  const int sharing = config.dist.distributed() && local != nullptr ? std::max(1, std::atoi(local)) : 1;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / sharing);
}

std::string save_optimizer(torch::optim::Optimizer& optimizer) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

void load_optimizer(torch::optim::Optimizer& optimizer, const std::string& bytes,
                    const torch::Device& device) {
  if (bytes.empty()) return;
  std::istringstream in(bytes);
  torch::serialize::InputArchive archive;
  archive.load_from(in, device);
  optimizer.load(archive);
}

void set_lr(torch::optim::Adam& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
  }
}

// Gradients set to none rather than zero (PyTorch's set_to_none): a parameter the step does not
// reach (a head without candidates in this batch) is then skipped by Adam alike whether the run
// is fresh, long running or just resumed; zeroed gradients would let Adam move it in a long run
// but not right after a resume, and the resumed run would drift from an uninterrupted one.
void clear_gradients(torch::optim::Optimizer& optimizer) {
  for (auto& group : optimizer.param_groups()) {
    for (auto& p : group.params()) p.mutable_grad().reset();
  }
}

double clip_gradients(detector::Detector& model, double max_norm) {
  auto params = detector::parameters(model);
  if (max_norm <= 0) return 0;
  return torch::nn::utils::clip_grad_norm_(params, max_norm);
}

struct StepNumbers {
  std::array<double, 5> phase_s{};  // clean graphs, selector scoring, planting, detector, selector
  double sync_s = 0;  // of the detector phase: the gradients' all-reduce, waiting for the other ranks
  detector::LossOutput det;
  double selector_loss = 0;
  TwinLoss twins;  // the twin ranking loss's numbers (computed even at weight 0, to watch)
  int graphs = 0;
  std::array<int64_t, parser::kNumBugKinds> planted{};
};

class Trainer {
 public:
  explicit Trainer(TrainConfig config) : config_(std::move(config)) {}
  TrainResult run();
  // Loads the data and runs the self-checks; true if all passed.
  bool doctor_only();

 private:
  bool run_doctor_checks();
  void open_run_dir();
  void load_data();
  void check_run_inputs(const fs::path& data_dir) const;
  void load_real_fixes();
  void load_real_data();
  void validate_selector_on_real_bugs();
  void build_models();
  void restore();
  StepNumbers train_step();
  void validate_and_checkpoint(bool final_save);
  void validate_real(const std::vector<LabeledGraph>& set, const std::string& source,
                     const char* type);
  void record_monitors();
  void calibrate_best_model();
  void save_checkpoint(bool is_best);
  void log_step(const StepNumbers& numbers, double graphs_per_s);
  void append_metrics(json::Value record);
  void trim_run_dir_to_checkpoint();
  void join_process_group();
  // The doctor's checks of the production path (train/doctor.h): one real step's data, batch and
  // tensors, the run's artefacts, and a few real training steps (undone afterwards).
  std::vector<DoctorCheck> production_checks();
  DoctorCheck check_learning(const StepBatch& probe);
  // The gradients of `model` averaged over the ranks (each weighted by its sample count); returns
  // the samples of all ranks (0: nothing to step).
  double share_gradients(detector::Detector& model, double samples);
  bool leader() const { return rank_ == 0; }

  TrainConfig config_;
  fs::path run_dir_;
  int threads_ = 1;
  // Data-parallel runs (train/distributed.h): rank 0 alone validates and writes the run directory.
  std::unique_ptr<ProcessGroup> group_;
  int rank_ = 0;
  int world_ = 1;
  const parser::Language* language_ = nullptr;
  std::unique_ptr<data::Vocabulary> vocab_;
  std::unique_ptr<detector::ModelFile> init_model_;  // --init, until its weights are loaded
  std::vector<data::FunctionRecord> train_functions_;
  FunctionSampler sampler_;  // which training function each position draws (--function-weight)
  WeightedDraw real_draw_;   // which real pair each position draws (--real-fixes-mix; empty: alike)
  LrSchedule lr_curve_;      // the detector's learning rate by step (--lr-schedule)
  std::vector<data::FunctionRecord> valid_functions_;
  std::vector<data::FunctionRecord> test_functions_;
  std::vector<std::unique_ptr<data::Featurizer>> featurizers_;
  std::vector<LabeledGraph> valid_set_;
  // --real-fixes: featurized pairs, the buggy graph at 2i and its fixed twin at 2i + 1.
  std::vector<LabeledGraph> real_train_;
  std::vector<LabeledGraph> real_valid_set_;
  // The held-out fixed functions labelled with their authors' bugs: how close the selector's
  // proposals come to the bugs people make. With the log-likelihood and first-choice rate of
  // proposing uniformly over each function's rewrites, for comparison.
  std::vector<LabeledGraph> real_valid_plants_;
  double uniform_plant_loss_ = 0, uniform_plant_first_ = 0;
  // --real-data: real-bug files watched at each validation (rank 0), with their display names.
  std::vector<std::pair<std::string, std::vector<LabeledGraph>>> real_data_sets_;

  std::unique_ptr<detector::Detector> detector_;
  std::unique_ptr<detector::Detector> selector_;  // null for the random baseline
  std::unique_ptr<torch::optim::Adam> detector_optim_;
  std::unique_ptr<torch::optim::Adam> selector_optim_;
  std::unique_ptr<ParameterMonitor> monitor_;  // from the start of training on
  MonitorAlarms alarms_;

  Progress progress_;
  ReportHistory history_;
  std::chrono::steady_clock::time_point invocation_start_;
  double elapsed_at_start_ = 0;
};

void Trainer::open_run_dir() {
  if (config_.out.empty()) config_.out = new_run_dir_name();
  run_dir_ = config_.out;
  if (!config_.resume && fs::exists(run_dir_ / kStateFileName)) {
    throw UsageError(run_dir_.string() + " already holds a run; use --resume or another --out");
  }
  fs::create_directories(run_dir_);
  if (!config_.resume && leader()) {
    // Leftovers of an attempt killed before its first checkpoint: this run starts them anew.
    remove_stale_temp_files(run_dir_);
    fs::remove(run_dir_ / "metrics.jsonl");
    write_file_atomic(run_dir_ / "config.ini", config_to_text(config_));
  }
  log_info("train", "run directory ", run_dir_.string());
}

// The run's vocabulary and dataset manifest, recorded by a fresh run and checked by --resume
// (train/checkpoint.h). Ranks other than 0 only check.
void Trainer::check_run_inputs(const fs::path& data_dir) const {
  if (run_dir_.empty()) return;
  if (!config_.resume && !leader()) return;
  const std::string vocab_source = fs::exists(run_dir_ / kInitVocabName)
                                       ? (run_dir_ / kInitVocabName).string()
                                       : data_dir.string();
  record_or_check_run_inputs(run_dir_, config_.resume, vocab_->bytes(),
                             read_file(data_dir / data::kManifestName), vocab_source,
                             data_dir.string());
}

void Trainer::load_data() {
  fs::path data_dir = config_.data;
  if (!fs::exists(data_dir / data::kManifestName) && !leader()) {
    throw Error("rank " + std::to_string(rank_) + ": no dataset in " + data_dir.string() +
                "; prepare it before a distributed run (bugseek prepare, or --nproc does)");
  }
  prepare_dataset_if_missing(config_);
  data::Manifest manifest = data::read_manifest(data_dir);
  // A warm-started run reads code with its model's vocabulary, kept in the run directory so that
  // --resume finds it again; other runs use the dataset's.
  const fs::path run_vocab = run_dir_.empty() ? fs::path() : run_dir_ / kInitVocabName;
  if (!config_.resume && !config_.init.empty()) {
    init_model_ = std::make_unique<detector::ModelFile>(detector::load_model_file(config_.init));
    if (!run_vocab.empty() && leader()) write_file_atomic(run_vocab, init_model_->vocab_model);
    vocab_ = std::make_unique<data::Vocabulary>(
        data::Vocabulary::from_bytes(init_model_->vocab_model));
    log_info("train", "vocabulary of the warm-start model ", config_.init,
             "; the dataset's own is not used");
  } else if (!run_vocab.empty() && fs::exists(run_vocab)) {
    vocab_ = std::make_unique<data::Vocabulary>(data::Vocabulary::from_bytes(read_file(run_vocab)));
    log_info("train", "vocabulary of the warm-start model (", run_vocab.string(), ")");
  } else {
    vocab_ = std::make_unique<data::Vocabulary>(
        data::Vocabulary::from_bytes(data::load_vocab_model(data_dir, manifest)));
  }
  check_run_inputs(data_dir);
  train_functions_ = data::load_functions(data_dir, manifest, data::Split::kTrain);
  valid_functions_ = data::load_functions(data_dir, manifest, data::Split::kValid);
  if (test_fault("split-leak")) {  // a planted pipeline bug for the doctor's tests
    valid_functions_.insert(valid_functions_.end(), train_functions_.begin(),
                            train_functions_.begin() + std::min<size_t>(train_functions_.size(), 5));
  }
  test_functions_ = data::load_functions(data_dir, manifest, data::Split::kTest);
  if (train_functions_.empty()) {
    throw Error("dataset " + data_dir.string() + " has no training functions");
  }
  sampler_ = FunctionSampler(train_functions_, config_.function_weight);
  lr_curve_ = config_.lr_curve();
  language_ = parser::find_language(train_functions_.front().language);
  if (language_ == nullptr) throw Error("dataset language is not compiled into this bugseek");
  if (init_model_ && init_model_->language != language_->name) {
    throw UsageError("--init " + config_.init + " reads " + init_model_->language +
                     ", the dataset is " + language_->name);
  }
  for (int t = 0; t < threads_; ++t) {
    featurizers_.push_back(std::make_unique<data::Featurizer>(*vocab_, *language_));
  }
  if (leader()) {
    valid_set_ = make_validation_set(valid_functions_, config_.valid_functions, config_.seed,
                                     config_.max_nodes, *featurizers_[0]);
  }
  log_info("train", train_functions_.size(), " training functions, ", valid_functions_.size(),
           " validation functions (", valid_set_.size(), " validation graphs)");
  load_real_fixes();
  load_real_data();
}

void Trainer::load_real_data() {
  if (!leader()) return;
  eval::SuiteOptions options;
  options.threads = threads_;
  for (const std::string& file : config_.real_data) {
    eval::SuiteSamples samples =
        eval::make_real_samples(eval::read_real_bug_pairs(file), *vocab_, language_->name, options);
    std::vector<LabeledGraph> set;
    for (eval::LabeledSample& s : samples.samples) {
      const bool buggy = s.features.target_site >= 0;
      set.push_back({std::move(s.features), buggy ? s.kind : -1});
    }
    if (set.empty()) throw Error("--real-data " + file + ": no pair could be used");
    log_info("train", "real bugs watched at each validation: ", set.size() / 2, " pairs of ", file,
             " (", samples.skipped.size(), " unmatched)");
    real_data_sets_.emplace_back("real bugs (" + fs::path(file).filename().string() + ")",
                                 std::move(set));
  }
}

void Trainer::load_real_fixes() {
  if (config_.real_fixes.empty()) return;
  std::vector<eval::RealBugPair> train_pairs, valid_pairs;
  std::set<std::string> train_repos, valid_repos;
  for (const std::string& file : config_.real_fixes) {
    for (eval::RealBugPair& pair : eval::read_real_bug_pairs(file)) {
      // Held out by repository, so validation measures fixes from projects never trained on.
      const std::string repo = pair.repo.empty() ? file + ":" + pair.id : pair.repo;
      const bool valid = (crc32(repo) % 10000) < config_.real_fixes_valid * 10000;
      (valid ? valid_repos : train_repos).insert(repo);
      (valid ? valid_pairs : train_pairs).push_back(std::move(pair));
    }
  }
  eval::SuiteOptions options;
  options.threads = threads_;
  auto featurize = [&](const std::vector<eval::RealBugPair>& pairs,
                       std::vector<LabeledGraph>& out) {
    eval::SuiteSamples samples = eval::make_real_samples(pairs, *vocab_, language_->name, options);
    size_t too_large = 0;
    for (size_t i = 0; i + 1 < samples.samples.size(); i += 2) {
      eval::LabeledSample& buggy = samples.samples[i];
      eval::LabeledSample& fixed = samples.samples[i + 1];
      const auto nodes = static_cast<uint32_t>(
          std::max(buggy.features.num_nodes, fixed.features.num_nodes));
      if (config_.max_nodes > 0 && nodes > config_.max_nodes) {
        ++too_large;
        continue;
      }
      const int32_t site = twin_site(buggy.features, fixed.features);
      out.push_back({std::move(buggy.features), buggy.kind, site});
      out.push_back({std::move(fixed.features), -1, -1, fixed.plant});
    }
    return std::make_pair(samples.skipped.size(), too_large);
  };
  const auto [train_skipped, train_large] = featurize(train_pairs, real_train_);
  if (!leader()) valid_pairs.clear();  // rank 0 alone validates
  const auto [valid_skipped, valid_large] = featurize(valid_pairs, real_valid_set_);
  for (size_t i = 1; i < real_valid_set_.size(); i += 2) {
    const LabeledGraph& fixed = real_valid_set_[i];
    if (fixed.plant < 0) continue;
    real_valid_plants_.push_back(
        {selector::bug_target(fixed.features, fixed.plant), real_valid_set_[i - 1].kind});
    const double rewrites = static_cast<double>(fixed.features.cand_site.size());
    uniform_plant_loss_ += std::log(rewrites);
    uniform_plant_first_ += 1 / rewrites;
  }
  if (!real_valid_plants_.empty()) {
    uniform_plant_loss_ /= static_cast<double>(real_valid_plants_.size());
    uniform_plant_first_ /= static_cast<double>(real_valid_plants_.size());
  }
  log_info("train", "real fixes: ", real_train_.size() / 2, " training pairs from ",
           train_repos.size(), " repositories, ", real_valid_set_.size() / 2,
           " validation pairs from ", valid_repos.size(), " others (", train_skipped + valid_skipped,
           " unmatched, ", train_large + valid_large, " over --max-nodes)");
  if (real_train_.empty()) {
    throw Error("--real-fixes: no usable training pair in " + config_.real_fixes.front() +
                (config_.real_fixes.size() > 1 ? " and the other files" : ""));
  }
  // --real-fixes-mix: pairs drawn with the mix's kind shares instead of each alike.
  const std::vector<double> mix = config_.real_fix_kind_mix();
  if (!mix.empty()) {
    std::vector<int32_t> kinds;
    for (size_t i = 0; i < real_train_.size(); i += 2) kinds.push_back(real_train_[i].kind);
    const std::vector<double> weights = kind_mix_weights(kinds, mix);
    if (std::none_of(weights.begin(), weights.end(), [](double w) { return w > 0; })) {
      throw Error("--real-fixes-mix '" + config_.real_fixes_mix +
                  "' gives no weight to the kinds of the training pairs");
    }
    real_draw_ = WeightedDraw(weights);
  }
}

void Trainer::build_models() {
  auto device = detector::device_from_name(config_.device);
  auto det_config = config_.detector_config();
  det_config.subtoken_vocab = vocab_->size();
  det_config.node_type_vocab = featurizers_[0]->node_type_vocab_size();
  det_config.text_vocab = data::text_vocab_size();
  if (init_model_) {
    // The weights fix the shapes; training settings such as dropout stay this run's.
    const double dropout = det_config.dropout;
    det_config = init_model_->config;
    det_config.dropout = dropout;
    if (det_config.subtoken_vocab != vocab_->size() ||
        det_config.node_type_vocab != featurizers_[0]->node_type_vocab_size() ||
        det_config.text_vocab != data::text_vocab_size()) {
      throw Error("--init " + config_.init + ": its vocabulary sizes do not match its own "
                  "vocabulary or this bugseek's node types (a model from another version?)");
    }
  }
  detector_ = std::make_unique<detector::Detector>(det_config, config_.seed, device);
  if (init_model_) {
    detector_->load_weights(init_model_->weights);
    log_info("train", "warm start from ", config_.init, " (step ",
             init_model_->info.count("step") ? init_model_->info.at("step") : "?",
             " of its run); fresh optimizer");
    init_model_.reset();
  }
  std::vector<at::Tensor> trained = detector::parameters(*detector_);
  if (test_fault("optimizer-skips-heads")) {  // a planted pipeline bug for the doctor's tests
    trained.clear();
    for (auto& [name, p] : detector::named_parameters(*detector_)) {
      if (name.rfind("heads.", 0) != 0) trained.push_back(p);
    }
  }
  detector_optim_ =
      std::make_unique<torch::optim::Adam>(trained, torch::optim::AdamOptions(config_.lr));
  if (config_.mode() == SelectorMode::kLearned) {
    auto sel_config = config_.selector_config();
    sel_config.subtoken_vocab = det_config.subtoken_vocab;
    sel_config.node_type_vocab = det_config.node_type_vocab;
    sel_config.text_vocab = det_config.text_vocab;
    selector_ = std::make_unique<detector::Detector>(sel_config, mix_seed(config_.seed, 7), device);
    selector_optim_ = std::make_unique<torch::optim::Adam>(
        detector::parameters(*selector_), torch::optim::AdamOptions(config_.selector_lr));
  }
  log_info("train", "detector: ", detector::family_name(det_config.family), " hidden ",
           det_config.hidden, " layers ", det_config.layers, " (", detector_->num_parameters(),
           " parameters) on ", detector_->device_name(), "; selector: ",
           selector_ ? "learned (" + std::to_string(selector_->num_parameters()) + " parameters)"
                     : std::string("random"));
}

void Trainer::restore() {
  fs::path path = run_dir_ / kStateFileName;
  if (!config_.resume) return;
  if (!fs::exists(path)) throw UsageError("nothing to resume: " + path.string() + " is missing");
  TrainState state = load_state(path);
  progress_ = state.progress;
  if (leader()) trim_run_dir_to_checkpoint();
  detector_->load_weights(state.detector_weights);
  load_optimizer(*detector_optim_, state.detector_optimizer, detector::device_of(*detector_));
  if (selector_) {
    if (state.selector_weights.empty()) throw Error("the run to resume used the random selector");
    selector_->load_weights(state.selector_weights);
    load_optimizer(*selector_optim_, state.selector_optimizer, detector::device_of(*selector_));
  }
  history_ = ReportHistory::from_text(state.history);
  log_info("train", "resumed at step ", progress_.step, " (", format_duration(progress_.elapsed_s),
           " trained so far)");
}

StepNumbers Trainer::train_step() {
  const uint64_t step = progress_.step;
  const auto n = static_cast<size_t>(config_.functions_per_step);
  StepNumbers numbers;
  auto mark = std::chrono::steady_clock::now();
  auto lap = [&](int phase) {
    auto now = std::chrono::steady_clock::now();
    numbers.phase_s[phase] = std::chrono::duration<double>(now - mark).count();
    mark = now;
  };
  PhaseContext context;
  context.seed = config_.seed;
  context.max_nodes = config_.max_nodes;
  context.threads = threads_;
  context.featurizers = &featurizers_;
  context.sampler = &sampler_;

  // Real fixes: a seeded order over epochs, derived from the step so --resume draws the same.
  // Each rank draws its own per_step pairs; every rank knows every rank's draw.
  const size_t real_pairs = real_train_.size() / 2;
  const auto per_step = static_cast<uint64_t>(config_.real_fixes_per_step);
  const uint64_t real_seed = mix_seed(config_.seed, 0x7265616cULL);
  auto real_pairs_of = [&](int rank) {
    std::vector<size_t> pairs;
    for (uint64_t j = 0; real_pairs > 0 && j < per_step; ++j) {
      const uint64_t position = (step * world_ + static_cast<uint64_t>(rank)) * per_step + j;
      pairs.push_back(real_draw_.empty()
                          ? data::BatchProducer::function_index(position, real_pairs, real_seed, true)
                          : real_draw_.index(position, real_seed, 0x6b696e64ULL));
    }
    return pairs;
  };

  // 1-3 (train/phases.h). With several ranks, the step takes world * n functions and each rank
  // trains on a share of them with about the same work (nodes, real fixes included): together
  // they see what one process with world * n would, and no rank waits long for another at the
  // all-reduce.
  StepData data;
  if (world_ > 1) {
    data = take_clean_functions(train_functions_, progress_.cursor, n * static_cast<size_t>(world_),
                                context);
    const int bugs_per_function = config_.policy().samples_per_function;
    std::vector<double> costs, loads;
    for (const data::Sample& clean : data.clean) costs.push_back(training_cost(clean, bugs_per_function));
    for (int r = 0; r < world_; ++r) {
      double load = 0;
      for (size_t pair : real_pairs_of(r)) {
        load += real_train_[2 * pair].features.num_nodes + real_train_[2 * pair + 1].features.num_nodes;
      }
      loads.push_back(load);
    }
    keep_functions(data, balanced_share(costs, loads, rank_));
  } else {
    data = take_clean_functions(train_functions_, progress_.cursor, n, context);
  }
  lap(0);
  choose_bugs(data, selector_.get(), config_.policy(), kMaxNodesPerBatch, context);
  lap(1);
  plant_bugs(data, context);
  lap(2);
  progress_.cursor += n * static_cast<uint64_t>(world_);

  // 4. Detector step on the clean functions, their buggy versions and the step's real fixes.
  StepBatch step_batch = assemble_batch(data);
  numbers.planted = step_batch.planted;
  for (size_t pair : real_pairs_of(rank_)) {
    const LabeledGraph& buggy = real_train_[2 * pair];
    if (buggy.twin_site >= 0) {
      step_batch.twins.push_back(
          {step_batch.batch.num_graphs, step_batch.batch.num_graphs + 1, buggy.twin_site});
    }
    append_graph(step_batch, buggy.features);
    append_graph(step_batch, real_train_[2 * pair + 1].features);
  }
  const data::Batch& batch = step_batch.batch;
  const std::vector<int>& graph_of_job = step_batch.graph_of_job;
  // With several ranks, each steps even with an empty batch: the all-reduce needs them all.
  if (batch.num_graphs == 0 && !group_) return numbers;

  const double lr_scale =
      config_.warmup_steps > 0 ? std::min(1.0, double(step + 1) / config_.warmup_steps) : 1.0;
  const double detector_lr = config_.lr * lr_curve_.scale(step);
  // Dropout depends on the step (and rank) alone, so --resume draws the same masks.
  torch::manual_seed(group_ ? mix_seed(mix_seed(config_.seed, step), rank_)
                            : mix_seed(config_.seed, step));
  detector_->set_training(true);
  set_lr(*detector_optim_, detector_lr);
  clear_gradients(*detector_optim_);
  detector::ForwardOutput out;
  if (batch.num_graphs > 0) {
    out = detector::forward(*detector_, batch);
    numbers.twins = twin_ranking_loss(out.site_logp, batch, step_batch.twins);
    at::Tensor loss = out.loss;
    if (config_.pair_weight > 0 && numbers.twins.count > 0) {
      loss = loss + config_.pair_weight * numbers.twins.loss;
    }
    loss.backward();
  }
  const auto sync_start = std::chrono::steady_clock::now();
  numbers.graphs = static_cast<int>(share_gradients(*detector_, batch.num_graphs));
  numbers.sync_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - sync_start).count();
  if (numbers.graphs > 0) {
    if (monitor_) monitor_->record_gradients();
    clip_gradients(*detector_, config_.grad_clip);
    if (!test_fault("no-optimizer-step")) detector_optim_->step();
  }
  numbers.det = out.metrics;
  lap(3);

  // 5. Selector step: each function's clean graph, labelled with the bug the detector found
  // hardest, and/or each real pair's fixed function labelled with the bug its author made
  // (--selector-target; selector/wiring.h).
  if (selector_) {
    const selector::SelectorTarget target_kind = config_.selector_target_kind();
    std::vector<data::GraphFeatures> targets;
    if (selector::learns_real_bugs(target_kind)) {
      for (size_t pair : real_pairs_of(rank_)) {
        const LabeledGraph& fixed = real_train_[2 * pair + 1];
        if (fixed.plant >= 0) targets.push_back(selector::bug_target(fixed.features, fixed.plant));
      }
    }
    if (selector::learns_hardest(target_kind)) {
      for (size_t i : data.usable) {
        std::vector<selector::PlantedOutcome> planted;
        for (size_t j = 0; j < data.jobs.size(); ++j) {
          if (data.jobs[j].function != i || graph_of_job[j] < 0) continue;
          planted.push_back({data.jobs[j].rewrite, out.metrics.log_prob_correct[graph_of_job[j]]});
        }
        if (auto target = selector::hardest_bug_target(data.clean[i].features, planted)) {
          targets.push_back(std::move(*target));
        }
      }
    }
    if (!targets.empty() || group_) {
      selector_->set_training(true);
      set_lr(*selector_optim_, config_.selector_lr * lr_scale);
      clear_gradients(*selector_optim_);
      if (!targets.empty()) {
        data::Batch selector_batch;
        for (const auto& t : targets) data::append_to_batch(selector_batch, t);
        detector::ForwardOutput sel = detector::forward(*selector_, selector_batch);
        sel.loss.backward();
        numbers.selector_loss = sel.metrics.loss;
      }
      if (share_gradients(*selector_, static_cast<double>(targets.size())) > 0) {
        clip_gradients(*selector_, config_.grad_clip);
        selector_optim_->step();
      }
    }
  }
  lap(4);
  return numbers;
}

double Trainer::share_gradients(detector::Detector& model, double samples) {
  return group_ ? group_->average_gradients(model, samples) : samples;
}

void Trainer::join_process_group() {
  if (!config_.dist.distributed()) return;
  group_ = ProcessGroup::connect(config_.dist);
  // Same seed, same start, so the weights already agree; this makes sure of it.
  group_->broadcast_parameters(*detector_);
  if (selector_) group_->broadcast_parameters(*selector_);
}

void Trainer::append_metrics(json::Value record) {
  append_file(run_dir_ / "metrics.jsonl", json::dump(record) + "\n");
}

// After a kill, the run continues from its last checkpoint: metrics.jsonl loses the records of
// the steps that will be trained again (and a line torn by the kill), and temporary files of
// writes the kill cut short go.
void Trainer::trim_run_dir_to_checkpoint() {
  const int stale = remove_stale_temp_files(run_dir_);
  if (stale > 0) log_info("train", "removed ", stale, " temporary file(s) of an interrupted write");
  const fs::path metrics = run_dir_ / "metrics.jsonl";
  if (!fs::exists(metrics)) return;
  std::istringstream in(read_file(metrics));
  std::string kept;
  int dropped = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    try {
      const json::Value record = json::parse(line);
      if (record.at("step").as_int() <= static_cast<int64_t>(progress_.step)) {
        kept += line + "\n";
        continue;
      }
    } catch (const std::exception&) {
      // a torn or foreign line: dropped with the others
    }
    ++dropped;
  }
  if (dropped == 0) return;
  write_file_atomic(metrics, kept);
  log_info("train", "metrics.jsonl: dropped ", dropped, " record(s) after the checkpoint's step ",
           progress_.step);
}

void Trainer::log_step(const StepNumbers& s, double graphs_per_s) {
  const double elapsed = progress_.elapsed_s;
  std::string left;
  if (config_.max_time > 0) {
    double used = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                 invocation_start_).count();
    left = " (left " + format_duration(config_.max_time - used) + ")";
  }
  char twins[48] = "";
  if (s.twins.count > 0) std::snprintf(twins, sizeof twins, " twins %.2f", s.twins.ordered);
  char line[512];
  std::snprintf(line, sizeof line,
                "step %llu | det.loss %.3f sel.loss %.3f | no-bug %.2f loc %.2f rep %.2f joint %.2f%s "
                "| %.0f graphs/s | lr %.1e | %s%s",
                static_cast<unsigned long long>(progress_.step), s.det.loss, s.selector_loss,
                s.det.no_bug_acc, s.det.loc_acc, s.det.repair_acc, s.det.joint_acc, twins, graphs_per_s,
                config_.lr * lr_curve_.scale(progress_.step > 0 ? progress_.step - 1 : 0),
                format_duration(elapsed).c_str(), left.c_str());
  log_info("train", line);
  log_debug("train", "last step: ", s.graphs, " graphs, ", s.det.num_graphs, " in detector; seconds: clean ",
            s.phase_s[0], " select ", s.phase_s[1], " plant ", s.phase_s[2], " detector ",
            s.phase_s[3], " (all-reduce ", s.sync_s, ") selector ", s.phase_s[4]);
}

void Trainer::save_checkpoint(bool is_best) {
  detector::ModelFile model;
  model.config = detector_->config();
  model.vocab_model = vocab_->bytes();
  model.language = language_->name;
  model.grammar_version = language_->grammar_version;
  model.weights = detector_->save_weights();
  model.info["step"] = std::to_string(progress_.step);
  model.info["selector"] = config_.selector_mode;
  model.info["run_dir"] = run_dir_.string();
  model.info["best_valid_overall"] = std::to_string(progress_.best_overall);
  model.info["trained_seconds"] = std::to_string(progress_.elapsed_s);
  model.info["graphs_seen"] = std::to_string(progress_.graphs_seen);
  model.info["kind_mix"] = config_.kind_mix;
  if (!config_.init.empty()) model.info["warm_start"] = config_.init;
  detector::save_model_file(run_dir_ / "model-latest.bugseek", model);
  if (is_best) detector::save_model_file(run_dir_ / "model-best.bugseek", model);
  if (config_.keep_snapshots > 0) {
    detector::save_model_file(run_dir_ / ("model-step" + std::to_string(progress_.step) + ".bugseek"),
                              model);
    std::vector<fs::path> snapshots;
    for (const auto& e : fs::directory_iterator(run_dir_)) {
      const std::string name = e.path().filename().string();
      if (name.rfind("model-step", 0) == 0 && e.path().extension() == ".bugseek") {
        snapshots.push_back(e.path());
      }
    }
    std::sort(snapshots.begin(), snapshots.end(), [](const fs::path& a, const fs::path& b) {
      auto num = [](const fs::path& p) { return std::stoull(p.stem().string().substr(10)); };
      return num(a) < num(b);
    });
    while (snapshots.size() > static_cast<size_t>(config_.keep_snapshots)) {
      fs::remove(snapshots.front());
      snapshots.erase(snapshots.begin());
    }
  }

  TrainState state;
  state.config_text = config_to_text(config_);
  state.progress = progress_;
  state.detector_weights = model.weights;
  state.detector_optimizer = save_optimizer(*detector_optim_);
  if (selector_) {
    state.selector_weights = selector_->save_weights();
    state.selector_optimizer = save_optimizer(*selector_optim_);
  }
  state.history = history_.to_text();
  save_state(run_dir_ / kStateFileName, state);
}

// The finished run's best model gets the threshold `scan` uses by default: the score that flags
// at most 1 in 200 of the validation split's clean functions (scan::calibrate_model_file, as
// `bugseek calibrate` does). A failure costs the threshold, not the run: scan then uses 0.5.
void Trainer::calibrate_best_model() {
  const fs::path best = run_dir_ / "model-best.bugseek";
  if (run_dir_.empty() || !fs::exists(best)) return;
  scan::CalibrateOptions options;
  options.data = config_.data;
  options.scan.threads = std::max(1, threads_);
  options.scan.progress = false;
  try {
    const scan::CalibrateResult r = scan::calibrate_model_file(best, options);
    log_info("train", "calibrated ", best.string(), ": threshold ", r.calibration.threshold,
             " flags ", detector::describe_rate(r.calibration.false_alarm_rate), " of ",
             r.calibration.functions, " clean validation functions");
  } catch (const std::exception& e) {
    log_warn("train", "could not calibrate ", best.string(), " (", e.what(),
             "); scan will use threshold 0.5 until `bugseek calibrate` is run on it");
  }
}

// Real bugs scored beside the planted ones: a [valid] line, a metrics.jsonl record of `type`, and
// the report's curve for `source`.
void Trainer::validate_real(const std::vector<LabeledGraph>& set, const std::string& source,
                            const char* type) {
  const ValidationResult r = validate(*detector_, set, kMaxNodesPerBatch);
  log_info("valid", str_cat("step ", progress_.step, " | ", source, ", ", r.buggy, " pairs | ",
                            format_accuracies(r)));
  json::Value record = json::Value::object();
  record.set("type", type);
  record.set("source", source);
  record.set("step", progress_.step);
  record.set("pairs", r.buggy);
  record.set("loss", r.loss);
  record.set("no_bug_acc", r.no_bug_acc);
  record.set("loc_acc", r.loc_acc);
  record.set("repair_acc", r.repair_acc);
  record.set("joint_acc", r.joint_acc);
  append_metrics(record);
  history_.add_real_validation(progress_.step, r, source);
}

// The selector on the held-out real fixes: does it propose the bugs people made? Its first
// choice (site and rewrite) and log-likelihood of each author's bug, against proposing uniformly.
void Trainer::validate_selector_on_real_bugs() {
  const ValidationResult r = validate(*selector_, real_valid_plants_, kMaxNodesPerBatch);
  char line[256];
  std::snprintf(line, sizeof line,
                "step %llu | selector on held-out real fixes, %lld bugs | proposes the real bug "
                "first %.1f%% (uniform %.1f%%) | loss %.3f (uniform %.3f)",
                static_cast<unsigned long long>(progress_.step), static_cast<long long>(r.buggy),
                100 * r.joint_acc, 100 * uniform_plant_first_, r.loss, uniform_plant_loss_);
  log_info("valid", line);
  json::Value record = json::Value::object();
  record.set("type", "valid_selector_real");
  record.set("step", progress_.step);
  record.set("bugs", r.buggy);
  record.set("loss", r.loss);
  record.set("first_acc", r.joint_acc);
  record.set("site_acc", r.loc_acc);
  record.set("uniform_loss", uniform_plant_loss_);
  record.set("uniform_first_acc", uniform_plant_first_);
  append_metrics(record);
}

void Trainer::validate_and_checkpoint(bool final_save) {
  ValidationResult v = validate(*detector_, valid_set_, kMaxNodesPerBatch);
  const double score = v.overall_acc;
  const bool is_best = score > progress_.best_overall;
  if (is_best) {
    progress_.best_overall = score;
    progress_.best_step = progress_.step;
    progress_.stalls = 0;
  } else {
    ++progress_.stalls;
  }
  char line[256];
  std::snprintf(line, sizeof line,
                "step %llu | val.loss %.3f | no-bug %.2f loc %.2f rep %.2f joint %.2f | "
                "overall %.3f | %s",
                static_cast<unsigned long long>(progress_.step), v.loss, v.no_bug_acc, v.loc_acc,
                v.repair_acc, v.joint_acc, score,
                is_best ? "new best"
                        : ("stalled " + std::to_string(progress_.stalls) + "/" +
                           std::to_string(config_.patience))
                              .c_str());
  log_info("valid", line);

  json::Value record = json::Value::object();
  record.set("type", "valid");
  record.set("step", progress_.step);
  record.set("loss", v.loss);
  record.set("no_bug_acc", v.no_bug_acc);
  record.set("loc_acc", v.loc_acc);
  record.set("repair_acc", v.repair_acc);
  record.set("joint_acc", v.joint_acc);
  record.set("overall_acc", v.overall_acc);
  json::Value kinds = json::Value::object();
  for (int k = 0; k < parser::kNumBugKinds; ++k) {
    const KindCounts& c = v.by_kind[k];
    if (c.buggy == 0) continue;
    json::Value kind = json::Value::object();
    kind.set("buggy", c.buggy);
    kind.set("loc_acc", double(c.localized) / c.buggy);
    kind.set("repair_acc", double(c.repaired_at_true) / c.buggy);
    kind.set("joint_acc", double(c.joint) / c.buggy);
    kinds.set(parser::bug_kind_name(static_cast<parser::BugKind>(k)), std::move(kind));
  }
  record.set("by_kind", std::move(kinds));
  append_metrics(record);
  if (!real_valid_set_.empty()) {
    validate_real(real_valid_set_, "real fixes (held out)", "valid_real");
  }
  for (const auto& [name, set] : real_data_sets_) validate_real(set, name, "valid_real_data");
  if (selector_ && !real_valid_plants_.empty()) validate_selector_on_real_bugs();
  history_.add_validation(progress_.step, v);
  record_monitors();
  save_checkpoint(is_best);
  std::vector<eval::NamedHistogram> histograms = weight_histograms(*detector_, 30);
  std::vector<std::pair<std::string, std::string>> facts = {
      {"run", run_dir_.string()},
      {"step", std::to_string(progress_.step)},
      {"trained", format_duration(progress_.elapsed_s)},
      {"detector", std::string(detector::family_name(detector_->config().family)) + ", hidden " +
                       std::to_string(detector_->config().hidden) + ", " +
                       std::to_string(detector_->config().layers) + " layers"},
      {"selector", config_.selector_mode},
      {"best overall validation accuracy", std::to_string(progress_.best_overall) + " at step " +
                                               std::to_string(progress_.best_step)},
  };
  write_run_report(run_dir_ / "report.html", history_, std::move(histograms), std::move(facts));
  (void)final_save;
}

// The monitors of this validation (train/monitors.h): metrics.jsonl, warnings, the report.
void Trainer::record_monitors() {
  if (!monitor_) return;
  MonitorSnapshot m = monitor_->measure(progress_.step);
  std::vector<const data::GraphFeatures*> graphs;
  for (const auto& g : valid_set_) graphs.push_back(&g.features);
  const std::vector<data::Batch> batches = pack_batches(graphs, kMaxNodesPerBatch);
  if (!batches.empty()) m.activations = detector::activation_stats(*detector_, batches.front());
  append_metrics(monitor_record(m));
  log_info("monitor", monitor_summary(m));
  for (const std::string& warning : alarms_.check(m, history_.validations)) {
    log_warn("monitor", warning);
  }
  std::vector<std::pair<std::string, double>> ratios;
  for (const TensorMonitor& t : m.tensors) {
    if (t.dims >= 2) ratios.emplace_back(t.name, t.update_ratio);  // the weight matrices
  }
  history_.add_monitor(m.step, m.steps_since, ratios, std::move(m.activations));
}

std::vector<DoctorCheck> Trainer::production_checks() {
  std::vector<DoctorCheck> checks;
  PhaseContext context;
  context.seed = config_.seed;
  context.max_nodes = config_.max_nodes;
  context.threads = threads_;
  context.featurizers = &featurizers_;
  context.sampler = &sampler_;
  // What the first training steps draw and build, through the same phases (as one process does): at
  // least 32 functions for the labels and inputs, and exactly the first step for learning.
  auto draw = [&](size_t n) {
    StepData data = take_clean_functions(train_functions_, progress_.cursor, n, context);
    choose_bugs(data, selector_.get(), config_.policy(), kMaxNodesPerBatch, context);
    plant_bugs(data, context);
    return data;
  };
  const auto n = static_cast<size_t>(config_.functions_per_step);
  const StepData wide = draw(std::max<size_t>(n, 32));
  const StepBatch wide_batch = assemble_batch(wide);
  checks.push_back(guarded_check("labels (the production step's targets)", [&] {
    return check_step_labels(wide, wide_batch, config_.max_nodes);
  }));
  checks.push_back(guarded_check("graphs (the production step's buggy vs clean)", [&] {
    return check_step_graphs(wide, wide_batch, config_.max_nodes, *featurizers_[0]);
  }));
  checks.push_back(guarded_check("inputs (the production batch and its tensors)", [&] {
    return check_step_inputs(wide_batch, detector_->config());
  }));
  checks.push_back(check_run_artefacts(vocab_->bytes(),
                                       read_file(fs::path(config_.data) / data::kManifestName)));
  const StepData first = draw(n);
  checks.push_back(guarded_check("learning (real training steps)",
                                 [&] { return check_learning(assemble_batch(first)); }));
  return checks;
}

// A few real training steps (train_step: its batch builder, parameter list, optimizer, clipping
// and selector step) at the full learning rate, then every parameter tensor must have moved by
// a sane amount per step and the loss on the first step's batch must have fallen. The models,
// optimizers and progress are put back afterwards, so training starts as if this never ran.
DoctorCheck Trainer::check_learning(const StepBatch& probe) {
  DoctorCheck check{"learning (real training steps)", false, ""};
  constexpr int kSteps = 6;
  const Progress saved_progress = progress_;
  const std::string det_weights = detector_->save_weights();
  const std::string det_optim = save_optimizer(*detector_optim_);
  const std::string sel_weights = selector_ ? selector_->save_weights() : "";
  const std::string sel_optim = selector_ ? save_optimizer(*selector_optim_) : "";
  auto snapshot = [](detector::Detector& model) {
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (auto& [name, p] : detector::named_parameters(model)) {
      out.emplace_back(name, p.detach().clone());
    }
    return out;
  };
  const auto det_before = snapshot(*detector_);
  const auto sel_before = selector_ ? snapshot(*selector_) : decltype(det_before){};
  const double loss_before = detector_->evaluate(probe.batch).loss;
  progress_.step = static_cast<uint64_t>(std::max(config_.warmup_steps, 0));  // full rate
  // Which tensors the steps' losses reached: a head without candidates of its kind in these
  // batches gets no gradient and rightly stays put (the gradient check covers every head).
  std::set<std::string> reached;
  auto note_gradients = [&reached](detector::Detector& model, const std::string& prefix) {
    for (auto& [name, p] : detector::named_parameters(model)) {
      if (p.grad().defined() && p.grad().abs().sum().item<double>() > 0) reached.insert(prefix + name);
    }
  };
  for (int i = 0; i < kSteps; ++i) {
    train_step();
    ++progress_.step;
    note_gradients(*detector_, "");
    if (selector_) note_gradients(*selector_, "selector.");
  }
  const double loss_after = detector_->evaluate(probe.batch).loss;

  std::vector<std::string> frozen, exploding, unreached;
  double lowest = 1e30, highest = 0;
  auto measure = [&](detector::Detector& model, const decltype(det_before)& before,
                     const std::string& prefix) {
    size_t i = 0;
    for (auto& [name, p] : detector::named_parameters(model)) {
      const at::Tensor& was = before[i++].second;
      const double moved = (p.detach() - was).norm().item<double>();
      const double scale = was.norm().item<double>();
      if (!std::isfinite(moved) || (moved == 0.0 && reached.count(prefix + name) > 0)) {
        frozen.push_back(prefix + name);
        continue;
      }
      if (moved == 0.0) {
        unreached.push_back(prefix + name);
        continue;
      }
      if (scale < 1e-6) continue;  // a zero-initialized bias: moving is all it can show
      const double ratio = moved / scale / kSteps;
      lowest = std::min(lowest, ratio);
      highest = std::max(highest, ratio);
      if (ratio > 1.0) exploding.push_back(prefix + name);
    }
  };
  measure(*detector_, det_before, "");
  if (selector_) measure(*selector_, sel_before, "selector.");

  detector_->load_weights(det_weights);
  load_optimizer(*detector_optim_, det_optim, detector::device_of(*detector_));
  if (selector_) {
    selector_->load_weights(sel_weights);
    load_optimizer(*selector_optim_, sel_optim, detector::device_of(*selector_));
  }
  progress_ = saved_progress;

  const bool fell = loss_after < loss_before;
  check.passed = frozen.empty() && exploding.empty() && fell;
  char line[200];
  std::snprintf(line, sizeof line,
                "after %d steps: loss on the first step's batch %.3f -> %.3f; update per step "
                "%.1e..%.1e of the weights' norm",
                kSteps, loss_before, loss_after, lowest, highest);
  check.detail = line;
  auto list = [](const std::vector<std::string>& names) {
    std::string out;
    for (size_t i = 0; i < names.size() && i < 5; ++i) out += (i ? ", " : "") + names[i];
    if (names.size() > 5) out += ", ... (" + std::to_string(names.size()) + ")";
    return out;
  };
  if (!frozen.empty()) check.detail += "; had a gradient but did not move: " + list(frozen);
  if (!unreached.empty()) check.detail += "; no gradient in these steps: " + list(unreached);
  if (!exploding.empty()) check.detail += "; moved more than their norm per step: " + list(exploding);
  if (!fell) check.detail += "; the loss did not fall";
  return check;
}

bool Trainer::run_doctor_checks() {
  DoctorInputs in;
  in.train = &train_functions_;
  in.valid = &valid_functions_;
  in.test = &test_functions_;
  in.featurizer = featurizers_[0].get();
  in.config = detector_->config();
  in.device = detector::device_from_name(config_.device);
  in.seed = config_.seed;
  in.max_nodes = config_.max_nodes;
  in.learning_steps = config_.preset == "tiny" ? 20 : 40;
  log_info("doctor", "running the self-checks (--doctor false skips them)");
  std::vector<DoctorCheck> checks = run_doctor(in);
  if (!train_functions_.empty()) {
    for (DoctorCheck& c : production_checks()) checks.push_back(std::move(c));
  }
  const std::string text = format_doctor(checks);
  std::fprintf(stderr, "%s", text.c_str());
  if (!run_dir_.empty()) write_file_atomic(run_dir_ / "doctor.txt", text);
  return std::all_of(checks.begin(), checks.end(), [](const DoctorCheck& c) { return c.passed; });
}

bool Trainer::doctor_only() {
  threads_ = config_.threads > 0 ? config_.threads
                                 : std::max(1u, std::thread::hardware_concurrency());
  detector::set_num_threads(config_.torch_threads > 0 ? config_.torch_threads : threads_);
  load_data();
  build_models();
  return run_doctor_checks();
}

TrainResult Trainer::run() {
  invocation_start_ = std::chrono::steady_clock::now();
  if (config_.dist.distributed()) {
    rank_ = config_.dist.rank;
    world_ = config_.dist.world_size;
    // One voice: the other ranks print warnings and errors only.
    if (!leader() && log_level() == LogLevel::kInfo) set_log_level(LogLevel::kQuiet);
  }
  threads_ = default_threads(config_);
  detector::set_num_threads(config_.torch_threads > 0 ? config_.torch_threads : threads_);
  config_.mode();  // validate early
  config_.selector_target_kind();
  open_run_dir();
  load_data();
  build_models();
  restore();
  if (config_.doctor && !config_.resume && leader() && !run_doctor_checks()) {
    throw Error("the self-checks failed (see [doctor] lines and " + (run_dir_ / "doctor.txt").string() +
                "); fix the pipeline, or train anyway with --doctor false");
  }
  install_stop_handlers();
  join_process_group();
  elapsed_at_start_ = progress_.elapsed_s;
  // The weights now (fresh, warm-started, or as saved at the last validation when resuming) are
  // what the first validation's update ratios are measured against.
  if (leader()) monitor_ = std::make_unique<ParameterMonitor>(*detector_, progress_.step);

  TrainResult result;
  result.run_dir = run_dir_.string();
  auto window_start = std::chrono::steady_clock::now();
  int64_t window_graphs = 0;
  bool stopped_early = false;
  std::array<int64_t, parser::kNumBugKinds> kind_window{};
  while (true) {
    const double used = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                      invocation_start_).count();
    bool stop = stop_signal() != 0 || stopped_early ||
                (config_.max_time > 0 && used >= config_.max_time) ||
                (config_.max_steps > 0 && progress_.step >= config_.max_steps);
    // Ranks stop together: any rank's reason (a signal, its clock, rank 0's patience) is all's.
    if (group_) stop = group_->sum({stop ? 1.0 : 0.0})[0] > 0;
    if (stop) break;

    StepNumbers numbers = train_step();
    ++progress_.step;
    progress_.graphs_seen += numbers.graphs;
    progress_.elapsed_s = elapsed_at_start_ + std::chrono::duration<double>(
                                                  std::chrono::steady_clock::now() -
                                                  invocation_start_).count();
    window_graphs += numbers.graphs;
    for (int k = 0; k < parser::kNumBugKinds; ++k) kind_window[k] += numbers.planted[k];
    history_.add_step(progress_.step, numbers.det.loss, numbers.selector_loss, numbers.det.joint_acc);

    if (progress_.step % config_.log_every == 0) {
      double window_s = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                      window_start).count();
      log_step(numbers, window_graphs / std::max(window_s, 1e-9));
      json::Value record = json::Value::object();
      record.set("type", "train");
      record.set("step", progress_.step);
      record.set("det_loss", numbers.det.loss);
      record.set("sel_loss", numbers.selector_loss);
      record.set("no_bug_acc", numbers.det.no_bug_acc);
      record.set("loc_acc", numbers.det.loc_acc);
      record.set("repair_acc", numbers.det.repair_acc);
      record.set("joint_acc", numbers.det.joint_acc);
      if (numbers.twins.count > 0) {
        record.set("twin_loss", numbers.twins.value);
        record.set("twin_ordered", numbers.twins.ordered);
      }
      record.set("graphs_per_s", window_graphs / std::max(window_s, 1e-9));
      record.set("elapsed_s", progress_.elapsed_s);
      append_metrics(record);
      history_.add_kind_mix(progress_.step, kind_window);
      kind_window.fill(0);
      window_start = std::chrono::steady_clock::now();
      window_graphs = 0;
    }
    if (progress_.step % config_.valid_every == 0 && leader()) {
      validate_and_checkpoint(false);
      if (config_.patience > 0 && progress_.stalls >= config_.patience) {
        log_info("train", "validation stalled ", progress_.stalls, " times: stopping");
        stopped_early = true;
      }
    }
  }
  if (leader() && !stopped_early &&
      (progress_.step % config_.valid_every != 0 || progress_.step == 0)) {
    validate_and_checkpoint(true);
  }
  result.step = progress_.step;
  result.best_overall = progress_.best_overall;
  result.best_model = (run_dir_ / "model-best.bugseek").string();
  if (stop_signal() == 0 && leader()) calibrate_best_model();
  if (stop_signal() != 0) {
    log_info("train", "interrupted: state saved at step ", progress_.step,
             "; continue with --resume --out ", run_dir_.string());
    result.exit_code = 128 + stop_signal();
  } else {
    log_info("train", "done at step ", progress_.step, "; best model ", result.best_model,
             "; continue with: bugseek train --resume --out ", run_dir_.string(), " --max-time N");
  }
  return result;
}

}  // namespace

TrainResult run_training(TrainConfig config) { return Trainer(std::move(config)).run(); }

void prepare_dataset_if_missing(const TrainConfig& config) {
  const fs::path data_dir = config.data;
  if (fs::exists(data_dir / data::kManifestName)) return;
  log_info("train", "no dataset in ", data_dir.string(), ": preparing it first");
  const int threads = default_threads(config);
  data::PrepareConfig prepare;
  prepare.corpus = config.corpus;
  prepare.exclude = config.exclude;
  prepare.out = data_dir.string();
  prepare.threads = threads;
  prepare.vocab.vocab_size = config.vocab_size;
  prepare.vocab.threads = threads;
  prepare.vocab.seed = config.seed;
  data::PrepareSummary summary = data::prepare_dataset(prepare);
  std::fprintf(stderr, "%s", summary.format_table().c_str());
}

std::string new_run_dir_name() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::localtime(&t));
  return std::string("runs/") + buf;
}

bool run_doctor_command(TrainConfig config) { return Trainer(std::move(config)).doctor_only(); }

std::string find_resume_dir(const std::string& out) {
  if (!out.empty()) return out;
  fs::path newest;
  fs::file_time_type newest_time;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("runs", ec)) {
    fs::path state = e.path() / kStateFileName;
    if (!fs::exists(state)) continue;
    auto t = fs::last_write_time(state);
    if (newest.empty() || t > newest_time) {
      newest = e.path();
      newest_time = t;
    }
  }
  if (newest.empty()) throw UsageError("--resume: no run with a checkpoint under runs/; give --out RUN_DIR");
  return newest.string();
}

}  // namespace bugseek::train
