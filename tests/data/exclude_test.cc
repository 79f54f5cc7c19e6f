#include "data/exclude.h"

#include <gtest/gtest.h>

#include "common/checksum.h"
#include "common/error.h"
#include "common/fs.h"
#include "data/dataset.h"
#include "tests/data/exclude_fixture.h"
#include "tests/data/test_util.h"

namespace bugseek::data {
namespace {
using namespace testing;

ExcludeSet set_of(const std::vector<std::string>& texts, const DedupOptions& options = {}) {
  ExcludeSet set = ExcludeSet::load({}, options);
  for (const auto& t : texts) set.add(t);
  return set;
}

TEST(Exclude, ExactUpToLayoutNearByTokenSetUnrelatedKept) {
  const ExcludeSet set = set_of({kBuggySmall, kFixedMethod, kBuggyLarge});
  EXPECT_EQ(set.match(kBuggySmall), ExcludeMatch::kExact);
  // The pair's method is indented; the corpus copy is top-level and re-wrapped.
  EXPECT_EQ(set.match(kFixedMethodReformatted), ExcludeMatch::kExact);
  EXPECT_EQ(set.match(kNearLarge), ExcludeMatch::kNear);
  EXPECT_EQ(set.match(kUnrelated), ExcludeMatch::kNone);
  // kFixedSmall differs from kBuggySmall by one token but has too few distinct tokens for a
  // near match (as small files in de-duplication).
  EXPECT_EQ(set.match(kFixedSmall), ExcludeMatch::kNone);
}

TEST(Exclude, ThresholdAboveOneLeavesOnlyExactMatches) {
  DedupOptions off;
  off.near_threshold = 1.5;
  const ExcludeSet set = set_of({kBuggyLarge}, off);
  EXPECT_EQ(set.match(kBuggyLarge), ExcludeMatch::kExact);
  EXPECT_EQ(set.match(kNearLarge), ExcludeMatch::kNone);
}

TEST(Exclude, EmptySetMatchesNothing) {
  const ExcludeSet set;
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set.match(kBuggySmall), ExcludeMatch::kNone);
}

TEST(Exclude, LoadsRealBugFilesWithChecksumsAndRejectsMalformedOnes) {
  TempDir tmp;
  const std::string jsonl = exclude_jsonl();
  write_file_atomic(tmp.path() / "pairs.jsonl", jsonl);
  const ExcludeSet set = ExcludeSet::load({(tmp.path() / "pairs.jsonl").string()}, {});
  ASSERT_EQ(set.files().size(), 1u);
  EXPECT_EQ(set.files()[0].crc32, crc32(jsonl));
  EXPECT_EQ(set.files()[0].bytes, jsonl.size());
  EXPECT_EQ(set.files()[0].functions, 6u);
  EXPECT_EQ(set.match(kFixedSmall), ExcludeMatch::kExact);

  write_file_atomic(tmp.path() / "bad.jsonl", "{\"buggy_source\": \"def f(): pass\"\n");
  EXPECT_THROW(ExcludeSet::load({(tmp.path() / "bad.jsonl").string()}, {}), Error);
  write_file_atomic(tmp.path() / "nofix.jsonl", "{\"buggy_source\": \"def f(): pass\"}\n");
  EXPECT_THROW(ExcludeSet::load({(tmp.path() / "nofix.jsonl").string()}, {}), Error);
  EXPECT_THROW(ExcludeSet::load({(tmp.path() / "missing.jsonl").string()}, {}), std::exception);
}

TEST(Exclude, ManifestRecordsExcludeFilesAndOldManifestsStillParse) {
  Manifest m;
  m.excludes.push_back({"real bugs/dev.jsonl", 1234, 0xdeadbeef, 42});
  const Manifest back = parse_manifest(format_manifest(m), "manifest.txt");
  ASSERT_EQ(back.excludes.size(), 1u);
  EXPECT_EQ(back.excludes[0].file, "real bugs/dev.jsonl");
  EXPECT_EQ(back.excludes[0].bytes, 1234u);
  EXPECT_EQ(back.excludes[0].crc32, 0xdeadbeefu);
  EXPECT_EQ(back.excludes[0].functions, 42u);

  const Manifest old = parse_manifest("bugseek-dataset 1\nsplit train files 1 functions 2\n", "m");
  EXPECT_TRUE(old.excludes.empty());
  EXPECT_THROW(parse_manifest("bugseek-dataset 1\nexclude crc32 00 bytes x\n", "m"), Error);
}

}  // namespace
}  // namespace bugseek::data
