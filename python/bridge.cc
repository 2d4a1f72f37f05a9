// statelab.Model (a checkpoint: score, tag, hidden states), statelab.train (a run spec), and the
// bridge over any model: check and extract on a statelab model or on a Python callable
// (python/callable.h).  Results are dicts with the keys of the CLI's --json.
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/error.h"
#include "bridge/check.h"
#include "bridge/check_report.h"
#include "automata/automaton_io.h"
#include "automata/moore.h"
#include "bridge/extract.h"
#include "bridge/recognizer.h"
#include "bridge/run.h"
#include "languages/registry.h"
#include "models/architecture.h"
#include "models/heads.h"
#include "python/callable.h"
#include "python/common.h"
#include "python/model.h"

namespace statelab::python {

namespace {

std::vector<py::array_t<float>> trajectories_arrays(const std::vector<bridge::Trajectory>& ts) {
  std::vector<py::array_t<float>> out;
  for (const auto& t : ts) {
    py::array_t<float> a({static_cast<py::ssize_t>(t.cols()), static_cast<py::ssize_t>(t.rows())});
    auto v = a.mutable_unchecked<2>();
    for (Eigen::Index c = 0; c < t.cols(); ++c)
      for (Eigen::Index r = 0; r < t.rows(); ++r) v(c, r) = t(r, c);
    out.push_back(std::move(a));
  }
  return out;
}

models::Head head_of(const std::string& head) {
  const models::Head h = models::parse_head(head);
  if (h == models::Head::seq) throw InvalidArgument("head seq cannot be checked or extracted (recognize, tag or next-set)");
  return h;
}

CallableOptions callable_options(py::object model, py::object hidden_states, const std::string& input, bool logits,
                                 std::int64_t pad, std::size_t batch_size) {
  return {std::move(model), std::move(hidden_states), input, logits, pad, batch_size};
}

// Everything a check or an extraction is given besides the model and the language.
struct CallArgs {
  py::object hidden_states;
  std::string input, head;
  bool logits = false;
  std::int64_t pad = 0;
  std::size_t batch_size = 256;
};

py::object check_recognizer(py::object model, const LanguagePtr& language, const CallArgs& a,
                            const bridge::CheckOptions& options) {
  std::shared_ptr<const bridge::Recognizer> recognizer;
  std::optional<std::string> checkpoint;
  if (py::isinstance<Model>(model)) {
    const Model& m = model.cast<const Model&>();
    recognizer = bridge::model_recognizer(m.loaded, language->alphabet());
    if (!m.loaded.path.empty()) checkpoint = m.loaded.path;
  } else {
    recognizer = std::make_shared<CallableRecognizer>(
        language->alphabet(), callable_options(model, a.hidden_states, a.input, a.logits, a.pad, a.batch_size));
  }
  bridge::CheckResult result;
  {
    py::gil_scoped_release release;
    result = bridge::check(*recognizer, *language, options);
  }
  return from_json(bridge::to_json(result, language->alphabet(), language->name(), checkpoint, options.seed));
}

py::object check_tagger(py::object model, py::handle language, models::Head head, const CallArgs& a,
                        const bridge::CheckOptions& options) {
  // A name may be a task (word problems); a Language object is that language.
  bridge::Source source;
  LanguagePtr given;
  if (py::isinstance<py::str>(language)) {
    source = bridge::load_source(language.cast<std::string>(), head, "check");
  } else {
    given = to_language(language);
  }
  const languages::Language* lang = given ? given.get() : source.language.get();
  const Alphabet& alphabet = lang ? lang->alphabet() : source.alphabet();
  const std::string name = lang ? lang->name() : source.name();
  const auto truth = source.task ? std::make_unique<bridge::TruthTagger>(*source.task)
                                 : std::make_unique<bridge::TruthTagger>(*lang, head);
  const auto draw = source.task ? bridge::task_drawer(*source.task, options.max_length)
                                : bridge::language_drawer(*lang, options.max_length);
  std::shared_ptr<const bridge::Tagger> tagger;
  std::optional<std::string> checkpoint;
  if (py::isinstance<Model>(model)) {
    const Model& m = model.cast<const Model&>();
    if (m.loaded.config.head != head)
      throw InvalidArgument(std::string("the model has a ") + models::head_name(m.loaded.config.head) + " head, not " +
                            models::head_name(head));
    tagger = bridge::model_tagger(m.loaded, &alphabet, truth->output_names());
    if (!m.loaded.path.empty()) checkpoint = m.loaded.path;
  } else {
    tagger = std::make_shared<CallableTagger>(alphabet, head, truth->output_names(),
                                              callable_options(model, a.hidden_states, a.input, a.logits, a.pad, a.batch_size));
  }
  bridge::TagCheckResult result;
  {
    py::gil_scoped_release release;
    result = bridge::check_tags(*tagger, *truth, draw, options);
  }
  return from_json(bridge::to_json(result, alphabet, name, checkpoint, models::head_name(head), options.seed));
}

// A tag or next-set head, extracted as a Moore machine (bridge::extract_moore); the outputs are
// named by the language's truth, which a callable therefore needs.
py::dict extract_tagger(py::object model, py::handle alphabet, py::handle language, models::Head head,
                        const CallArgs& a, const bridge::ExtractOptions& options) {
  if (options.method != bridge::Method::lstar)
    throw InvalidArgument("extract: a tag or next-set head is extracted by lstar only");
  LanguagePtr lang;
  if (!language.is_none()) lang = to_language(language);
  const bool is_model = py::isinstance<Model>(model);
  if (!lang && !is_model)
    throw InvalidArgument("extract: a tag or next-set callable needs language= (its truth names the outputs)");
  std::unique_ptr<bridge::TruthTagger> truth;
  if (lang) truth = std::make_unique<bridge::TruthTagger>(*lang, head);
  std::optional<automata::MooreMachine> truth_moore;
  if (lang && lang->dfa()) truth_moore = bridge::truth_machine(*truth, *lang->dfa());
  std::shared_ptr<const bridge::Tagger> network;
  if (is_model) {
    const Model& m = model.cast<const Model&>();
    if (m.loaded.config.head != head)
      throw InvalidArgument(std::string("the model has a ") + models::head_name(m.loaded.config.head) + " head, not " +
                            models::head_name(head));
    network = lang ? bridge::model_tagger(m.loaded, &lang->alphabet(), truth->output_names()) : m.tagger;
  } else {
    const Alphabet al = alphabet.is_none() ? lang->alphabet() : to_alphabet(alphabet);
    automata::require_same_alphabet(al, lang->alphabet(), "extract: the alphabet and the language's");
    network = std::make_shared<CallableTagger>(al, head, truth->output_names(),
                                               callable_options(model, a.hidden_states, a.input, a.logits, a.pad, a.batch_size));
  }
  bridge::MooreExtractionReport report;
  std::string json;
  {
    py::gil_scoped_release release;
    report = bridge::extract_moore(*network, options, truth.get(), truth_moore ? &*truth_moore : nullptr);
    json = bridge::to_json(report, network->alphabet());
  }
  py::dict out = from_json(json);
  out["head"] = models::head_name(head);
  if (lang) out["language"] = lang->name();
  out["machine"] = automata::format_moore(report.machine, automata::Format::dot);
  return out;
}

}  // namespace

void bind_bridge(py::module_& m) {
  py::class_<Model, std::shared_ptr<Model>>(m, "Model", "A statelab model: a checkpoint loaded, or a run's result")
      .def_static(
          "load", [](const std::string& path) { return std::make_shared<Model>(bridge::load_model(path)); },
          py::arg("path"), "Reads a safetensors checkpoint with its metadata \"alphabet\" (statelab's or PyTorch's)")
      .def_property_readonly("head", [](const Model& m) { return std::string(models::head_name(m.loaded.config.head)); })
      .def_property_readonly("alphabet", [](const Model& m) { return m.loaded.alphabet.names(); })
      .def_property_readonly("metadata", [](const Model& m) { return m.loaded.metadata; })
      .def_property_readonly("path", [](const Model& m) { return m.loaded.path; })
      .def_property_readonly("config", [](const Model& m) { return from_json(models::to_json(m.loaded.config)); })
      .def_property_readonly("state_dim", [](const Model& m) {
        return m.recognizer ? m.recognizer->state_dim() : m.tagger ? m.tagger->state_dim() : 0;
      })
      .def(
          "scores",
          [](const Model& m, py::handle words) {
            const bridge::Recognizer& r = m.require_recognizer("scores");
            const std::vector<Word> ws = to_words(words, r.alphabet());
            std::vector<double> s;
            {
              py::gil_scoped_release release;
              s = bridge::scores_all(r, ws);
            }
            return py::array_t<double>(static_cast<py::ssize_t>(s.size()), s.data());
          },
          py::arg("words"), "The score of each word in [0, 1] (sigma of the logit), as a numpy array")
      .def(
          "accepts", [](const Model& m, py::handle word) { const auto& r = m.require_recognizer("accepts");
                                                           return r.accepts(to_word(word, r.alphabet())); },
          py::arg("word"))
      .def(
          "tags",
          [](const Model& m, py::handle words) {
            if (!m.tagger)
              throw InvalidArgument(std::string("tags: the model has a ") + models::head_name(m.loaded.config.head) +
                                    " head; tags need a tag or next-set head");
            const std::vector<Word> ws = to_words(words, m.tagger->alphabet());
            std::vector<std::vector<bridge::Output>> t;
            {
              py::gil_scoped_release release;
              t = bridge::tags_all(*m.tagger, ws);
            }
            return t;
          },
          py::arg("words"), "The output at every position (tag: a class; next-set: a bit set, bit k = <end>)")
      .def(
          "hidden_states",
          [](const Model& m, py::handle words) {
            const Alphabet& alphabet = m.recognizer ? m.recognizer->alphabet() : m.tagger->alphabet();
            const std::vector<Word> ws = to_words(words, alphabet);
            std::vector<bridge::Trajectory> t;
            {
              py::gil_scoped_release release;
              t = m.recognizer ? m.recognizer->trajectories(ws) : m.tagger->trajectories(ws);
            }
            return trajectories_arrays(t);
          },
          py::arg("words"), "The hidden state after every prefix of each word: arrays (|w| + 1, state_dim)")
      .def("__repr__", [](const Model& m) {
        return "<statelab.Model " + std::string(models::head_name(m.loaded.config.head)) + " " +
               std::string(models::cell_name(m.loaded.config.cell)) + (m.loaded.path.empty() ? "" : " from " + m.loaded.path) + ">";
      });

  m.def(
      "_train",
      [](const std::map<std::string, std::string>& options, const std::string& output) {
        const bridge::RunSpec spec = bridge::spec_from_options(options);
        bridge::RunOptions how;
        how.output = output;
        bridge::RunResult r;
        {
          py::gil_scoped_release release;
          r = bridge::run(spec, how);
        }
        bridge::LoadedModel loaded{r.config, r.params, r.alphabet, {}, output};
        return py::make_tuple(std::make_shared<Model>(std::move(loaded)), from_json(r.metrics), r.summary);
      },
      py::arg("options"), py::arg("output"));

  m.def(
      "_check",
      [](py::object model, py::handle language, const std::string& head, const std::string& input, bool logits,
         std::int64_t pad, std::size_t batch_size, py::object hidden_states, std::size_t max_length, std::size_t tests,
         std::uint64_t seed, std::optional<std::size_t> exhaustive_up_to, std::size_t max_counterexamples,
         std::size_t length_limit) {
        bridge::CheckOptions options;
        options.max_length = max_length;
        options.tests = tests;
        options.seed = seed;
        options.exhaustive_up_to = exhaustive_up_to;
        options.max_counterexamples = max_counterexamples;
        options.length_limit = length_limit;
        const CallArgs a{std::move(hidden_states), input, head, logits, pad, batch_size};
        const models::Head h = head_of(head);
        if (h == models::Head::recognize) return check_recognizer(std::move(model), to_language(language), a, options);
        return check_tagger(std::move(model), language, h, a, options);
      });

  m.def(
      "_extract",
      [](py::object model, py::handle alphabet, py::handle language, const std::string& method, double time_limit,
         std::size_t max_states, std::size_t max_queries, std::size_t random_tests, std::size_t clusters,
         std::uint64_t seed, const std::string& input, bool logits, std::int64_t pad, std::size_t batch_size,
         py::object hidden_states, bool abstraction_oracle, const std::string& head) {
        bridge::ExtractOptions options;
        if (method == "lstar") {
          options.method = bridge::Method::lstar;
        } else if (method == "lsharp") {
          options.method = bridge::Method::lsharp;
        } else if (method == "cluster") {
          options.method = bridge::Method::cluster;
        } else {
          throw InvalidArgument("extract: unknown method '" + method + "' (expected lstar, lsharp or cluster)");
        }
        if (!(time_limit > 0) || !std::isfinite(time_limit))
          throw InvalidArgument("extract: time_limit must be a positive number of seconds, got " + std::to_string(time_limit));
        options.limits.seconds = time_limit;
        options.limits.max_states = max_states;
        options.limits.max_membership_queries = max_queries;
        options.random_tests = random_tests;
        options.cluster.clusters = clusters;
        options.cluster.seed = seed;
        options.seed = seed;
        options.abstraction_oracle = abstraction_oracle;
        const models::Head h = head_of(head);
        if (h != models::Head::recognize)
          return extract_tagger(std::move(model), alphabet, language, h,
                                CallArgs{std::move(hidden_states), input, head, logits, pad, batch_size}, options);
        LanguagePtr truth;
        if (!language.is_none()) {
          truth = to_language(language);
          if (!truth->dfa())
            throw InvalidArgument("extract: '" + truth->name() + "' has no regular ground truth (it is " +
                                  std::string(languages::to_string(truth->language_class())) +
                                  "), so it cannot be compared with the extracted automaton; drop language");
        }
        std::shared_ptr<const bridge::Recognizer> network;
        if (py::isinstance<Model>(model)) {
          const Model& m = model.cast<const Model&>();
          network = truth ? bridge::model_recognizer(m.loaded, truth->alphabet()) : bridge::model_recognizer(m.loaded);
        } else {
          const Alphabet a = alphabet.is_none() ? (truth ? truth->alphabet() : throw InvalidArgument(
                                                              "extract: give the alphabet (or a language)"))
                                                : to_alphabet(alphabet);
          if (truth) automata::require_same_alphabet(a, truth->alphabet(), "extract: the alphabet and the language's");
          network = std::make_shared<CallableRecognizer>(
              a, callable_options(model, std::move(hidden_states), input, logits, pad, batch_size));
        }
        bridge::ExtractionReport report;
        std::string json;
        {
          py::gil_scoped_release release;
          report = bridge::extract(*network, options, truth.get());
          json = bridge::to_json(report, network->alphabet());
        }
        py::dict out = from_json(json);
        if (truth) out["language"] = truth->name();
        out["dfa"] = py::cast(report.dfa);
        return out;
      });
}

}  // namespace statelab::python
