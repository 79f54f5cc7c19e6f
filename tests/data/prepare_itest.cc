// End to end on real code: a few files of the machine's Python standard library, plus a
// near-duplicate twin, an exact copy and broken files, through prepare_dataset and through the
// `bugseek prepare` binary.
#include "data/prepare.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/fs.h"
#include "data/dataset.h"
#include "data/featurize.h"
#include "data/function_graph.h"
#include "tests/data/test_util.h"

namespace bugseek::data {
namespace {
namespace fs = std::filesystem;
using testing::TempDir;

const char* kStdlibFiles[] = {"bisect.py", "heapq.py", "colorsys.py", "fnmatch.py", "shlex.py",
                              "textwrap.py", "glob.py", "numbers.py", "calendar.py", "difflib.py",
                              "string.py", "getopt.py", "cmd.py", "sched.py", "tabnanny.py"};

// Builds a corpus under `dir`; returns the relative path of the twin of textwrap.py, chosen so
// that its own path hash falls in a different split than the original's.
std::string make_corpus(const fs::path& dir, const SplitFractions& f) {
  const auto stdlib = find_python_stdlib();
  for (const char* name : kStdlibFiles) {
    write_file_atomic(dir / "lib" / name, read_file(*stdlib / name));
  }
  const Split original = split_for_hash(path_hash("lib/textwrap.py"), f);
  std::string twin;
  for (int k = 0;; ++k) {
    twin = "vendored" + std::to_string(k) + "/textwrap_copy.py";
    if (split_for_hash(path_hash(twin), f) != original) break;
  }
  std::string text = read_file(*stdlib / "textwrap.py");
  text += "\n\ndef extra_helper(a, b):\n    return a + b\n";  // a small local change
  write_file_atomic(dir / twin, text);
  write_file_atomic(dir / "copies/heapq.py", read_file(*stdlib / "heapq.py"));
  write_file_atomic(dir / "bad/latin1.py", "s = 'caf\xE9'\n");
  write_file_atomic(dir / "bad/binary.py", std::string("\x7f" "ELF\0\0\0", 7));
  write_file_atomic(dir / "bad/broken.py", "def broken(:\n    return (\n");
  write_file_atomic(dir / ".git/HEAD.py", "x = 1\n");
  return twin;
}

std::map<std::string, std::string> split_of_files(const fs::path& out) {
  std::map<std::string, std::string> m;
  std::istringstream in(read_file(out / "files.tsv"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string path, split;
    std::getline(ls, path, '\t');
    std::getline(ls, split, '\t');
    m[path] = split;
  }
  return m;
}

PrepareConfig config_for(const fs::path& corpus, const fs::path& out, int threads) {
  PrepareConfig c;
  c.corpus = {corpus.string()};
  c.out = out.string();
  c.threads = threads;
  c.split = {0.3, 0.3};
  c.vocab.vocab_size = 600;
  c.shard_functions = 50;
  return c;
}

TEST(PrepareIntegration, StdlibSampleEndToEnd) {
  if (!find_python_stdlib()) GTEST_SKIP() << "no Python standard library on this machine";
  TempDir tmp;
  const PrepareConfig cfg0 = config_for(tmp.path() / "corpus", tmp.path() / "out", 2);
  const std::string twin = make_corpus(tmp.path() / "corpus", cfg0.split);
  const PrepareSummary s = prepare_dataset(cfg0);

  EXPECT_EQ(s.skipped[static_cast<int>(SkipReason::kInvalidUtf8)], 1u);
  EXPECT_EQ(s.skipped[static_cast<int>(SkipReason::kBinary)], 1u);
  EXPECT_EQ(s.skipped[static_cast<int>(SkipReason::kVcs)], 1u);
  EXPECT_EQ(s.exact_duplicates, 1u);  // copies/heapq.py
  EXPECT_GE(s.near_duplicates, 1u);   // the twin
  EXPECT_GT(s.functions[0], 50u);
  EXPECT_GT(s.vocab_size, 100);
  EXPECT_NE(s.format_table().find("functions per split"), std::string::npos);

  // The twin lands with its original although its own hash points elsewhere.
  const auto splits = split_of_files(tmp.path() / "out");
  const std::string corpus = (tmp.path() / "corpus").string();
  ASSERT_TRUE(splits.count(corpus + "/" + twin));
  EXPECT_EQ(splits.at(corpus + "/" + twin), splits.at(corpus + "/lib/textwrap.py"));

  // Shards: every file's functions are in exactly one split.
  const Manifest m = read_manifest(tmp.path() / "out");
  std::map<std::string, std::set<int>> file_splits;
  uint64_t total = 0;
  for (int sp = 0; sp < kNumSplits; ++sp) {
    const auto fns = load_functions(tmp.path() / "out", m, static_cast<Split>(sp));
    EXPECT_EQ(fns.size(), m.functions[sp]);
    for (const auto& f : fns) file_splits[f.file].insert(sp);
    total += fns.size();
  }
  for (const auto& [file, set] : file_splits) EXPECT_EQ(set.size(), 1u) << file;
  EXPECT_GT(total, 150u);

  // The stored vocabulary loads and featurizes a stored function.
  const Vocabulary vocab = Vocabulary::from_bytes(load_vocab_model(tmp.path() / "out", m));
  const auto train = load_functions(tmp.path() / "out", m, Split::kTrain);
  const parser::Language& python = *parser::find_language("python");
  Featurizer featurizer(vocab, python);
  FunctionGraph fg;
  ASSERT_EQ(build_function_graph(train[0].text, python, 0, fg), GraphStatus::kOk);
  const GraphFeatures g = featurizer.featurize(fg.graph, fg.sites);
  EXPECT_GT(g.num_nodes, 0);

  // Deterministic: one thread gives the same shards, byte for byte.
  const PrepareConfig cfg1 = config_for(tmp.path() / "corpus", tmp.path() / "out1", 1);
  prepare_dataset(cfg1);
  const Manifest m1 = read_manifest(tmp.path() / "out1");
  ASSERT_EQ(m1.shards.size(), m.shards.size());
  for (size_t i = 0; i < m.shards.size(); ++i) EXPECT_EQ(m1.shards[i].crc32, m.shards[i].crc32);
  EXPECT_EQ(m1.vocab_crc32, m.vocab_crc32);
}

int run_binary(const std::string& args, std::string* output) {
  const std::string cmd = std::string(BUGSEEK_BINARY) + " " + args + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) output->append(buf, n);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(PrepareIntegration, CommandLine) {
  std::string out;
  EXPECT_EQ(run_binary("prepare --help", &out), 0);
  EXPECT_NE(out.find("--vocab-size"), std::string::npos);
  EXPECT_NE(out.find("0 = no limit"), std::string::npos);
  out.clear();
  EXPECT_EQ(run_binary("prepare --no-such-flag", &out), 2) << out;
  out.clear();
  EXPECT_EQ(run_binary("prepare --valid-fraction 0.7 --test-fraction 0.7 --out /tmp/x", &out), 2) << out;

  if (!find_python_stdlib()) GTEST_SKIP() << "no Python standard library on this machine";
  TempDir tmp;
  make_corpus(tmp.path() / "corpus", SplitFractions{});
  out.clear();
  const std::string args = "prepare -q --threads 2 --vocab-size 400 --corpus " +
                           (tmp.path() / "corpus").string() + " --out " + (tmp.path() / "ds").string();
  ASSERT_EQ(run_binary(args, &out), 0) << out;
  EXPECT_NE(out.find("functions per split"), std::string::npos) << out;
  EXPECT_NE(out.find("skipped: invalid-utf8"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(tmp.path() / "ds" / kManifestName));
}

}  // namespace
}  // namespace bugseek::data
