#include "common/section_file.h"

#include <gtest/gtest.h>

#include "common/checksum.h"
#include "common/error.h"

namespace bugseek {
namespace {

SectionFile sample() {
  SectionFile f;
  f.format = "bugseek-test";
  f.version = 3;
  f.sections["config"] = "hidden=64\n";
  f.sections["weights"] = std::string("\0\1\2\3binary", 10);
  return f;
}

TEST(SectionFile, RoundTripsFormatVersionAndSections) {
  SectionFile back = parse_sections(serialize_sections(sample()), "mem");
  EXPECT_EQ(back.format, "bugseek-test");
  EXPECT_EQ(back.version, 3u);
  EXPECT_EQ(back.sections, sample().sections);
}

TEST(SectionFile, FlippedByteIsReportedAsCorrupt) {
  std::string bytes = serialize_sections(sample());
  bytes[bytes.size() - 2] ^= 0x40;
  EXPECT_THROW(parse_sections(bytes, "mem"), Error);
}

TEST(SectionFile, TruncatedFileIsReportedNotCrashed) {
  std::string bytes = serialize_sections(sample());
  for (size_t n : {size_t{0}, size_t{5}, size_t{12}, bytes.size() - 1}) {
    EXPECT_THROW(parse_sections(bytes.substr(0, n), "mem"), Error) << "prefix " << n;
  }
}

TEST(SectionFile, MissingSectionNamesIt) {
  try {
    sample().at("vocab");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("vocab"), std::string::npos);
  }
}

TEST(SectionFile, Crc32MatchesKnownValue) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);  // the standard CRC-32 check value
}

}  // namespace
}  // namespace bugseek
