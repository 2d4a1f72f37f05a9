// What the files of the Python module share: words between Python and C++, JSON objects as Python
// dicts, and one bind_* function per part of the module (module.cc calls them in order).
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

#include "automata/alphabet.h"
#include "automata/dfa.h"
#include "languages/language.h"

namespace statelab::python {

namespace py = pybind11;
using automata::Alphabet;
using automata::Symbol;
using automata::Word;

/// A word from Python: a str written as the alphabet writes words ("0110", "a b"), or a sequence
/// of symbol ids (a list, a tuple, a 1-d integer numpy array).  Throws InvalidArgument naming
/// the bad symbol.
Word to_word(py::handle word, const Alphabet& alphabet);
/// Many words: a sequence of words as to_word takes them.
std::vector<Word> to_words(py::handle words, const Alphabet& alphabet);
/// A word as a list of symbol ids.
py::list word_list(const Word& word);
/// An alphabet from Python: a str of one-character symbols ("01"), or a sequence of names.
Alphabet to_alphabet(py::handle alphabet);
/// A JSON text as Python objects (json.loads).
py::object from_json(const std::string& json);

/// A language shared between Python objects (a Language object, a check, a dataset iterator).
using LanguagePtr = std::shared_ptr<const languages::Language>;
/// The language a Python argument names: a Language object or a catalogue name.
LanguagePtr to_language(py::handle language);

void bind_errors(py::module_& m);
void bind_automata(py::module_& m);
void bind_languages(py::module_& m);
void bind_bridge(py::module_& m);
void bind_analysis(py::module_& m);

}  // namespace statelab::python
