#include "languages/explore.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "automata/enumerate.h"
#include "base/error.h"
#include "automata/text.h"

namespace statelab::languages {

// "tomita:n=N", "dyck[:k=K][,depth=D]", "regex:PATTERN": the name with its parameters, optional
// ones in brackets.
std::string usage(const CatalogueEntry& e) {
  if (e.name == "regex") return "regex:PATTERN";
  if (e.name == "file") return "file:PATH";
  std::string out = e.name;
  bool first = true;
  for (const languages::ParameterInfo& p : e.parameters) {
    std::string key = p.key;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const std::string part = std::string(first ? ":" : ",") + p.key + "=" + key;
    out += p.required ? part : "[" + part + "]";
    first = false;
  }
  return out;
}

// The ground-truth engines an entry's languages use: those of its example, of the example
// without each optional parameter in turn, and of its bare name (when that builds without
// parameters), in that order, e.g. "dfa or pda or counter" for dyck (dyck:k=2,depth=3 is a DFA,
// dyck:k=2 a PDA, dyck = dyck:k=1 a counter machine).  Every regular entry is a DFA.
std::string engines_of(const CatalogueEntry& e) {
  if (e.language_class == "task") return "task";
  std::vector<std::string> engines;
  auto add = [&](const std::string& name) {
    const std::string engine(languages::to_string(languages::make_language(name)->ground_truth().engine));
    if (std::find(engines.begin(), engines.end(), engine) == engines.end()) engines.push_back(engine);
  };
  if (!e.example.empty()) {
    add(e.example);
    const bool raw = e.name == "regex" || e.name == "file";  // one raw value, not key=value pairs
    const languages::ParsedName parsed = raw ? languages::ParsedName{e.name, {}} : languages::parse_name(e.example);
    for (std::size_t drop = 0; drop < parsed.parameters.size(); ++drop) {
      const std::string& key = parsed.parameters[drop].first;
      const bool optional = std::any_of(e.parameters.begin(), e.parameters.end(),
                                        [&](const languages::ParameterInfo& p) { return p.key == key && !p.required; });
      if (!optional) continue;
      std::string name = parsed.base;
      for (std::size_t i = 0, n = 0; i < parsed.parameters.size(); ++i)
        if (i != drop) name += (n++ ? "," : ":") + parsed.parameters[i].first + "=" + parsed.parameters[i].second;
      add(name);
    }
  }
  const bool bare = std::none_of(e.parameters.begin(), e.parameters.end(),
                                 [](const languages::ParameterInfo& p) { return p.required; });
  if (bare && e.name != "regex" && e.name != "file") add(e.name);
  if (e.name == "file") return "dfa, pda, cfg or counter (the file's)";
  if (engines.empty() && e.language_class == "regular") engines.emplace_back(languages::to_string(languages::Engine::dfa));
  return automata::join(engines, " or ");
}

// The first `limit` words of the language in shortlex order among lengths <= max_length.  A DFA
// is walked by automata::enumerate_shortlex; any other language by a depth-first walk in symbol
// order that enters a prefix only when its targets say some word extends it, skips the lengths
// its count says are empty, and leaves a length once it has found all of its words.  Sets
// `complete` to false when the walk stopped at kShortlexBudget prefixes.
// Time: O(budget * max_length * k) for the walk (a targets() call per prefix).
std::vector<Word> first_words(const Language& lang, std::size_t limit, std::size_t max_length, bool& complete) {
  complete = true;
  if (const automata::Dfa* dfa = lang.dfa()) return automata::enumerate_shortlex(*dfa, max_length, limit);
  std::vector<Word> out;
  std::size_t visited = 0;
  const std::size_t k = lang.alphabet().size();
  bool has_targets = true;
  try {
    (void)lang.targets({});
  } catch (const InvalidArgument&) {
    has_targets = false;
  }
  for (std::size_t n = 0; n <= max_length && out.size() < limit && complete; ++n) {
    const std::optional<Count> total = lang.count(n);
    if (total && *total == 0) continue;
    std::size_t found = 0;
    Word prefix;
    // Returns false to stop the walk at this length.
    auto walk = [&](auto&& self) -> bool {
      if (++visited > kShortlexBudget) {
        complete = false;
        return false;
      }
      if (prefix.size() == n) {
        if (lang.contains(prefix)) {
          out.push_back(prefix);
          ++found;
        }
        return out.size() < limit && !(total && *total == found);
      }
      // A language without targets (a nondeterministic counter machine from a file) is walked
      // through every prefix.
      std::vector<bool> next(k, true);
      if (has_targets) next = lang.targets(prefix).back().next;
      for (Symbol a = 0; a < k; ++a) {
        if (!next[a]) continue;
        prefix.push_back(a);
        const bool go_on = self(self);
        prefix.pop_back();
        if (!go_on) return false;
      }
      return true;
    };
    walk(walk);
  }
  return out;
}

std::vector<bool> lengths_with_words(const Language& lang, const LengthRange& range, std::uint64_t seed,
                                     const ProgressFn& progress) {
  std::vector<bool> has_word(range.max - range.min + 1);
  for (std::size_t n = range.min; n <= range.max; ++n) {
    report(progress, n - range.min, has_word.size());
    const std::optional<Count> c = lang.count(n);
    if (c) {
      has_word[n - range.min] = *c > 0;
    } else {
      Rng probe = make_rng(seed);
      has_word[n - range.min] = lang.sample(n, probe).has_value();
    }
  }
  report(progress, has_word.size(), has_word.size());
  return has_word;
}

std::vector<Example> sample_positives(const Language& lang, const LengthRange& range, const std::vector<bool>& has_word,
                                      std::size_t count, std::uint64_t seed, bool with_targets,
                                      const ProgressFn& progress) {
  std::vector<Example> examples;
  for (std::size_t n = range.min; n <= range.max; ++n) {
    report(progress, n - range.min, has_word.size());
    if (!has_word[n - range.min]) continue;
    for (std::size_t i = 0; i < count; ++i) {
      // The seeds of the dataset builder's positives: each word reproducible on its own.
      Rng rng = make_rng(item_seed(seed, Split::train, n, Origin::positive, i));
      std::optional<Word> w = lang.sample(n, rng);
      if (!w) throw InvalidArgument(lang.name() + " has no word of length " + std::to_string(n));
      Example e{std::move(*w), true, {}, Origin::positive};
      if (with_targets) e.targets = lang.targets(e.word);
      examples.push_back(std::move(e));
    }
  }
  return examples;
}

std::vector<Example> sample_words(const Language& lang, const SampleRequest& request, const ProgressFn& counting,
                                  const ProgressFn& sampling) {
  if (request.negatives && request.count % 2 != 0)
    throw InvalidArgument(std::to_string(request.count) + " words per length cannot be half positive and half negative");
  const std::vector<bool> has_word = lengths_with_words(lang, request.lengths, request.seed, counting);
  if (std::none_of(has_word.begin(), has_word.end(), [](bool b) { return b; }))
    throw InvalidArgument(lang.name() + " has no word of length" + (request.lengths.min == request.lengths.max ? " " : "s ") +
                          std::to_string(request.lengths.min) +
                          (request.lengths.min == request.lengths.max ? "" : ".." + std::to_string(request.lengths.max)));
  if (!request.negatives)
    return sample_positives(lang, request.lengths, has_word, request.count, request.seed, request.targets, sampling);
  DatasetOptions options;
  options.train_lengths = request.lengths;
  options.train_per_length = request.count;
  options.test_lengths = request.lengths;
  options.test_per_length = 0;
  options.seed = request.seed;
  options.with_targets = request.targets;
  return build_dataset(lang, options).train;
}

}  // namespace statelab::languages
