// Crash anywhere, lose nothing: `bugseek train` killed with SIGKILL at random moments and resumed
// each time keeps a run directory of complete files only and ends with the weights of a run
// never interrupted; a full disk (a file-size limit) while checkpointing is a clear error that
// leaves the previous checkpoint intact.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "common/fs.h"
#include "common/json.h"
#include "detector/model_file.h"
#include "detector/torch_api.h"
#include "tests/scan/cli_run.h"
#include "tests/train/tiny_dataset.h"
#include "train/checkpoint.h"

namespace bugseek {
namespace {
namespace fs = std::filesystem;
using testing::run_bugseek;

class CrashAnywhere : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("bugseek_crash_itest_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    const auto r = testing::prepare_tiny_dataset(root_);
    ASSERT_EQ(r.status, 0) << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  // A checkpoint after every step, so a kill can land in any of its writes.
  static std::string flags(const fs::path& run, int steps) {
    return "train --preset tiny --doctor false --threads 1 --seed 9 --valid-functions 4 "
           "--functions-per-step 2 --valid-every 1 --patience 0 --max-steps " + std::to_string(steps) +
           " --data " + (root_ / "data").string() + " --out " + run.string();
  }

  static fs::path root_;
};
fs::path CrashAnywhere::root_;

// Runs `bugseek ARGS` in a child; `limit_bytes` > 0 sets RLIMIT_FSIZE there first.
pid_t spawn(const std::string& args, const fs::path& err, rlim_t limit_bytes = 0) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (limit_bytes > 0) {
      const rlimit limit{limit_bytes, limit_bytes};
      setrlimit(RLIMIT_FSIZE, &limit);
    }
    const std::string cmd =
        "exec " + std::string(BUGSEEK_BINARY) + " " + args + " >/dev/null 2>" + err.string();
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

int wait_status(pid_t pid) {  // exit status, or 128 + signal
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string weights_text(const fs::path& model) {
  return detector::load_model_file(model).weights;
}

// Every file a run keeps is complete: state and models load, metrics lines parse with steps
// never going back, the report is whole. Temporary files of a cut-short write may lie beside.
void expect_complete_run_files(const fs::path& run) {
  if (!fs::exists(run)) return;  // killed before it made the directory
  for (const auto& entry : fs::directory_iterator(run)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp.") != std::string::npos) continue;
    SCOPED_TRACE(name);
    if (name == train::kStateFileName) {
      EXPECT_NO_THROW(train::load_state(entry.path()));
    } else if (entry.path().extension() == ".bugseek") {
      EXPECT_NO_THROW(detector::load_model_file(entry.path()));
    } else if (name == "report.html") {
      const std::string html = read_file(entry.path());
      EXPECT_NE(html.find("</html>"), std::string::npos);
    } else if (name == "metrics.jsonl") {
      const std::string text = read_file(entry.path());
      EXPECT_TRUE(text.empty() || text.back() == '\n');
    }
  }
}

TEST_F(CrashAnywhere, RandomKillsAndResumesEndWithTheWeightsOfAnUninterruptedRun) {
  constexpr int kSteps = 60;
  const fs::path straight = root_ / "straight", killed = root_ / "killed";
  // The uninterrupted run, timed: how long start-up takes (until the first checkpoint appears)
  // and how long training takes after it, on this machine, fast or loaded.
  const auto start = std::chrono::steady_clock::now();
  const pid_t straight_pid = spawn(flags(straight, kSteps), root_ / "straight.err");
  auto first_checkpoint = start;
  int straight_raw = 0;
  while (waitpid(straight_pid, &straight_raw, WNOHANG) == 0) {
    if (first_checkpoint == start && fs::exists(straight / train::kStateFileName)) {
      first_checkpoint = std::chrono::steady_clock::now();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(WIFEXITED(straight_raw) && WEXITSTATUS(straight_raw) == 0)
      << read_file(root_ / "straight.err");
  ASSERT_NE(first_checkpoint, start) << "no checkpoint was seen while the run trained";
  auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  const int64_t startup_ms = ms(first_checkpoint - start);
  const int64_t training_ms = std::max<int64_t>(ms(std::chrono::steady_clock::now() - first_checkpoint), 50);
  // Kill moments after start-up, within the first 30% of the training: two kills cannot get
  // through more than 60% of it, so at least three land before a run could finish.
  std::mt19937 rng(20261202);
  std::uniform_int_distribution<int64_t> delay_ms(startup_ms + training_ms / 20,
                                                  startup_ms + training_ms * 3 / 10);
  int kills = 0, landed = 0;
  std::string trace;  // each attempt: fresh or resume, exit status, step of the state left
  bool finished = false;
  for (int attempt = 0; attempt < 12 && !finished; ++attempt) {
    const bool fresh = !fs::exists(killed / train::kStateFileName);
    const std::string args = fresh ? flags(killed, kSteps)
                                   : "train --resume --out " + killed.string() + " --max-steps " +
                                         std::to_string(kSteps);
    const pid_t pid = spawn(args, root_ / "killed.err");
    // Five kills at random moments, then a run left to finish (within a minute).
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(attempt < 5 ? delay_ms(rng) : int64_t{60000});
    int raw = 0;
    pid_t done = 0;
    while (done == 0 && std::chrono::steady_clock::now() < deadline) {
      done = waitpid(pid, &raw, WNOHANG);
      if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (done == 0) {
      kill(pid, SIGKILL);
      ++kills;
      waitpid(pid, &raw, 0);
    }
    const int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    trace += (fresh ? " fresh:" : " resume:") + std::to_string(status);
    if (fs::exists(killed / train::kStateFileName)) {
      trace += "@" + std::to_string(train::load_state(killed / train::kStateFileName).progress.step);
    }
    if (status == 0) finished = true;
    if (status == 128 + SIGKILL) landed += fs::exists(killed / train::kStateFileName);
    expect_complete_run_files(killed);
  }
  ASSERT_TRUE(finished) << trace << "\n" << read_file(root_ / "killed.err");
  EXPECT_GE(kills, 3);
  EXPECT_GE(landed, 2);  // kills that interrupted training, not start-up

  // (b) the same weights, bit for bit, and (a) nothing torn or stale left.
  EXPECT_TRUE(weights_text(killed / "model-latest.bugseek") ==
              weights_text(straight / "model-latest.bugseek"))
      << "attempts:" << trace;
  for (const auto& entry : fs::directory_iterator(killed)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos)
        << entry.path();
  }
  // metrics.jsonl: steps never go back (records of steps trained again were dropped).
  int64_t last = 0;
  for (const json::Value& m :
       json::parse_lines(read_file(killed / "metrics.jsonl"), "metrics.jsonl")) {
    if (m.at("type").as_string() != "valid") continue;
    EXPECT_GT(m.at("step").as_int(), last);
    last = m.at("step").as_int();
  }
  EXPECT_EQ(last, kSteps);
}

TEST_F(CrashAnywhere, AFullDiskWhileCheckpointingKeepsThePreviousCheckpoint) {
  const fs::path run = root_ / "full_disk";
  auto first = run_bugseek(flags(run, 2), root_);
  ASSERT_EQ(first.status, 0) << first.err;
  const std::string state_before = read_file(run / train::kStateFileName);
  const std::string model_before = read_file(run / "model-latest.bugseek");
  ASSERT_GT(model_before.size(), 4096u);

  // Writes of more than 4 KiB fail (EFBIG, as ENOSPC would): the model files cannot be written.
  const pid_t pid = spawn("train --resume --out " + run.string() + " --max-steps 4",
                          root_ / "full_disk.err", 4096);
  const int status = wait_status(pid);
  const std::string err = read_file(root_ / "full_disk.err");
  EXPECT_EQ(status, 1) << err;
  EXPECT_NE(err.find("File too large"), std::string::npos) << err;
  EXPECT_EQ(read_file(run / train::kStateFileName), state_before);
  EXPECT_EQ(read_file(run / "model-latest.bugseek"), model_before);

  // With room again, the run resumes from that checkpoint and finishes.
  auto resumed = run_bugseek("train --resume --out " + run.string() + " --max-steps 4", root_);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resumed at step 2"), std::string::npos) << resumed.err;
}

}  // namespace
}  // namespace bugseek
