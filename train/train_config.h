// Everything `bugseek train` can be told, in one struct. Presets (tiny for CI, default for 2 CPU
// cores, large near BugLab's sizes) fill it first; then --config FILE and flags override. The
// field table in visit_fields() is the only list of option names: program_options binding,
// --dump-config and the run directory's config.ini all come from it, so defaults live in one place.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detector/detector.h"
#include "selector/policy.h"
#include "selector/wiring.h"
#include "train/distributed.h"
#include "train/schedule.h"

namespace bugseek::train {

enum class SelectorMode { kLearned, kRandom };

struct TrainConfig {
  std::string preset = "default";
  std::string out;                  // run directory; empty = runs/<time>
  bool resume = false;
  std::string device = "auto";      // cpu | cuda | auto
  int threads = 0;                  // 0 = all cores
  int torch_threads = 1;            // intra-op threads for the models
  uint64_t seed = 1;
  bool doctor = true;               // run the self-checks before training
  std::string init;                 // model file to start the detector from (fresh optimizer)
  int nproc = 1;                    // local data-parallel worker processes (train/launch.h)
  // This process's place in a distributed run: flags or torchrun's environment variables, never
  // config.ini (each rank has its own), so not in visit_fields().
  DistSpec dist;

  // Data.
  std::vector<std::string> corpus;  // empty = the machine's Python standard library
  std::string data = "runs/dataset";  // prepared dataset (made by `prepare` if missing)
  int vocab_size = 8000;
  std::vector<std::string> exclude;  // real-bug files a dataset prepared here is cleaned against
  uint32_t max_nodes = 1500;        // functions with larger graphs are skipped in training
  std::string function_weight = "uniform";  // how training draws functions: uniform | size
  std::vector<std::string> real_fixes;  // JSON Lines of real bug-fix pairs to train on
  int real_fixes_per_step = 8;      // real pairs (buggy + fixed) added to each step
  double real_fixes_valid = 0.1;    // share of the real fixes' repositories held out to validate
  std::string real_fixes_mix = "uniform";  // uniform | real | KIND=W,... (real_fix_kind_mix())
  std::vector<std::string> real_data;  // real-bug JSON Lines scored at every validation (watched)

  // Models.
  std::string family = "gnn";       // detector: gnn | transformer
  int hidden = 0, layers = 0, heads = 0, max_len = 0;  // 0 = the preset's value
  std::string aggregation = "max";
  double dropout = 0.1;
  std::string selector_mode = "learned";  // learned | random
  std::string selector_target = "hardest";  // hardest | real | both (selector::SelectorTarget)
  std::string selector_family = "gnn";
  int selector_hidden = 0, selector_layers = 0;  // 0 = the preset's value

  // Optimization.
  int functions_per_step = 8;       // clean functions per step; each adds its planted bugs
  int bugs_per_function = 4;        // BugLab: 4
  double selector_temperature = 1.0;
  double selector_exploration = 0.02;
  std::string kind_mix = "real";    // rewrites | real | KIND=W,... (selector::parse_kind_mix)
  double lr = 1e-3;
  double selector_lr = 1e-3;
  int warmup_steps = 100;
  std::string lr_schedule = "constant";  // constant | cosine (train/schedule.h)
  uint64_t lr_decay_steps = 0;      // cosine: steps to decay over (0 = --max-steps)
  double lr_final_scale = 0.05;     // cosine: share of --lr left at the end of the decay
  double grad_clip = 1.0;           // global L2 norm; 0 = off
  double pair_weight = 0.0;         // weight of the twin-pair ranking loss (0 = off)

  // Budget and validation.
  uint64_t max_steps = 0;           // 0 = no limit
  double max_time = 780;            // seconds of training in this invocation; 0 = no limit
  int valid_every = 200;            // steps between validations
  int valid_functions = 256;        // fixed validation sample: each clean + one planted bug
  int patience = 10;                // validations without a new best before stopping; 0 = never
  int log_every = 10;               // steps between progress lines
  int keep_snapshots = 3;           // model-step<N>.bugseek files kept

  detector::DetectorConfig detector_config() const;
  detector::DetectorConfig selector_config() const;
  selector::PolicyConfig policy() const;
  SelectorMode mode() const;
  // --selector-target; UsageError for an unknown name, or real/both without --real-fixes or with
  // the random selector.
  selector::SelectorTarget selector_target_kind() const;
  // The detector's schedule; UsageError for an unknown kind, or cosine without a step count.
  LrSchedule lr_curve() const;
  // The share of real pairs drawn per bug kind (parser::BugKind order); empty: every pair alike.
  // UsageError for a bad --real-fixes-mix.
  std::vector<double> real_fix_kind_mix() const;
};

// A preset's settings; throws UsageError for an unknown name.
TrainConfig train_preset(std::string_view name);

// Calls f(name, field, help) for every setting, in a stable order.
template <typename F>
void visit_fields(TrainConfig& c, F&& f) {
  f("preset", c.preset, "tiny (CI, seconds) | default (2 CPU cores) | large (near BugLab)");
  f("out", c.out, "run directory (empty = runs/<time>)");
  f("device", c.device, "cpu | cuda | auto");
  f("threads", c.threads, "worker threads for parsing, planting and featurizing (0 = all cores)");
  f("torch-threads", c.torch_threads,
    "intra-op threads for the models (0 = --threads); on 2 cores --nproc 2 uses the second core "
    "as well as a second thread does, without OpenMP's spinning, which makes steps up to 20x "
    "slower when the cores are busy");
  f("seed", c.seed, "random seed; same seed and threads, same run");
  f("doctor", c.doctor, "run the self-checks before training (bugseek doctor)");
  f("nproc", c.nproc,
    "data-parallel worker processes on this machine (PyTorch's c10d with Gloo): each trains on "
    "its own share of a step's functions and gradients are averaged; use --torch-threads 1 "
    "--threads 1 with --nproc equal to the cores");
  f("init", c.init,
    "start the detector from this model file's weights, shape and vocabulary, with a fresh "
    "optimizer (warm start; empty = random initialization)");
  f("corpus", c.corpus, "source folders to train on (default: the Python standard library)");
  f("data", c.data, "prepared dataset directory (prepared from --corpus if missing)");
  f("vocab-size", c.vocab_size, "SentencePiece pieces when preparing");
  f("exclude", c.exclude,
    "when preparing: drop functions equal or near to a buggy or fixed function of this real-bug "
    "JSON Lines file (as bugseek prepare --exclude); repeat for several");
  f("max-nodes", c.max_nodes, "skip functions whose graph has more nodes");
  f("function-weight", c.function_weight,
    "how training draws its functions: uniform (each function once an epoch; the default) | "
    "size (in proportion to their length in bytes, up to 4 KB, as real bugs fall; measured: no "
    "better on real bugs, see README)");
  f("real-fixes", c.real_fixes,
    "JSON Lines of real bug-fix pairs (bugseek mine) to train on beside the planted bugs; "
    "repeat for several");
  f("real-fixes-per-step", c.real_fixes_per_step,
    "real bug-fix pairs (the buggy and the fixed function) added to each step's batch");
  f("real-fixes-valid", c.real_fixes_valid,
    "share of the real fixes' repositories held out for validation (by repository hash)");
  f("real-fixes-mix", c.real_fixes_mix,
    "how real pairs are drawn: uniform (every pair alike, once an epoch; the default) | real "
    "(each bug kind as often as in real bugs, as --kind-mix real) | KIND=W,...");
  f("real-data", c.real_data,
    "real-bug JSON Lines (as eval --suite real) scored at every validation: a real-bug curve in "
    "metrics.jsonl and report.html, for watching only (model-best is still chosen on the "
    "planted-bug validation; a set watched while training is no longer an unseen test); repeat "
    "for several");
  f("family", c.family, "detector model: gnn | transformer");
  f("hidden", c.hidden, "detector width (0 = preset)");
  f("layers", c.layers, "detector layers (0 = preset)");
  f("heads", c.heads, "transformer heads (0 = preset)");
  f("max-len", c.max_len, "transformer tokens per function (0 = preset)");
  f("aggregation", c.aggregation, "GNN message aggregation: max | mean | sum");
  f("dropout", c.dropout, "dropout probability");
  f("selector", c.selector_mode, "bug selector: learned | random (the baseline)");
  f("selector-target", c.selector_target,
    "what the learned selector learns to propose: hardest (the planted bug the detector found "
    "hardest, BugLab) | real (the bugs of the --real-fixes pairs: each fixed function labelled "
    "with the bug its author made, so planted bugs look like real ones) | both (the two in one "
    "batch)");
  f("selector-family", c.selector_family, "selector model: gnn | transformer");
  f("selector-hidden", c.selector_hidden, "selector width (0 = preset)");
  f("selector-layers", c.selector_layers, "selector layers (0 = preset)");
  f("functions-per-step", c.functions_per_step, "clean functions per step");
  f("bugs-per-function", c.bugs_per_function, "bugs the selector plants per function");
  f("selector-temperature", c.selector_temperature, "softmax temperature of the selector");
  f("selector-exploration", c.selector_exploration, "uniform share mixed into the selector");
  f("kind-mix", c.kind_mix,
    "share of planted bugs per kind: real (the kind mix of real bugs, default) | rewrites (every "
    "rewrite alike, BugLab) | KIND=W,... (e.g. variable-misuse=1,wrong-compare-op=1)");
  f("lr", c.lr, "detector learning rate (Adam)");
  f("selector-lr", c.selector_lr, "selector learning rate (Adam)");
  f("warmup-steps", c.warmup_steps, "linear learning-rate warm-up, in steps");
  f("lr-schedule", c.lr_schedule,
    "detector learning rate after the warm-up: constant | cosine (a half-cosine from --lr down "
    "to --lr-final-scale of it at step --lr-decay-steps, then held)");
  f("lr-decay-steps", c.lr_decay_steps,
    "cosine: the step where the decay ends (0 = --max-steps); counts from step 0, so a resumed "
    "run follows the same curve");
  f("lr-final-scale", c.lr_final_scale, "cosine: share of --lr left at the end of the decay");
  f("grad-clip", c.grad_clip, "gradient L2 norm clip (0 = off)");
  f("pair-loss-weight", c.pair_weight,
    "weight of a ranking loss over twins (a buggy function and its clean or fixed version in the "
    "same batch): log p(bug site) in the buggy twin should exceed log p(the same site) in the "
    "clean one, so the detector must tell the wrong token from the right one rather than point "
    "at places bugs are often found (0 = off)");
  f("max-steps", c.max_steps, "stop at this step (0 = no limit)");
  f("max-time", c.max_time, "seconds to train in this invocation (0 = no limit)");
  f("valid-every", c.valid_every, "steps between validations");
  f("valid-functions", c.valid_functions, "functions in the fixed validation sample");
  f("patience", c.patience, "validations without a new best before stopping (0 = never)");
  f("log-every", c.log_every, "steps between progress lines");
  f("keep-snapshots", c.keep_snapshots, "model snapshots kept besides latest and best");
}

// "key = value" lines for every field (a list repeats its key), readable by --config.
std::string config_to_text(const TrainConfig& config);

}  // namespace bugseek::train
