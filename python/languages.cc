// statelab.Language and the datasets: the catalogue from Python, with numpy arrays for training.
#include <algorithm>
#include <string>

#include "base/error.h"
#include "languages/dataset.h"
#include "languages/explore.h"
#include "languages/registry.h"
#include "python/common.h"

namespace statelab::python {

namespace {

using languages::Example;
using languages::Language;

// An exact count as a Python int, whatever its size.
py::object to_int(const languages::Count& count) {
  return py::reinterpret_steal<py::object>(PyLong_FromString(count.str().c_str(), nullptr, 10));
}

// One split as numpy arrays: ids (N, T) padded with `pad` (T the longest word), lengths (N),
// labels (N); with targets, end (N, T + 1) and next (N, T + 1, k): position t is the target after
// the prefix of length t (Language::targets), zero past each word's end.
py::dict split_arrays(const std::vector<Example>& examples, std::size_t k, std::int64_t pad, bool targets) {
  const std::size_t n = examples.size();
  std::size_t t = 0;
  for (const Example& e : examples) t = std::max(t, e.word.size());
  py::array_t<std::int64_t> ids({n, t}), lengths(static_cast<py::ssize_t>(n)), labels(static_cast<py::ssize_t>(n));
  auto id = ids.mutable_unchecked<2>();
  auto len = lengths.mutable_unchecked<1>();
  auto lab = labels.mutable_unchecked<1>();
  for (std::size_t i = 0; i < n; ++i) {
    const Word& w = examples[i].word;
    for (std::size_t j = 0; j < t; ++j) id(i, j) = j < w.size() ? static_cast<std::int64_t>(w[j]) : pad;
    len(i) = static_cast<std::int64_t>(w.size());
    lab(i) = examples[i].label ? 1 : 0;
  }
  py::dict out;
  out["ids"] = ids;
  out["lengths"] = lengths;
  out["labels"] = labels;
  if (targets) {
    py::array_t<std::uint8_t> end({n, t + 1}), next({n, t + 1, k});
    std::fill_n(end.mutable_data(), end.size(), 0);
    std::fill_n(next.mutable_data(), next.size(), 0);
    auto e = end.mutable_unchecked<2>();
    auto x = next.mutable_unchecked<3>();
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t p = 0; p < examples[i].targets.size(); ++p) {
        const auto& target = examples[i].targets[p];
        e(i, p) = target.end;
        for (std::size_t a = 0; a < k && a < target.next.size(); ++a) x(i, p, a) = target.next[a];
      }
    out["end"] = end;
    out["next"] = next;
  }
  return out;
}

languages::DatasetOptions dataset_options(const std::string& train_lengths, const std::string& test_lengths,
                                          std::size_t train_per_length, std::size_t test_per_length,
                                          std::uint64_t seed, bool targets, std::size_t max_edits) {
  languages::DatasetOptions o;
  o.train_lengths = languages::parse_length_range(train_lengths, "train_lengths");
  o.test_lengths = languages::parse_length_range(test_lengths, "test_lengths");
  o.train_per_length = train_per_length;
  o.test_per_length = test_per_length;
  o.seed = seed;
  o.with_targets = targets;
  o.max_edits = max_edits;
  return o;
}

}  // namespace

LanguagePtr to_language(py::handle language) {
  if (py::isinstance<py::str>(language)) return languages::make_language(language.cast<std::string>());
  return language.cast<LanguagePtr>();
}

void bind_languages(py::module_& m) {
  py::class_<Language, std::shared_ptr<Language>>(m, "Language", "A language of the catalogue (docs/languages.md)")
      .def(py::init([](const std::string& name) { return std::shared_ptr<Language>(languages::make_language(name)); }),
           py::arg("name"), "The language called `name`: \"tomita:n=3\", \"dyck:k=2,depth=4\", \"regex:(ab)*\" ...")
      .def_property_readonly("name", &Language::name)
      .def_property_readonly("alphabet", [](const Language& l) { return l.alphabet().names(); })
      .def_property_readonly("language_class", [](const Language& l) { return std::string(languages::to_string(l.language_class())); })
      .def_property_readonly("engine", [](const Language& l) { return std::string(languages::to_string(l.ground_truth().engine)); })
      .def_property_readonly("definition", [](const Language& l) { return l.ground_truth().definition; })
      .def_property_readonly("state_names", &Language::state_names)
      .def_property_readonly(
          "dfa", [](const Language& l) -> py::object { return l.dfa() ? py::cast(*l.dfa()) : py::none(); },
          "The minimal DFA when the language is regular, else None")
      .def("contains", [](const Language& l, py::handle word) { return l.contains(to_word(word, l.alphabet())); },
           py::arg("word"), "Whether the word (a str, or a list of symbol ids) is in the language")
      .def("__contains__", [](const Language& l, py::handle word) { return l.contains(to_word(word, l.alphabet())); })
      .def(
          "count",
          [](const Language& l, std::size_t length) {
            languages::Count c;
            {
              py::gil_scoped_release release;
              c = l.count_exactly(length);
            }
            return to_int(c);
          },
          py::arg("length"), "The exact number of words of this length in the language (a Python int)")
      .def(
          "sample",
          [](const Language& l, std::size_t length, std::size_t k, std::uint64_t seed) {
            languages::SampleRequest request{{length, length}, k, seed, false, false};
            std::vector<Example> words;
            {
              py::gil_scoped_release release;
              words = languages::sample_words(l, request);
            }
            py::list out;
            for (const Example& e : words) out.append(word_list(e.word));
            return out;
          },
          py::arg("length"), py::arg("k") = 1, py::arg("seed") = 0,
          "k words of this length, each exactly uniform among the language's (as `statelab lang sample`)")
      .def(
          "targets",
          [](const Language& l, py::handle word) {
            py::list out;
            for (const auto& t : l.targets(to_word(word, l.alphabet()))) {
              py::dict d;
              d["state"] = t.state;
              d["next"] = t.next;
              d["end"] = t.end;
              out.append(d);
            }
            return out;
          },
          py::arg("word"), "The target after each prefix (|word| + 1 dicts: state, next, end)")
      .def("format", [](const Language& l, py::handle word) { return l.alphabet().format_word(to_word(word, l.alphabet())); },
           py::arg("word"), "The word written with the alphabet's names")
      .def("parse", [](const Language& l, const std::string& text) { return word_list(l.parse_word(text)); }, py::arg("text"))
      .def("__repr__", [](const Language& l) { return "<statelab.Language " + l.name() + ">"; });

  m.def(
      "_dataset",
      [](py::handle language, const std::string& train_lengths, const std::string& test_lengths,
         std::size_t train_per_length, std::size_t test_per_length, std::uint64_t seed, bool targets,
         std::size_t max_edits, std::int64_t pad) {
        const LanguagePtr l = to_language(language);
        const auto o = dataset_options(train_lengths, test_lengths, train_per_length, test_per_length, seed, targets,
                                       max_edits);
        languages::Dataset d;
        {
          py::gil_scoped_release release;
          d = languages::build_dataset(*l, o);
        }
        const std::size_t k = l->alphabet().size();
        return py::make_tuple(split_arrays(d.train, k, pad, targets), split_arrays(d.test, k, pad, targets));
      });
  // One length of one split, exactly the examples the whole dataset holds at that length: the train
  // cell depends on (seed, length) alone, and a test cell avoids the train words of its length.
  m.def(
      "_dataset_length",
      [](py::handle language, const std::string& train_lengths, const std::string& test_lengths,
         std::size_t train_per_length, std::size_t test_per_length, std::uint64_t seed, bool targets,
         std::size_t max_edits, std::int64_t pad, const std::string& split, std::size_t length) {
        const LanguagePtr l = to_language(language);
        auto o = dataset_options(train_lengths, test_lengths, train_per_length, test_per_length, seed, targets, max_edits);
        const bool in_train = length >= o.train_lengths.min && length <= o.train_lengths.max;
        const bool in_test = length >= o.test_lengths.min && length <= o.test_lengths.max;
        if (split != "train" && split != "test")
          throw InvalidArgument("split '" + split + "': expected train or test");
        if (!(split == "train" ? in_train : in_test))
          throw InvalidArgument("length " + std::to_string(length) + " is outside the " + split + " lengths");
        if (!in_train) o.train_per_length = 0;
        if (split == "train") o.test_per_length = 0;
        o.train_lengths = o.test_lengths = {length, length};
        languages::Dataset d;
        {
          py::gil_scoped_release release;
          d = languages::build_dataset(*l, o);
        }
        return split_arrays(split == "train" ? d.train : d.test, l->alphabet().size(), pad, targets);
      });
}

}  // namespace statelab::python
