#include "automata/cfg_prefix.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "base/error.h"

namespace statelab::automata {

namespace {

struct Item {
  std::uint32_t rule = 0;
  std::uint32_t dot = 0;
  std::size_t origin = 0;
  friend bool operator==(const Item&, const Item&) = default;
};

struct ItemHash {
  std::size_t operator()(const Item& item) const {
    std::uint64_t h = item.rule;
    h = h * 0x9E3779B97F4A7C15ULL + item.dot;
    h = h * 0x9E3779B97F4A7C15ULL + item.origin;
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
};

// One Earley set: its items in order of arrival, each once, and the items that wait for each
// nonterminal (indices into `items`).
struct EarleySet {
  std::vector<Item> items;
  std::unordered_set<Item, ItemHash> seen;
  std::unordered_map<Nonterminal, std::vector<std::size_t>> waiting;
  void add(const Item& item) {
    if (seen.insert(item).second) items.push_back(item);
  }
};

}  // namespace

std::vector<PrefixFacts> prefix_facts(const Cfg& input, std::span<const Symbol> word) {
  const std::size_t k = input.terminals().size();
  for (std::size_t i = 0; i < word.size(); ++i)
    if (word[i] >= k)
      throw InvalidArgument("prefix_facts: symbol id " + std::to_string(word[i]) + " at position " + std::to_string(i) +
                            " is outside the grammar's " + std::to_string(k) + " terminals");
  const std::size_t n = word.size();
  std::vector<PrefixFacts> facts(n + 1, PrefixFacts{false, false, std::vector<bool>(k, false)});
  if (input.num_nonterminals() == 0) return facts;
  const Cfg cfg = trim(input);
  const std::vector<bool> nullable = nullable_nonterminals(cfg);
  const auto& rules = cfg.productions();

  EarleySet current;
  for (std::size_t r : cfg.productions_of(cfg.start())) current.add({static_cast<std::uint32_t>(r), 0, 0});
  std::vector<EarleySet> sets;
  sets.reserve(n + 1);
  for (std::size_t j = 0; j <= n; ++j) {
    sets.push_back(std::move(current));
    current = EarleySet{};
    EarleySet& set = sets[j];
    if (set.items.empty()) break;  // dead: every longer prefix is dead too
    PrefixFacts& f = facts[j];
    f.viable = true;
    for (std::size_t idx = 0; idx < set.items.size(); ++idx) {
      const Item item = set.items[idx];  // a copy: add() may reallocate
      const Production& rule = rules[item.rule];
      if (item.dot == rule.rhs.size()) {  // complete: advance whoever waited for rule.lhs
        if (rule.lhs == cfg.start() && item.origin == 0) f.accepted = true;
        if (item.origin == j) continue;  // a nullable lhs: its waiters advanced when predicting
        const EarleySet& from = sets[item.origin];
        auto it = from.waiting.find(rule.lhs);
        if (it == from.waiting.end()) continue;
        for (std::size_t w : it->second) {
          const Item waiter = from.items[w];
          set.add({waiter.rule, waiter.dot + 1, waiter.origin});
        }
        continue;
      }
      const GrammarSymbol& s = rule.rhs[item.dot];
      if (s.terminal) {
        f.next[s.id] = true;
        if (j < n && s.id == word[j]) current.add({item.rule, item.dot + 1, item.origin});
        continue;
      }
      set.waiting[s.id].push_back(idx);
      for (std::size_t r : cfg.productions_of(s.id)) set.add({static_cast<std::uint32_t>(r), 0, j});
      if (nullable[s.id]) set.add({item.rule, item.dot + 1, item.origin});
    }
  }
  return facts;
}

}  // namespace statelab::automata
