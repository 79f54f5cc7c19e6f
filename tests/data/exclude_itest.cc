// `prepare --exclude` end to end: a corpus holding copies of real-bug functions (exact, re-indented
// and re-wrapped, near) and an unrelated one, through prepare_dataset and the `bugseek` binary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <set>

#include "common/checksum.h"
#include "common/error.h"
#include "common/fs.h"
#include "data/corpus.h"
#include "data/dataset.h"
#include "data/prepare.h"
#include "tests/data/exclude_fixture.h"
#include "tests/data/test_util.h"

namespace bugseek::data {
namespace {
namespace fs = std::filesystem;
using testing::TempDir;

uint64_t stat_of(const Manifest& m, const std::string& key) {
  for (const auto& [k, v] : m.stats) {
    if (k == key) return v;
  }
  return ~0ULL;
}

// Prepares the exclude corpus with every file in `split` (by the fractions) and no vocabulary.
PrepareSummary prepare_into(const fs::path& dir, Split split,
                            const std::vector<std::string>& excl) {
  PrepareConfig c;
  c.corpus = {(dir / "corpus").string()};
  c.out = (dir / ("out-" + std::string(split_name(split)))).string();
  c.split = split == Split::kTrain ? SplitFractions{0, 0}
            : split == Split::kValid ? SplitFractions{1, 0}
                                     : SplitFractions{0, 1};
  c.exclude = excl;
  c.train_vocab = false;
  return prepare_dataset(c);
}

TEST(ExcludeIntegration, CopiesOfRealBugFunctionsAreDroppedAndCountedPerSplit) {
  TempDir tmp;
  const std::string jsonl = testing::exclude_jsonl();
  write_file_atomic(tmp.path() / "pairs.jsonl", jsonl);
  write_file_atomic(tmp.path() / "corpus/mod.py", testing::exclude_corpus_module());
  const std::vector<std::string> excl = {(tmp.path() / "pairs.jsonl").string()};

  for (int sp = 0; sp < kNumSplits; ++sp) {
    const auto split = static_cast<Split>(sp);
    const PrepareSummary s = prepare_into(tmp.path(), split, excl);
    EXPECT_EQ(s.excluded_exact, 2u);  // the buggy copy and the re-wrapped fixed method
    EXPECT_EQ(s.excluded_near, 1u);   // two tokens changed
    for (int other = 0; other < kNumSplits; ++other) {
      EXPECT_EQ(s.excluded[other], other == sp ? 3u : 0u) << split_name(split);
    }
    EXPECT_NE(s.format_table().find("excluded (real-bug files)  2 exact, 1 near ("),
              std::string::npos)
        << s.format_table();

    const fs::path out = tmp.path() / ("out-" + std::string(split_name(split)));
    const Manifest m = read_manifest(out);
    std::set<std::string> names;
    for (const auto& f : load_functions(out, m, split)) names.insert(f.name);
    EXPECT_EQ(names, std::set<std::string>{"wrap_words"});
    ASSERT_EQ(m.excludes.size(), 1u);
    EXPECT_EQ(m.excludes[0].file, excl[0]);
    EXPECT_EQ(m.excludes[0].crc32, crc32(jsonl));
    EXPECT_EQ(m.excludes[0].functions, 6u);
    EXPECT_EQ(stat_of(m, "excluded_exact"), 2u);
    EXPECT_EQ(stat_of(m, "excluded_near"), 1u);
    EXPECT_EQ(stat_of(m, "excluded_" + std::string(split_name(split))), 3u);
  }

  // Without --exclude all four are kept, and neither the table nor the manifest mentions it.
  const PrepareSummary plain = prepare_into(tmp.path(), Split::kTrain, {});
  EXPECT_EQ(plain.functions[0], 4u);
  EXPECT_EQ(plain.format_table().find("excluded"), std::string::npos);
  const Manifest m = read_manifest(tmp.path() / "out-train");
  EXPECT_TRUE(m.excludes.empty());
  EXPECT_EQ(stat_of(m, "excluded_exact"), ~0ULL);
}

TEST(ExcludeIntegration, MalformedExcludeFileIsAnErrorAndKeepsThePreviousDataset) {
  TempDir tmp;
  write_file_atomic(tmp.path() / "corpus/mod.py", testing::exclude_corpus_module());
  write_file_atomic(tmp.path() / "bad.jsonl", testing::exclude_jsonl() + "{not json\n");
  prepare_into(tmp.path(), Split::kTrain, {});
  EXPECT_THROW(prepare_into(tmp.path(), Split::kTrain, {(tmp.path() / "bad.jsonl").string()}),
               Error);
  EXPECT_TRUE(fs::exists(tmp.path() / "out-train" / kManifestName));
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

TEST(ExcludeIntegration, CommandLine) {
  std::string out;
  EXPECT_EQ(run_binary("prepare --help", &out), 0);
  EXPECT_NE(out.find("--exclude"), std::string::npos);

  TempDir tmp;
  write_file_atomic(tmp.path() / "bad.jsonl", "{\"buggy_source\": 1, \"fixed_source\": \"x\"}\n");
  write_file_atomic(tmp.path() / "corpus/mod.py", testing::exclude_corpus_module());
  out.clear();
  const std::string common = "prepare -q --corpus " + (tmp.path() / "corpus").string() +
                             " --out " + (tmp.path() / "ds").string();
  EXPECT_EQ(run_binary(common + " --exclude " + (tmp.path() / "bad.jsonl").string(), &out), 1)
      << out;
  EXPECT_NE(out.find("bugseek: error:"), std::string::npos) << out;
  EXPECT_NE(out.find("bad.jsonl"), std::string::npos) << out;
  out.clear();
  EXPECT_EQ(run_binary(common + " --exclude " + (tmp.path() / "missing.jsonl").string(), &out), 1)
      << out;

  const auto stdlib = find_python_stdlib();
  if (!stdlib) GTEST_SKIP() << "no Python standard library on this machine";
  write_file_atomic(tmp.path() / "corpus/textwrap.py", read_file(*stdlib / "textwrap.py"));
  write_file_atomic(tmp.path() / "pairs.jsonl", testing::exclude_jsonl());
  write_file_atomic(tmp.path() / "none.jsonl", "");
  out.clear();
  const std::string args = common + " --valid-fraction 0 --test-fraction 0 --vocab-size 200" +
                           " --exclude " + (tmp.path() / "pairs.jsonl").string() +
                           " --exclude " + (tmp.path() / "none.jsonl").string();
  ASSERT_EQ(run_binary(args, &out), 0) << out;
  EXPECT_NE(out.find("excluded (real-bug files)  2 exact, 1 near ("), std::string::npos) << out;
  const Manifest m = read_manifest(tmp.path() / "ds");
  ASSERT_EQ(m.excludes.size(), 2u);
  EXPECT_EQ(m.excludes[1].crc32, 0u);  // CRC-32 of no bytes
}

}  // namespace
}  // namespace bugseek::data
