// statelab.Dfa and statelab.classify: the automata library from Python.
#include <pybind11/operators.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <variant>

#include "automata/boolean_ops.h"
#include "automata/decide.h"
#include "automata/dot_io.h"
#include "automata/machine_io.h"
#include "automata/minimize.h"
#include "automata/nfa.h"
#include "automata/regex.h"
#include "base/error.h"
#include "bridge/classify.h"
#include "python/common.h"

namespace statelab::python {

namespace {

using automata::Dfa;

// A machine read from a file or a text, as a DFA (an NFA determinised); another kind is refused.
Dfa as_dfa(automata::Machine machine, const std::string& where, std::size_t max_states) {
  if (auto* d = std::get_if<Dfa>(&machine)) return std::move(*d);
  if (auto* n = std::get_if<automata::Nfa>(&machine)) return automata::determinize(*n, max_states);
  throw InvalidArgument(where + " holds a " + std::string(automata::kind_name(machine)) +
                        ", not a finite automaton (statelab.Dfa reads DFAs and NFAs)");
}

// ".json" from "json", ".json" or "x.json".
std::filesystem::path format_path(const std::string& format) {
  const std::string ext = format.empty() || format[0] == '.' ? format : "." + format;
  return std::filesystem::path("automaton" + ext);
}

// statelab.equivalent: None, or the shortest, shortlex-least word on which a and b differ.
py::object counterexample(const Dfa& a, const Dfa& b) {
  const auto w = automata::find_counterexample(a, b);
  if (!w) return py::none();
  return word_list(*w);
}

}  // namespace

void bind_automata(py::module_& m) {
  py::class_<Dfa>(m, "Dfa", "A complete deterministic finite automaton (automata/dfa.h)")
      .def_static(
          "from_regex",
          [](const std::string& pattern, py::handle alphabet, std::size_t max_states) {
            return automata::regex_to_dfa(pattern, to_alphabet(alphabet), max_states);
          },
          py::arg("pattern"), py::arg("alphabet"), py::arg("max_states") = automata::kDefaultMaxStates,
          "The DFA of a regular expression (docs/regex.md) over `alphabet` (\"01\" or a list of names)")
      .def_static(
          "read",
          [](const std::string& path, std::size_t max_states) {
            return as_dfa(automata::read_machine_file(path), path, max_states);
          },
          py::arg("path"), py::arg("max_states") = automata::kDefaultMaxStates,
          "Reads .json, .dot/.gv, .jff or .att (an NFA is determinised)")
      .def_static(
          "parse",
          [](const std::string& text, const std::string& format, std::size_t max_states) {
            const auto path = format_path(format);
            return as_dfa(automata::read_machine(text, path), "the " + path.extension().string() + " text", max_states);
          },
          py::arg("text"), py::arg("format") = "json", py::arg("max_states") = automata::kDefaultMaxStates,
          "Reads a text in `format` (json, dot, jff or att)")
      .def(
          "write", [](const Dfa& d, const std::string& path) { automata::write_machine(d, path); }, py::arg("path"),
          "Writes the DFA atomically, in the format its extension names (.json .dot .gv .jff .att)")
      .def(
          "format", [](const Dfa& d, const std::string& format) { return automata::format_machine(d, format_path(format)); },
          py::arg("format") = "json", "The DFA as text in `format` (json, dot, jff or att)")
      .def("to_dot", [](const Dfa& d) { return automata::write_dot(d); }, "The DFA in Graphviz DOT")
      .def_property_readonly("num_states", &Dfa::num_states)
      .def_property_readonly("alphabet", [](const Dfa& d) { return d.alphabet().names(); })
      .def_property_readonly("initial", &Dfa::initial)
      .def_property_readonly("accepting",
                             [](const Dfa& d) {
                               std::vector<automata::State> out;
                               for (automata::State q = 0; q < d.num_states(); ++q)
                                 if (d.is_accepting(q)) out.push_back(q);
                               return out;
                             })
      .def(
          "next", [](const Dfa& d, automata::State q, py::handle symbol) {
            if (q >= d.num_states()) throw InvalidArgument("state " + std::to_string(q) + " is outside the DFA (" +
                                                           std::to_string(d.num_states()) + " states)");
            const Word w = to_word(py::isinstance<py::str>(symbol) ? symbol : py::make_tuple(symbol), d.alphabet());
            if (w.size() != 1) throw InvalidArgument("next takes one symbol");
            return d.next(q, w[0]);
          },
          py::arg("state"), py::arg("symbol"))
      .def(
          "accepts", [](const Dfa& d, py::handle word) { return automata::accepts(d, to_word(word, d.alphabet())); },
          py::arg("word"))
      .def("__contains__", [](const Dfa& d, py::handle word) { return automata::accepts(d, to_word(word, d.alphabet())); })
      .def("minimize", [](const Dfa& d) { return automata::minimize(d); }, "The minimal DFA (Hopcroft), state 0 initial")
      .def("complement", [](const Dfa& d) { return automata::complement(d); })
      .def("__invert__", [](const Dfa& d) { return automata::complement(d); })
      .def("__and__", [](const Dfa& a, const Dfa& b) { return automata::intersect(a, b); })
      .def("__or__", [](const Dfa& a, const Dfa& b) { return automata::unite(a, b); })
      .def("__sub__", [](const Dfa& a, const Dfa& b) { return automata::difference(a, b); })
      .def("__xor__", [](const Dfa& a, const Dfa& b) { return automata::symmetric_difference(a, b); })
      .def("is_empty", [](const Dfa& d) { return automata::is_empty(d); })
      .def("is_universal", [](const Dfa& d) { return automata::is_universal(d); })
      .def("is_finite", [](const Dfa& d) { return automata::is_finite(d); })
      .def(
          "__eq__",
          [](const Dfa& a, const Dfa& b) {
            // The same language: symbols matched by name (in any order); other symbols, other languages.
            auto names = [](const Dfa& d) {
              auto n = d.alphabet().names();
              std::sort(n.begin(), n.end());
              return n;
            };
            return names(a) == names(b) && automata::equivalent(a, b);
          },
          py::is_operator(),
          "a == b: they accept the same words (Hopcroft-Karp; symbols matched by name), whatever their states; "
          "statelab.equivalent(a, b) gives the shortest word where they differ")
      .def("equivalent", &counterexample, py::arg("other"), "statelab.equivalent(self, other): None, or the shortest word where they differ")
      .def("__repr__", [](const Dfa& d) {
        return "<statelab.Dfa: " + std::to_string(d.num_states()) + " states over {" +
               [&] {
                 std::string s;
                 for (const auto& n : d.alphabet().names()) s += (s.empty() ? "" : " ") + n;
                 return s;
               }() +
               "}>";
      });

  m.def(
      "equivalent", &counterexample, py::arg("a"), py::arg("b"),
      "None when a and b accept the same words, else the shortest, shortlex-least word on which they differ "
      "(a list of symbol ids; possibly empty: test `is None`)");
  m.def(
      "_classify_dfa",
      [](const Dfa& d, const std::string& name, std::size_t max_monoid, bool witness) {
        std::string json;
        {
          py::gil_scoped_release release;
          json = bridge::to_json(bridge::classify(name, d, max_monoid), witness);
        }
        return from_json(json);
      },
      py::arg("dfa"), py::arg("name"), py::arg("max_monoid") = automata::kDefaultMaxMonoid, py::arg("witness") = false);
}

}  // namespace statelab::python
