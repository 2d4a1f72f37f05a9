#include "python/callable.h"

#include <cmath>
#include <string>

#include "base/error.h"

namespace statelab::python {

using namespace pybind11::literals;

namespace {

std::string shape_text(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) s += (i ? ", " : "") + std::to_string(a.shape(i));
  return s + (a.ndim() == 1 ? ",)" : ")");
}

std::size_t longest(std::span<const Word> words) {
  std::size_t t = 0;
  for (const Word& w : words) t = std::max(t, w.size());
  return t;
}

// The callable's result as a float64 array (numpy.asarray: numpy arrays, lists, CPU tensors).
py::array as_array(py::handle result, const char* what) {
  try {
    return py::module_::import("numpy").attr("asarray")(result, "dtype"_a = "float64");
  } catch (py::error_already_set& e) {
    throw InvalidArgument(std::string(what) + " returned a " + std::string(py::str(result.get_type().attr("__name__"))) +
                          " that numpy cannot read as numbers (" + e.what() + ")");
  }
}

// T of the batch as the callable sees it: the longest word, at least 1 for padded input.
std::size_t columns(const CallableOptions& o, std::span<const Word> words) {
  return o.input == "padded" ? std::max<std::size_t>(longest(words), 1) : longest(words);
}

}  // namespace

py::tuple batch_arguments(const CallableOptions& o, std::span<const Word> words) {
  if (o.input == "lists") {
    py::list batch(words.size());
    for (std::size_t i = 0; i < words.size(); ++i) batch[i] = word_list(words[i]);
    return py::make_tuple(batch);
  }
  const std::size_t t = columns(o, words);  // >= 1: a batch of empty words still runs through a network
  py::array_t<std::int64_t> ids({words.size(), t}), lengths(static_cast<py::ssize_t>(words.size()));
  auto id = ids.mutable_unchecked<2>();
  auto len = lengths.mutable_unchecked<1>();
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (std::size_t j = 0; j < t; ++j) id(i, j) = j < words[i].size() ? static_cast<std::int64_t>(words[i][j]) : o.pad;
    len(i) = static_cast<std::int64_t>(words[i].size());
  }
  return py::make_tuple(ids, lengths);
}

std::vector<bridge::Trajectory> callable_trajectories(const CallableOptions& o, std::span<const Word> words,
                                                      std::size_t state_dim) {
  if (o.hidden_states.is_none()) throw InvalidArgument("the model has no hidden_states callable");
  py::gil_scoped_acquire gil;
  const py::array a = as_array(o.hidden_states(*batch_arguments(o, words)), "hidden_states");
  const std::size_t t = columns(o, words);
  const std::size_t b = words.size();
  if (a.ndim() != 3 || static_cast<std::size_t>(a.shape(0)) != b ||
      (static_cast<std::size_t>(a.shape(1)) != t + 1 && static_cast<std::size_t>(a.shape(1)) != t) ||
      static_cast<std::size_t>(a.shape(2)) != state_dim)
    throw InvalidArgument("hidden_states returned shape " + shape_text(a) + " for a batch of " + std::to_string(b) +
                          " words of up to " + std::to_string(t) + " symbols: expected (" + std::to_string(b) + ", " +
                          std::to_string(t + 1) + ", " + std::to_string(state_dim) + ") or (" + std::to_string(b) + ", " +
                          std::to_string(t) + ", " + std::to_string(state_dim) + ")");
  const bool initial = static_cast<std::size_t>(a.shape(1)) == t + 1;
  const auto v = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a).unchecked<3>();
  std::vector<bridge::Trajectory> out;
  out.reserve(b);
  for (std::size_t i = 0; i < b; ++i) {
    bridge::Trajectory m = bridge::Trajectory::Zero(static_cast<Eigen::Index>(state_dim),
                                                    static_cast<Eigen::Index>(words[i].size() + 1));
    for (std::size_t c = initial ? 0 : 1; c <= words[i].size(); ++c)
      for (std::size_t d = 0; d < state_dim; ++d)
        m(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(c)) =
            static_cast<float>(v(static_cast<py::ssize_t>(i), static_cast<py::ssize_t>(initial ? c : c - 1),
                                 static_cast<py::ssize_t>(d)));
    out.push_back(std::move(m));
  }
  return out;
}

std::size_t callable_state_dim(const CallableOptions& o) {
  if (o.hidden_states.is_none()) return 0;
  const Word probe{0};
  const py::array a = as_array(o.hidden_states(*batch_arguments(o, std::span<const Word>(&probe, 1))), "hidden_states");
  if (a.ndim() != 3 || a.shape(0) != 1 || a.shape(1) < 1 || a.shape(1) > 2 || a.shape(2) < 1)
    throw InvalidArgument("hidden_states returned shape " + shape_text(a) +
                          " for one word of one symbol: expected (1, 2, d) or (1, 1, d)");
  return static_cast<std::size_t>(a.shape(2));
}

namespace {

void check_options(const CallableOptions& o) {
  if (o.input != "lists" && o.input != "padded")
    throw InvalidArgument("input '" + o.input + "': expected \"lists\" (a list of lists of symbol ids) or \"padded\" "
                          "(ids (B, T) and lengths (B))");
  if (o.batch_size == 0) throw InvalidArgument("batch_size must be at least 1");
  if (!PyCallable_Check(o.model.ptr())) throw InvalidArgument("the model must be callable");
  if (!o.hidden_states.is_none() && !PyCallable_Check(o.hidden_states.ptr()))
    throw InvalidArgument("hidden_states must be callable or None");
}

// Releases the callables with the GIL held, whoever drops the last reference.
void release(CallableOptions& o) {
  py::gil_scoped_acquire gil;
  o.model = py::object();
  o.hidden_states = py::object();
}

}  // namespace

CallableRecognizer::CallableRecognizer(Alphabet alphabet, CallableOptions options)
    : alphabet_(std::move(alphabet)), options_(std::move(options)) {
  check_options(options_);
  state_dim_ = callable_state_dim(options_);
}

CallableRecognizer::~CallableRecognizer() { release(options_); }

std::vector<double> CallableRecognizer::scores(std::span<const Word> words) const {
  py::gil_scoped_acquire gil;
  const py::array a = as_array(options_.model(*batch_arguments(options_, words)), "the model");
  const std::size_t b = words.size();
  if (static_cast<std::size_t>(a.size()) != b || a.ndim() > 2 || (a.ndim() == 2 && a.shape(1) != 1) ||
      (a.ndim() == 0 && b != 1))
    throw InvalidArgument("the model returned shape " + shape_text(a) + " for a batch of " + std::to_string(b) +
                          " words: a recognizer returns one score per word, shape (" + std::to_string(b) + ",)");
  const auto v = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
  std::vector<double> out(v.data(), v.data() + b);
  for (std::size_t i = 0; i < b; ++i) {
    double& s = out[i];
    if (std::isnan(s))
      throw InvalidArgument("the model returned NaN for the word '" + alphabet_.format_word(words[i]) + "'");
    if (options_.logits) {
      s = 1 / (1 + std::exp(-s));
    } else if (s < 0 || s > 1) {
      throw InvalidArgument("the model returned the score " + std::to_string(s) + " for the word '" +
                            alphabet_.format_word(words[i]) +
                            "': scores are probabilities in [0, 1] (pass logits=True for logits)");
    }
  }
  return out;
}

std::vector<bridge::Trajectory> CallableRecognizer::trajectories(std::span<const Word> words) const {
  return callable_trajectories(options_, words, state_dim_);
}

CallableTagger::CallableTagger(Alphabet alphabet, models::Head head, std::vector<std::string> outputs,
                               CallableOptions options)
    : alphabet_(std::move(alphabet)), head_(head), outputs_(std::move(outputs)), options_(std::move(options)) {
  check_options(options_);
  if (head_ != models::Head::tag && head_ != models::Head::next_set)
    throw InvalidArgument("head must be recognize, tag or next-set");
  state_dim_ = callable_state_dim(options_);
}

CallableTagger::~CallableTagger() { release(options_); }

std::vector<std::vector<bridge::Output>> CallableTagger::tags(std::span<const Word> words) const {
  py::gil_scoped_acquire gil;
  const py::array a = as_array(options_.model(*batch_arguments(options_, words)), "the model");
  const std::size_t b = words.size(), t = longest(words), k = alphabet_.size();
  const bool tag = head_ == models::Head::tag;
  const bool ok = tag ? a.ndim() == 2 && static_cast<std::size_t>(a.shape(0)) == b && static_cast<std::size_t>(a.shape(1)) >= t
                      : a.ndim() == 3 && static_cast<std::size_t>(a.shape(0)) == b &&
                            static_cast<std::size_t>(a.shape(1)) >= t && static_cast<std::size_t>(a.shape(2)) == k + 1;
  if (!ok)
    throw InvalidArgument("the model returned shape " + shape_text(a) + " for a batch of " + std::to_string(b) +
                          " words of up to " + std::to_string(t) + " symbols: a " + (tag ? "tag" : "next-set") +
                          " head returns " +
                          (tag ? "a class per position, shape (" + std::to_string(b) + ", " + std::to_string(t) + ")"
                               : "k + 1 numbers per position, shape (" + std::to_string(b) + ", " + std::to_string(t) +
                                     ", " + std::to_string(k + 1) + ")"));
  const auto v = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
  const double* data = v.data();
  const std::size_t row = static_cast<std::size_t>(a.shape(1)) * (tag ? 1 : k + 1);
  std::vector<std::vector<bridge::Output>> out(b);
  for (std::size_t i = 0; i < b; ++i)
    for (std::size_t p = 0; p < words[i].size(); ++p) {
      if (tag) {
        const double c = data[i * row + p];
        if (!(c >= 0) || c != std::floor(c) || c >= static_cast<double>(outputs_.size()))
          throw InvalidArgument("the model returned the class " + std::to_string(c) + " at position " + std::to_string(p) +
                                " of '" + alphabet_.format_word(words[i]) + "': classes are 0.." +
                                std::to_string(outputs_.size() - 1));
        out[i].push_back(static_cast<bridge::Output>(c));
      } else {
        bridge::Output set = 0;
        for (std::size_t s = 0; s <= k; ++s)
          if (data[i * row + p * (k + 1) + s] > 0.5) set |= bridge::Output{1} << s;
        out[i].push_back(set);
      }
    }
  return out;
}

std::vector<bridge::Trajectory> CallableTagger::trajectories(std::span<const Word> words) const {
  return callable_trajectories(options_, words, state_dim_);
}

}  // namespace statelab::python
