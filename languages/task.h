// Tasks: sequence problems with a target per position, not only a yes/no label.  A task maps an
// input word to one target symbol per input position (kNoTarget where nothing is asked), and
// samples random inputs of a given size.  The tasks of the papers this project follows:
// `index-lookup`, `copy-task`, `ngram-lookup` and `word-problem` tagging.  Built by name like the
// languages ("word-problem:group=A5"); docs/languages.md gives the exact input layouts.
#pragma once

#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "automata/dfa.h"
#include "automata/perm_group.h"
#include "languages/language.h"
#include "languages/registry.h"

namespace statelab::languages {

/// The target at a position where the task asks nothing (a model's loss skips it).
inline constexpr Symbol kNoTarget = std::numeric_limits<Symbol>::max();

struct TaskExample {
  Word input;
  Word target;  // target.size() == input.size(); symbols of the task's target alphabet or kNoTarget
  friend bool operator==(const TaskExample&, const TaskExample&) = default;
};

class Task {
 public:
  virtual ~Task() = default;
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  const std::string& name() const { return name_; }
  const std::string& definition() const { return definition_; }
  const Alphabet& input_alphabet() const { return input_; }
  const Alphabet& target_alphabet() const { return target_; }

  /// The targets of `input`, one per position (the ground truth).  Throws InvalidArgument naming
  /// the position when the input is not laid out as the task requires.  Time O(|input|) unless
  /// the task says otherwise.
  Word targets(std::span<const Symbol> input) const;

  /// A DFA over the input alphabet whose state after a non-empty prefix decides the target at the
  /// prefix's last position, when the task has one (word-problem: its Cayley automaton, one state
  /// per group element, numbered as the group); nullopt for a task no finite state decides (the
  /// lookups and copies remember the input).  Time O(states x symbols).
  virtual std::optional<automata::Dfa> state_dfa() const { return std::nullopt; }

  /// A random example whose word part has `size` symbols (what that means: each task's doc).
  /// Throws InvalidArgument when no example of that size exists.
  TaskExample sample(std::size_t size, Rng& rng) const;

 protected:
  Task(std::string name, std::string definition, Alphabet input, Alphabet target)
      : name_(std::move(name)), definition_(std::move(definition)), input_(std::move(input)), target_(std::move(target)) {}
  virtual Word do_targets(std::span<const Symbol> input) const = 0;
  virtual Word do_sample_input(std::size_t size, Rng& rng) const = 0;

 private:
  std::string name_, definition_;
  Alphabet input_, target_;
};

/// `index-lookup:k=K,max=M`: input w i, with w a word of `size` letters (1 <= size <= M) over the
/// first K letters and i an index token "0".."M-1" below |w|; the target at the last position is
/// w[i], elsewhere none.  Input alphabet: the letters then the index tokens; target: the letters.
std::unique_ptr<Task> make_index_lookup(std::size_t k, std::size_t max_length);

/// `copy-task:k=K`: input w # w[0..n-2] (teacher forcing), n = size >= 1; the target at position
/// n + j (the # and the copied letters) is w[j], elsewhere none.  Alphabet: K letters then #.
std::unique_ptr<Task> make_copy_task(std::size_t k);

/// `ngram-lookup:k=K,n=N,follow=F`: input w # g f[0..F-2] with w of `size` letters, g an N-gram
/// occurring exactly once in w at position p with p + N + F <= size, and f = w[p+N..p+N+F-1] the
/// letters that followed it; the targets from the last letter of g on are f, elsewhere none.
/// Sampling draws w uniformly until some N-gram qualifies, then its position uniformly among those
/// that do.
std::unique_ptr<Task> make_ngram_lookup(std::size_t k, std::size_t n, std::size_t follow);

/// `modular-arithmetic:m=M`: input d op d op ... d (digits "0".."M-1", op "+" or "-"), `size` operands
/// (2 size - 1 symbols), evaluated left to right mod M; the target at the last digit is the value,
/// elsewhere none (Deletang et al. 2023 without brackets and products; Grazzi et al. 2025).
std::unique_ptr<Task> make_modular_arithmetic(std::size_t m);

/// `word-problem:group=G[,gens=...]` tagging: input a word over the group elements (or the
/// generators); the target at position i is the product of the first i + 1 letters, as an element
/// of the target alphabet (every group element, in the group's numbering: "e" first).
std::unique_ptr<Task> make_word_problem_task(const automata::PermutationGroup& group,
                                             std::optional<std::vector<std::uint32_t>> generators = std::nullopt);

/// Every task, in the order `lang list` shows them (CatalogueEntry::language_class is "task").
const std::vector<CatalogueEntry>& task_catalogue();

/// The task called `name`; the same rules and errors as make_language.
std::unique_ptr<Task> make_task(std::string_view name);

}  // namespace statelab::languages
