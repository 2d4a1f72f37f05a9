#include "languages/dataset.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "base/error.h"
#include "languages/dataset_io.h"
#include "languages/registry.h"

namespace statelab::languages {
namespace {

DatasetOptions small_options() {
  DatasetOptions o;
  o.train_lengths = {0, 10};
  o.test_lengths = {6, 14};  // overlaps train on 6..10: disjointness must hold anyway
  o.train_per_length = 40;
  o.test_per_length = 40;
  o.seed = 42;
  return o;
}

// Every label right, no word twice, and as many positives as negatives at each length where both
// classes still have words (those of `taken`, the other split, are not available).
void expect_well_formed(const Language& lang, const std::vector<Example>& examples,
                        const std::vector<Example>& taken = {}) {
  std::map<std::size_t, std::pair<std::size_t, std::size_t>> used;
  for (const Example& e : taken) (e.label ? used[e.word.size()].first : used[e.word.size()].second)++;
  std::map<std::size_t, std::pair<std::size_t, std::size_t>> by_length;  // (positives, negatives)
  std::set<Word> seen;
  for (const Example& e : examples) {
    ASSERT_EQ(e.label, lang.contains(e.word)) << lang.alphabet().format_word(e.word);
    ASSERT_TRUE(seen.insert(e.word).second) << "twice: " << lang.alphabet().format_word(e.word);
    (e.label ? by_length[e.word.size()].first : by_length[e.word.size()].second)++;
  }
  for (const auto& [length, pn] : by_length) {
    const Count positives = lang.count_exactly(length) - used[length].first;
    const Count negatives = power(lang.alphabet().size(), length) - lang.count_exactly(length) - used[length].second;
    if (positives > 0 && negatives > 0) {
      EXPECT_EQ(pn.first, pn.second) << lang.name() << " length " << length;
    } else {
      EXPECT_TRUE(pn.first == 0 || pn.second == 0) << lang.name() << " length " << length;
    }
  }
}

TEST(Dataset, SplitsAreDisjointBalancedAndCorrectlyLabelled) {
  for (const char* name : {"dyck:k=1", "tomita:n=3", "parity", "anbn", "word-problem:group=S3", "marked-copy:k=2"}) {
    SCOPED_TRACE(name);
    const auto lang = make_language(name);
    const Dataset d = build_dataset(*lang, small_options());
    expect_well_formed(*lang, d.train);
    expect_well_formed(*lang, d.test, d.train);
    std::set<Word> train;
    for (const Example& e : d.train) train.insert(e.word);
    for (const Example& e : d.test) ASSERT_FALSE(train.contains(e.word)) << lang->alphabet().format_word(e.word);
    EXPECT_FALSE(d.train.empty());
    EXPECT_FALSE(d.test.empty());
  }
}

TEST(Dataset, TakesEveryWordWhenALengthHasFewAndBothClassesAreFull) {
  // parity, length 3: 4 positives and 4 negatives; asking 40 takes all 8.
  const auto lang = make_language("parity");
  DatasetOptions o = small_options();
  o.train_lengths = {3, 3};
  o.test_lengths = {4, 4};
  const Dataset d = build_dataset(*lang, o);
  EXPECT_EQ(d.train.size(), 8u);
  EXPECT_EQ(d.test.size(), 16u);
}

TEST(Dataset, NegativesAreHalfNearMisses) {
  const auto lang = make_language("dyck:k=2");
  DatasetOptions o = small_options();
  o.train_lengths = {12, 12};
  o.test_lengths = {14, 14};
  o.train_per_length = 200;
  const Dataset d = build_dataset(*lang, o);
  std::size_t near = 0, uniform = 0;
  for (const Example& e : d.train) {
    if (e.origin == Origin::near_miss) ++near;
    if (e.origin == Origin::uniform_negative) ++uniform;
  }
  EXPECT_EQ(near, 50u);
  EXPECT_EQ(uniform, 50u);
}

TEST(Dataset, IsReproducibleFromTheSeedWhateverTheThreads) {
  const auto lang = make_language("shuffle-dyck:k=2");
  DatasetOptions o = small_options();
  o.with_targets = true;
  const Dataset parallel = build_dataset(*lang, o);
  Dataset serial;
  {
    tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
    serial = build_dataset(*lang, o);
  }
  EXPECT_EQ(parallel.train, serial.train);
  EXPECT_EQ(parallel.test, serial.test);
  o.seed = 43;
  EXPECT_NE(build_dataset(*lang, o).train, parallel.train);
  for (const Example& e : parallel.train) ASSERT_EQ(e.targets, lang->targets(e.word));
}

TEST(Dataset, BadOptionsAreRefused) {
  const auto lang = make_language("parity");
  DatasetOptions o = small_options();
  o.train_lengths = {5, 2};
  EXPECT_THROW(build_dataset(*lang, o), InvalidArgument);
  o = small_options();
  o.max_edits = 0;
  EXPECT_THROW(build_dataset(*lang, o), InvalidArgument);
}

TEST(Perturb, MakesLengthPreservingEdits) {
  Rng rng(5);
  const Word w{0, 1, 1, 0, 2};
  for (int i = 0; i < 200; ++i) {
    const Word p = perturb(w, 3, 1, rng);
    ASSERT_EQ(p.size(), w.size());
    std::size_t diff = 0;
    for (std::size_t j = 0; j < w.size(); ++j) diff += p[j] != w[j];
    ASSERT_TRUE(diff == 1 || diff == 2);  // one substitution, or one swap of different symbols
    ASSERT_NE(p, w);
  }
}

class DatasetFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("statelab-dataset-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(DatasetFiles, JsonLinesRoundTripWithTargets) {
  for (const char* name : {"dyck:k=2", "word-problem:group=S3", "majority"}) {
    SCOPED_TRACE(name);
    const auto lang = make_language(name);
    DatasetOptions o = small_options();
    o.with_targets = true;
    const Dataset d = build_dataset(*lang, o);
    const auto path = dir_ / "train.jsonl";
    write_jsonl(path, d.alphabet, d.train, true);
    std::vector<Example> back = read_jsonl(path, d.alphabet);
    ASSERT_EQ(back.size(), d.train.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
      EXPECT_EQ(back[i].word, d.train[i].word);
      EXPECT_EQ(back[i].label, d.train[i].label);
      EXPECT_EQ(back[i].targets, d.train[i].targets);
    }
  }
  // Only the file itself is left: the temporary file was renamed.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), std::filesystem::directory_iterator()), 1);
}

TEST_F(DatasetFiles, JsonLinesHaveTheDocumentedFields) {
  const auto lang = make_language("parity");
  std::vector<Example> examples{{lang->parse_word("011"), false, {}, Origin::uniform_negative}};
  write_jsonl(dir_ / "x.jsonl", lang->alphabet(), examples);
  std::ifstream in(dir_ / "x.jsonl");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, R"({"word":"011","label":0,"length":3})");
}

TEST_F(DatasetFiles, AbbadingoRoundTrips) {
  const auto lang = make_language("tomita:n=5");
  const Dataset d = build_dataset(*lang, small_options());
  write_abbadingo(dir_ / "train.abbadingo", d.alphabet, d.train);
  std::ifstream in(dir_ / "train.abbadingo");
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, std::to_string(d.train.size()) + " 2");
  const std::vector<Example> back = read_abbadingo(dir_ / "train.abbadingo", d.alphabet);
  ASSERT_EQ(back.size(), d.train.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].word, d.train[i].word);
    EXPECT_EQ(back[i].label, d.train[i].label);
  }
}

std::string parse_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ParseError& e) {
    return e.what();
  }
  return "";
}

TEST_F(DatasetFiles, MalformedFilesNameTheFileAndLine) {
  const Alphabet binary = Alphabet::from_chars("01");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  };
  auto p = write("a.jsonl", "{\"word\":\"01\",\"label\":1,\"length\":2}\n{\"word\":\"0x\",\"label\":0}\n");
  std::string e = parse_error_of([&] { read_jsonl(p, binary); });
  EXPECT_NE(e.find("a.jsonl:2:"), std::string::npos) << e;
  EXPECT_NE(e.find("'x'"), std::string::npos) << e;
  p = write("b.jsonl", "{\"word\":\"01\",\"label\":2}\n");
  EXPECT_NE(parse_error_of([&] { read_jsonl(p, binary); }).find("b.jsonl:1: expected \"label\": 0 or 1"), std::string::npos);
  p = write("c.jsonl", "{\"word\":\"01\",\"label\":1,\"length\":3}\n");
  EXPECT_NE(parse_error_of([&] { read_jsonl(p, binary); }).find("disagrees"), std::string::npos);
  p = write("d.jsonl", "not json\n");
  EXPECT_NE(parse_error_of([&] { read_jsonl(p, binary); }).find("d.jsonl:1: malformed JSON"), std::string::npos);
  p = write("e.abbadingo", "2 2\n1 2 0 1\n0 3 1 1\n");
  EXPECT_NE(parse_error_of([&] { read_abbadingo(p, binary); }).find("e.abbadingo:3: length 3 but 2 symbols"),
            std::string::npos);
  p = write("f.abbadingo", "1 2\n1 2 0 2\n");
  EXPECT_NE(parse_error_of([&] { read_abbadingo(p, binary); }).find("symbol 2 out of range"), std::string::npos);
  p = write("g.abbadingo", "3 2\n1 1 0\n");
  EXPECT_NE(parse_error_of([&] { read_abbadingo(p, binary); }).find("announces 3 words"), std::string::npos);
  p = write("h.abbadingo", "1 3\n1 1 0\n");
  EXPECT_NE(parse_error_of([&] { read_abbadingo(p, binary); }).find("alphabet size 3"), std::string::npos);
  EXPECT_THROW(read_jsonl(dir_ / "missing.jsonl", binary), IoError);
  EXPECT_THROW(write_jsonl(dir_ / "no-such-dir" / "x.jsonl", binary, {}), IoError);
}

TEST(LengthRange, ParsesRangesAndSingleLengthsAndNamesTheOptionWhenRefused) {
  EXPECT_EQ(parse_length_range("3..7", "--lengths").min, 3u);
  EXPECT_EQ(parse_length_range("3..7", "--lengths").max, 7u);
  EXPECT_EQ(to_string(parse_length_range("4", "--lengths")), "4");
  EXPECT_EQ(to_string(parse_length_range("4..4", "--lengths")), "4");
  EXPECT_EQ(to_string(parse_length_range("0..20", "--lengths")), "0..20");
  for (const char* bad : {"", "-1", "1..", "..2", "a..b", "1...3", "100001"})
    EXPECT_THROW(parse_length_range(bad, "--train-lengths"), InvalidArgument) << bad;
  try {
    parse_length_range("5..2", "--test-lengths");
    FAIL();
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "--test-lengths 5..2: the range is inverted (expected A <= B)");
  }
}

}  // namespace
}  // namespace statelab::languages
