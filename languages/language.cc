#include "languages/language.h"

#include <string>

#include "automata/counting.h"
#include "base/error.h"

namespace statelab::languages {

std::string_view to_string(LanguageClass c) {
  switch (c) {
    case LanguageClass::regular: return "regular";
    case LanguageClass::counter: return "counter";
    case LanguageClass::context_free: return "context-free";
    case LanguageClass::context_sensitive: return "context-sensitive";
  }
  return "?";
}

std::string_view to_string(Engine e) {
  switch (e) {
    case Engine::dfa: return "dfa";
    case Engine::pda: return "pda";
    case Engine::cfg: return "cfg";
    case Engine::counter: return "counter";
    case Engine::predicate: return "predicate";
  }
  return "?";
}

LanguageInfo make_language_info(std::string name, Alphabet alphabet, LanguageClass language_class, Engine engine,
                                std::string definition, std::vector<std::string> state_names) {
  LanguageInfo info;
  info.name = std::move(name);
  info.alphabet = std::move(alphabet);
  info.language_class = language_class;
  info.ground_truth = {engine, std::move(definition)};
  info.state_names = std::move(state_names);
  return info;
}

void Language::check_word(std::span<const Symbol> word, std::string_view what) const {
  const std::size_t k = alphabet().size();
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] >= k)
      throw InvalidArgument(std::string(what) + " (" + name() + "): symbol id " + std::to_string(word[i]) +
                            " at position " + std::to_string(i) + " is outside the alphabet of " + std::to_string(k) +
                            " symbols");
  }
}

bool Language::contains(std::span<const Symbol> word) const {
  check_word(word, "contains");
  return do_contains(word);
}

std::optional<Count> Language::count(std::size_t length, const ProgressFn& progress) const {
  if (progress && ground_truth().engine == Engine::dfa)
    if (const automata::Dfa* d = dfa()) return automata::count_accepted(*d, length, progress);
  return do_count(length);
}

Count Language::count_exactly(std::size_t length) const {
  if (auto c = do_count(length)) return *c;
  throw InvalidArgument("count (" + name() + "): this language cannot be counted exactly");
}

std::vector<PrefixTarget> Language::targets(std::span<const Symbol> word) const {
  check_word(word, "targets");
  return do_targets(word);
}

std::optional<Word> Language::do_sample_negative(std::size_t length, Rng& rng) const {
  const std::size_t k = alphabet().size();
  if (auto c = do_count(length); c && *c == power(k, length)) return std::nullopt;
  for (std::size_t attempt = 0; attempt < kMaxRejections; ++attempt) {
    Word w = uniform_word(k, length, rng);
    if (!do_contains(w)) return w;
  }
  throw LimitExceeded("sample_negative (" + name() + "): no word of length " + std::to_string(length) +
                      " outside the language found in " + std::to_string(kMaxRejections) + " uniform draws");
}

Word uniform_word(std::size_t k, std::size_t length, Rng& rng) {
  if (k == 0 && length > 0)
    throw InvalidArgument("no word of length " + std::to_string(length) + " over an empty alphabet");
  Word w(length);
  for (Symbol& a : w) a = static_cast<Symbol>(uniform_below(rng, k));
  return w;
}

}  // namespace statelab::languages
