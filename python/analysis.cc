// statelab.probe, statelab.track and statelab.sensitivity: the analyses of bridge/probe.h,
// bridge/track.h and bridge/sensitivity.h on a statelab model, a language, or a Python callable.
// Results are dicts with the keys of the CLI's --json.
#include <optional>
#include <string>

#include "base/error.h"
#include "bridge/probe.h"
#include "bridge/sensitivity.h"
#include "bridge/track.h"
#include "python/callable.h"
#include "python/common.h"
#include "python/model.h"

namespace statelab::python {

namespace {

// The probe's options as `statelab probe` builds them; the training lengths default to the
// checkpoint's recorded ones (else 1..20), the test lengths to 1..2B.
bridge::ProbeOptions probe_options(const bridge::LoadedModel* model, std::optional<int> layer, const std::string& target,
                                   const std::optional<std::string>& train_lengths,
                                   const std::optional<std::string>& test_lengths, std::size_t train_words,
                                   std::size_t test_words, double threshold, std::uint64_t seed, double l2,
                                   double tolerance, std::optional<bool> layer_norm, std::size_t length_limit,
                                   std::uint64_t max_work) {
  bridge::ProbeOptions o;
  o.layer = layer;
  o.target = bridge::parse_probe_target(target);
  o.layer_norm = layer_norm;
  if (train_lengths) {
    o.train_lengths = languages::parse_length_range(*train_lengths, "train_lengths");
  } else if (model) {
    if (const auto recorded = bridge::recorded_training_lengths(*model)) o.train_lengths = *recorded;
  }
  o.test_lengths = test_lengths ? languages::parse_length_range(*test_lengths, "test_lengths")
                                : languages::LengthRange{1, 2 * std::max<std::size_t>(o.train_lengths.max, 1)};
  o.train_words = train_words;
  o.test_words = test_words;
  if (!(threshold >= 0 && threshold <= 1)) throw InvalidArgument("threshold must be in [0, 1]");
  o.threshold = threshold;
  o.seed = seed;
  if (!(l2 > 0) || !(tolerance > 0)) throw InvalidArgument("l2 and tolerance must be positive");
  o.optimiser.l2 = l2;
  o.optimiser.tolerance = tolerance;
  o.length_limit = length_limit;
  o.max_work = max_work;
  o.work_option = "max_work";
  return o;
}

}  // namespace

void bind_analysis(py::module_& m) {
  m.def("_probe", [](py::object model, py::handle language, py::object hidden_states, const std::string& input,
                     std::int64_t pad, std::size_t batch_size, std::optional<int> layer, const std::string& target,
                     std::optional<std::string> train_lengths, std::optional<std::string> test_lengths,
                     std::size_t train_words, std::size_t test_words, double threshold, std::uint64_t seed, double l2,
                     double tolerance, std::optional<bool> layer_norm, std::size_t length_limit,
                     std::uint64_t max_work) {
    const LanguagePtr lang = to_language(language);
    const bool is_model = py::isinstance<Model>(model);
    const bridge::LoadedModel* loaded = is_model ? &model.cast<const Model&>().loaded : nullptr;
    const bridge::ProbeOptions options = probe_options(loaded, layer, target, train_lengths, test_lengths, train_words,
                                                       test_words, threshold, seed, l2, tolerance, layer_norm,
                                                       length_limit, max_work);
    if (loaded) {
      if (!hidden_states.is_none())
        throw InvalidArgument("probe: a statelab.Model gives its own hidden states: drop hidden_states");
      std::string json;
      {
        py::gil_scoped_release release;
        json = bridge::to_json(bridge::probe(*loaded, *lang, options));
      }
      return from_json(json);
    }
    // A callable: the hidden states come from hidden_states (or the model itself when it is the
    // hidden-states callable); no random-init control (no architecture to initialise).
    py::object states = hidden_states.is_none() ? model : hidden_states;
    if (states.is_none())
      throw InvalidArgument("probe: give a statelab.Model, or a callable returning hidden states (hidden_states=)");
    CallableOptions o{states, states, input, false, pad, batch_size};
    if (!PyCallable_Check(states.ptr())) throw InvalidArgument("probe: hidden_states must be callable");
    if (input != "lists" && input != "padded")
      throw InvalidArgument("input '" + input + "': expected \"lists\" or \"padded\"");
    if (batch_size == 0) throw InvalidArgument("batch_size must be at least 1");
    (void)bridge::probe_components(*lang, options.target);  // refused before the callable is asked
    const std::size_t dim = callable_state_dim(o);
    std::string json;
    {
      const bridge::ProbeStates s = bridge::trajectory_states(
          [&o, dim](std::span<const Word> words) { return callable_trajectories(o, words, dim); }, dim, batch_size);
      py::gil_scoped_release release;
      json = bridge::to_json(bridge::probe(s, *lang, options));
    }
    return from_json(json);
  });

  m.def("_track", [](py::object model, py::handle language, std::optional<std::size_t> max_length,
                     std::optional<std::string> train_lengths, std::size_t count, double threshold, std::size_t tests,
                     std::uint64_t seed, std::size_t length_limit) {
    if (!py::isinstance<Model>(model))
      throw InvalidArgument("track: the model must be a statelab.Model (a checkpoint: track needs its architecture "
                            "for classify's prediction); for a callable use check and probe");
    const std::string name = py::isinstance<py::str>(language) ? language.cast<std::string>()
                                                               : to_language(language)->name();
    bridge::TrackOptions o;
    o.max_length = max_length;
    if (train_lengths) o.train_lengths = languages::parse_length_range(*train_lengths, "train_lengths");
    if (count == 0 || tests == 0) throw InvalidArgument("track: count and tests must be at least 1");
    o.count = count;
    if (!(threshold >= 0 && threshold <= 1)) throw InvalidArgument("threshold must be in [0, 1]");
    o.threshold = threshold;
    o.tests = tests;
    o.seed = seed;
    o.length_limit = length_limit;
    const bridge::LoadedModel& loaded = model.cast<const Model&>().loaded;
    std::string json;
    {
      py::gil_scoped_release release;
      json = bridge::to_json(bridge::track(loaded, name, o));
    }
    return from_json(json);
  });

  m.def("_sensitivity", [](py::object function, std::size_t length, std::size_t samples, std::uint64_t seed,
                           py::handle alphabet, const std::string& input, bool logits, std::int64_t pad,
                           std::size_t batch_size) {
    bridge::SensitivityOptions s;
    s.length = length;
    s.samples = samples;
    s.seed = seed;
    std::shared_ptr<const bridge::Recognizer> recognizer;
    LanguagePtr lang;
    std::string name;
    if (py::isinstance<Model>(function)) {
      const Model& mdl = function.cast<const Model&>();
      bridge::require_head(mdl.loaded, {models::Head::recognize}, "sensitivity");
      recognizer = mdl.recognizer;
      name = mdl.loaded.path;
    } else if (py::isinstance<py::str>(function) || !PyCallable_Check(function.ptr())) {
      lang = to_language(function);
      recognizer = std::make_shared<bridge::LanguageRecognizer>(*lang);
      name = lang->name();
    } else {
      if (alphabet.is_none()) throw InvalidArgument("sensitivity: a callable needs its alphabet (\"01\" or names)");
      recognizer = std::make_shared<CallableRecognizer>(to_alphabet(alphabet),
                                                        CallableOptions{function, py::none(), input, logits, pad, batch_size});
      name = "<callable>";
    }
    const std::size_t symbols = recognizer->alphabet().size();
    std::string json;
    {
      py::gil_scoped_release release;
      json = bridge::to_json(bridge::average_sensitivity(*recognizer, s), name, s, symbols);
    }
    return from_json(json);
  });
}

}  // namespace statelab::python
