// Regression tests for what fuzz_dataset (fuzz/fuzz_dataset.cc) found in the shard reader, run
// through the same function the fuzz target calls.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "data/shard.h"

namespace bugseek::data {
namespace {

std::string two_record_shard() {
  std::vector<FunctionRecord> records(2);
  records[0].text = "def f(a, b):\n    return a < b\n";
  records[0].file = "pkg/m.py";
  records[1].text = "def g(x):\n    return x\n";
  records[1].file = "pkg/n.py";
  return encode_shard(records);
}

// fuzz_dataset, out-of-memory: the record count sits in the header, outside the payload's
// checksum; a damaged count (here 0x03010000, as the fuzzer found it) made decode_shard reserve
// 50 million records, 8 GB, before reading any. Now an Error says the count cannot fit.
TEST(FuzzRegressShard, CountBeyondThePayloadIsAnErrorNotAnAllocation) {
  std::string shard = two_record_shard();
  const size_t count_at = sizeof(kShardMagic) + 4;  // after the magic and the version
  shard[count_at] = 0x00;
  shard[count_at + 1] = 0x00;
  shard[count_at + 2] = 0x01;
  shard[count_at + 3] = 0x03;
  try {
    decode_shard(shard, "train-00000.shard");
    FAIL() << "decode_shard accepted a count of 50 million records";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("train-00000.shard"), std::string::npos) << what;
    EXPECT_NE(what.find("records"), std::string::npos) << what;
  }
}

TEST(FuzzRegressShard, ExactCountStillReads) {
  EXPECT_EQ(decode_shard(two_record_shard(), "ok.shard").size(), 2u);
}

}  // namespace
}  // namespace bugseek::data
