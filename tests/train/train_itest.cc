// End to end through the real binary on a tiny corpus: train writes its run directory, the model
// file loads alone, --resume continues where the run stopped (also after kill -9), Ctrl-C saves
// and exits 130, and the doctor passes on real data.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/fs.h"
#include "common/json.h"
#include "detector/model_file.h"
#include "tests/scan/cli_run.h"
#include "tests/train/tiny_dataset.h"

namespace bugseek {
namespace {
namespace fs = std::filesystem;
using testing::run_bugseek;

class TrainEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("bugseek_train_itest_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    const auto r = testing::prepare_tiny_dataset(root_);
    ASSERT_EQ(r.status, 0) << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  static std::string common_flags(const fs::path& run) {
    return "train --preset tiny --doctor false --threads 1 --data " + (root_ / "data").string() +
           " --out " + run.string() + " --valid-functions 8 --functions-per-step 2";
  }

  static std::vector<json::Value> metrics(const fs::path& run) {
    return json::parse_lines(read_file(run / "metrics.jsonl"), "metrics.jsonl");
  }

  static fs::path root_;
};
fs::path TrainEndToEnd::root_;

TEST_F(TrainEndToEnd, WritesRunDirectoryAndLoadableModel) {
  const fs::path run = root_ / "run_basic";
  auto r = run_bugseek(common_flags(run) + " --max-steps 6 --valid-every 3 --log-every 2", root_);
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* file : {"config.ini", "metrics.jsonl", "report.html", "model-best.bugseek",
                           "model-latest.bugseek", "state.bugseek"}) {
    EXPECT_TRUE(fs::exists(run / file)) << file;
  }
  EXPECT_NE(r.err.find("[train] step 2 |"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("new best"), std::string::npos) << r.err;
  int valid_lines = 0;
  uint64_t last_step = 0;
  for (const auto& m : metrics(run)) {
    valid_lines += m.at("type").as_string() == "valid";
    last_step = static_cast<uint64_t>(m.at("step").as_int());
  }
  EXPECT_EQ(valid_lines, 2);
  EXPECT_EQ(last_step, 6u);
  const std::string report = read_file(run / "report.html");
  EXPECT_NE(report.find("<svg"), std::string::npos);

  // Monitors: one record per validation, every tensor and the encoder's layers in it.
  std::vector<json::Value> monitors;
  for (const auto& m : metrics(run)) {
    if (m.at("type").as_string() == "monitor") monitors.push_back(m);
  }
  ASSERT_EQ(monitors.size(), 2u);
  EXPECT_EQ(monitors[1].at("step").as_int(), 6);
  EXPECT_EQ(monitors[1].at("steps_since").as_int(), 3);
  ASSERT_GT(monitors[1].at("tensors").size(), 10u);
  int moved = 0;
  for (size_t i = 0; i < monitors[1].at("tensors").size(); ++i) {
    const json::Value& t = monitors[1].at("tensors")[i];
    moved += t.at("update_ratio").is_number() && t.at("update_ratio").as_double() > 0;
    EXPECT_TRUE(t.at("grad_norm").is_number()) << json::dump(t);
  }
  EXPECT_GT(moved, 10);
  std::string layers;
  for (size_t i = 0; i < monitors[1].at("activations").size(); ++i) {
    const json::Value& a = monitors[1].at("activations")[i];
    layers += a.at("layer").as_string() + " ";
    EXPECT_GT(a.at("std").as_double(), 0) << json::dump(a);
  }
  EXPECT_NE(layers.find("gnn.layer0 "), std::string::npos) << layers;
  EXPECT_NE(layers.find("heads.loc_hidden "), std::string::npos) << layers;
  EXPECT_NE(report.find("Update-to-weight ratio per step"), std::string::npos);
  EXPECT_NE(report.find("gnn.layer0  mean"), std::string::npos);
  EXPECT_NE(report.find("detector (train, EMA)"), std::string::npos);

  auto inspect = run_bugseek("inspect " + (run / "model-best.bugseek").string(), root_);
  ASSERT_EQ(inspect.status, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("bugseek-model"), std::string::npos);
  EXPECT_NE(inspect.out.find("step"), std::string::npos);
  // A finished run calibrates its best model's finding threshold on the validation split.
  EXPECT_EQ(inspect.out.find("not calibrated"), std::string::npos) << inspect.out;
  EXPECT_NE(inspect.out.find("clean units of"), std::string::npos) << inspect.out;

  // `average`: the run's models averaged into one that loads, says what it came from and needs
  // calibrating again.
  const std::string best = (run / "model-best.bugseek").string();
  const std::string latest = (run / "model-latest.bugseek").string();
  const std::string soup = (root_ / "soup.bugseek").string();
  auto average = run_bugseek("average " + best + " " + latest + " --out " + soup, root_);
  ASSERT_EQ(average.status, 0) << average.err;
  auto soup_inspect = run_bugseek("inspect " + soup, root_);
  ASSERT_EQ(soup_inspect.status, 0) << soup_inspect.err;
  EXPECT_NE(soup_inspect.out.find("averaged_from"), std::string::npos) << soup_inspect.out;
  EXPECT_NE(soup_inspect.out.find(latest), std::string::npos) << soup_inspect.out;
  EXPECT_NE(soup_inspect.out.find("not calibrated"), std::string::npos) << soup_inspect.out;
  EXPECT_EQ(run_bugseek("average " + best + " --out " + soup, root_).status, 2);
  auto not_a_model = run_bugseek(
      "average " + best + " " + (run / "config.ini").string() + " --out " + soup, root_);
  EXPECT_EQ(not_a_model.status, 1);
  EXPECT_NE(not_a_model.err.find("config.ini"), std::string::npos) << not_a_model.err;
}

TEST_F(TrainEndToEnd, ResumeContinuesFromTheSavedStep) {
  const fs::path run = root_ / "run_resume";
  auto first = run_bugseek(common_flags(run) + " --max-steps 4 --valid-every 2", root_);
  ASSERT_EQ(first.status, 0) << first.err;
  // Without --resume the same directory is refused, so nothing saved is overwritten.
  auto again = run_bugseek(common_flags(run) + " --max-steps 4", root_);
  EXPECT_EQ(again.status, 2) << again.err;
  auto resumed = run_bugseek("train --resume --out " + run.string() + " --max-steps 8", root_);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resumed at step 4"), std::string::npos) << resumed.err;
  uint64_t last_step = 0;
  for (const auto& m : metrics(run)) last_step = static_cast<uint64_t>(m.at("step").as_int());
  EXPECT_EQ(last_step, 8u);
}

TEST_F(TrainEndToEnd, ResumeRefusesAnotherVocabularyOrDataset) {
  const fs::path run = root_ / "run_vocab";
  auto first = run_bugseek(common_flags(run) + " --max-steps 2 --valid-every 2", root_);
  ASSERT_EQ(first.status, 0) << first.err;
  auto prepared = run_bugseek("prepare -q --corpus " + (root_ / "corpus").string() + " --out " +
                                  (root_ / "data_other_vocab").string() +
                                  " --vocab-size 250 --threads 2",
                              root_);
  ASSERT_EQ(prepared.status, 0) << prepared.err;
  auto resumed = run_bugseek("train --resume --out " + run.string() + " --data " +
                                 (root_ / "data_other_vocab").string() + " --max-steps 4",
                             root_);
  EXPECT_EQ(resumed.status, 2) << resumed.err;
  EXPECT_NE(resumed.err.find("another vocabulary"), std::string::npos) << resumed.err;
  // Same vocabulary, another dataset (here: one manifest line differs) is refused too.
  fs::copy(root_ / "data", root_ / "data_other_manifest", fs::copy_options::recursive);
  const fs::path manifest = root_ / "data_other_manifest" / "manifest.txt";
  std::string text = read_file(manifest);
  const size_t at = text.find("stat files_listed ");
  ASSERT_NE(at, std::string::npos) << text;
  text.insert(at + std::string("stat files_listed ").size(), "1");
  write_file_atomic(manifest, text);
  auto other = run_bugseek("train --resume --out " + run.string() + " --data " +
                               (root_ / "data_other_manifest").string() + " --max-steps 4",
                           root_);
  EXPECT_EQ(other.status, 2) << other.err;
  EXPECT_NE(other.err.find("another dataset"), std::string::npos) << other.err;
  // The same dataset resumes.
  auto same = run_bugseek("train --resume --out " + run.string() + " --max-steps 4", root_);
  EXPECT_EQ(same.status, 0) << same.err;
}

// Starts training in the background and returns its pid once a checkpoint exists.
pid_t start_until_checkpoint(const std::string& args, const fs::path& run) {
  pid_t pid = fork();
  if (pid == 0) {
    std::string cmd = std::string(BUGSEEK_BINARY) + " " + args + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 600 && !fs::exists(run / "state.bugseek"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return pid;
}

TEST_F(TrainEndToEnd, KillNineThenResumeKeepsWorking) {
  const fs::path run = root_ / "run_kill";
  pid_t pid = start_until_checkpoint(common_flags(run) + " --max-steps 100000 --valid-every 2", run);
  ASSERT_TRUE(fs::exists(run / "state.bugseek"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  auto resumed = run_bugseek("train --resume --out " + run.string() + " --max-steps 0 --max-time 3",
                             root_);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resumed at step"), std::string::npos) << resumed.err;
}

// Starts `train` with `flags`, sends `signal` once it has a checkpoint in `run`, and returns its
// exit status (-1 if it did not exit normally).
int exit_status_after(const std::string& flags, const fs::path& run, int signal) {
  pid_t pid = start_until_checkpoint(flags + " --max-steps 100000 --valid-every 2", run);
  EXPECT_TRUE(fs::exists(run / "state.bugseek"));
  kill(pid, signal);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(TrainEndToEnd, InterruptSavesAndExits130) {
  const fs::path run = root_ / "run_int";
  EXPECT_EQ(exit_status_after(common_flags(run), run, SIGINT), 130);
}

// SIGTERM (what `kill`, systemd and job schedulers send) is handled like Ctrl-C: the state is
// saved and the exit status is 128 + 15; the run resumes from where it stopped.
TEST_F(TrainEndToEnd, SigtermSavesAndExits143) {
  const fs::path run = root_ / "run_term";
  EXPECT_EQ(exit_status_after(common_flags(run), run, SIGTERM), 143);
  auto resumed =
      run_bugseek("train --resume --out " + run.string() + " --max-steps 0 --max-time 3", root_);
  EXPECT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resumed at step"), std::string::npos) << resumed.err;
}

TEST_F(TrainEndToEnd, RandomSelectorBaselineRunsTheSameLoop) {
  const fs::path run = root_ / "run_random";
  auto r = run_bugseek(common_flags(run) + " --selector random --max-steps 2 --valid-every 2", root_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("selector: random"), std::string::npos) << r.err;
}

TEST_F(TrainEndToEnd, DoctorPassesOnRealData) {
  auto r = run_bugseek("doctor --preset tiny --threads 1 --data " + (root_ / "data").string(), root_);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err.find("FAIL"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("PASS one batch overfits"), std::string::npos) << r.err;
}

TEST_F(TrainEndToEnd, BadFlagsAreUsageErrors) {
  EXPECT_EQ(run_bugseek("train --no-such-flag", root_).status, 2);
  EXPECT_EQ(run_bugseek("train --preset huge", root_).status, 2);
  EXPECT_EQ(run_bugseek("train --selector clever --data x", root_).status, 2);
  EXPECT_EQ(run_bugseek("train --help", root_).status, 0);
  EXPECT_EQ(run_bugseek("doctor --help", root_).status, 0);
}

TEST_F(TrainEndToEnd, CorruptCheckpointIsAClearError) {
  const fs::path run = root_ / "run_corrupt";
  auto first = run_bugseek(common_flags(run) + " --max-steps 2 --valid-every 2", root_);
  ASSERT_EQ(first.status, 0) << first.err;
  std::string bytes = read_file(run / "state.bugseek");
  bytes[bytes.size() / 2] ^= 0x5A;
  write_file_atomic(run / "state.bugseek", bytes);
  auto resumed = run_bugseek("train --resume --out " + run.string() + " --max-steps 4", root_);
  EXPECT_EQ(resumed.status, 1);
  EXPECT_NE(resumed.err.find("corrupt"), std::string::npos) << resumed.err;
  auto model = run_bugseek("inspect " + (root_ / "data" / "manifest.txt").string(), root_);
  EXPECT_EQ(model.status, 1);
  EXPECT_NE(model.err.find("bugseek: error:"), std::string::npos) << model.err;
}

}  // namespace
}  // namespace bugseek

namespace bugseek {
namespace {

// Real bug-fix pairs made from the corpus's own functions, in the JSON Lines format of `mine`.
std::string write_real_fixes(const fs::path& dir) {
  const fs::path file = dir / "fixes.jsonl";
  std::ofstream out(file);
  const char* fixed[] = {
      "def lower(a, b):\n    if a < b:\n        return a\n    return b\n",
      "def total(items):\n    n = 0\n    for x in items:\n        n += x\n    return n\n",
      "def pick(xs, i, j):\n    if i < j and xs:\n        return xs[i]\n    return xs[j]\n",
      "def span(lo, hi):\n    width = hi - lo\n    return width\n",
  };
  const char* buggy[] = {
      "def lower(a, b):\n    if a > b:\n        return a\n    return b\n",
      "def total(items):\n    n = 0\n    for x in items:\n        n -= x\n    return n\n",
      "def pick(xs, i, j):\n    if i < j or xs:\n        return xs[i]\n    return xs[j]\n",
      "def span(lo, hi):\n    width = hi - hi\n    return width\n",
  };
  for (int repo = 0; repo < 6; ++repo) {
    for (int i = 0; i < 4; ++i) {
      json::Value line = json::Value::object();
      line.set("id", "fix-" + std::to_string(repo) + "-" + std::to_string(i));
      line.set("buggy_source", buggy[i]);
      line.set("fixed_source", fixed[i]);
      json::Value origin = json::Value::object();
      origin.set("repo", "https://example.org/project" + std::to_string(repo));
      line.set("origin", std::move(origin));
      out << json::dump(line) << "\n";
    }
  }
  return file.string();
}

TEST_F(TrainEndToEnd, RealFixesJoinTheBatchAndAHeldOutShareIsValidated) {
  const fs::path run = root_ / "run_real";
  const std::string fixes = write_real_fixes(root_);
  auto r = run_bugseek(common_flags(run) + " --max-steps 4 --valid-every 2 --real-fixes " + fixes +
                           " --real-fixes-per-step 3 --real-fixes-valid 0.5",
                       root_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("real fixes:"), std::string::npos) << r.err;
  int real_validations = 0;
  for (const json::Value& m : metrics(run)) {
    if (m.get_string("type") != "valid_real") continue;
    ++real_validations;
    EXPECT_GT(m.at("pairs").as_int(), 0);
  }
  EXPECT_EQ(real_validations, 2);
  // The report draws the held-out real fixes beside the planted bugs.
  EXPECT_NE(read_file(run / "report.html").find("real fixes (held out) joint"), std::string::npos);
  // A file that gives no usable pair is an error, not a silent synthetic-only run.
  const fs::path empty = root_ / "empty.jsonl";
  std::ofstream(empty) << "\n";
  auto bad = run_bugseek(common_flags(root_ / "run_real_empty") + " --max-steps 2 --real-fixes " +
                             empty.string(),
                         root_);
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("--real-fixes"), std::string::npos) << bad.err;
}

// --selector-target real: the selector learns the real fixes' bugs, and every validation says how
// often it proposes the held-out ones first, beside proposing uniformly.
TEST_F(TrainEndToEnd, TheSelectorLearnsRealBugsAndIsJudgedOnHeldOutOnes) {
  const fs::path run = root_ / "run_selector_real";
  const std::string fixes = write_real_fixes(root_);
  auto r = run_bugseek(common_flags(run) + " --max-steps 4 --valid-every 2 --real-fixes " + fixes +
                           " --real-fixes-per-step 3 --real-fixes-valid 0.5 --selector-target real",
                       root_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("selector on held-out real fixes"), std::string::npos) << r.err;
  int64_t held_out_pairs = 0;
  std::vector<int64_t> steps;
  for (const json::Value& m : metrics(run)) {
    if (m.get_string("type") == "valid_real") held_out_pairs = m.at("pairs").as_int();
    if (m.get_string("type") != "valid_selector_real") continue;
    steps.push_back(m.at("step").as_int());
    // Every held-out fixed function has its author's bug among its rewrites.
    EXPECT_EQ(m.at("bugs").as_int(), held_out_pairs);
    EXPECT_GT(m.at("uniform_loss").as_double(), 0);
    EXPECT_GT(m.at("uniform_first_acc").as_double(), 0);
    EXPECT_LT(m.at("uniform_first_acc").as_double(), 1);
    EXPECT_GT(m.at("loss").as_double(), 0);
  }
  EXPECT_GT(held_out_pairs, 0);
  EXPECT_EQ(steps, (std::vector<int64_t>{2, 4}));
  // Learning real bugs needs them, and a selector that learns.
  auto no_fixes = run_bugseek(common_flags(root_ / "run_selector_nofix") + " --max-steps 2 " +
                                  "--selector-target both",
                              root_);
  EXPECT_EQ(no_fixes.status, 2);
  EXPECT_NE(no_fixes.err.find("--real-fixes"), std::string::npos) << no_fixes.err;
  auto random = run_bugseek(common_flags(root_ / "run_selector_random") + " --max-steps 2 " +
                                "--selector random --selector-target real --real-fixes " + fixes,
                            root_);
  EXPECT_EQ(random.status, 2);
  EXPECT_NE(random.err.find("--selector learned"), std::string::npos) << random.err;
  auto unknown = run_bugseek(common_flags(root_ / "run_selector_bad") + " --max-steps 2 " +
                                 "--selector-target easiest",
                             root_);
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("--selector-target"), std::string::npos) << unknown.err;
}

TEST_F(TrainEndToEnd, RealDataIsScoredAtEveryValidationAndDrawn) {
  const fs::path run = root_ / "run_real_data";
  const std::string bugs = write_real_fixes(root_);
  auto r = run_bugseek(common_flags(run) + " --max-steps 4 --valid-every 2 --real-data " + bugs,
                       root_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("real bugs (fixes.jsonl), 24 pairs"), std::string::npos) << r.err;
  std::vector<int64_t> steps;
  for (const json::Value& m : metrics(run)) {
    if (m.get_string("type") != "valid_real_data") continue;
    steps.push_back(m.at("step").as_int());
    EXPECT_EQ(m.at("pairs").as_int(), 24);
    EXPECT_EQ(m.get_string("source"), "real bugs (fixes.jsonl)");
  }
  EXPECT_EQ(steps, (std::vector<int64_t>{2, 4}));
  EXPECT_NE(read_file(run / "report.html").find("real bugs (fixes.jsonl) joint"), std::string::npos);
  // Watching is not training: without --real-fixes no real pair joins a batch.
  EXPECT_EQ(r.err.find("real fixes:"), std::string::npos) << r.err;
}

TEST_F(TrainEndToEnd, InitStartsFromTheModelsWeightsAndVocabulary) {
  const fs::path first = root_ / "run_init_from";
  ASSERT_EQ(run_bugseek(common_flags(first) + " --max-steps 4 --valid-every 4", root_).status, 0);
  const fs::path model = first / "model-latest.bugseek";
  // A different vocabulary size in the dataset: the warm start keeps the model's own.
  const fs::path data2 = root_ / "data_other_vocab";
  ASSERT_EQ(run_bugseek("prepare -q --corpus " + (root_ / "corpus").string() + " --out " +
                            data2.string() + " --vocab-size 250 --threads 2",
                        root_)
                .status,
            0);
  const fs::path run = root_ / "run_init";
  auto r = run_bugseek("train --preset tiny --doctor false --threads 1 --data " + data2.string() +
                           " --out " + run.string() +
                           " --valid-functions 8 --functions-per-step 2 --valid-every 1"
                           " --init " + model.string() + " --max-steps 1 --lr 0",
                       root_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("warm start from"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(run / "init-vocab.model"));
  // With a zero learning rate the weights are exactly the model's, and so is the vocabulary.
  const detector::ModelFile from = detector::load_model_file(model);
  const detector::ModelFile warm = detector::load_model_file(run / "model-latest.bugseek");
  EXPECT_EQ(from.weights, warm.weights);
  EXPECT_EQ(from.vocab_model, warm.vocab_model);
  EXPECT_EQ(warm.info.at("warm_start"), model.string());
  // Resuming the warm-started run reads the same vocabulary again.
  auto resumed = run_bugseek("train --resume --out " + run.string() + " --max-steps 2", root_);
  EXPECT_EQ(resumed.status, 0) << resumed.err;
  // A file that is not a model is a clear error.
  auto bad = run_bugseek(common_flags(root_ / "run_init_bad") + " --max-steps 1 --init " +
                             (root_ / "data" / "manifest.txt").string(),
                         root_);
  EXPECT_EQ(bad.status, 1);
}

}  // namespace
}  // namespace bugseek
