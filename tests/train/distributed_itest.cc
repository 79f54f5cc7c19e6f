// Data-parallel training (train/distributed.h, train/launch.h) and the determinism it rests on,
// through the real binary on a tiny corpus: two ranks train exactly what one process trains on
// their combined batches; a run stopped and resumed ends with the weights of one that never
// stopped (dropout masks, functions and bugs drawn alike); a rank killed ends the job with a
// message instead of a hang.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "common/fs.h"
#include "detector/model_file.h"
#include "detector/torch_api.h"
#include "tests/scan/cli_run.h"
#include "tests/train/tiny_dataset.h"

namespace bugseek {
namespace {
namespace fs = std::filesystem;
using testing::run_bugseek;

class DistributedTraining : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("bugseek_dist_itest_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    const auto r = testing::prepare_tiny_dataset(root_);
    ASSERT_EQ(r.status, 0) << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  // Tiny models, one data thread, no validation until the end unless `valid_every` says.
  static std::string flags(const fs::path& run, int valid_every = 1000) {
    return "train --preset tiny --doctor false --threads 1 --seed 5 --valid-functions 8 "
           "--valid-every " + std::to_string(valid_every) + " --data " +
           (root_ / "data").string() + " --out " + run.string();
  }

  static fs::path root_;
};
fs::path DistributedTraining::root_;

// The detector's parameters in a model file, by name.
std::vector<std::pair<std::string, at::Tensor>> weights_of(const fs::path& model_path) {
  detector::ModelFile model = detector::load_model_file(model_path);
  auto net = std::make_shared<detector::Detector>(model.config, 0);
  net->load_weights(model.weights);
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (auto& [name, tensor] : detector::named_parameters(*net)) {
    out.emplace_back(name, tensor.detach().clone());
  }
  return out;
}

// Largest absolute difference between two models' parameters (same names and shapes asserted).
double max_difference(const fs::path& a, const fs::path& b) {
  auto wa = weights_of(a), wb = weights_of(b);
  EXPECT_EQ(wa.size(), wb.size());
  double worst = 0;
  for (size_t i = 0; i < std::min(wa.size(), wb.size()); ++i) {
    EXPECT_EQ(wa[i].first, wb[i].first);
    if (wa[i].second.sizes() != wb[i].second.sizes()) return 1e9;
    worst = std::max(worst, (wa[i].second - wb[i].second).abs().max().item<double>());
  }
  return worst;
}

TEST_F(DistributedTraining, TwoRanksTrainWhatOneProcessTrainsOnTheirCombinedBatches) {
  // Dropout off: each rank draws its own masks, one process draws others.
  const std::string common = " --dropout 0 --max-steps 4";
  const fs::path two = root_ / "two_ranks", one = root_ / "one_process", half = root_ / "half";
  auto r2 = run_bugseek(flags(two) + common + " --nproc 2 --functions-per-step 2", root_);
  ASSERT_EQ(r2.status, 0) << r2.err;
  EXPECT_NE(r2.err.find("started rank 1 of 2"), std::string::npos) << r2.err;
  auto r1 = run_bugseek(flags(one) + common + " --functions-per-step 4", root_);
  ASSERT_EQ(r1.status, 0) << r1.err;
  const double same = max_difference(two / "model-latest.bugseek", one / "model-latest.bugseek");
  EXPECT_LT(same, 2e-5);
  // Not a vacuous match: rank 0's share alone trains another model.
  auto rh = run_bugseek(flags(half) + common + " --functions-per-step 2", root_);
  ASSERT_EQ(rh.status, 0) << rh.err;
  EXPECT_GT(max_difference(two / "model-latest.bugseek", half / "model-latest.bugseek"), 1e-3);

  // A distributed run resumes (with the ranks of its config.ini) and ends where an uninterrupted
  // one does.
  const fs::path resumed = root_ / "two_ranks_resumed";
  auto first = run_bugseek(flags(resumed) + " --dropout 0 --max-steps 2 --nproc 2 "
                           "--functions-per-step 2", root_);
  ASSERT_EQ(first.status, 0) << first.err;
  auto second = run_bugseek("train --resume --out " + resumed.string() + " --max-steps 4", root_);
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_NE(second.err.find("started rank 1 of 2"), std::string::npos) << second.err;
  EXPECT_LT(max_difference(two / "model-latest.bugseek", resumed / "model-latest.bugseek"), 1e-6);
}

TEST_F(DistributedTraining, AStoppedAndResumedRunEndsWithTheWeightsOfAnUninterruptedOne) {
  // Dropout on (the default): the masks must be drawn again identically after the resume.
  const fs::path straight = root_ / "straight", stopped = root_ / "stopped";
  auto a = run_bugseek(flags(straight) + " --max-steps 6 --functions-per-step 3", root_);
  ASSERT_EQ(a.status, 0) << a.err;
  auto b = run_bugseek(flags(stopped) + " --max-steps 3 --functions-per-step 3", root_);
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_GT(max_difference(straight / "model-latest.bugseek", stopped / "model-latest.bugseek"),
            1e-4);
  auto c = run_bugseek("train --resume --out " + stopped.string() + " --max-steps 6", root_);
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_EQ(max_difference(straight / "model-latest.bugseek", stopped / "model-latest.bugseek"),
            0.0);
}

TEST_F(DistributedTraining, AKilledRankEndsTheJobWithAnError) {
  const fs::path run = root_ / "killed";
  const fs::path err = root_ / "killed.err";
  const pid_t launcher = fork();
  if (launcher == 0) {
    const std::string cmd = "exec " + std::string(BUGSEEK_BINARY) + " " + flags(run, 2) +
                            " --nproc 2 --functions-per-step 2 --max-steps 1000000 --max-time 300"
                            " 2>" + err.string();
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait for training to run (a checkpoint exists), then kill rank 1 the hard way.
  for (int i = 0; i < 600 && !fs::exists(run / "state.bugseek"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(fs::exists(run / "state.bugseek"));
  std::smatch m;
  const std::string text = read_file(err);
  ASSERT_TRUE(std::regex_search(text, m, std::regex("started rank 1 of 2 \\(pid ([0-9]+)\\)")))
      << text;
  ASSERT_EQ(kill(static_cast<pid_t>(std::stol(m[1].str())), SIGKILL), 0);
  // The job ends by itself, well before its 300 s budget.
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 1200 && done == 0; ++i) {
    done = waitpid(launcher, &status, WNOHANG);
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (done == 0) kill(launcher, SIGKILL);
  ASSERT_EQ(done, launcher) << "the job did not end within 60 s of a rank's death";
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const std::string log = read_file(err);
  EXPECT_NE(log.find("rank 1 (pid " + m[1].str() + ") was killed by signal 9"), std::string::npos)
      << log;
  // What was saved before stays loadable.
  EXPECT_NO_THROW(detector::load_model_file(run / "model-latest.bugseek"));
}

TEST_F(DistributedTraining, BadDistributedSettingsAreUsageErrors) {
  EXPECT_EQ(run_bugseek(flags(root_ / "bad1") + " --rank 2 --world-size 2", root_).status, 2);
  EXPECT_EQ(run_bugseek(flags(root_ / "bad2") + " --world-size 2 --master-port 70000", root_).status,
            2);
  const std::string with_env = "env RANK=x WORLD_SIZE=2 " + std::string(BUGSEEK_BINARY) + " " +
                               flags(root_ / "bad4") + " >/dev/null 2>&1";
  const int status = std::system(with_env.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << status;
}

}  // namespace
}  // namespace bugseek
