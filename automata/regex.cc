#include "automata/regex.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cstdio>

#include "automata/minimize.h"
#include "base/error.h"

namespace statelab::automata {

// ---------------------------------------------------------------------------------------------
// The syntax tree.

Regex::Regex(Kind kind, std::vector<Regex> children) : kind_(kind), children_(std::move(children)) {
  std::size_t deepest = 0;
  for (const Regex& c : children_) deepest = std::max(deepest, c.height_);
  height_ = deepest + 1;
  if (height_ > kMaxRegexDepth)
    throw InvalidArgument("Regex: the expression would nest " + std::to_string(height_) + " levels deep (the limit is " +
                          std::to_string(kMaxRegexDepth) + ")");
}

Regex Regex::symbols(std::vector<Symbol> set) {
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  Regex r;
  r.kind_ = Kind::symbols;
  r.symbols_ = std::move(set);
  return r;
}

Regex Regex::concat(std::vector<Regex> parts) {
  if (parts.empty()) return empty_word();
  if (parts.size() == 1) return std::move(parts.front());
  return Regex(Kind::concat, std::move(parts));
}

Regex Regex::alternation(std::vector<Regex> alternatives) {
  if (alternatives.empty()) return empty_language();
  if (alternatives.size() == 1) return std::move(alternatives.front());
  return Regex(Kind::union_, std::move(alternatives));
}

Regex Regex::repeat(Regex body, std::size_t min, std::size_t max) {
  auto bound = [](std::size_t n) { return n == kUnbounded ? std::string("unbounded") : std::to_string(n); };
  if (max < min)
    throw InvalidArgument("Regex::repeat: the maximum " + bound(max) + " is below the minimum " + bound(min));
  if (min > kMaxRepeat || (max != kUnbounded && max > kMaxRepeat))
    throw InvalidArgument("Regex::repeat: the bounds {" + bound(min) + "," + bound(max) + "} exceed the limit " +
                          std::to_string(kMaxRepeat));
  std::vector<Regex> children;
  children.push_back(std::move(body));
  Regex r(Kind::repeat, std::move(children));
  r.min_ = min;
  r.max_ = max;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Characters.

namespace {

// Outside a class these stand for syntax; a symbol spelled with one of them is escaped.
bool is_meta(char c) {
  switch (c) {
    case '|': case '*': case '+': case '?': case '(': case ')': case '[': case ']':
    case '{': case '}': case '<': case '>': case '.': case '\\':
      return true;
    default:
      return false;
  }
}

// Inside a class only these are syntax (`^` only first, `-` only between symbols, but the printer
// escapes them everywhere in a class so that no position rule matters).
bool is_class_meta(char c) {
  return c == ']' || c == '\\' || c == '<' || c == '>' || c == '-' || c == '^';
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Only ASCII punctuation may follow a backslash, so that `\n` or `\d` cannot be mistaken for the
// escapes of other regex dialects.
bool is_escapable(char c) { return std::ispunct(static_cast<unsigned char>(c)) != 0; }

// One character as an error message shows it: quoted when printable, as a byte otherwise.
std::string show_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (std::isprint(u)) return std::string("'") + c + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02X", u);
  return buf;
}

// The pattern as an error message quotes it: one line, at most 80 bytes.
std::string show_pattern(std::string_view pattern) {
  constexpr std::size_t kShown = 80;
  std::string out;
  for (std::size_t i = 0; i < pattern.size() && i < kShown; ++i) {
    const auto u = static_cast<unsigned char>(pattern[i]);
    if (std::iscntrl(u)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      out += buf;
    } else {
      out += pattern[i];
    }
  }
  if (pattern.size() > kShown) out += "...";
  return out;
}

std::string alphabet_text(const Alphabet& alphabet) {
  std::string out = "{";
  for (std::size_t i = 0; i < alphabet.size(); ++i) out += (i ? " " : "") + alphabet.name(static_cast<Symbol>(i));
  return out + "}";
}

// ---------------------------------------------------------------------------------------------
// The parser: recursive descent, one function per precedence level.
//
//   union    := concat ('|' concat)*
//   concat   := repeated*
//   repeated := atom ('*' | '+' | '?' | '{' count '}')*
//   atom     := symbol | '.' | class | '(' union ')'
//
// The recursion goes through '(' only, and `groups` counts the open ones.

class Parser {
 public:
  Parser(std::string_view pattern, const Alphabet& alphabet) : pattern_(pattern), alphabet_(alphabet) {}

  Regex parse() {
    Regex r = parse_union(0);
    skip_space();
    if (!at_end()) {
      assert(peek() == ')');  // parse_concat stops only at the end, '|' or ')'
      fail(pos_, "found ')' but no '(' is open");
    }
    return r;
  }

 private:
  bool at_end() const { return pos_ >= pattern_.size(); }
  char peek() const { return pattern_[pos_]; }
  void skip_space() {
    while (!at_end() && is_space(peek())) ++pos_;
  }

  [[noreturn]] void fail(std::size_t column, const std::string& what) const {
    throw ParseError("regex '" + show_pattern(pattern_) + "': at column " + std::to_string(column) + ": " + what);
  }
  // "expected X but found 'c'" or "expected X but the pattern ended", at the current position.
  [[noreturn]] void expected(const std::string& what) const {
    fail(pos_, "expected " + what + (at_end() ? " but the pattern ended" : " but found " + show_char(peek())));
  }
  void check_height(std::size_t height, std::size_t column) const {
    if (height > kMaxRegexDepth)
      fail(column, "the expression nests deeper than " + std::to_string(kMaxRegexDepth) + " levels");
  }

  Regex parse_union(std::size_t groups) {
    const std::size_t start = pos_;
    std::vector<Regex> alternatives;
    alternatives.push_back(parse_concat(groups));
    while (!at_end() && peek() == '|') {
      ++pos_;
      alternatives.push_back(parse_concat(groups));
    }
    if (alternatives.size() > 1) check_height(1 + max_height(alternatives), start);
    return Regex::alternation(std::move(alternatives));
  }

  Regex parse_concat(std::size_t groups) {
    skip_space();
    const std::size_t start = pos_;
    std::vector<Regex> parts;
    while (!at_end() && peek() != '|' && peek() != ')') {
      parts.push_back(parse_repeated(groups));
      skip_space();
    }
    if (parts.size() > 1) check_height(1 + max_height(parts), start);
    return Regex::concat(std::move(parts));
  }

  Regex parse_repeated(std::size_t groups) {
    Regex r = parse_atom(groups);
    for (skip_space(); !at_end(); skip_space()) {
      const std::size_t column = pos_;
      Bounds b{0, Regex::kUnbounded};
      switch (peek()) {
        case '*': ++pos_; break;
        case '+': ++pos_; b.min = 1; break;
        case '?': ++pos_; b.max = 1; break;
        case '{': b = parse_count(); break;
        default: return r;
      }
      check_height(r.height() + 1, column);
      r = Regex::repeat(std::move(r), b.min, b.max);
    }
    return r;
  }

  struct Bounds {
    std::size_t min;
    std::size_t max;
  };

  // '{' m '}' | '{' m ',' '}' | '{' m ',' n '}', at '{'.
  Bounds parse_count() {
    const std::size_t open = pos_;
    ++pos_;
    skip_space();
    Bounds b;
    b.min = b.max = parse_number();
    skip_space();
    if (!at_end() && peek() == ',') {
      ++pos_;
      skip_space();
      b.max = (!at_end() && std::isdigit(static_cast<unsigned char>(peek()))) ? parse_number() : Regex::kUnbounded;
      skip_space();
    }
    if (at_end() || peek() != '}') expected("',' or '}' to close the repetition opened at column " + std::to_string(open));
    ++pos_;
    if (b.max < b.min)
      fail(open, "repetition {" + std::to_string(b.min) + "," + std::to_string(b.max) +
                     "} has its maximum below its minimum");
    return b;
  }

  std::size_t parse_number() {
    if (at_end() || !std::isdigit(static_cast<unsigned char>(peek()))) expected("a repetition count");
    const std::size_t start = pos_;
    std::size_t value = 0;
    while (!at_end() && std::isdigit(static_cast<unsigned char>(peek()))) {
      // Saturate rather than overflow: anything past the limit is refused below.
      if (value <= kMaxRepeat) value = value * 10 + static_cast<std::size_t>(peek() - '0');
      ++pos_;
    }
    if (value > kMaxRepeat)
      fail(start, "repetition count " + std::string(pattern_.substr(start, pos_ - start)) + " exceeds the limit " +
                      std::to_string(kMaxRepeat));
    return value;
  }

  Regex parse_atom(std::size_t groups) {
    const std::size_t column = pos_;
    const char c = peek();
    switch (c) {
      case '(': {
        if (groups + 1 > kMaxRegexDepth)
          fail(column, "parentheses nest deeper than " + std::to_string(kMaxRegexDepth) + " levels");
        ++pos_;
        Regex inner = parse_union(groups + 1);
        skip_space();
        if (at_end() || peek() != ')') expected("')' to close the '(' at column " + std::to_string(column));
        ++pos_;
        return inner;
      }
      case '[':
        return parse_class();
      case '.': {
        ++pos_;
        std::vector<Symbol> all(alphabet_.size());
        for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<Symbol>(i);
        return Regex::symbols(std::move(all));
      }
      case '*': case '+': case '?': case '{':
        fail(column, "found " + show_char(c) + " with nothing before it to repeat");
      case ']': case '}': case '>':
        fail(column, "found " + show_char(c) + " which closes nothing (write \\" + c + " for the symbol '" + c + "')");
      default:
        return Regex::symbol(parse_symbol());
    }
  }

  // '[' '^'? (item | item '-' item)* ']', at '['.
  Regex parse_class() {
    const std::size_t open = pos_;
    ++pos_;
    skip_space();
    bool negated = false;
    if (!at_end() && peek() == '^') {
      negated = true;
      ++pos_;
    }
    std::vector<bool> in(alphabet_.size(), false);
    for (skip_space(); at_end() || peek() != ']'; skip_space()) {
      if (at_end()) expected("']' to close the class opened at column " + std::to_string(open));
      if (peek() == '-') fail(pos_, "found '-' with no symbol before it (write \\- for the symbol '-')");
      if (peek() == '>') fail(pos_, "found '>' which closes nothing (write \\> for the symbol '>')");
      const std::size_t first_column = pos_;
      const Symbol first = parse_symbol();
      skip_space();
      Symbol last = first;
      if (!at_end() && peek() == '-') {
        ++pos_;
        skip_space();
        if (at_end() || peek() == ']' || peek() == '-') expected("a symbol to end the range");
        last = parse_symbol();
        if (last < first)
          fail(first_column, "range '" + alphabet_.name(first) + "-" + alphabet_.name(last) + "' is empty: '" +
                                 alphabet_.name(last) + "' comes before '" + alphabet_.name(first) + "' in the alphabet " +
                                 alphabet_text(alphabet_));
      }
      for (Symbol s = first; s <= last; ++s) in[s] = true;
    }
    ++pos_;  // ']'
    std::vector<Symbol> set;
    for (std::size_t s = 0; s < in.size(); ++s)
      if (in[s] != negated) set.push_back(static_cast<Symbol>(s));
    return Regex::symbols(std::move(set));
  }

  // A bare character, '\' and a punctuation character, or '<' name '>'; not at the end.
  Symbol parse_symbol() {
    const std::size_t column = pos_;
    std::string name;
    if (peek() == '\\') {
      ++pos_;
      if (at_end() || !is_escapable(peek())) expected("a punctuation character after '\\'");
      name = std::string(1, peek());
      ++pos_;
    } else if (peek() == '<') {
      ++pos_;
      while (!at_end() && peek() != '>' && !is_space(peek())) {
        if (peek() == '\\') {
          ++pos_;
          if (at_end() || !is_escapable(peek())) expected("a punctuation character after '\\'");
        }
        name += peek();
        ++pos_;
      }
      if (at_end() || peek() != '>') expected("'>' to close the symbol name opened at column " + std::to_string(column));
      ++pos_;
      if (name.empty()) fail(column, "found '<>', an empty symbol name");
    } else {
      name = std::string(1, peek());
      ++pos_;
    }
    if (auto s = alphabet_.find(name)) return *s;
    std::string what = "unknown symbol '" + name + "' (alphabet " + alphabet_text(alphabet_);
    if (!alphabet_.single_char()) what += "; write a name longer than one character as <name>";
    fail(column, what + ")");
  }

  static std::size_t max_height(const std::vector<Regex>& rs) {
    std::size_t h = 0;
    for (const Regex& r : rs) h = std::max(h, r.height());
    return h;
  }

  std::string_view pattern_;
  const Alphabet& alphabet_;
  std::size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The printer.

void check_symbol(Symbol s, const Alphabet& alphabet, const char* what) {
  if (s >= alphabet.size())
    throw InvalidArgument(std::string(what) + ": symbol id " + std::to_string(s) + " is outside the alphabet " +
                          alphabet_text(alphabet));
}

std::string symbol_text(const std::string& name, bool in_class) {
  if (name.size() == 1) {
    const char c = name[0];
    return (in_class ? is_class_meta(c) : is_meta(c)) ? std::string("\\") + c : name;
  }
  std::string out = "<";
  for (char c : name) {
    if (c == '>' || c == '\\') out += '\\';
    out += c;
  }
  return out + ">";
}

// The members of a class between its brackets, runs of three or more as ranges.
std::string class_body(const std::vector<Symbol>& set, const Alphabet& alphabet) {
  std::string out;
  for (std::size_t i = 0; i < set.size();) {
    std::size_t j = i;
    while (j + 1 < set.size() && set[j + 1] == set[j] + 1) ++j;
    out += symbol_text(alphabet.name(set[i]), true);
    if (j - i >= 2) {
      out += '-';
      out += symbol_text(alphabet.name(set[j]), true);
      i = j + 1;
    } else {
      ++i;
    }
  }
  return out;
}

std::string class_text(const std::vector<Symbol>& set, const Alphabet& alphabet) {
  for (Symbol s : set) check_symbol(s, alphabet, "to_string");
  if (set.empty()) return "[]";
  if (set.size() == 1) return symbol_text(alphabet.name(set[0]), false);
  if (set.size() == alphabet.size()) return ".";
  std::vector<Symbol> rest;
  for (Symbol s = 0, i = 0; s < alphabet.size(); ++s) {
    if (i < set.size() && set[i] == s)
      ++i;
    else
      rest.push_back(s);
  }
  if (rest.size() < set.size()) return "[^" + class_body(rest, alphabet) + "]";
  return "[" + class_body(set, alphabet) + "]";
}

void print(const Regex& r, const Alphabet& alphabet, std::string& out) {
  // A child needs parentheses when printing it bare would merge it into its parent: a union
  // inside anything, a concatenation inside a concatenation or a repetition.
  auto child = [&](const Regex& c, bool wrap) {
    if (wrap) out += '(';
    print(c, alphabet, out);
    if (wrap) out += ')';
  };
  using Kind = Regex::Kind;
  switch (r.kind()) {
    case Kind::symbols:
      out += class_text(r.symbols(), alphabet);
      return;
    case Kind::epsilon:
      out += "()";
      return;
    case Kind::concat:
      for (const Regex& c : r.children()) child(c, c.kind() == Kind::concat || c.kind() == Kind::union_);
      return;
    case Kind::union_:
      for (std::size_t i = 0; i < r.children().size(); ++i) {
        if (i) out += '|';
        child(r.children()[i], r.children()[i].kind() == Kind::union_);
      }
      return;
    case Kind::repeat: {
      const Regex& body = r.children().front();
      child(body, body.kind() == Kind::concat || body.kind() == Kind::union_);
      const std::size_t min = r.min(), max = r.max();
      if (max == Regex::kUnbounded)
        out += min == 0 ? "*" : min == 1 ? "+" : "{" + std::to_string(min) + ",}";
      else if (min == 0 && max == 1)
        out += "?";
      else if (min == max)
        out += "{" + std::to_string(min) + "}";
      else
        out += "{" + std::to_string(min) + "," + std::to_string(max) + "}";
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Thompson's construction.

std::size_t saturating_add(std::size_t a, std::size_t b) { return a > Regex::kUnbounded - b ? Regex::kUnbounded : a + b; }
std::size_t saturating_mul(std::size_t a, std::size_t b) {
  return (a != 0 && b > Regex::kUnbounded / a) ? Regex::kUnbounded : a * b;
}

// Each fragment has a start state with no arc into it and an end state with no arc out of it,
// so fragments compose by epsilon moves without changing each other's language.
struct Fragment {
  State start;
  State end;
};

class Thompson {
 public:
  explicit Thompson(Nfa& nfa) : nfa_(nfa) {}

  Fragment build(const Regex& r) {
    using Kind = Regex::Kind;
    const State start = nfa_.add_state();
    switch (r.kind()) {
      case Kind::symbols: {
        const State end = nfa_.add_state();
        for (Symbol s : r.symbols()) nfa_.add_arc(start, s, end);
        return {start, end};
      }
      case Kind::epsilon: {
        const State end = nfa_.add_state();
        nfa_.add_arc(start, kEpsilon, end);
        return {start, end};
      }
      case Kind::concat: {
        State last = start;
        for (const Regex& c : r.children()) last = append(last, c);
        return {start, last};
      }
      case Kind::union_: {
        std::vector<Fragment> parts;
        for (const Regex& c : r.children()) parts.push_back(build(c));
        const State end = nfa_.add_state();
        for (const Fragment& f : parts) {
          nfa_.add_arc(start, kEpsilon, f.start);
          nfa_.add_arc(f.end, kEpsilon, end);
        }
        return {start, end};
      }
      case Kind::repeat: {
        const Regex& body = r.children().front();
        State last = start;
        if (r.max() == Regex::kUnbounded) {
          // x{m,} = x^(m-1) x+ for m >= 1, and x+ is one copy that loops back on itself, so
          // nested `+` stays linear: ((x+)+)+ holds one copy of x, not eight.  x{0,} may skip it.
          for (std::size_t i = 1; i < r.min(); ++i) last = append(last, body);
          const Fragment loop = build(body);
          nfa_.add_arc(last, kEpsilon, loop.start);
          nfa_.add_arc(loop.end, kEpsilon, loop.start);
          const State end = nfa_.add_state();
          nfa_.add_arc(loop.end, kEpsilon, end);
          if (r.min() == 0) nfa_.add_arc(last, kEpsilon, end);
          return {start, end};
        }
        for (std::size_t i = 0; i < r.min(); ++i) last = append(last, body);
        // max - min optional copies, each of which may be the last: x{1,3} = x(x(x)?)?.
        std::vector<State> exits;
        for (std::size_t i = r.min(); i < r.max(); ++i) {
          exits.push_back(last);
          last = append(last, body);
        }
        const State end = nfa_.add_state();
        for (State q : exits) nfa_.add_arc(q, kEpsilon, end);
        nfa_.add_arc(last, kEpsilon, end);
        return {start, end};
      }
    }
    assert(false);
    return {start, start};
  }

 private:
  // A copy of `r` entered from `from` by an epsilon move; returns its end.
  State append(State from, const Regex& r) {
    const Fragment f = build(r);
    nfa_.add_arc(from, kEpsilon, f.start);
    return f.end;
  }

  Nfa& nfa_;
};

// Mirrors Thompson::build state for state.
std::size_t size_of(const Regex& r) {
  using Kind = Regex::Kind;
  switch (r.kind()) {
    case Kind::symbols:
    case Kind::epsilon:
      return 2;
    case Kind::concat:
    case Kind::union_: {
      std::size_t n = r.kind() == Kind::concat ? 1 : 2;
      for (const Regex& c : r.children()) n = saturating_add(n, size_of(c));
      return n;
    }
    case Kind::repeat: {
      const std::size_t copies = r.max() == Regex::kUnbounded ? std::max<std::size_t>(r.min(), 1) : r.max();
      return saturating_add(2, saturating_mul(copies, size_of(r.children().front())));
    }
  }
  assert(false);
  return 0;
}

void check_symbols(const Regex& r, const Alphabet& alphabet) {
  for (Symbol s : r.symbols()) check_symbol(s, alphabet, "thompson");
  for (const Regex& c : r.children()) check_symbols(c, alphabet);
}

}  // namespace

Regex parse_regex(std::string_view pattern, const Alphabet& alphabet) { return Parser(pattern, alphabet).parse(); }

std::string to_string(const Regex& regex, const Alphabet& alphabet) {
  std::string out;
  print(regex, alphabet, out);
  return out;
}

std::size_t thompson_size(const Regex& regex) { return size_of(regex); }

Nfa thompson(const Regex& regex, const Alphabet& alphabet, std::size_t max_states) {
  check_symbols(regex, alphabet);
  const std::size_t n = thompson_size(regex);
  if (n > max_states)
    throw LimitExceeded("the regular expression's NFA needs " +
                        (n == Regex::kUnbounded ? std::string("more than 2^64") : std::to_string(n)) +
                        " states, more than the limit " + std::to_string(max_states));
  Nfa nfa(alphabet);
  const Fragment f = Thompson(nfa).build(regex);
  assert(nfa.num_states() == n);
  nfa.add_initial(f.start);
  nfa.set_accepting(f.end);
  return nfa;
}

Dfa regex_to_dfa(const Regex& regex, const Alphabet& alphabet, std::size_t max_states) {
  return minimize(determinize(thompson(regex, alphabet, max_states), max_states));
}

Dfa regex_to_dfa(std::string_view pattern, const Alphabet& alphabet, std::size_t max_states) {
  return regex_to_dfa(parse_regex(pattern, alphabet), alphabet, max_states);
}

}  // namespace statelab::automata
