// The sweep config's expansion (cartesian and zip), shards, and the results file (resume, a half
// last line, another config).  Running cells end to end is tested in tests/cli/sweep_cli_test.sh.
#include "bridge/sweep.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "base/error.h"
#include "base/file.h"

namespace statelab::bridge {
namespace {

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("statelab_sweep_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

// "[a, a + step, ...]" of n whole numbers (built by append: GCC 12 warns falsely on "x" + string).
std::string numbers(int n, int first, int step = 1) {
  std::string out = "[";
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += ",";
    out += std::to_string(first + i * step);
  }
  out += "]";
  return out;
}

// The message parse_sweep_config throws for config `text` of file b.toml ("no error" if none).
std::string message(const std::string& text) {
  try {
    parse_sweep_config(text, "b.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(SweepConfig, CartesianProductInFileOrderLastKeyFastest) {
  const SweepConfig c = parse_sweep_config(
      "[grid]\nlang = [\"parity\", \"tomita:n=3\"]\nmodel = [\"lstm\", \"gru\"]\nseed = [1, 2, 3]\n"
      "[fixed]\nhidden = 16\n",
      "c.toml");
  ASSERT_EQ(c.cells.size(), 12u);
  EXPECT_EQ(c.cells[0].key, "lang=parity model=lstm hidden=16 seed=1");
  EXPECT_EQ(c.cells[1].key, "lang=parity model=lstm hidden=16 seed=2");
  EXPECT_EQ(c.cells[3].key, "lang=parity model=gru hidden=16 seed=1");
  EXPECT_EQ(c.cells[11].key, "lang=tomita:n=3 model=gru hidden=16 seed=3");
  EXPECT_EQ(c.cells[5].spec.seed, 3u);
  EXPECT_EQ(c.cells[5].spec.hidden, 16);
  EXPECT_EQ(c.cells[5].options.at("model"), "gru");
}

TEST(SweepConfig, ZipListsVaryTogether) {
  const SweepConfig c = parse_sweep_config(
      "[fixed]\nlang = \"parity\"\n[grid]\nseed = [1, 2]\n"
      "[[zip]]\ntrain-lengths = [\"1..6\", \"1..8\", \"1..10\"]\ntest-lengths = [\"7..9\", \"9..12\", \"11..20\"]\n",
      "z.toml");
  ASSERT_EQ(c.cells.size(), 6u);
  for (const SweepCell& cell : c.cells) {
    const std::string train = cell.options.at("train-lengths"), test = cell.options.at("test-lengths");
    EXPECT_TRUE((train == "1..6" && test == "7..9") || (train == "1..8" && test == "9..12") ||
                (train == "1..10" && test == "11..20"))
        << cell.key;
  }
  EXPECT_EQ(c.cells[1].options.at("train-lengths"), "1..8");  // the zip comes after seed in the file
}

TEST(SweepConfig, AnEmptyStringLeavesAnOptionUnset) {
  // --pos belongs to the transformer: the LSTM's cell must not be given it at all.
  const SweepConfig c = parse_sweep_config(
      "[fixed]\nlang = \"parity\"\n[[zip]]\nmodel = [\"lstm\", \"transformer\"]\npos = [\"\", \"none\"]\n", "z.toml");
  ASSERT_EQ(c.cells.size(), 2u);
  EXPECT_FALSE(c.cells[0].spec.architecture_options.contains("pos"));
  EXPECT_EQ(c.cells[1].spec.architecture_options, (std::map<std::string, std::string>{{"pos", "none"}}));
  EXPECT_EQ(c.cells[0].key, "lang=parity model=lstm pos=");
  EXPECT_EQ(c.cells[1].key, "lang=parity model=transformer pos=none");
}

TEST(SweepConfig, ValuesAreCanonical) {
  const SweepConfig c = parse_sweep_config("[grid]\nlr = [0.01, 3e-3]\n[fixed]\nlang = \"parity\"\n", "c.toml");
  EXPECT_EQ(c.cells[0].options.at("lr"), "0.01");
  EXPECT_EQ(c.cells[1].options.at("lr"), "0.003");
}

TEST(SweepConfig, BadConfigsNameTheFileLineAndKey) {
  EXPECT_EQ(message("[grid]\nlang = [\"parity\"\nseed = [1]").rfind("b.toml:3: malformed TOML", 0), 0u);
  EXPECT_EQ(message("[grid]\ncolour = [1]").rfind("b.toml:2: key 'colour': not an option", 0), 0u);
  EXPECT_EQ(message("[grid]\nseed = []").rfind("b.toml:2: key 'seed' in [grid]: an empty list", 0), 0u);
  EXPECT_EQ(message("").rfind("b.toml: no option set", 0), 0u);
  EXPECT_EQ(message("[grid]\nmodel = [\"transformer\", \"mamba\"]\n[fixed]\nlang = \"parity\"\nheads = 2")
                .rfind("b.toml: cell 1 (lang=parity model=mamba heads=2): ", 0),
            0u);
  EXPECT_THROW(parse_sweep_config("[grid]\nmodel = [\"lstm\", \"transformer\"]\n[fixed]\nheads = 2\nlang = \"parity\"",
                                  "b.toml"),
               InvalidArgument);
}

// Parts: each is the top level with its own tables added; the cells are the parts' in order, and
// an option one part sets and another does not is unset (empty) in the other's cells.
TEST(SweepConfig, PartsAreGridsOfTheirOwnOneAfterTheOther) {
  const SweepConfig c = parse_sweep_config(
      "[grid]\nseed = [1, 2]\n[fixed]\nhidden = 16\n"
      "[[part]]\n[part.fixed]\nlang = \"parity\"\n[part.grid]\nmodel = [\"lstm\", \"gru\"]\n"
      "[[part]]\n[part.fixed]\nlang = \"tomita:n=3\"\nmodel = \"transformer\"\n"
      "[[part.zip]]\nlayers = [1, 2]\npos = [\"none\", \"sinusoidal\"]\n",
      "p.toml");
  ASSERT_EQ(c.cells.size(), 8u);
  // In each part the top level's seed (listed first) varies slowest.
  EXPECT_EQ(c.cells[0].key, "lang=parity model=lstm layers=1 hidden=16 pos= seed=1");
  EXPECT_EQ(c.cells[1].key, "lang=parity model=gru layers=1 hidden=16 pos= seed=1");
  EXPECT_EQ(c.cells[2].key, "lang=parity model=lstm layers=1 hidden=16 pos= seed=2");
  EXPECT_EQ(c.cells[4].key, "lang=tomita:n=3 model=transformer layers=1 hidden=16 pos=none seed=1");
  EXPECT_EQ(c.cells[7].key, "lang=tomita:n=3 model=transformer layers=2 hidden=16 pos=sinusoidal seed=2");
  for (std::size_t i = 0; i < c.cells.size(); ++i) EXPECT_EQ(c.cells[i].index, i);
  EXPECT_EQ(c.cells[0].spec.layers, 1);  // unset: the default, which the key shows
  EXPECT_FALSE(c.cells[0].spec.architecture_options.contains("pos"));
  EXPECT_EQ(c.cells[7].spec.layers, 2);
  EXPECT_EQ(c.cells[5].spec.seed, 1u);
  EXPECT_EQ(c.cells[6].spec.seed, 2u);
}

TEST(SweepConfig, BadPartsNameTheFileLineAndKey) {
  // An option of the top level set again in a part.
  EXPECT_EQ(message("[fixed]\nlang = \"parity\"\n[[part]]\n[part.grid]\nlang = [\"dyck\"]\n"),
            "b.toml:5: key 'lang': already set at line 2");
  EXPECT_EQ(message("[fixed]\nlang = \"parity\"\n[[part]]\n").rfind("b.toml:3: an empty [[part]]", 0), 0u);
  EXPECT_EQ(message("[fixed]\nlang = \"parity\"\n[[part]]\n[part.colours]\nred = 1\n")
                .rfind("b.toml:4: unknown table 'colours' in [[part]]", 0),
            0u);
  EXPECT_EQ(message("part = 3\n[fixed]\nlang = \"parity\"\n").rfind("b.toml:1: 'part' must be tables", 0), 0u);
  EXPECT_EQ(message("[fixed]\nlang = \"parity\"\n[[part]]\n[part.grid]\nseed = []\n")
                .rfind("b.toml:5: key 'seed' in [part.grid]: an empty list", 0),
            0u);
  // Two parts that give the same run.
  EXPECT_EQ(message("[fixed]\nlang = \"parity\"\n[[part]]\n[part.grid]\nseed = [1, 2]\n"
                    "[[part]]\n[part.fixed]\nseed = 2\n"),
            "b.toml: cells 1 and 2 are the same run (lang=parity seed=2)");
  // The bound holds for the parts together.
  const std::string list = numbers(300, 1);
  std::string parts = "[fixed]\nlang = \"parity\"\n";
  for (int p = 0; p < 2; ++p) parts += "[[part]]\n[part.grid]\nsteps = " + list + "\nbatch = " + numbers(200, 1 + 200 * p) + "\n";
  EXPECT_EQ(message(parts).rfind("b.toml: the grid has more than 100000 cells", 0), 0u);
}

TEST(SweepConfig, AGridTooLargeIsRefusedBeforeExpansion) {
  const std::string list = numbers(1000, 1);
  EXPECT_THROW(parse_sweep_config("[grid]\nseed = " + list + "\nsteps = " + list + "\nbatch = " + list, "b.toml"),
               InvalidArgument);
}

// The number of cells is the product of the list lengths (the zips counting once), and every
// combination appears exactly once.
RC_GTEST_PROP(SweepConfig, CellsAreEveryCombinationOnce, ()) {
  const auto seeds = *rc::gen::inRange(1, 5);
  const auto batches = *rc::gen::inRange(1, 4);
  const auto zip = *rc::gen::inRange(1, 4);
  const std::string text = "[fixed]\nlang = \"parity\"\n[grid]\nseed = " + numbers(seeds, 1) +
                           "\nbatch = " + numbers(batches, 8, 8) + "\n[[zip]]\nhidden = " + numbers(zip, 4) +
                           "\nembedding = " + numbers(zip, 2) + "\n";
  const SweepConfig c = parse_sweep_config(text, "p.toml");
  RC_ASSERT(c.cells.size() == static_cast<std::size_t>(seeds * batches * zip));
  std::set<std::tuple<std::uint64_t, int, int>> seen;
  for (const SweepCell& cell : c.cells) {
    RC_ASSERT(cell.spec.embedding == cell.spec.hidden - 2);  // zipped
    seen.emplace(cell.spec.seed, cell.spec.batch, cell.spec.hidden);
  }
  RC_ASSERT(seen.size() == c.cells.size());
}

RC_GTEST_PROP(Shard, ShardsPartitionTheCells, ()) {
  const auto cells = *rc::gen::inRange<std::size_t>(0, 200);
  const auto count = *rc::gen::inRange<std::size_t>(1, 20);
  std::vector<int> hits(cells, 0);
  for (std::size_t i = 0; i < count; ++i)
    for (const std::size_t c : shard_cells(cells, Shard{i, count})) ++hits[c];
  for (const int h : hits) RC_ASSERT(h == 1);
}

TEST(Shard, ParsesIOfNAndRefusesOutOfRange) {
  EXPECT_EQ(parse_shard("2/5").index, 2u);
  EXPECT_EQ(parse_shard("2/5").count, 5u);
  EXPECT_THROW(parse_shard("5/5"), InvalidArgument);
  EXPECT_THROW(parse_shard("1/0"), InvalidArgument);
  EXPECT_THROW(parse_shard("-1/3"), InvalidArgument);
  EXPECT_THROW(parse_shard("1"), InvalidArgument);
}

TEST(Results, AHalfLastLineIsCutOffAndItsCellRunsAgain) {
  const SweepConfig c = parse_sweep_config("[grid]\nseed = [1, 2, 3]\n[fixed]\nlang = \"parity\"\n", "c.toml");
  const auto path = scratch("half.jsonl");
  const std::string first =
      "{\"cell\":{},\"key\":\"" + c.cells[0].key + "\",\"status\":\"ok\",\"seconds\":1,\"config\":\"" + c.hash + "\"}\n";
  write_file(path, first + "{\"cell\":{},\"key\":\"" + c.cells[1].key + "\",\"sta");
  const ResultsState state = read_results(path, c, false);
  EXPECT_EQ(state.done.size(), 1u);
  EXPECT_EQ(state.valid_bytes, first.size());
  EXPECT_EQ(cells_to_run(c, state, Shard{}), (std::vector<std::size_t>{1, 2}));
  {
    ResultsWriter writer(path, state);
    writer.append("{\"key\":\"" + c.cells[1].key + "\",\"status\":\"failed\",\"config\":\"" + c.hash + "\"}");
  }
  const ResultsState after = read_results(path, c, false);
  EXPECT_EQ(after.lines, 2u);
  EXPECT_EQ(after.done.at(c.cells[1].key), "failed");
  EXPECT_EQ(sweep_summary(c, after, Shard{}).failed, 1u);
  std::filesystem::remove(path);
}

TEST(Results, AnotherConfigsFileIsRefusedUnlessForced) {
  const SweepConfig a = parse_sweep_config("[grid]\nseed = [1, 2]\n[fixed]\nlang = \"parity\"\n", "a.toml");
  const SweepConfig b = parse_sweep_config("[grid]\nseed = [1, 2, 3]\n[fixed]\nlang = \"parity\"\n", "b.toml");
  EXPECT_NE(a.hash, b.hash);
  const auto path = scratch("other.jsonl");
  write_file(path, "{\"key\":\"" + a.cells[0].key + "\",\"status\":\"ok\",\"config\":\"" + a.hash + "\"}\n");
  EXPECT_THROW(read_results(path, b, false), InvalidArgument);
  const ResultsState forced = read_results(path, b, true);
  EXPECT_EQ(cells_to_run(b, forced, Shard{}), (std::vector<std::size_t>{1, 2}));
  std::filesystem::remove(path);
}

TEST(Results, AnotherSweepWritingTheFileIsRefused) {
  const SweepConfig c = parse_sweep_config("[fixed]\nlang = \"parity\"\n", "c.toml");
  const auto path = scratch("locked.jsonl");
  const ResultsState state = read_results(path, c, false);
  ResultsWriter first(path, state);
  EXPECT_THROW(ResultsWriter(path, state), IoError);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace statelab::bridge
