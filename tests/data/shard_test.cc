#include "data/shard.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/fs.h"
#include "data/dataset.h"
#include "tests/data/test_util.h"

namespace bugseek::data {
namespace {
using testing::TempDir;

std::vector<FunctionRecord> some_records(int n) {
  std::vector<FunctionRecord> out;
  for (int i = 0; i < n; ++i) {
    FunctionRecord r;
    r.text = "def f" + std::to_string(i) + "(x):\n    return x + " + std::to_string(i) + "\n";
    r.file = "pkg/m" + std::to_string(i % 3) + ".py";
    r.name = "f" + std::to_string(i);
    r.language = "python";
    r.span.start_byte = 10 * i;
    r.span.end_byte = 10 * i + 30;
    r.span.start = {static_cast<uint32_t>(i), 4};
    r.span.end = {static_cast<uint32_t>(i + 1), 20};
    r.indent = 4;
    r.num_sites = 3;
    r.num_nodes = 17;
    out.push_back(r);
  }
  return out;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Shard, Crc32MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32("6789", crc32("12345")), 0xCBF43926u);
}

TEST(Shard, EncodeDecodeRoundTrips) {
  const auto records = some_records(5);
  const auto decoded = decode_shard(encode_shard(records), "x.shard");
  ASSERT_EQ(decoded.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(decoded[i].text, records[i].text);
    EXPECT_EQ(decoded[i].file, records[i].file);
    EXPECT_EQ(decoded[i].name, records[i].name);
    EXPECT_EQ(decoded[i].span.end.column, records[i].span.end.column);
    EXPECT_EQ(decoded[i].num_nodes, 17u);
  }
}

TEST(Shard, CorruptionGivesAClearError) {
  std::string bytes = encode_shard(some_records(3));
  std::string flipped = bytes;
  flipped[flipped.size() - 5] ^= 0x20;
  const std::string msg = error_of([&] { decode_shard(flipped, "data/train-00000.shard"); });
  EXPECT_NE(msg.find("data/train-00000.shard"), std::string::npos) << msg;
  EXPECT_NE(msg.find("checksum mismatch"), std::string::npos) << msg;
  EXPECT_NE(error_of([&] { decode_shard(bytes.substr(0, bytes.size() - 3), "s"); }).find("truncated"),
            std::string::npos);
  EXPECT_NE(error_of([&] { decode_shard("not a shard at all, no", "s"); }).find("bad magic"),
            std::string::npos);
}

TEST(Dataset, WriteThenLoadChecksEveryShard) {
  TempDir dir;
  Manifest m;
  m.languages = {{"python", "0.23.6"}};
  ShardWriter train(dir.path(), Split::kTrain, 4);
  for (auto& r : some_records(10)) train.add(r);
  m.shards = train.finish();
  ASSERT_EQ(m.shards.size(), 3u);  // 4 + 4 + 2
  m.functions[0] = 10;
  m.stats = {{"files_read", 7}};
  write_manifest(dir.path(), m);

  const Manifest back = read_manifest(dir.path());
  EXPECT_EQ(format_manifest(back), format_manifest(m));
  const auto train_fns = load_functions(dir.path(), back, Split::kTrain);
  ASSERT_EQ(train_fns.size(), 10u);
  EXPECT_EQ(train_fns[9].name, "f9");
  EXPECT_TRUE(load_functions(dir.path(), back, Split::kTest).empty());

  // Damage one shard: the load names it and says what to do.
  std::string bytes = read_file(dir.path() / m.shards[1].file);
  bytes[40] ^= 1;
  write_file_atomic(dir.path() / m.shards[1].file, bytes);
  const std::string msg = error_of([&] { load_functions(dir.path(), back, Split::kTrain); });
  EXPECT_NE(msg.find("train-00001.shard"), std::string::npos) << msg;
  EXPECT_NE(msg.find("checksum mismatch"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bugseek prepare"), std::string::npos) << msg;
}

TEST(Dataset, MissingManifestSaysToRunPrepare) {
  TempDir dir;
  const std::string msg = error_of([&] { read_manifest(dir.path()); });
  EXPECT_NE(msg.find("bugseek prepare"), std::string::npos) << msg;
  write_file_atomic(dir.path() / kManifestName, "bugseek-dataset 99\n");
  EXPECT_NE(error_of([&] { read_manifest(dir.path()); }).find("newer"), std::string::npos);
}

}  // namespace
}  // namespace bugseek::data
