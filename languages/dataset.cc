#include "languages/dataset.h"

#include <tbb/parallel_for.h>

#include <charconv>
#include <set>
#include <string>

#include "base/error.h"
#include "base/splitmix.h"

namespace statelab::languages {

namespace {

// How many draws one item may take before giving up: 64 times the expected number when the
// remaining pool is known (the chance of failing is below e^-64), else a fixed budget.
std::size_t draw_budget(const std::optional<Count>& pool, std::size_t used) {
  constexpr std::size_t kUnknown = 100'000;
  if (!pool) return kUnknown;
  if (*pool <= used) return 0;
  const Count left = *pool - used;
  const Count expected = (*pool + left - 1) / left;
  return expected > 1'000'000 ? kUnknown : 64 * static_cast<std::size_t>(expected) + 64;
}

struct Cell {
  std::vector<Example> examples;
};

// One (split, length) cell: sequential inside, so the duplicate checks see the items in index
// order and the result depends on the seeds alone.
Cell build_cell(const Language& lang, const DatasetOptions& options, Split split, std::size_t length,
                std::size_t per_length, const std::set<Word>& forbidden) {
  const std::size_t k = lang.alphabet().size();
  const std::optional<Count> positives = lang.count(length);
  const Count all = power(k, length);
  std::optional<Count> negatives;
  if (positives) negatives = all - *positives;
  std::size_t forbidden_pos = 0, forbidden_neg = 0;
  for (const Word& w : forbidden) (lang.contains(w) ? forbidden_pos : forbidden_neg)++;
  auto available = [&](const std::optional<Count>& pool, std::size_t taken) -> Count {
    if (!pool) return Count(per_length);
    return *pool > taken ? *pool - taken : Count(0);
  };
  const Count pos_left = available(positives, forbidden_pos), neg_left = available(negatives, forbidden_neg);
  std::size_t want_pos = 0, want_neg = 0;
  if (pos_left > 0 && neg_left > 0) {
    Count half = per_length / 2;
    half = std::min({half, pos_left, neg_left});
    want_pos = want_neg = static_cast<std::size_t>(half);
  } else if (pos_left > 0) {
    want_pos = static_cast<std::size_t>(std::min(Count(per_length), pos_left));
  } else if (neg_left > 0) {
    want_neg = static_cast<std::size_t>(std::min(Count(per_length), neg_left));
  }

  std::set<Word> used = forbidden;
  auto fail = [&](std::string_view what) {
    throw LimitExceeded("dataset (" + lang.name() + "): could not draw a new " + std::string(what) + " of length " +
                        std::to_string(length));
  };
  std::vector<Example> pos, neg;
  for (std::size_t i = 0; i < want_pos; ++i) {
    Rng rng = make_rng(item_seed(options.seed, split, length, Origin::positive, i));
    const std::size_t budget = draw_budget(positives, forbidden_pos + pos.size());
    bool done = false;
    for (std::size_t draw = 0; draw < budget && !done; ++draw) {
      std::optional<Word> w = lang.sample(length, rng);
      if (!w) break;
      if (used.insert(*w).second) {
        pos.push_back(Example{std::move(*w), true, {}, Origin::positive});
        done = true;
      }
    }
    if (!done) fail("positive");
  }
  for (std::size_t i = 0; i < want_neg; ++i) {
    // Odd indices are near misses when a positive of this length exists to start from.
    const bool near = i % 2 == 1 && (!positives || *positives > 0);
    const Origin kind = near ? Origin::near_miss : Origin::uniform_negative;
    Rng rng = make_rng(item_seed(options.seed, split, length, kind, i));
    const std::size_t budget = draw_budget(negatives, forbidden_neg + neg.size());
    bool done = false;
    if (near) {
      constexpr std::size_t kNearMissDraws = 256;
      for (std::size_t draw = 0; draw < kNearMissDraws && !done; ++draw) {
        std::optional<Word> p = lang.sample(length, rng);
        if (!p || length == 0) break;
        const std::size_t edits = 1 + uniform_below(rng, options.max_edits);
        Word w = perturb(*p, k, edits, rng);
        if (!lang.contains(w) && used.insert(w).second) {
          neg.push_back(Example{std::move(w), false, {}, Origin::near_miss});
          done = true;
        }
      }
      // A language whose positives have (almost) no neighbour outside it: fall back to uniform.
    }
    for (std::size_t draw = 0; draw < budget && !done; ++draw) {
      std::optional<Word> w = lang.sample_negative(length, rng);
      if (!w) break;
      if (used.insert(*w).second) {
        neg.push_back(Example{std::move(*w), false, {}, Origin::uniform_negative});
        done = true;
      }
    }
    if (!done) fail("negative");
  }
  Cell cell;
  for (std::size_t i = 0; i < std::max(pos.size(), neg.size()); ++i) {
    if (i < pos.size()) cell.examples.push_back(std::move(pos[i]));
    if (i < neg.size()) cell.examples.push_back(std::move(neg[i]));
  }
  if (options.with_targets)
    for (Example& e : cell.examples) e.targets = lang.targets(e.word);
  return cell;
}

void check_range(const LengthRange& r, const char* which) {
  if (r.min > r.max)
    throw InvalidArgument(std::string("dataset: ") + which + " lengths " + std::to_string(r.min) + ".." +
                          std::to_string(r.max) + " are inverted (expected min <= max)");
}

}  // namespace

std::uint64_t item_seed(std::uint64_t seed, Split split, std::size_t length, Origin kind, std::size_t index) {
  std::uint64_t h = splitmix64(seed);
  h = splitmix64(h ^ static_cast<std::uint64_t>(split));
  h = splitmix64(h ^ length);
  h = splitmix64(h ^ static_cast<std::uint64_t>(kind));
  return splitmix64(h ^ index);
}

Word perturb(const Word& positive, std::size_t k, std::size_t edits, Rng& rng) {
  Word w = positive;
  for (std::size_t e = 0; e < edits; ++e) {
    // The possible edits: (n positions x (k-1) other symbols) substitutions, then the adjacent
    // pairs holding different symbols (swapping equal ones would change nothing).
    std::vector<std::size_t> swaps;
    for (std::size_t i = 0; i + 1 < w.size(); ++i)
      if (w[i] != w[i + 1]) swaps.push_back(i);
    const std::size_t substitutions = w.size() * (k - 1);
    const std::size_t total = substitutions + swaps.size();
    if (total == 0) break;
    const std::size_t pick = uniform_below(rng, total);
    if (pick < substitutions) {
      const std::size_t pos = pick / (k - 1), offset = pick % (k - 1);
      w[pos] = static_cast<Symbol>((w[pos] + 1 + offset) % k);
    } else {
      const std::size_t i = swaps[pick - substitutions];
      std::swap(w[i], w[i + 1]);
    }
  }
  return w;
}

Dataset build_dataset(const Language& lang, const DatasetOptions& options) {
  check_range(options.train_lengths, "train");
  check_range(options.test_lengths, "test");
  if (options.max_edits < 1) throw InvalidArgument("dataset: max_edits=0 is impossible (expected >= 1)");
  Dataset out;
  out.language = lang.name();
  out.alphabet = lang.alphabet();

  auto build_split = [&](Split split, const LengthRange& range, std::size_t per_length,
                         const std::vector<Cell>* avoid, const LengthRange* avoid_range) {
    const std::size_t cells = range.max - range.min + 1;
    std::vector<Cell> result(cells);
    tbb::parallel_for(std::size_t{0}, cells, [&](std::size_t c) {
      const std::size_t length = range.min + c;
      std::set<Word> forbidden;
      if (avoid && length >= avoid_range->min && length <= avoid_range->max)
        for (const Example& e : (*avoid)[length - avoid_range->min].examples) forbidden.insert(e.word);
      result[c] = build_cell(lang, options, split, length, per_length, forbidden);
    });
    return result;
  };
  const std::vector<Cell> train = build_split(Split::train, options.train_lengths, options.train_per_length, nullptr, nullptr);
  const std::vector<Cell> test =
      build_split(Split::test, options.test_lengths, options.test_per_length, &train, &options.train_lengths);
  for (const Cell& c : train) out.train.insert(out.train.end(), c.examples.begin(), c.examples.end());
  for (const Cell& c : test) out.test.insert(out.test.end(), c.examples.begin(), c.examples.end());
  return out;
}

LengthRange parse_length_range(std::string_view text, std::string_view option) {
  auto number = [&](std::string_view s) {
    std::size_t x = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || x > kMaxLength)
      throw InvalidArgument(std::string(option) + " " + std::string(text) + ": expected A..B, two whole numbers 0.." +
                            std::to_string(kMaxLength) + " with A <= B");
    return x;
  };
  const std::size_t dots = text.find("..");
  if (dots == std::string_view::npos) {
    const std::size_t n = number(text);
    return {n, n};
  }
  const LengthRange r{number(text.substr(0, dots)), number(text.substr(dots + 2))};
  if (r.min > r.max)
    throw InvalidArgument(std::string(option) + " " + std::string(text) + ": the range is inverted (expected A <= B)");
  return r;
}

std::string to_string(const LengthRange& r) {
  return r.min == r.max ? std::to_string(r.min) : std::to_string(r.min) + ".." + std::to_string(r.max);
}

}  // namespace statelab::languages
