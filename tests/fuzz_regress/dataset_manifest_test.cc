// Regression tests for what fuzz_dataset (fuzz/fuzz_dataset.cc) found in the dataset manifest
// reader, run through the same function the fuzz target calls.
#include <gtest/gtest.h>

#include <string>

#include "common/error.h"
#include "data/dataset.h"

namespace bugseek::data {
namespace {

std::string error_of(const std::string& manifest) {
  try {
    parse_manifest(manifest, "manifest.txt");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// fuzz_dataset, first crash (minimized): a crc32 field that is not hexadecimal escaped as
// std::invalid_argument from std::stoul, so `train` said "bugseek: error: stoul".
TEST(FuzzRegressManifest, NonHexCrcIsAnErrorNamingTheLine) {
  const std::string found = "bugseek-dataset 1\nvocab l s 3d \xff";
  const std::string what = error_of(found);
  EXPECT_NE(what.find("manifest.txt"), std::string::npos) << what;
  EXPECT_NE(what.find("line 2"), std::string::npos) << what;
  EXPECT_NE(what.find("crc32"), std::string::npos) << what;
}

// The same field on the other rows that carry one, and values std::stoul would have accepted but
// that do not fit 32 bits or have a sign or a prefix.
TEST(FuzzRegressManifest, EveryCrcFieldIsChecked) {
  for (const std::string row :
       {"shard train train-0.shard functions 1 bytes 2 crc32 zz", "vocab v bytes 3 crc32 1ffffffff",
        "vocab v bytes 3 crc32 -1", "vocab v bytes 3 crc32 0x1f",
        "exclude crc32 g bytes 1 functions 1 real.jsonl"}) {
    EXPECT_NE(error_of("bugseek-dataset 1\n" + row + "\n").find("crc32"), std::string::npos) << row;
  }
}

TEST(FuzzRegressManifest, WellFormedCrcsStillRead) {
  const Manifest m = parse_manifest(
      "bugseek-dataset 1\nvocab v bytes 3 crc32 DEADbeef\n"
      "shard train t.shard functions 1 bytes 2 crc32 0000000a\n",
      "manifest.txt");
  EXPECT_EQ(m.vocab_crc32, 0xdeadbeefu);
  ASSERT_EQ(m.shards.size(), 1u);
  EXPECT_EQ(m.shards[0].crc32, 0xau);
}

}  // namespace
}  // namespace bugseek::data
