#include "bridge/check_report.h"

#include <nlohmann/json.hpp>

namespace statelab::bridge {

namespace {

using json = nlohmann::ordered_json;

// The keys every report opens with (head only for a check at every position).
template <class Result>
json opening(const Result& r, const std::string& language, const std::optional<std::string>& checkpoint,
             std::optional<std::string_view> head, std::uint64_t seed) {
  json j{{"language", language}, {"checkpoint", checkpoint ? json(*checkpoint) : json(nullptr)}};
  if (head) j["head"] = std::string(*head);
  j["seed"] = seed;
  j["agree"] = r.agree;
  j["tested"] = r.tested;
  j["counterexamples"] = json::array();
  return j;
}

// A counterexample: its word and length, then what the model and the truth say.
json counterexample(const Alphabet& alphabet, const Word& word, json says) {
  json j{{"word", alphabet.format_word(word)}, {"length", word.size()}};
  j.update(says);
  return j;
}

template <class Row>
json agreement(const Row& r, const char* key, std::size_t value) {
  return {{key, value},
          {"tested", r.tested},
          {"agree", r.agree},
          {"agreement", static_cast<double>(r.agree) / static_cast<double>(r.tested)}};
}

json by_length(const std::vector<LengthAgreement>& rows) {
  json out = json::array();
  for (const auto& l : rows) out.push_back(agreement(l, "length", l.length));
  return out;
}

}  // namespace

std::string to_json(const CheckResult& result, const Alphabet& alphabet, const std::string& language,
                    const std::optional<std::string>& checkpoint, std::uint64_t seed) {
  json j = opening(result, language, checkpoint, std::nullopt, seed);
  for (const auto& d : result.counterexamples)
    j["counterexamples"].push_back(counterexample(
        alphabet, d.word, {{"model", d.model_score > 0.5}, {"model_score", d.model_score}, {"truth", d.truth}}));
  j["by_length"] = by_length(result.by_length);
  return j.dump();
}

std::string to_json(const TagCheckResult& result, const Alphabet& alphabet, const std::string& language,
                    const std::optional<std::string>& checkpoint, std::string_view head, std::uint64_t seed) {
  json j = opening(result, language, checkpoint, head, seed);
  for (const auto& d : result.counterexamples)
    j["counterexamples"].push_back(
        counterexample(alphabet, d.word, {{"position", d.position}, {"model", d.model}, {"truth", d.truth}}));
  j["by_length"] = by_length(result.by_length);
  j["by_position"] = json::array();
  for (const auto& p : result.by_position) j["by_position"].push_back(agreement(p, "position", p.position));
  return j.dump();
}

}  // namespace statelab::bridge
