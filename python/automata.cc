// statelab.Dfa and statelab.classify: the automata library from Python.
#include <pybind11/operators.h>

#include <filesystem>
#include <string>
#include <variant>

#include "automata/boolean_ops.h"
#include "automata/decide.h"
#include "automata/dot_io.h"
#include "automata/machine_io.h"
#include "automata/minimize.h"
#include "automata/monoid.h"
#include "automata/nfa.h"
#include "automata/regex.h"
#include "base/error.h"
#include "bridge/expressivity.h"
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

py::dict classify_dfa(const Dfa& dfa, const std::string& name, std::size_t max_monoid, bool witness) {
  const Dfa minimal = automata::minimize(dfa);
  const Alphabet& alphabet = minimal.alphabet();
  const automata::TransitionMonoid m = automata::transition_monoid(minimal, max_monoid);
  const automata::MonoidAnalysis a = automata::analyze(m);
  std::size_t regular = 0;
  for (const automata::JClass& j : a.j_classes) regular += j.regular;
  // The keys and order of `statelab classify --json`.
  py::dict out;
  out["language"] = name;
  out["states"] = minimal.num_states();
  out["symbols"] = alphabet.names();
  out["monoid_size"] = m.size();
  out["idempotents"] = a.idempotents.size();
  out["j_classes"] = a.j_classes.size();
  out["regular_j_classes"] = regular;
  out["r_classes"] = a.num_r_classes;
  out["l_classes"] = a.num_l_classes;
  out["aperiodic"] = a.aperiodic();
  py::list groups;
  for (const automata::MaximalSubgroup* g : a.nontrivial_groups()) {
    py::dict j;
    j["order"] = g->order;
    j["abelian"] = g->abelian;
    j["solvable"] = g->solvable;
    j["derived_series"] = g->derived_series;
    j["j_class"] = g->j_class;
    j["degree"] = g->points.size();
    if (witness) {
      j["idempotent"] = alphabet.format_word(m.word(g->idempotent));
      py::list words;
      for (automata::Element x : g->generators) words.append(alphabet.format_word(m.word(x)));
      j["generators"] = words;
    }
    groups.append(j);
  }
  out["groups"] = groups;
  out["class"] = std::string(automata::to_string(a.monoid_class));
  py::dict predictions;
  for (const bridge::Prediction& p : bridge::predict(bridge::algebraic_facts(a))) {
    py::dict d;
    d["answer"] = std::string(bridge::to_string(p.answer));
    d["reason"] = p.reason;
    d["source"] = p.source;
    predictions[py::str(p.architecture)] = d;
  }
  out["predictions"] = predictions;
  return out;
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
      .def("__eq__", [](const Dfa& a, const Dfa& b) { return a == b; }, "The same table, not the same language: "
                                                                          "use statelab.equivalent")
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
      "equivalent",
      [](const Dfa& a, const Dfa& b) -> py::object {
        const auto w = automata::find_counterexample(a, b);
        if (!w) return py::none();
        return word_list(*w);
      },
      py::arg("a"), py::arg("b"),
      "None when a and b accept the same words, else the shortest, shortlex-least word on which they differ "
      "(a list of symbol ids; possibly empty: test `is None`)");
  m.def(
      "_classify_dfa",
      [](const Dfa& d, const std::string& name, std::size_t max_monoid, bool witness) {
        return classify_dfa(d, name, max_monoid, witness);
      },
      py::arg("dfa"), py::arg("name"), py::arg("max_monoid") = automata::kDefaultMaxMonoid, py::arg("witness") = false);
}

}  // namespace statelab::python
