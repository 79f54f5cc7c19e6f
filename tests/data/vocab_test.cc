#include "data/vocab.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "data/node_vocab.h"

namespace bugseek::data {
namespace {

// Identifier-like training text: a few hundred lines of snake_case and CamelCase names.
std::vector<std::string> training_lines() {
  const char* words[] = {"get", "set", "user", "name", "value", "index", "count", "path", "file",
                         "self", "data", "result", "node", "parse", "token", "item", "key"};
  std::vector<std::string> lines;
  for (int i = 0; i < 300; ++i) {
    std::string line;
    for (int j = 0; j < 12; ++j) {
      const char* a = words[(i * 7 + j) % 17];
      const char* b = words[(i * 3 + j * 5) % 17];
      line += std::string(a) + "_" + b + " " + std::to_string(i % 10) + " self.x ( ) + == ";
    }
    lines.push_back(line);
  }
  return lines;
}

const std::string& tiny_model() {
  static const std::string model = [] {
    VocabTrainOptions o;
    o.vocab_size = 120;
    return train_vocabulary(training_lines(), o);
  }();
  return model;
}

TEST(Vocab, EncodeDecodeRoundTrip) {
  const Vocabulary v = Vocabulary::from_bytes(tiny_model());
  EXPECT_GT(v.size(), 20);
  EXPECT_LE(v.size(), 120);
  for (const std::string label : {"get_user", "result_count", "self", "parse_token_key", "7"}) {
    const auto ids = v.encode(label);
    ASSERT_FALSE(ids.empty()) << label;
    for (int32_t id : ids) EXPECT_NE(id, kPadId);
    EXPECT_EQ(v.decode(ids), label);
  }
}

TEST(Vocab, SaveLoadBytesGivesTheSameIds) {
  const Vocabulary a = Vocabulary::from_bytes(tiny_model());
  const Vocabulary b = Vocabulary::from_bytes(a.bytes());
  EXPECT_EQ(a.bytes(), b.bytes());
  for (const std::string label : {"get_user_name", "value_index", "x", "+"}) {
    EXPECT_EQ(a.encode(label), b.encode(label));
    EXPECT_EQ(a.encode_label(label), b.encode_label(label));
  }
}

TEST(Vocab, EncodeLabelPadsAndTruncates) {
  const Vocabulary v = Vocabulary::from_bytes(tiny_model());
  const auto empty = v.encode_label("");
  for (int32_t id : empty) EXPECT_EQ(id, kPadId);
  const auto longer = v.encode_label("get_user_name_value_index_count_path_file");
  for (int32_t id : longer) EXPECT_NE(id, kPadId);  // more than kMaxSubtokens pieces: all used
  const auto ids = v.encode("self");
  const auto padded = v.encode_label("self");
  for (size_t i = 0; i < kMaxSubtokens; ++i) {
    EXPECT_EQ(padded[i], i < ids.size() ? ids[i] : kPadId);
  }
  EXPECT_EQ(v.piece(kPadId), "<pad>");
}

TEST(Vocab, TruncateLabelKeepsWholeCharacters) {
  const std::string s = std::string(kMaxLabelBytes - 1, 'a') + "\xC3\xA9" + "tail";
  const auto t = truncate_label(s);
  EXPECT_EQ(t.size(), kMaxLabelBytes - 1);
  EXPECT_EQ(truncate_label("short"), "short");
}

TEST(Vocab, BadBytesAndBadOptionsAreErrors) {
  EXPECT_THROW(Vocabulary::from_bytes("definitely not a model"), Error);
  VocabTrainOptions o;
  o.model_type = "wordpiece";
  EXPECT_THROW(train_vocabulary(training_lines(), o), UsageError);
  EXPECT_THROW(train_vocabulary({}, VocabTrainOptions{}), Error);
}

TEST(Vocab, BpeTrainsToo) {
  VocabTrainOptions o;
  o.vocab_size = 100;
  o.model_type = "bpe";
  const Vocabulary v = Vocabulary::from_bytes(train_vocabulary(training_lines(), o));
  EXPECT_EQ(v.decode(v.encode("get_user")), "get_user");
}

TEST(NodeVocab, TextTableIsStableAndUnique) {
  EXPECT_EQ(text_vocab_entry(kTextNone), "<none>");
  EXPECT_EQ(text_id("+"), kTextFirstEntry);  // first entry: part of the model format
  for (int32_t id = kTextFirstEntry; id < text_vocab_size(); ++id) {
    EXPECT_EQ(text_id(text_vocab_entry(id)), id) << text_vocab_entry(id);
  }
  EXPECT_EQ(text_id("<>"), kTextUnknown);
  EXPECT_NE(text_id("True"), text_id("False"));
  EXPECT_NE(text_id("-1"), text_id("1"));
}

TEST(NodeVocab, NotInsertAndRemoveAreRecognized) {
  parser::Site site;
  site.kind = parser::BugKind::kBooleanOperator;
  parser::Rewrite rw;
  site.original = "ready";
  rw.replacement = "not ready";
  EXPECT_EQ(text_id(site, rw), kTextNotInsert);
  site.original = "not ready";
  rw.replacement = "ready";
  EXPECT_EQ(text_id(site, rw), kTextNotRemove);
  site.original = "and";
  rw.replacement = "or";
  EXPECT_EQ(text_id(site, rw), text_id("or"));
  site.original = "nothing";  // a name starting with "not" is not a `not`
  rw.replacement = "not nothing";
  EXPECT_EQ(text_id(site, rw), kTextNotInsert);
}

TEST(NodeVocab, NodeTypeIds) {
  const parser::Language& python = *parser::find_language("python");
  const int32_t size = node_type_vocab_size(python);
  EXPECT_GT(size, 100);
  parser::Node n;
  n.kind = parser::NodeKind::kSymbol;
  n.type_id = parser::kSymbolTypeId;
  EXPECT_EQ(node_type_id(n, size), kNodeTypeSymbol);
  n.kind = parser::NodeKind::kSyntax;
  n.type_id = parser::kErrorTypeId;
  EXPECT_EQ(node_type_id(n, size), kNodeTypeError);
  n.type_id = 5;
  EXPECT_EQ(node_type_id(n, size), kNodeTypeFirstGrammar + 5);
  n.type_id = 60000;
  EXPECT_EQ(node_type_id(n, size), kNodeTypeUnknown);
}

}  // namespace
}  // namespace bugseek::data
