#include "automata/alphabet.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "base/error.h"
#include "tests/support/generators.h"

namespace statelab::automata {
namespace {

TEST(Alphabet, SingleCharacterWordsRunTogether) {
  Alphabet ab = Alphabet::from_chars("01");
  EXPECT_TRUE(ab.single_char());
  EXPECT_EQ(ab.parse_word("0110"), (Word{0, 1, 1, 0}));
  EXPECT_EQ(ab.format_word(Word{1, 0}), "10");
  EXPECT_EQ(ab.parse_word("0 1 1"), (Word{0, 1, 1}));
  EXPECT_TRUE(ab.parse_word("").empty());
}

TEST(Alphabet, LongerNamesAreSpaceSeparated) {
  Alphabet ab({"push", "pop"});
  EXPECT_FALSE(ab.single_char());
  EXPECT_EQ(ab.parse_word("push pop  pop"), (Word{0, 1, 1}));
  EXPECT_EQ(ab.format_word(Word{0, 1}), "push pop");
}

TEST(Alphabet, UnknownSymbolNamesTheSymbolAndPosition) {
  Alphabet ab = Alphabet::from_chars("ab");
  try {
    ab.parse_word("abxa");
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'x' at position 2"), std::string::npos) << e.what();
  }
}

TEST(Alphabet, MessagesEscapeBinaryBytesAndKeepUtf8) {
  Alphabet ab = Alphabet::from_chars("ab");
  auto message = [&](const std::string& word) {
    try {
      ab.parse_word(word);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string binary = message("a\x01\xff\x80" "b");
  EXPECT_NE(binary.find("word 'a\\x01\\xff\\x80b': unknown symbol '\\x01' at position 1"), std::string::npos) << binary;
  for (char c : binary) EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) << binary;
  // Valid UTF-8 (an e with an acute accent) passes through; its first byte alone is no character.
  const std::string utf8 = message("a\xc3\xa9");
  EXPECT_NE(utf8.find("word 'a\xc3\xa9': unknown symbol '\\xc3' at position 1"), std::string::npos) << utf8;
  EXPECT_NE(message("a x").find("unknown symbol 'x' at position 1"), std::string::npos);
  try {
    Alphabet({"a\x01"});
    FAIL() << "expected an error";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'a\\x01'"), std::string::npos) << e.what();
  }
}

TEST(Alphabet, RefusesDuplicateAndEmptyNames) {
  EXPECT_THROW(Alphabet({"a", "a"}), InvalidArgument);
  EXPECT_THROW(Alphabet({""}), InvalidArgument);
  EXPECT_THROW(Alphabet({"a b"}), InvalidArgument);
}

RC_GTEST_PROP(Alphabet, FormatThenParseIsIdentity, ()) {
  const std::size_t k = *rc::gen::inRange<std::size_t>(1, 5);
  const bool long_names = *rc::gen::arbitrary<bool>();
  std::vector<std::string> names;
  for (std::size_t i = 0; i < k; ++i) names.push_back(long_names ? "s" + std::to_string(i) : std::string(1, 'a' + i));
  Alphabet ab(names);
  const Word w = *testing::gen_word(k);
  RC_ASSERT(ab.parse_word(ab.format_word(w)) == w);
}

}  // namespace
}  // namespace statelab::automata
