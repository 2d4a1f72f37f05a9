#include "cli/score.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "automata/alphabet.h"
#include "base/error.h"
#include "bridge/run.h"
#include "cli/options.h"
#include "models/safetensors.h"

namespace statelab::cli {

namespace {

using models::Head;

// The columns of m as a JSON list of lists, each float in the shortest form that reads back
// to the same float (null when it is not finite).
std::string json_rows(const models::Matrix<float>& m) {
  std::string out = "[";
  char buffer[32];
  for (Eigen::Index t = 0; t < m.cols(); ++t) {
    out += t ? ",[" : "[";
    for (Eigen::Index k = 0; k < m.rows(); ++k) {
      if (k) out += ',';
      if (!std::isfinite(m(k, t))) {  // JSON has no NaN or infinity
        out += "null";
        continue;
      }
      out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, m(k, t)).ptr);
    }
    out += ']';
  }
  return out + "]";
}

struct ScoreOpts {
  std::string ckpt, alphabet;
  std::vector<std::string> words;
  bool hidden = false, json = false;
  KvCacheOptions kv;
};

int run_score(const ScoreOpts& o) {
  const models::Checkpoint ckpt = models::load_checkpoint(std::filesystem::path(o.ckpt));
  if (ckpt.config.head != Head::recognize)
    throw InvalidArgument("score: " + o.ckpt + " has a " + models::head_name(ckpt.config.head) +
                          " head; score gives a recognizer's acceptance probability (use eval)");
  const std::optional<models::KvBound> kv = kv_bound(o.kv, ckpt.config, o.ckpt);
  const models::KvBound* bound = kv ? &*kv : nullptr;
  const automata::Alphabet alphabet(bridge::checkpoint_alphabet(ckpt, o.ckpt, o.alphabet));
  const std::vector<std::string> texts = words_with_stdin(o.words);
  // Every word is checked before anything is printed.
  std::vector<models::Sequence> words;
  for (const std::string& text : texts) {
    try {
      const automata::Word w = alphabet.parse_word(text);
      words.emplace_back(w.begin(), w.end());
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string("score: ") + e.what());
    }
  }
  const auto logits = models::model_logits(ckpt.config, ckpt.params, words, bound);
  std::vector<models::Matrix<float>> hidden;
  if (o.hidden) hidden = models::hidden_states(ckpt.config, ckpt.params, words, bound);
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < words.size(); ++i) {
    const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(logits[i](0, 0))));
    if (o.json) {
      nlohmann::ordered_json row{{"word", texts[i]}, {"probability", p}};
      if (o.hidden) row["hidden"] = nlohmann::ordered_json::parse(json_rows(hidden[i]));
      results.push_back(std::move(row));
      continue;
    }
    std::printf("%s\t%#.9g", texts[i].c_str(), p);
    if (o.hidden) std::printf("\t%s", json_rows(hidden[i]).c_str());
    std::printf("\n");
  }
  if (o.json) std::cout << results.dump() << "\n";
  return 0;
}

}  // namespace

void add_score_command(CLI::App& parent, Commands& commands) {
  auto o = std::make_shared<ScoreOpts>();
  CLI::App* c = parent.add_subcommand(
      "score", "a recognizer's acceptance probability of each word: WORD<TAB>probability ('-' reads words from stdin)");
  c->add_option("--ckpt", o->ckpt, "checkpoint (.safetensors)")->required();
  c->add_option("words", o->words, "words (symbols run together or space-separated; '' is the empty word)")->required();
  c->add_option("--alphabet", o->alphabet, "symbol names a,b,... (token id = position) when the checkpoint has none");
  c->add_flag("--hidden", o->hidden, "add the hidden state at every position (every layer) as a JSON list");
  c->add_flag("--json", o->json, "a JSON list of {word, probability[, hidden]} instead of lines");
  add_kv_cache_options(c, o->kv);
  commands.push_back({c, [o] { return run_score(*o); }});
}

}  // namespace statelab::cli
