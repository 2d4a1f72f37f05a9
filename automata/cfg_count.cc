#include "automata/cfg_count.h"

#include <algorithm>
#include <cassert>
#include <string>

#include "base/error.h"

namespace statelab::automata {

namespace {

// Kahn's algorithm over `depends[a]` (the nodes a needs first); false when there is a cycle,
// and then `cycle_member` is a node on one.
bool topological_order(const std::vector<std::vector<std::size_t>>& depends, std::vector<std::size_t>& order,
                       std::size_t& cycle_member) {
  const std::size_t n = depends.size();
  std::vector<std::size_t> pending(n, 0);
  std::vector<std::vector<std::size_t>> users(n);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b : depends[a]) {
      ++pending[a];
      users[b].push_back(a);
    }
  order.clear();
  for (std::size_t a = 0; a < n; ++a)
    if (pending[a] == 0) order.push_back(a);
  for (std::size_t i = 0; i < order.size(); ++i)
    for (std::size_t u : users[order[i]])
      if (--pending[u] == 0) order.push_back(u);
  if (order.size() == n) return true;
  for (std::size_t a = 0; a < n; ++a)
    if (pending[a] != 0) {
      cycle_member = a;
      break;
    }
  return false;
}

}  // namespace

CfgCounter::CfgCounter(const Cfg& input, std::size_t max_length)
    : terminals_(input.terminals()), max_length_(max_length) {
  const Cfg cfg = trim(input);
  if (cfg.num_nonterminals() == 0 || cfg.productions_of(cfg.start()).empty()) return;  // derives nothing

  // 1. Binarise: nodes are nonterminals (>= 0, fresh ones after the grammar's) and terminals.
  auto terminal = [](Symbol a) { return -static_cast<std::int64_t>(a) - 1; };
  auto node = [&](const GrammarSymbol& s) { return s.terminal ? terminal(s.id) : static_cast<std::int64_t>(s.id); };
  std::vector<std::string> names = cfg.nonterminal_names();  // for messages only
  struct Binary {
    std::int64_t lhs;
    std::vector<std::int64_t> rhs;  // at most two nodes
  };
  std::vector<Binary> binary;
  for (const Production& p : cfg.productions()) {
    std::int64_t lhs = p.lhs;
    std::size_t i = 0;
    while (p.rhs.size() - i > 2) {  // lhs -> X_i N, N fresh, carrying the rest
      const auto fresh = static_cast<std::int64_t>(names.size());
      names.push_back(cfg.nonterminal_name(p.lhs) + " (rest of a rule)");
      binary.push_back({lhs, {node(p.rhs[i]), fresh}});
      lhs = fresh;
      ++i;
    }
    std::vector<std::int64_t> rhs;
    for (; i < p.rhs.size(); ++i) rhs.push_back(node(p.rhs[i]));
    binary.push_back({lhs, std::move(rhs)});
  }
  const std::size_t n_nodes = names.size();
  auto ambiguous = [&](std::size_t member, const std::string& how) {
    throw InvalidArgument("CfgCounter: nonterminal " + names[member] + " " + how +
                          ", so some word has infinitely many derivations (the grammar is ambiguous)");
  };

  // 2. Nullable nodes and e(A), the derivations of the empty word, in topological order.
  std::vector<bool> nullable(n_nodes, false);
  for (bool changed = true; changed;) {
    changed = false;
    for (const Binary& b : binary) {
      if (nullable[b.lhs]) continue;
      if (std::all_of(b.rhs.begin(), b.rhs.end(), [&](std::int64_t x) { return x >= 0 && nullable[x]; })) {
        nullable[b.lhs] = true;
        changed = true;
      }
    }
  }
  auto all_nullable = [&](const Binary& b) {
    return std::all_of(b.rhs.begin(), b.rhs.end(), [&](std::int64_t x) { return x >= 0 && nullable[x]; });
  };
  std::vector<std::vector<std::size_t>> depends(n_nodes);
  for (const Binary& b : binary)
    if (all_nullable(b))
      for (std::int64_t x : b.rhs) depends[b.lhs].push_back(static_cast<std::size_t>(x));
  std::vector<std::size_t> order;
  std::size_t member = 0;
  if (!topological_order(depends, order, member)) ambiguous(member, "derives itself through nullable rules");
  counts_.assign(n_nodes, std::vector<BigCount>(max_length + 1, BigCount(0)));
  std::vector<std::vector<std::size_t>> rules_of(n_nodes);
  for (std::size_t i = 0; i < binary.size(); ++i) rules_of[binary[i].lhs].push_back(i);
  for (std::size_t a : order)
    for (std::size_t i : rules_of[a]) {
      if (!all_nullable(binary[i])) continue;
      BigCount ways = 1;
      for (std::int64_t x : binary[i].rhs) ways *= counts_[x][0];
      counts_[a][0] += ways;
    }

  // 3. The weighted grammar of non-empty derivations.
  rules_.assign(n_nodes, {});
  for (const Binary& b : binary) {
    auto e = [&](std::int64_t x) -> const BigCount& { return x >= 0 ? counts_[x][0] : zero_; };
    if (b.rhs.size() == 1) {
      rules_[b.lhs].push_back({b.rhs[0], kNone, 1});
    } else if (b.rhs.size() == 2) {
      const std::int64_t x = b.rhs[0], y = b.rhs[1];
      rules_[b.lhs].push_back({x, y, 1});
      if (e(x) != 0) rules_[b.lhs].push_back({y, kNone, e(x)});
      if (e(y) != 0) rules_[b.lhs].push_back({x, kNone, e(y)});
    }
  }
  // Nodes deriving some non-empty word; a unit cycle among them means infinitely many
  // derivations, one among the others is harmless (their counts stay zero).
  std::vector<bool> productive(n_nodes, false);
  auto productive_node = [&](std::int64_t x) { return x < 0 || productive[x]; };
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t a = 0; a < n_nodes; ++a) {
      if (productive[a]) continue;
      for (const Rule& r : rules_[a])
        if (productive_node(r.x) && (r.y == kNone || productive_node(r.y))) {
          productive[a] = true;
          changed = true;
          break;
        }
    }
  }
  for (auto& d : depends) d.clear();
  for (std::size_t a = 0; a < n_nodes; ++a) {
    if (!productive[a]) continue;
    for (const Rule& r : rules_[a])
      if (r.y == kNone && r.x >= 0 && productive[r.x]) depends[a].push_back(static_cast<std::size_t>(r.x));
  }
  if (!topological_order(depends, order, member)) ambiguous(member, "derives itself through unit rules");

  // 4. Counts by length; within one length, unit rules in topological order.
  for (std::size_t n = 1; n <= max_length; ++n)
    for (std::size_t a : order) {
      if (!productive[a]) continue;
      BigCount total = 0;
      for (const Rule& r : rules_[a]) {
        if (r.y == kNone) {
          total += r.weight * table(r.x, n);
        } else {
          for (std::size_t t = 1; t < n; ++t) {
            const BigCount& left = table(r.x, t);
            if (left == 0) continue;
            total += r.weight * left * table(r.y, n - t);
          }
        }
      }
      counts_[a][n] = std::move(total);
    }
  start_ = cfg.start();
}

const BigCount& CfgCounter::table(std::int64_t node, std::size_t length) const {
  if (node < 0) return length == 1 ? one_ : zero_;
  return counts_[node][length];
}

const BigCount& CfgCounter::count(std::size_t length) const {
  if (length > max_length_)
    throw InvalidArgument("CfgCounter::count: length " + std::to_string(length) + " beyond the tables (built up to " +
                          std::to_string(max_length_) + ")");
  if (start_ == kNone) return zero_;
  return counts_[start_][length];
}

Word CfgCounter::sample(std::size_t length, Rng& rng) const {
  if (count(length) == 0)
    throw InvalidArgument("CfgCounter::sample: the grammar has no word of length " + std::to_string(length));
  Word word;
  if (length == 0) return word;
  // Depth-first, left child on top, so that terminals come out in order.
  std::vector<std::pair<std::int64_t, std::size_t>> todo{{start_, length}};
  while (!todo.empty()) {
    const auto [x, len] = todo.back();
    todo.pop_back();
    if (x < 0) {
      word.push_back(static_cast<Symbol>(-(x + 1)));
      continue;
    }
    BigCount r = uniform_below(rng, counts_[x][len]);
    bool chosen = false;
    for (const Rule& rule : rules_[x]) {
      if (rule.y == kNone) {
        const BigCount ways = rule.weight * table(rule.x, len);
        if (r < ways) {
          todo.emplace_back(rule.x, len);
          chosen = true;
          break;
        }
        r -= ways;
        continue;
      }
      for (std::size_t t = 1; t < len && !chosen; ++t) {
        const BigCount& left = table(rule.x, t);
        if (left == 0) continue;
        const BigCount ways = rule.weight * left * table(rule.y, len - t);
        if (r < ways) {
          todo.emplace_back(rule.y, len - t);
          todo.emplace_back(rule.x, t);
          chosen = true;
        } else {
          r -= ways;
        }
      }
      if (chosen) break;
    }
    assert(chosen && "the counts are sums over exactly these choices");
  }
  return word;
}

std::vector<BigCount> count_words(const Cfg& cfg, std::size_t max_length) {
  const CfgCounter counter(cfg, max_length);
  std::vector<BigCount> out;
  for (std::size_t n = 0; n <= max_length; ++n) out.push_back(counter.count(n));
  return out;
}

}  // namespace statelab::automata
