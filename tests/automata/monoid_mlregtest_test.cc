// The syntactic monoids of the 1470 MLRegTest languages (tests/data/README.md) against the
// figures the benchmark publishes: the monoid's size M and its number of J-classes J, for every
// language; and the subregular class in each name against aperiodicity (Schutzenberger): the
// star-free classes come out aperiodic, Zp and Reg do not.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "automata/att_io.h"
#include "automata/monoid.h"
#include "automata/nfa.h"

namespace statelab::automata {
namespace {

namespace fs = std::filesystem;

const fs::path kData = STATELAB_TEST_DATA;

struct Published {
  std::size_t states = 0, monoid = 0, j_classes = 0;
};

// counts/NAME holds "S,M,J".
Published published(const fs::path& att) {
  std::ifstream in(kData / "mlregtest" / "counts" / att.stem());
  Published p;
  char comma1 = 0, comma2 = 0;
  if (!(in >> p.states >> comma1 >> p.monoid >> comma2 >> p.j_classes) || comma1 != ',' || comma2 != ',')
    throw std::runtime_error("no S,M,J for " + att.string());
  return p;
}

// ALPHABET.ALPHABET2.CLASS.k.j.i
std::string subregular_class(const fs::path& att) {
  const std::string name = att.stem().string();
  const std::size_t first = name.find('.'), second = name.find('.', first + 1), third = name.find('.', second + 1);
  return name.substr(second + 1, third - second - 1);
}

TEST(MlRegTestMonoid, EveryLanguageHasItsPublishedMonoidSizeJClassesAndClass) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kData / "mlregtest" / "att"))
    if (entry.path().extension() == ".att") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 1470u);

  const std::set<std::string> star_free = {"SL", "SP", "LT", "LTT", "PT", "PLT", "TSL", "TLT", "TLTT", "TPLT", "SF"};
  const std::set<std::string> with_groups = {"Zp", "Reg"};
  std::map<std::string, std::size_t> aperiodic_by_class, seen_by_class;
  std::size_t total_elements = 0;
  for (const fs::path& file : files) {
    const Published p = published(file);
    const TransitionMonoid m = syntactic_monoid(determinize(read_att_file(file)));
    const MonoidAnalysis a = analyze(m);
    total_elements += m.size();
    EXPECT_EQ(m.size(), p.monoid) << file.filename();
    EXPECT_EQ(a.j_classes.size(), p.j_classes) << file.filename();
    const std::string cls = subregular_class(file);
    ASSERT_TRUE(star_free.contains(cls) || with_groups.contains(cls)) << file.filename();
    ++seen_by_class[cls];
    aperiodic_by_class[cls] += a.aperiodic();
    if (star_free.contains(cls)) {
      EXPECT_TRUE(a.aperiodic()) << file.filename() << " is " << cls;
    } else {
      EXPECT_FALSE(a.aperiodic()) << file.filename() << " is " << cls;
    }
    // Zp counts modulo a prime: its groups are cyclic, so abelian and solvable.
    if (cls == "Zp") {
      for (const MaximalSubgroup& g : a.groups) EXPECT_TRUE(g.abelian && g.solvable) << file.filename();
    }
  }
  EXPECT_EQ(total_elements, 217672u);  // the sum of M over counts/
  for (const auto& [cls, n] : seen_by_class)
    EXPECT_EQ(aperiodic_by_class[cls], star_free.contains(cls) ? n : 0u) << cls;
}

}  // namespace
}  // namespace statelab::automata
