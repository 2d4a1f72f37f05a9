// Every catalogue entry against an independent brute-force predicate written here from the
// definition (sharing no code with languages/): membership on every word up to a length of at
// least 10, counts against enumeration, per-position targets against a direct simulation and
// against the brute-force set of prefixes of the language.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <unordered_set>

#include "automata/dfa.h"
#include "automata/reachability.h"
#include "languages/registry.h"

namespace statelab::languages {
namespace {

using State = std::vector<std::int64_t>;

struct Case {
  std::string name;
  std::string alphabet;  // the expected symbols, one character each, in order
  std::size_t max_length;
  std::function<bool(const std::string&)> member;
  // The reference machine's state after a prefix; unset for DFA entries (run on the DFA).
  std::function<State(const std::string&)> state;
  // An upper bound on the length of the shortest completion of a viable prefix of length i
  // (so that the brute-force prefix set decides the next-symbol sets up to max_length).
  std::function<std::size_t(std::size_t)> completion;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::size_t count_of(const std::string& s, char c) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), c)); }

// The maximal runs of a word: (symbol, length).
std::vector<std::pair<char, std::size_t>> runs(const std::string& s) {
  std::vector<std::pair<char, std::size_t>> out;
  for (char c : s) {
    if (!out.empty() && out.back().first == c) ++out.back().second;
    else out.push_back({c, 1});
  }
  return out;
}

// Deletes adjacent matching pairs until none is left: what remains of a Dyck prefix is only opens.
std::string reduce_brackets(const std::string& s, const std::string& pairs) {
  std::string stack;
  for (char c : s) {
    const auto at = pairs.find(c);
    if (at % 2 == 1 && !stack.empty() && stack.back() == pairs[at - 1]) stack.pop_back();
    else stack.push_back(c);
  }
  return stack;
}
bool only_opens(const std::string& s, const std::string& pairs) {
  for (char c : s)
    if (pairs.find(c) % 2 == 1) return false;
  return true;
}
std::string project(const std::string& s, const std::string& keep) {
  std::string out;
  for (char c : s)
    if (keep.find(c) != std::string::npos) out += c;
  return out;
}
std::string reversed(std::string s) {
  std::reverse(s.begin(), s.end());
  return s;
}

// u#reverse(u) (reverse = true) or u#u: the viable prefixes and the queue/stack size.
State marked_state(const std::string& p, bool reverse) {
  const auto hash = p.find('#');
  if (hash == std::string::npos) return {static_cast<std::int64_t>(p.size())};
  const std::string u = p.substr(0, hash), v = p.substr(hash + 1);
  const std::string want = reverse ? reversed(u) : u;
  if (v.size() > u.size() || want.compare(0, v.size(), v) != 0) return {-1};
  return {static_cast<std::int64_t>(u.size() - v.size())};
}
bool marked_member(const std::string& s, bool reverse) {
  const auto hash = s.find('#');
  if (hash == std::string::npos || count_of(s, '#') != 1) return false;
  const std::string u = s.substr(0, hash), v = s.substr(hash + 1);
  return v == (reverse ? reversed(u) : u);
}

bool tomita3(const std::string& s) {
  // Rejected: an odd run of 1s with an odd run of 0s anywhere after it.
  auto r = runs(s);
  for (std::size_t i = 0; i < r.size(); ++i)
    if (r[i].first == '1' && r[i].second % 2 == 1)
      for (std::size_t j = i + 1; j < r.size(); ++j)
        if (r[j].first == '0' && r[j].second % 2 == 1) return false;
  return true;
}

bool flip_flop(const std::string& s) {
  if (s.size() < 4 || s.size() % 2) return false;
  char memory = 0;
  for (std::size_t i = 0; i < s.size(); i += 2) {
    const char op = s[i], bit = s[i + 1];
    if (std::string("wri").find(op) == std::string::npos || (bit != '0' && bit != '1')) return false;
    if (i == 0 && op != 'w') return false;
    if (op == 'w') memory = bit;
    if (op == 'r' && bit != memory) return false;
  }
  return s[s.size() - 2] == 'r';
}

std::vector<Case> cases() {
  auto constant = [](std::size_t c) { return [c](std::size_t) { return c; }; };
  auto linear = [](std::size_t a, std::size_t b) { return [a, b](std::size_t i) { return a * i + b; }; };
  const std::string brackets2 = "()[]";
  std::vector<Case> out;
  out.push_back({"first", "01", 12, [](const std::string& s) { return !s.empty() && s[0] == '1'; }, {}, constant(0)});
  out.push_back({"parity", "01", 12, [](const std::string& s) { return count_of(s, '1') % 2 == 1; }, {}, constant(1)});
  out.push_back({"majority", "01", 12, [](const std::string& s) { return count_of(s, '1') > count_of(s, '0'); },
                 [](const std::string& s) {
                   return State{static_cast<std::int64_t>(count_of(s, '1')) - static_cast<std::int64_t>(count_of(s, '0'))};
                 },
                 linear(1, 1)});
  out.push_back({"tomita:n=1", "01", 12, [](const std::string& s) { return count_of(s, '0') == 0; }, {}, constant(0)});
  out.push_back({"tomita:n=2", "01", 12,
                 [](const std::string& s) {
                   std::string t;
                   while (t.size() < s.size()) t += "10";
                   return s == t;
                 },
                 {}, constant(1)});
  out.push_back({"tomita:n=3", "01", 12, tomita3, {}, constant(2)});
  out.push_back({"tomita:n=4", "01", 12, [](const std::string& s) { return s.find("000") == std::string::npos; }, {},
                 constant(0)});
  out.push_back({"tomita:n=5", "01", 12,
                 [](const std::string& s) { return count_of(s, '0') % 2 == 0 && count_of(s, '1') % 2 == 0; }, {},
                 constant(2)});
  out.push_back({"tomita:n=6", "01", 12,
                 [](const std::string& s) {
                   const auto d = static_cast<long>(count_of(s, '0')) - static_cast<long>(count_of(s, '1'));
                   return ((d % 3) + 3) % 3 == 0;
                 },
                 {}, constant(2)});
  out.push_back({"tomita:n=7", "01", 12,
                 [](const std::string& s) {
                   std::size_t tens = 0;
                   for (std::size_t i = 0; i + 1 < s.size(); ++i) tens += s[i] == '1' && s[i + 1] == '0';
                   return tens <= 1;
                 },
                 {}, constant(0)});
  out.push_back({"even-pairs", "ab", 12,
                 [](const std::string& s) {
                   std::size_t pairs = 0;
                   for (std::size_t i = 0; i + 1 < s.size(); ++i) pairs += s[i] != s[i + 1];
                   return pairs % 2 == 0;
                 },
                 {}, constant(1)});
  out.push_back({"modular-count:m=3", "01", 12, [](const std::string& s) { return count_of(s, '1') % 3 == 0; }, {},
                 constant(2)});
  out.push_back({"cycle-navigation:n=5", "012", 10,
                 [](const std::string& s) {
                   long pos = 0;
                   for (char c : s) pos += c == '1' ? 1 : c == '2' ? -1 : 0;
                   return ((pos % 5) + 5) % 5 == 0;
                 },
                 {}, constant(4)});
  for (std::size_t depth : {1, 2, 3}) {
    out.push_back({"dyck:k=2,depth=" + std::to_string(depth), brackets2, 10,
                   [brackets2, depth](const std::string& s) {
                     if (!reduce_brackets(s, brackets2).empty()) return false;
                     long d = 0, most = 0;
                     for (char c : s) most = std::max(most, d += brackets2.find(c) % 2 ? -1 : 1);
                     return most <= static_cast<long>(depth);
                   },
                   {}, constant(depth)});
  }
  out.push_back({"dyck:k=1,depth=4", "()", 12, [](const std::string& s) {
                   long d = 0, most = 0;
                   for (char c : s) {
                     most = std::max(most, d += c == '(' ? 1 : -1);
                     if (d < 0) return false;
                   }
                   return d == 0 && most <= 4;
                 }, {}, constant(4)});
  auto dyck_state = [](std::string pairs) {
    return [pairs](const std::string& p) {
      const std::string rest = reduce_brackets(p, pairs);
      return only_opens(rest, pairs) ? State{static_cast<std::int64_t>(rest.size())} : State{-1};
    };
  };
  out.push_back({"dyck:k=1", "()", 12, [](const std::string& s) { return reduce_brackets(s, "()").empty(); },
                 dyck_state("()"), linear(1, 1)});
  out.push_back({"dyck:k=2", brackets2, 10, [brackets2](const std::string& s) { return reduce_brackets(s, brackets2).empty(); },
                 dyck_state(brackets2), linear(1, 1)});
  out.push_back({"dyck:k=3", "()[]{}", 8, [](const std::string& s) { return reduce_brackets(s, "()[]{}").empty(); },
                 dyck_state("()[]{}"), linear(1, 1)});
  out.push_back({"flip-flop", "wri01", 10, flip_flop, {}, constant(4)});
  out.push_back({"anbn", "ab", 12,
                 [](const std::string& s) {
                   const std::size_t n = s.size() / 2;
                   return s == std::string(n, 'a') + std::string(s.size() - n, 'b') && s.size() % 2 == 0;
                 },
                 [](const std::string& p) {
                   const std::size_t i = p.find_first_not_of('a') == std::string::npos ? p.size() : p.find_first_not_of('a');
                   const bool shape = p.find('a', i) == std::string::npos;
                   const auto a = static_cast<std::int64_t>(count_of(p, 'a')), b = static_cast<std::int64_t>(count_of(p, 'b'));
                   return shape && b <= a ? State{a - b} : State{-1};
                 },
                 linear(1, 0)});
  out.push_back({"anbncn", "abc", 10,
                 [](const std::string& s) {
                   const std::size_t n = s.size() / 3;
                   return s.size() % 3 == 0 && s == std::string(n, 'a') + std::string(n, 'b') + std::string(n, 'c');
                 },
                 [](const std::string& p) {
                   const auto a = static_cast<std::int64_t>(count_of(p, 'a')), b = static_cast<std::int64_t>(count_of(p, 'b')),
                              c = static_cast<std::int64_t>(count_of(p, 'c'));
                   const bool sorted = std::is_sorted(p.begin(), p.end());
                   const bool ok = sorted && (c == 0 ? b <= a : (b == a && c <= a));
                   return ok ? State{a - b, a - c} : State{-1, -1};
                 },
                 linear(2, 0)});
  out.push_back({"shuffle-dyck:k=2", brackets2, 10,
                 [](const std::string& s) {
                   return reduce_brackets(project(s, "()"), "()").empty() && reduce_brackets(project(s, "[]"), "[]").empty();
                 },
                 [](const std::string& p) {
                   State counters;
                   for (std::string pair : {"()", "[]"}) {
                     std::int64_t c = 0;
                     for (char x : project(p, pair)) {
                       c += x == pair[0] ? 1 : -1;
                       if (c < 0) return State{-1, -1};
                     }
                     counters.push_back(c);
                   }
                   return counters;
                 },
                 linear(1, 1)});
  out.push_back({"palindrome:k=2", "ab", 12, [](const std::string& s) { return s == reversed(s); },
                 [](const std::string&) { return State{}; }, linear(1, 0)});
  out.push_back({"palindrome:k=3", "abc", 10, [](const std::string& s) { return s == reversed(s); },
                 [](const std::string&) { return State{}; }, linear(1, 0)});
  out.push_back({"marked-palindrome:k=2", "ab#", 10, [](const std::string& s) { return marked_member(s, true); },
                 [](const std::string& p) { return marked_state(p, true); }, linear(1, 1)});
  out.push_back({"marked-reversal", "01#", 10, [](const std::string& s) { return marked_member(s, true); },
                 [](const std::string& p) { return marked_state(p, true); }, linear(1, 1)});
  out.push_back({"copy:k=2", "ab", 12,
                 [](const std::string& s) {
                   return s.size() % 2 == 0 && s.substr(0, s.size() / 2) == s.substr(s.size() / 2);
                 },
                 [](const std::string&) { return State{}; }, linear(1, 0)});
  out.push_back({"marked-copy:k=2", "ab#", 10, [](const std::string& s) { return marked_member(s, false); },
                 [](const std::string& p) { return marked_state(p, false); }, linear(1, 1)});
  out.push_back({"string-equality", "01#", 10, [](const std::string& s) { return marked_member(s, false); },
                 [](const std::string& p) { return marked_state(p, false); }, linear(1, 1)});
  return out;
}

class CatalogueEntry : public ::testing::TestWithParam<Case> {};

TEST_P(CatalogueEntry, AgreesWithTheBruteForcePredicateOnEveryShortWord) {
  const Case& c = GetParam();
  const auto lang = make_language(c.name);
  ASSERT_EQ(lang->alphabet(), Alphabet::from_chars(c.alphabet));
  const std::size_t k = c.alphabet.size();
  std::vector<std::uint64_t> counts(c.max_length + 1, 0);
  std::unordered_set<std::string> prefixes;  // of the words of the language up to max_length
  // Odometer over all words of each length.
  for (std::size_t n = 0; n <= c.max_length; ++n) {
    Word w(n, 0);
    std::string s(n, c.alphabet[0]);
    while (true) {
      const bool in = c.member(s);
      ASSERT_EQ(lang->contains(w), in) << c.name << " on '" << s << "'";
      if (in) {
        ++counts[n];
        for (std::size_t i = 0; i <= n; ++i) prefixes.insert(s.substr(0, i));
      }
      std::size_t i = n;
      while (i > 0 && w[i - 1] == k - 1) {
        w[i - 1] = 0;
        s[i - 1] = c.alphabet[0];
        --i;
      }
      if (i == 0) break;
      ++w[i - 1];
      s[i - 1] = c.alphabet[w[i - 1]];
    }
  }
  for (std::size_t n = 0; n <= c.max_length; ++n) EXPECT_EQ(lang->count_exactly(n), counts[n]) << c.name << " length " << n;

  // Targets on every word of one length (their prefixes cover all shorter words).
  std::size_t length = 0;
  for (std::size_t total = k; total <= 4096 && length < c.max_length; total *= k) ++length;
  std::vector<bool> live;
  if (lang->dfa()) live = automata::live_states(*lang->dfa());
  Word w(length, 0);
  while (true) {
    std::string s;
    for (Symbol a : w) s += c.alphabet[a];
    const std::vector<PrefixTarget> targets = lang->targets(w);
    ASSERT_EQ(targets.size(), length + 1);
    for (std::size_t i = 0; i <= length; ++i) {
      const std::string p = s.substr(0, i);
      const PrefixTarget& t = targets[i];
      ASSERT_EQ(t.end, c.member(p)) << c.name << " after '" << p << "'";
      ASSERT_EQ(t.next.size(), k);
      if (lang->dfa()) {
        const automata::State q = automata::run(*lang->dfa(), lang->dfa()->initial(), std::span(w).first(i));
        ASSERT_EQ(t.state, State{static_cast<std::int64_t>(q)}) << c.name << " after '" << p << "'";
        for (Symbol a = 0; a < k; ++a) ASSERT_EQ(t.next[a], live[lang->dfa()->next(q, a)]);
      } else {
        ASSERT_EQ(t.state, c.state(p)) << c.name << " after '" << p << "'";
      }
      for (Symbol a = 0; a < k; ++a) {
        if (i + 1 + c.completion(i + 1) > c.max_length) continue;  // the brute force cannot decide it
        ASSERT_EQ(t.next[a], prefixes.contains(p + c.alphabet[a])) << c.name << " after '" << p << "' then "
                                                                  << c.alphabet[a];
      }
    }
    std::size_t i = length;
    while (i > 0 && w[i - 1] == k - 1) w[--i] = 0;
    if (i == 0) break;
    ++w[i - 1];
  }
}

TEST_P(CatalogueEntry, SamplesAreWordsOfTheLanguageOfTheRightLength) {
  const Case& c = GetParam();
  const auto lang = make_language(c.name);
  Rng rng(7);
  for (std::size_t n = 0; n <= 16; ++n) {
    const bool any = lang->count_exactly(n) > 0;
    for (int i = 0; i < 20; ++i) {
      auto w = lang->sample(n, rng);
      ASSERT_EQ(w.has_value(), any) << c.name << " length " << n;
      if (!w) break;
      ASSERT_EQ(w->size(), n);
      std::string s;
      for (Symbol a : *w) s += c.alphabet.at(a);
      ASSERT_TRUE(c.member(s)) << c.name << ": sampled '" << s << "'";
    }
    const bool any_negative = lang->count_exactly(n) < power(c.alphabet.size(), n);
    for (int i = 0; i < 20; ++i) {
      auto w = lang->sample_negative(n, rng);
      ASSERT_EQ(w.has_value(), any_negative) << c.name << " length " << n;
      if (!w) break;
      ASSERT_EQ(w->size(), n);
      std::string s;
      for (Symbol a : *w) s += c.alphabet.at(a);
      ASSERT_FALSE(c.member(s)) << c.name << ": sampled negative '" << s << "'";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Catalogue, CatalogueEntry, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name;
                           for (char ch : info.param.name) name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return name;
                         });

}  // namespace
}  // namespace statelab::languages
