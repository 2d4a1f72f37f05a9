// The catalogue's entries, built by typed factory functions (the registry, languages/registry.h,
// parses a name such as "dyck:k=2,depth=3" and calls these).  Each says its alphabet, its
// definition (the ground truth), and the meaning of its per-position state.  docs/languages.md
// lists them with their counts for small lengths.
//
// Regular entries are DfaLanguage: their ground truth is the minimal DFA, built from the
// definition and minimised (canonical numbering), so the per-position state is that DFA's state.
// Counter and context-free entries are EngineLanguage (languages/engine_language.h): a
// deterministic counter machine (majority, anbn, anbncn, dyck:k=1, shuffle-dyck), a deterministic
// PDA with an unambiguous grammar (dyck:k>=2, marked-palindrome, marked-reversal) or a grammar
// (palindrome); the engine decides membership and gives the per-position state (counters, stack
// depth).  The context-sensitive entries (copy, marked-copy, string-equality) are decided by a
// predicate written from the definition.  Every entry counts and samples exactly.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "automata/dfa.h"
#include "languages/language.h"
#include "automata/perm_group.h"

namespace statelab::languages {

/// A regular language given by any complete DFA, minimised on construction (Hopcroft,
/// O(k n log n)).  Membership O(n) by the DFA; counting by automata::count_accepted, O(L k n) big
/// additions; sampling by automata::UniformSampler (one per length, cached), O(L k) per word;
/// negatives from the complement DFA the same way.
class DfaLanguage final : public Language {
 public:
  /// `info.alphabet` is taken from the DFA; engine is set to Engine::dfa, state_names to {"state"}.
  DfaLanguage(LanguageInfo info, const automata::Dfa& dfa);

  const automata::Dfa* dfa() const override { return &dfa_; }

 private:
  bool do_contains(std::span<const Symbol> word) const override;
  std::optional<Count> do_count(std::size_t length) const override;
  std::optional<Word> do_sample(std::size_t length, Rng& rng) const override;
  std::optional<Word> do_sample_negative(std::size_t length, Rng& rng) const override;
  std::vector<PrefixTarget> do_targets(std::span<const Symbol> word) const override;

  automata::Dfa dfa_;
  automata::Dfa complement_;
  std::vector<bool> live_;
  DfaSamplerCache positives_{dfa_};
  DfaSamplerCache negatives_{complement_};
};

/// `name` with `definition` as its ground truth, decided by `dfa`.
std::unique_ptr<Language> make_dfa_language(std::string name, const automata::Dfa& dfa, std::string definition,
                                            LanguageClass language_class = LanguageClass::regular);

/// `file:PATH`: the language of an automaton or grammar file, its kind told by the file
/// (languages/file_language.cc has the table): a DFA/NFA gives a DfaLanguage; a PDA, a grammar or
/// a counter machine an EngineLanguage (languages/engine_language.h) with that ground truth.
/// Counting and sampling use the grammar of the file (or of the PDA, automata::to_cfg) when its
/// derivation counts match enumeration on short words; otherwise count() is nothing.
/// Throws IoError, ParseError naming the file, or InvalidArgument for an unknown extension.
std::unique_ptr<Language> make_file_language(std::string name, const std::filesystem::path& path);
/// (The same from the file's text already read is public: languages/registry.h.)

// ---- Boolean functions of the sensitivity literature, over {0,1} -------------------------------
/// `first`: the first symbol is 1.  Regular, 3 states.
std::unique_ptr<Language> make_first();
/// `parity`: an odd number of 1s (the XOR of the bits).  Regular, 2 states.
std::unique_ptr<Language> make_parity();
/// `majority`: strictly more 1s than 0s.  Counter language: a deterministic real-time machine
/// with one counter holding |#1 - #0| and two states for its sign; state {"ones_minus_zeros"}.
/// Count: sum over j > n/2 of C(n, j).
std::unique_ptr<Language> make_majority();

// ---- regular -----------------------------------------------------------------------------------
/// `tomita:n=N`, N = 1..7, over {0,1}, as in Tomita (1982) and Weiss et al. (2018):
/// 1: 1*;  2: (10)*;  3: no odd-length run of 1s followed, anywhere later, by an odd-length run of
/// 0s (the reading of Weiss et al.'s code and of the AALpy DOT files);  4: no 000;  5: even numbers
/// of 0s and of 1s;  6: (#0 - #1) divisible by 3;  7: 0*1*0*1*.
/// Throws InvalidArgument when N is not 1..7.
std::unique_ptr<Language> make_tomita(int n);
/// `even-pairs` (Deletang et al. 2023), over {a,b}: the number of ab and ba factors is even,
/// that is, the word is empty or starts and ends with the same symbol.
std::unique_ptr<Language> make_even_pairs();
/// `modular-count:m=M`, over {0,1}: the number of 1s is divisible by M >= 1.
std::unique_ptr<Language> make_modular_count(std::size_t m);
/// `cycle-navigation:n=N` (Deletang et al. 2023), over {0,1,2} = stay, +1, -1 on a cycle of N >= 1
/// positions starting at 0: the walk ends at position 0.
std::unique_ptr<Language> make_cycle_navigation(std::size_t n);
/// `flip-flop` (Liu et al. 2023), over {w,r,i,0,1}: instruction-bit pairs, the first instruction
/// w and the last r, and every r followed by the bit of the latest w (i pairs are ignored).
std::unique_ptr<Language> make_flip_flop();
/// `word-problem:group=G[,gens=g1;g2;...]`: the words whose product is the identity.  The alphabet
/// is the group's elements in cycle notation (identity "e"), or the given generators; the DFA
/// has one state per element reached (the subgroup the alphabet generates: distinct elements are
/// told apart by their inverses, so minimisation merges nothing), numbered canonically like every
/// DfaLanguage.  The prefix product as a group element is the target of the word-problem task
/// (languages/task.h).
/// Throws LimitExceeded when the alphabet is all elements of a group of order above 1024.
std::unique_ptr<Language> make_word_problem(const automata::PermutationGroup& group,
                                            std::optional<std::vector<std::uint32_t>> generators = std::nullopt);

// ---- brackets ----------------------------------------------------------------------------------
/// The bracket pairs of Dyck-k: ( ) then [ ] { } < > for k <= 4; for k > 4 every pair is named
/// "(1" ")1" ... "(k" ")k".  Opening bracket of pair t is symbol 2t, its closing one 2t+1.
Alphabet bracket_alphabet(std::size_t k);
/// `dyck:k=K[,depth=D]`: well-nested words over K >= 1 bracket pairs; with depth D >= 1, nesting at
/// most D deep (regular, one DFA state per stack of height <= D).  Unbounded: counter language for
/// K = 1 (a one-counter machine) and context-free for K > 1 (a deterministic PDA of 3 states),
/// state {"depth"}; counted and sampled by the grammar S -> (_t S )_t S | epsilon, whose counts
/// are Catalan(n/2) K^(n/2).
std::unique_ptr<Language> make_dyck(std::size_t k, std::optional<std::size_t> depth = std::nullopt);
/// `shuffle-dyck:k=K`: words over K bracket pairs whose projection on each pair is Dyck-1 (the
/// shuffle of K Dyck-1 languages; Suzgun et al. 2019).  Counter language (one counter per pair,
/// one state), state the counters ("open_minus_close_t").  Not context-free for K >= 2: counted
/// by a convolution over the pairs' lengths.
std::unique_ptr<Language> make_shuffle_dyck(std::size_t k);

// ---- counter -----------------------------------------------------------------------------------
/// `anbn`: a^n b^n, n >= 0, over {a,b}.  A one-counter machine; state {"a_minus_b"} (the
/// counter); counted by the grammar S -> a S b | epsilon.
std::unique_ptr<Language> make_anbn();
/// `anbncn`: a^n b^n c^n, n >= 0, over {a,b,c}.  Not context-free, but a deterministic real-time
/// two-counter machine decides it: a counter language.  State {"a_minus_b", "a_minus_c"}.
std::unique_ptr<Language> make_anbncn();

// ---- context-free and beyond -------------------------------------------------------------------
/// The first k letters a, b, c, ... (1 <= k <= 26); throws InvalidArgument otherwise.
Alphabet letter_alphabet(std::size_t k);
/// `palindrome:k=K`: w = reverse(w), over the first K letters.  Ground truth the grammar
/// S -> x S x | x | epsilon (Earley); no deterministic stack machine exists, so no state.
std::unique_ptr<Language> make_palindrome(std::size_t k);
/// `marked-palindrome:k=K`: w#reverse(w), over K letters and #.  A deterministic PDA of 4
/// states; grammar S -> x S x | #; state {"stack_depth"}.
std::unique_ptr<Language> make_marked_palindrome(std::size_t k);
/// `marked-reversal`: w#reverse(w) over {0,1,#}, the name and alphabet of DuSell and Chiang's
/// stack-RNN benchmarks (the same language as marked-palindrome:k=2 up to renaming).
std::unique_ptr<Language> make_marked_reversal();
/// `copy:k=K`: ww over K letters (context-sensitive: a predicate).  No state.
std::unique_ptr<Language> make_copy(std::size_t k);
/// `marked-copy:k=K`: w#w over K letters and #.  Context-sensitive: a predicate; state
/// {"queue_length"}.
std::unique_ptr<Language> make_marked_copy(std::size_t k);
/// `string-equality`: u#v with u = v, over {0,1,#}: the string-equality function of the
/// communication-complexity literature as a language (the same as marked-copy:k=2 up to renaming).
std::unique_ptr<Language> make_string_equality();

}  // namespace statelab::languages
