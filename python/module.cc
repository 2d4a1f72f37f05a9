// statelab._core: the compiled part of the Python module (docs/python.md).  Every statelab error
// becomes a Python exception of the same name under statelab.Error, with the same one-line message.
#include <pybind11/pybind11.h>

#include "base/error.h"
#include "languages/registry.h"
#include "models/error.h"
#include "python/common.h"

namespace statelab::python {

Word to_word(py::handle word, const Alphabet& alphabet) {
  if (py::isinstance<py::str>(word)) return alphabet.parse_word(word.cast<std::string>());
  Word out;
  if (py::isinstance<py::array>(word)) {
    const auto a = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(word);
    if (!a || a.ndim() != 1) throw InvalidArgument("a word must be a str or a 1-d sequence of symbol ids");
    out.reserve(static_cast<std::size_t>(a.size()));
    for (py::ssize_t i = 0; i < a.size(); ++i) out.push_back(static_cast<Symbol>(a.data()[i]));
  } else {
    if (!py::isinstance<py::sequence>(word)) throw InvalidArgument("a word must be a str or a sequence of symbol ids, got " +
                                                                   std::string(py::str(word.get_type().attr("__name__"))));
    const auto seq = py::reinterpret_borrow<py::sequence>(word);
    out.reserve(seq.size());
    for (py::handle s : seq) {
      const long long id = s.cast<long long>();
      if (id < 0 || static_cast<std::size_t>(id) >= alphabet.size())
        throw InvalidArgument("symbol id " + std::to_string(id) + " at position " + std::to_string(out.size()) +
                              " is outside the alphabet (" + std::to_string(alphabet.size()) + " symbols: ids 0.." +
                              std::to_string(alphabet.size() - 1) + ")");
      out.push_back(static_cast<Symbol>(id));
    }
    return out;
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    if (out[i] >= alphabet.size())
      throw InvalidArgument("symbol id " + std::to_string(out[i]) + " at position " + std::to_string(i) +
                            " is outside the alphabet (" + std::to_string(alphabet.size()) + " symbols)");
  return out;
}

std::vector<Word> to_words(py::handle words, const Alphabet& alphabet) {
  if (py::isinstance<py::str>(words) || !py::isinstance<py::sequence>(words))
    throw InvalidArgument("words must be a sequence of words (a list of str or of lists of symbol ids)");
  std::vector<Word> out;
  for (py::handle w : words) out.push_back(to_word(w, alphabet));
  return out;
}

py::list word_list(const Word& word) {
  py::list out(word.size());
  for (std::size_t i = 0; i < word.size(); ++i) out[i] = py::int_(word[i]);
  return out;
}

Alphabet to_alphabet(py::handle alphabet) {
  if (py::isinstance<py::str>(alphabet)) return Alphabet::from_chars(alphabet.cast<std::string>());
  return Alphabet(alphabet.cast<std::vector<std::string>>());
}

py::object from_json(const std::string& json) { return py::module_::import("json").attr("loads")(json); }

void bind_errors(py::module_& m) {
  // Registered base first: pybind11 tries the translators last registered first, so a subclass's
  // own translator is tried before its base's.
  static py::exception<Error> error(m, "Error");
  static py::exception<ParseError> parse(m, "ParseError", error.ptr());
  static py::exception<InvalidArgument> invalid(m, "InvalidArgument", error.ptr());
  static py::exception<LimitExceeded> limit(m, "LimitExceeded", error.ptr());
  static py::exception<IoError> io(m, "IoError", error.ptr());
  static py::exception<models::ModelError> model(m, "ModelError", error.ptr());
  static py::exception<models::CheckpointError> checkpoint(m, "CheckpointError", model.ptr());
  static py::exception<models::DivergenceError> divergence(m, "DivergenceError", model.ptr());
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const models::CheckpointError& e) {
      checkpoint(e.what());
    } catch (const models::DivergenceError& e) {
      divergence(e.what());
    } catch (const models::ModelError& e) {
      model(e.what());
    } catch (const ParseError& e) {
      parse(e.what());
    } catch (const InvalidArgument& e) {
      invalid(e.what());
    } catch (const LimitExceeded& e) {
      limit(e.what());
    } catch (const IoError& e) {
      io(e.what());
    } catch (const Error& e) {
      error(e.what());
    }
  });
}

}  // namespace statelab::python

PYBIND11_MODULE(_core, m) {
  namespace sp = statelab::python;
  m.doc() = "statelab's compiled core; import statelab instead (docs/python.md)";
  sp::bind_errors(m);
  sp::bind_automata(m);
  sp::bind_languages(m);
  sp::bind_bridge(m);
  sp::bind_analysis(m);
}
