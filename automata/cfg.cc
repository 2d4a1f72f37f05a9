#include "automata/cfg.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <unordered_set>

#include "automata/io_util.h"
#include "base/error.h"
#include "base/file.h"
#include "automata/pda_normal.h"
#include "base/error.h"
#include "base/file.h"

namespace statelab::automata {

namespace {

constexpr std::string_view kEpsilonSign = "\xce\xb5";  // ε in UTF-8

bool is_arrow(std::string_view t) { return t == "->" || t == "\xe2\x86\x92" || t == "::="; }
bool is_empty_marker(std::string_view t) { return t == kEpsilonSign || t == "%empty"; }

// Whether `name` can be written unquoted in the text syntax.
bool is_bare_token(std::string_view name) {
  if (!is_valid_symbol_name(name)) return false;
  if (name[0] == '%' || name[0] == '#' || name[0] == '\'' || name[0] == '"') return false;
  return !(is_arrow(name) || name == "|" || name == kEpsilonSign);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Cfg

Cfg::Cfg(Alphabet terminals, std::vector<std::string> nonterminals, Nonterminal start)
    : terminals_(std::move(terminals)) {
  for (std::string& name : nonterminals) add_nonterminal(std::move(name));
  set_start(start);
}

void Cfg::check_name(const std::string& name) const {
  if (!is_bare_token(name))
    throw InvalidArgument("Cfg: nonterminal name '" + name +
                          "' is not a bare token (empty, whitespace, a leading % # or quote, or one of -> | ε)");
  if (ids_.count(name)) throw InvalidArgument("Cfg: nonterminal '" + name + "' appears twice");
  if (terminals_.find(name)) throw InvalidArgument("Cfg: '" + name + "' is both a terminal and a nonterminal");
}

std::optional<Nonterminal> Cfg::find_nonterminal(std::string_view name) const {
  auto it = ids_.find(std::string(name));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

Nonterminal Cfg::add_nonterminal(std::string name) {
  check_name(name);
  const auto id = static_cast<Nonterminal>(nonterminals_.size());
  ids_.emplace(name, id);
  nonterminals_.push_back(std::move(name));
  by_lhs_.emplace_back();
  return id;
}

void Cfg::set_start(Nonterminal n) {
  if (nonterminals_.empty() && n == 0) {
    start_ = 0;
    return;
  }
  if (n >= nonterminals_.size())
    throw InvalidArgument("Cfg::set_start: nonterminal " + std::to_string(n) + " out of range (the grammar has " +
                          std::to_string(nonterminals_.size()) + " nonterminals)");
  start_ = n;
}

void Cfg::add_production(Nonterminal lhs, std::vector<GrammarSymbol> rhs) {
  if (lhs >= nonterminals_.size())
    throw InvalidArgument("a grammar rule's left side, nonterminal " + std::to_string(lhs) + ", is out of range (the grammar has " +
                          std::to_string(nonterminals_.size()) + " nonterminals)");
  for (const GrammarSymbol& s : rhs) {
    const std::size_t bound = s.terminal ? terminals_.size() : nonterminals_.size();
    if (s.id >= bound)
      throw InvalidArgument(std::string("a grammar rule's right side holds ") + (s.terminal ? "terminal " : "nonterminal ") +
                            std::to_string(s.id) + ", out of range (" + std::to_string(bound) + " exist)");
  }
  Production p{lhs, std::move(rhs)};
  for (std::size_t i : by_lhs_[lhs])
    if (productions_[i] == p) return;
  by_lhs_[lhs].push_back(productions_.size());
  productions_.push_back(std::move(p));
}

// ---------------------------------------------------------------------------------------------
// Text syntax

namespace {

struct Token {
  std::string text;
  bool quoted = false;
  std::size_t line = 0, column = 0;
};

class GrammarReader {
 public:
  GrammarReader(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  Cfg read() {
    std::size_t line_number = 0, begin = 0;
    while (begin <= text_.size()) {
      std::size_t end = text_.find('\n', begin);
      if (end == std::string_view::npos) end = text_.size();
      ++line_number;
      read_line(text_.substr(begin, end - begin), line_number);
      begin = end + 1;
    }
    return build();
  }

 private:
  struct Rule {
    Token lhs;
    std::vector<std::vector<Token>> alternatives;  // an empty alternative is the empty word
  };

  [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& what) const {
    throw ParseError(std::string(source_) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what);
  }
  [[noreturn]] void fail(const Token& at, const std::string& what) const { fail(at.line, at.column, what); }

  static std::string shown(const Token& t) { return "'" + t.text + "'"; }

  std::vector<Token> tokenize(std::string_view line, std::size_t line_number) const {
    std::vector<Token> tokens;
    std::size_t column = 1, i = 0;
    auto advance = [&](std::size_t to) {
      for (; i < to; ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
    };
    while (i < line.size()) {
      const char c = line[i];
      if (c == ' ' || c == '\t' || c == '\r') {
        advance(i + 1);
        continue;
      }
      if (c == '#') break;
      Token token{{}, false, line_number, column};
      if (c == '\'' || c == '"') {
        const std::size_t close = line.find(c, i + 1);
        if (close == std::string_view::npos) fail(line_number, column, std::string("unterminated quote ") + c);
        token.text = std::string(line.substr(i + 1, close - i - 1));
        token.quoted = true;
        if (token.text.empty()) fail(token, "empty quoted name: a terminal needs at least one character");
        advance(close + 1);
        if (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
          fail(line_number, column, "expected whitespace after the closing quote");
      } else {
        std::size_t end = line.find_first_of(" \t\r", i);
        if (end == std::string_view::npos) end = line.size();
        token.text = std::string(line.substr(i, end - i));
        advance(end);
      }
      for (char ch : token.text) {
        const auto u = static_cast<unsigned char>(ch);
        if (u < 0x20 || u == 0x7f) fail(token, "control character in a name");
        if (u == ' ') fail(token, "a terminal name cannot hold a space");
      }
      tokens.push_back(std::move(token));
    }
    return tokens;
  }

  void read_line(std::string_view line, std::size_t line_number) {
    std::vector<Token> tokens = tokenize(line, line_number);
    if (tokens.empty()) return;
    const Token& first = tokens[0];
    if (!first.quoted && first.text[0] == '%' && first.text != "%empty") {
      read_directive(tokens);
      return;
    }
    std::size_t next = 0;
    if (!first.quoted && first.text == "|") {
      if (rules_.empty()) fail(first, "'|' continues a rule, but no rule comes before it");
    } else {
      if (first.quoted || !is_bare_token(first.text))
        fail(first, "expected a rule 'NAME -> ...' or a directive, found " + shown(first));
      if (tokens.size() < 2 || tokens[1].quoted || !is_arrow(tokens[1].text))
        fail(tokens.size() < 2 ? Token{{}, false, line_number, first.column + first.text.size()} : tokens[1],
             "expected '->' after the left-hand side " + shown(first));
      rules_.push_back({first, {}});
      next = 1;
    }
    // tokens[next] is '->' or '|': alternatives follow, separated by '|'.
    Rule& rule = rules_.back();
    std::vector<Token> alternative;
    bool has_empty_marker = false;
    auto close = [&](const Token& at) {
      if (alternative.empty() && !has_empty_marker)
        fail(at, "empty alternative: write ε or %empty for the empty word");
      rule.alternatives.push_back(std::move(alternative));
      alternative.clear();
      has_empty_marker = false;
    };
    for (std::size_t i = next + 1; i < tokens.size(); ++i) {
      const Token& t = tokens[i];
      if (!t.quoted && t.text == "|") {
        close(t);
      } else if (!t.quoted && is_arrow(t.text)) {
        fail(t, "unexpected " + shown(t) + " in a right-hand side (quote it to use it as a terminal)");
      } else if (!t.quoted && is_empty_marker(t.text)) {
        if (!alternative.empty() || has_empty_marker) fail(t, shown(t) + " must stand alone in its alternative");
        has_empty_marker = true;
      } else {
        if (has_empty_marker) fail(t, "ε must stand alone in its alternative, found " + shown(t) + " after it");
        if (!t.quoted && t.text[0] == '%') fail(t, "unexpected " + shown(t) + " (quote it to use it as a terminal)");
        alternative.push_back(t);
      }
    }
    close(Token{{}, false, line_number, tokens.back().column + 1});
  }

  void read_directive(const std::vector<Token>& tokens) {
    const Token& d = tokens[0];
    if (d.text == "%start") {
      if (start_) fail(d, "a second %start (the first is on line " + std::to_string(start_->line) + ")");
      if (tokens.size() != 2 || tokens[1].quoted || !is_bare_token(tokens[1].text))
        fail(d, "%start takes exactly one nonterminal name");
      start_ = tokens[1];
    } else if (d.text == "%terminals") {
      if (tokens.size() < 2) fail(d, "%terminals takes at least one name");
      for (std::size_t i = 1; i < tokens.size(); ++i) {
        if (!tokens[i].quoted && !is_bare_token(tokens[i].text))
          fail(tokens[i], "unexpected " + shown(tokens[i]) + " in %terminals (quote it to use it as a terminal)");
        declared_terminals_.push_back(tokens[i]);
      }
    } else if (d.text == "%nonterminals") {
      if (tokens.size() < 2) fail(d, "%nonterminals takes at least one name");
      for (std::size_t i = 1; i < tokens.size(); ++i) {
        if (tokens[i].quoted || !is_bare_token(tokens[i].text))
          fail(tokens[i], "expected a nonterminal name in %nonterminals, found " + shown(tokens[i]));
        declared_nonterminals_.push_back(tokens[i]);
      }
    } else {
      fail(d, "unknown directive " + shown(d) + " (expected %start, %terminals or %nonterminals)");
    }
  }

  Cfg build() {
    // Nonterminals: declared ones and left-hand sides, in order of first appearance.
    std::vector<const Token*> order;
    for (const Token& t : declared_nonterminals_) order.push_back(&t);
    for (const Rule& r : rules_) order.push_back(&r.lhs);
    std::sort(order.begin(), order.end(), [](const Token* a, const Token* b) {
      return std::tie(a->line, a->column) < std::tie(b->line, b->column);
    });
    std::vector<std::string> nonterminals;
    std::unordered_map<std::string, Nonterminal> nonterminal_ids;
    for (const Token* t : order)
      if (nonterminal_ids.emplace(t->text, static_cast<Nonterminal>(nonterminals.size())).second)
        nonterminals.push_back(t->text);
    if (nonterminals.empty())
      fail(1, 1, "no rule: a grammar needs at least one line 'NAME -> ...'");

    // Terminals: declared, or in order of first appearance.
    std::vector<std::string> terminals;
    std::unordered_set<std::string> terminal_set;
    const bool declared = !declared_terminals_.empty();
    for (const Token& t : declared_terminals_) {
      if (nonterminal_ids.count(t.text))
        fail(t, shown(t) + " is declared a terminal but is a nonterminal (a rule has it on the left)");
      if (!terminal_set.insert(t.text).second) fail(t, "terminal " + shown(t) + " declared twice");
      terminals.push_back(t.text);
    }
    for (const Rule& r : rules_)
      for (const auto& alternative : r.alternatives)
        for (const Token& t : alternative) {
          if (nonterminal_ids.count(t.text)) {
            if (t.quoted)
              fail(t, shown(t) + " is quoted, so a terminal, but it is a nonterminal (a rule has it on the left)");
            continue;
          }
          if (terminal_set.count(t.text)) continue;
          if (declared)
            fail(t, "unknown symbol " + shown(t) +
                        ": not a nonterminal (no rule has it on the left) and not listed in %terminals");
          terminal_set.insert(t.text);
          terminals.push_back(t.text);
        }

    Cfg cfg(Alphabet(std::move(terminals)), std::move(nonterminals));
    if (start_) {
      auto s = cfg.find_nonterminal(start_->text);
      if (!s) fail(*start_, "%start names " + shown(*start_) + ", which is not a nonterminal (no rule has it on the left)");
      cfg.set_start(*s);
    } else {
      cfg.set_start(rules_.empty() ? 0 : *cfg.find_nonterminal(rules_.front().lhs.text));
    }
    for (const Rule& r : rules_) {
      const Nonterminal lhs = *cfg.find_nonterminal(r.lhs.text);
      for (const auto& alternative : r.alternatives) {
        std::vector<GrammarSymbol> rhs;
        for (const Token& t : alternative) {
          if (auto n = cfg.find_nonterminal(t.text)) {
            rhs.push_back(GrammarSymbol::nonterm(*n));
          } else {
            rhs.push_back(GrammarSymbol::term(cfg.terminals().id(t.text)));
          }
        }
        cfg.add_production(lhs, std::move(rhs));
      }
    }
    return cfg;
  }

  std::string_view text_;
  std::string_view source_;
  std::vector<Rule> rules_;
  std::optional<Token> start_;
  std::vector<Token> declared_terminals_;
  std::vector<Token> declared_nonterminals_;
};

std::string spell_terminal(const std::string& name) {
  if (is_bare_token(name) && name != "%empty") return name;
  if (name.find('\'') == std::string::npos) return "'" + name + "'";
  if (name.find('"') == std::string::npos) return "\"" + name + "\"";
  throw InvalidArgument("a grammar cannot be written as .cfg: its terminal " + detail::quote(name) +
                        " holds both quote characters");
}

}  // namespace

Cfg parse_cfg(std::string_view text, std::string_view source_name) {
  return GrammarReader(text, source_name).read();
}

Cfg read_cfg_file(const std::filesystem::path& path) {
  return parse_cfg(read_file(path), path.string());
}

std::string format_cfg(const Cfg& cfg) {
  std::string out;
  if (cfg.num_nonterminals() == 0) throw InvalidArgument("a grammar with no nonterminal cannot be written as .cfg");
  out += "%start " + cfg.nonterminal_name(cfg.start()) + "\n";
  if (!cfg.terminals().empty()) {
    out += "%terminals";
    for (const std::string& t : cfg.terminals().names()) out += " " + spell_terminal(t);
    out += "\n";
  }
  out += "%nonterminals";
  for (const std::string& n : cfg.nonterminal_names()) out += " " + n;
  out += "\n";
  for (Nonterminal n = 0; n < cfg.num_nonterminals(); ++n) {
    const auto& rules = cfg.productions_of(n);
    if (rules.empty()) continue;
    out += cfg.nonterminal_name(n) + " ->";
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (i) out += " |";
      const auto& rhs = cfg.productions()[rules[i]].rhs;
      if (rhs.empty()) out += " ε";
      for (const GrammarSymbol& s : rhs)
        out += " " + (s.terminal ? spell_terminal(cfg.terminals().name(s.id)) : cfg.nonterminal_name(s.id));
    }
    out += "\n";
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Analyses

namespace {

// A nonterminal marked when one of its rules has all of its rhs nonterminals marked, and no
// terminal unless `terminals_count`; `marked` starts as given.  Worklist, O(|G|).
std::vector<bool> least_fixpoint(const Cfg& cfg, bool terminals_count) {
  const auto& rules = cfg.productions();
  std::vector<bool> marked(cfg.num_nonterminals(), false);
  std::vector<std::size_t> missing(rules.size(), 0);
  std::vector<std::vector<std::size_t>> occurs(cfg.num_nonterminals());
  std::vector<Nonterminal> work;
  for (std::size_t r = 0; r < rules.size(); ++r) {
    bool blocked = false;
    for (const GrammarSymbol& s : rules[r].rhs) {
      if (s.terminal) {
        blocked = blocked || !terminals_count;
      } else {
        ++missing[r];
        occurs[s.id].push_back(r);
      }
    }
    if (blocked) missing[r] = std::numeric_limits<std::size_t>::max();
    if (missing[r] == 0 && !marked[rules[r].lhs]) {
      marked[rules[r].lhs] = true;
      work.push_back(rules[r].lhs);
    }
  }
  while (!work.empty()) {
    const Nonterminal n = work.back();
    work.pop_back();
    for (std::size_t r : occurs[n]) {  // once per occurrence, so a rule "A -> B B" counts B twice
      if (missing[r] == std::numeric_limits<std::size_t>::max() || --missing[r] != 0) continue;
      if (!marked[rules[r].lhs]) {
        marked[rules[r].lhs] = true;
        work.push_back(rules[r].lhs);
      }
    }
  }
  return marked;
}

}  // namespace

std::vector<bool> nullable_nonterminals(const Cfg& cfg) { return least_fixpoint(cfg, false); }

Cfg trim(const Cfg& cfg) {
  if (cfg.num_nonterminals() == 0) return cfg;
  const std::vector<bool> productive = least_fixpoint(cfg, true);
  auto usable = [&](const Production& p) {
    if (!productive[p.lhs]) return false;
    for (const GrammarSymbol& s : p.rhs)
      if (!s.terminal && !productive[s.id]) return false;
    return true;
  };
  std::vector<bool> reachable(cfg.num_nonterminals(), false);
  std::vector<Nonterminal> work{cfg.start()};
  reachable[cfg.start()] = true;
  while (!work.empty()) {
    const Nonterminal n = work.back();
    work.pop_back();
    for (std::size_t r : cfg.productions_of(n)) {
      const Production& p = cfg.productions()[r];
      if (!usable(p)) continue;
      for (const GrammarSymbol& s : p.rhs)
        if (!s.terminal && !reachable[s.id]) {
          reachable[s.id] = true;
          work.push_back(s.id);
        }
    }
  }
  std::vector<Nonterminal> renamed(cfg.num_nonterminals(), std::numeric_limits<Nonterminal>::max());
  std::vector<std::string> names;
  for (Nonterminal n = 0; n < cfg.num_nonterminals(); ++n)
    if (n == cfg.start() || (reachable[n] && productive[n])) {
      renamed[n] = static_cast<Nonterminal>(names.size());
      names.push_back(cfg.nonterminal_name(n));
    }
  Cfg out(cfg.terminals(), std::move(names), renamed[cfg.start()]);
  for (Nonterminal n = 0; n < cfg.num_nonterminals(); ++n) {
    if (renamed[n] == std::numeric_limits<Nonterminal>::max()) continue;
    for (std::size_t r : cfg.productions_of(n)) {
      const Production& p = cfg.productions()[r];
      if (!usable(p)) continue;
      std::vector<GrammarSymbol> rhs = p.rhs;
      for (GrammarSymbol& s : rhs)
        if (!s.terminal) s.id = renamed[s.id];
      out.add_production(renamed[n], std::move(rhs));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Earley

bool accepts(const Cfg& cfg, std::span<const Symbol> word) {
  for (std::size_t i = 0; i < word.size(); ++i)
    if (word[i] >= cfg.terminals().size())
      throw InvalidArgument("accepts(Cfg): symbol " + std::to_string(word[i]) + " at position " + std::to_string(i) +
                            " is outside the terminal alphabet (" + std::to_string(cfg.terminals().size()) +
                            " symbols)");
  if (cfg.num_nonterminals() == 0) return false;
  const std::vector<bool> nullable = nullable_nonterminals(cfg);
  const auto& rules = cfg.productions();
  const std::size_t n = word.size();
  std::uint64_t longest = 0;
  for (const Production& p : rules) longest = std::max<std::uint64_t>(longest, p.rhs.size());
  const std::uint64_t num_rules = std::max<std::size_t>(rules.size(), 1);
  if (n + 1 > std::numeric_limits<std::uint64_t>::max() / num_rules / (longest + 1))
    throw LimitExceeded("accepts(Cfg): a word of length " + std::to_string(n) + " is too long to index");

  struct Item {
    std::uint32_t rule, dot;
    std::uint64_t origin;
  };
  struct Set {
    std::vector<Item> items;
    std::unordered_set<std::uint64_t> seen;
    std::unordered_map<Nonterminal, std::vector<std::uint32_t>> waiting;  // items whose dot is before it
  };
  std::vector<Set> sets(n + 1);
  auto add = [&](std::size_t at, Item item) {
    const std::uint64_t key = (item.origin * num_rules + item.rule) * (longest + 1) + item.dot;
    if (sets[at].seen.insert(key).second) sets[at].items.push_back(item);
  };
  for (std::size_t r : cfg.productions_of(cfg.start())) add(0, {static_cast<std::uint32_t>(r), 0, 0});
  for (std::size_t i = 0; i <= n; ++i) {
    Set& set = sets[i];
    for (std::size_t x = 0; x < set.items.size(); ++x) {
      const Item item = set.items[x];
      const Production& rule = rules[item.rule];
      if (item.dot == rule.rhs.size()) {  // complete
        const Set& origin = sets[item.origin];
        auto it = origin.waiting.find(rule.lhs);
        if (it == origin.waiting.end()) continue;
        const std::vector<std::uint32_t>& parents = it->second;  // does not grow in this loop
        for (std::size_t k = 0; k < parents.size(); ++k) {
          const Item parent = origin.items[parents[k]];
          add(i, {parent.rule, parent.dot + 1, parent.origin});
        }
        continue;
      }
      const GrammarSymbol next = rule.rhs[item.dot];
      if (next.terminal) {  // scan
        if (i < n && word[i] == next.id) add(i + 1, {item.rule, item.dot + 1, item.origin});
        continue;
      }
      std::vector<std::uint32_t>& waiters = set.waiting[next.id];  // predict
      const bool first = waiters.empty();
      waiters.push_back(static_cast<std::uint32_t>(x));
      if (first)
        for (std::size_t r : cfg.productions_of(next.id)) add(i, {static_cast<std::uint32_t>(r), 0, i});
      // Aycock and Horspool: a nullable nonterminal may be skipped at once, which also covers
      // the completions at this position that happened before this item arrived.
      if (nullable[next.id]) add(i, {item.rule, item.dot + 1, item.origin});
    }
    if (i < n && sets[i + 1].items.empty()) return false;
  }
  for (const Item& item : sets[n].items)
    if (item.origin == 0 && rules[item.rule].lhs == cfg.start() && item.dot == rules[item.rule].rhs.size())
      return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Conversions

namespace {

std::string fresh_name(std::string base, const std::function<bool(const std::string&)>& taken) {
  while (taken(base)) base += "'";
  return base;
}

}  // namespace

Pda to_pda(const Cfg& cfg, PdaAcceptance acceptance) {
  const std::size_t k = cfg.terminals().size();
  std::vector<std::string> stack_names = cfg.terminals().names();
  for (const std::string& n : cfg.nonterminal_names()) stack_names.push_back(n);
  auto taken = [&](const std::string& s) { return std::find(stack_names.begin(), stack_names.end(), s) != stack_names.end(); };
  const bool fresh_bottom = acceptance == PdaAcceptance::final_state || cfg.num_nonterminals() == 0;
  if (fresh_bottom) stack_names.push_back(fresh_name("$", taken));
  const auto nonterminal = [k](Nonterminal n) { return static_cast<Symbol>(k + n); };
  auto to_stack = [&](const std::vector<GrammarSymbol>& rhs) {
    std::vector<Symbol> out;
    for (const GrammarSymbol& s : rhs) out.push_back(s.terminal ? s.id : nonterminal(s.id));
    return out;
  };
  const Symbol bottom =
      fresh_bottom ? static_cast<Symbol>(stack_names.size() - 1) : nonterminal(cfg.start());
  Pda pda(cfg.terminals(), Alphabet(std::move(stack_names)), bottom, 0, acceptance);
  State loop = pda.add_state();
  if (acceptance == PdaAcceptance::final_state) loop = pda.add_state();  // state 0 only pushes the start symbol
  if (cfg.num_nonterminals() == 0) return pda;  // no start symbol: nothing is accepted
  if (acceptance == PdaAcceptance::final_state) {
    const State done = pda.add_state(true);
    pda.add_move({0, kEpsilon, bottom, {nonterminal(cfg.start()), bottom}, loop});
    pda.add_move({loop, kEpsilon, bottom, {bottom}, done});
  }
  for (const Production& p : cfg.productions()) pda.add_move({loop, kEpsilon, nonterminal(p.lhs), to_stack(p.rhs), loop});
  for (Symbol a = 0; a < k; ++a) pda.add_move({loop, a, a, {}, loop});
  return pda;
}

Cfg to_cfg(const Pda& pda) {
  if (pda.num_states() == 0) {
    Cfg empty(pda.input_alphabet(), {"S"});
    return empty;
  }
  const detail::NormalPda m = detail::normalise(pda);
  const std::uint64_t nq = m.num_states;
  const bool final_state = pda.acceptance() == PdaAcceptance::final_state;
  const Alphabet& sigma = pda.input_alphabet();

  Cfg cfg(sigma, {fresh_name("S", [&](const std::string& s) { return sigma.find(s).has_value(); })});
  auto valid_name = [&](std::string base) {
    return fresh_name(std::move(base), [&](const std::string& s) {
      return sigma.find(s).has_value() || cfg.find_nonterminal(s).has_value();
    });
  };
  std::unordered_map<std::uint64_t, Nonterminal> w_ids, b_ids, u_ids;
  auto get = [&](std::unordered_map<std::uint64_t, Nonterminal>& ids, std::uint64_t key, const std::string& name) {
    auto it = ids.find(key);
    if (it != ids.end()) return it->second;
    const Nonterminal id = cfg.add_nonterminal(valid_name(name));
    ids.emplace(key, id);
    return id;
  };
  auto W = [&](State p, State q) {
    return get(w_ids, p * nq + q, "W[" + std::to_string(p) + "," + std::to_string(q) + "]");
  };
  auto B = [&](State q, State t) {
    return get(b_ids, q * nq + t, "B[" + std::to_string(q) + "," + std::to_string(t) + "]");
  };
  auto U = [&](State q) { return get(u_ids, q, "U[" + std::to_string(q) + "]"); };
  auto nt = [](Nonterminal n) { return GrammarSymbol::nonterm(n); };
  auto with_input = [](std::vector<GrammarSymbol> rhs, Symbol input) {
    if (input != kEpsilon) rhs.push_back(GrammarSymbol::term(input));
    return rhs;
  };

  // B[q,t] -> a W[r,s] b: push Y reading a from q into r, balanced run r..s, pop Y reading b into t.
  std::vector<std::pair<State, State>> blocks;
  std::vector<std::vector<std::pair<State, detail::StepArc>>> pops_of(pda.stack_alphabet().size());
  for (State s = 0; s < nq; ++s)
    for (const detail::StepArc& pop : m.pop[s]) pops_of[pop.stack].emplace_back(s, pop);
  for (State q = 0; q < nq; ++q)
    for (const detail::StepArc& push : m.push[q])
      for (const auto& [s, pop] : pops_of[push.stack]) {
          std::vector<GrammarSymbol> rhs = with_input({}, push.input);
          rhs.push_back(nt(W(push.to, s)));
          rhs = with_input(std::move(rhs), pop.input);
          const std::size_t before = b_ids.size();
          const Nonterminal b = B(q, pop.to);
          if (b_ids.size() != before) blocks.emplace_back(q, pop.to);
          cfg.add_production(b, std::move(rhs));
        }
  // W[p,.] is needed from the start state and from every state a push enters.
  std::vector<bool> is_start(nq, false);
  is_start[m.start] = true;
  for (State q = 0; q < nq; ++q)
    for (const detail::StepArc& push : m.push[q]) is_start[push.to] = true;
  for (State p = 0; p < nq; ++p) {
    if (!is_start[p]) continue;
    cfg.add_production(W(p, p), {});
    for (State q = 0; q < nq; ++q)
      for (const detail::StepArc& step : m.internal[q])
        cfg.add_production(W(p, step.to), with_input({nt(W(p, q))}, step.input));
    for (const auto& [q, t] : blocks) cfg.add_production(W(p, t), {nt(W(p, q)), nt(B(q, t))});
  }
  if (final_state) {
    cfg.add_production(U(m.start), {});
    for (State q = 0; q < nq; ++q) {
      for (const detail::StepArc& step : m.internal[q])
        cfg.add_production(U(step.to), with_input({nt(U(q))}, step.input));
      for (const detail::StepArc& push : m.push[q])  // a push never popped
        cfg.add_production(U(push.to), with_input({nt(U(q))}, push.input));
    }
    for (const auto& [q, t] : blocks) cfg.add_production(U(t), {nt(U(q)), nt(B(q, t))});
    for (State q = 0; q < m.num_original; ++q)
      if (pda.is_accepting(q)) cfg.add_production(0, {nt(U(q))});
  } else {
    for (State q = 0; q < m.num_original; ++q) cfg.add_production(0, {nt(W(m.start, q))});
  }
  return trim(cfg);
}

}  // namespace statelab::automata
