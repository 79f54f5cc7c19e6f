#include "data/corpus.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/error.h"
#include "tests/data/test_util.h"

namespace bugseek::data {
namespace {
namespace fs = std::filesystem;
using testing::TempDir;

uint64_t count(const CorpusListing& l, SkipReason r) { return l.counts[static_cast<int>(r)]; }

TEST(Corpus, ListsSourceFilesAndCountsEverySkipReason) {
  TempDir dir;
  dir.write("pkg/a.py", "def f(x):\n    return x + 1\n");
  dir.write("pkg/sub/b.py", "x = 1\n");
  dir.write("pkg/README.md", "# readme\n");
  dir.write("pkg/.hidden.py", "x = 1\n");
  dir.write(".cache/c.py", "x = 1\n");
  dir.write(".git/objects/d.py", "x = 1\n");
  dir.write("pkg/empty.py", "");
  dir.write("pkg/big.py", std::string(2048, '#'));
  fs::create_directory_symlink(dir.path() / "pkg", dir.path() / "pkg" / "sub" / "loop");

  CorpusOptions options;
  options.max_file_bytes = 1024;
  const CorpusListing listing = list_source_files({dir.path()}, options);
  ASSERT_EQ(listing.files.size(), 2u);
  EXPECT_EQ(listing.files[0].rel_path, "pkg/a.py");
  EXPECT_EQ(listing.files[1].rel_path, "pkg/sub/b.py");
  EXPECT_EQ(listing.files[0].language->name, "python");
  EXPECT_EQ(count(listing, SkipReason::kNoLanguage), 1u);
  EXPECT_EQ(count(listing, SkipReason::kHidden), 2u);  // .hidden.py and .cache
  EXPECT_EQ(count(listing, SkipReason::kVcs), 1u);
  EXPECT_EQ(count(listing, SkipReason::kEmpty), 1u);
  EXPECT_EQ(count(listing, SkipReason::kTooLarge), 1u);
  EXPECT_EQ(count(listing, SkipReason::kSymlinkLoop), 1u);
  EXPECT_EQ(listing.skipped.size(), 7u);
}

TEST(Corpus, SingleFileRootUsesItsNameAsRelativePath) {
  TempDir dir;
  const auto file = dir.write("one.py", "x = 1\n");
  const CorpusListing listing = list_source_files({file});
  ASSERT_EQ(listing.files.size(), 1u);
  EXPECT_EQ(listing.files[0].rel_path, "one.py");
}

TEST(Corpus, MissingRootIsAnErrorNamingIt) {
  try {
    list_source_files({"/no/such/bugseek/dir"});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/no/such/bugseek/dir"), std::string::npos);
  }
}

TEST(Corpus, ReadSourceTextRejectsBinaryAndInvalidUtf8) {
  TempDir dir;
  const auto good = dir.write("good.py", "s = 'h\xC3\xA9llo'\n");
  const auto binary = dir.write("bin.py", std::string("x = 1\0\1\2", 8));
  const auto latin1 = dir.write("latin1.py", "s = 'h\xE9llo'\n");
  EXPECT_TRUE(read_source_text(good, 0).ok);
  EXPECT_EQ(read_source_text(binary, 0).reason, SkipReason::kBinary);
  EXPECT_EQ(read_source_text(latin1, 0).reason, SkipReason::kInvalidUtf8);
  EXPECT_EQ(read_source_text(dir.path() / "gone.py", 0).reason, SkipReason::kUnreadable);
  EXPECT_EQ(read_source_text(good, 4).reason, SkipReason::kTooLarge);
}

TEST(Corpus, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC \xF0\x9F\x98\x80"));  // euro sign, emoji
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));                     // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));                 // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));             // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));                     // truncated
}

}  // namespace
}  // namespace bugseek::data
