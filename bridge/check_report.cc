#include "bridge/check_report.h"

#include <nlohmann/json.hpp>

namespace statelab::bridge {

namespace {

using json = nlohmann::ordered_json;

json opening(const std::string& language, const std::optional<std::string>& checkpoint) {
  return json{{"language", language}, {"checkpoint", checkpoint ? json(*checkpoint) : json(nullptr)}};
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
  json j = opening(language, checkpoint);
  j["seed"] = seed;
  j["agree"] = result.agree;
  j["tested"] = result.tested;
  j["counterexamples"] = json::array();
  for (const auto& d : result.counterexamples)
    j["counterexamples"].push_back({{"word", alphabet.format_word(d.word)},
                                    {"length", d.word.size()},
                                    {"model", d.model_score > 0.5},
                                    {"model_score", d.model_score},
                                    {"truth", d.truth}});
  j["by_length"] = by_length(result.by_length);
  return j.dump();
}

std::string to_json(const TagCheckResult& result, const Alphabet& alphabet, const std::string& language,
                    const std::optional<std::string>& checkpoint, std::string_view head, std::uint64_t seed) {
  json j = opening(language, checkpoint);
  j["head"] = std::string(head);
  j["seed"] = seed;
  j["agree"] = result.agree;
  j["tested"] = result.tested;
  j["counterexamples"] = json::array();
  for (const auto& d : result.counterexamples)
    j["counterexamples"].push_back({{"word", alphabet.format_word(d.word)},
                                    {"length", d.word.size()},
                                    {"position", d.position},
                                    {"model", d.model},
                                    {"truth", d.truth}});
  j["by_length"] = by_length(result.by_length);
  j["by_position"] = json::array();
  for (const auto& p : result.by_position) j["by_position"].push_back(agreement(p, "position", p.position));
  return j.dump();
}

}  // namespace statelab::bridge
