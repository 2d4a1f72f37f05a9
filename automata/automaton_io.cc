#include "automata/automaton_io.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "automata/att_io.h"
#include "automata/dot_io.h"
#include "automata/jff_io.h"
#include "automata/json_io.h"
#include "base/error.h"
#include "base/file.h"

namespace statelab::automata {

namespace {

template <typename Automaton>
std::string format_as(const Automaton& automaton, Format format) {
  switch (format) {
    case Format::json: return write_json(automaton);
    case Format::dot: return write_dot(automaton);
    case Format::jff: return write_jff(automaton);
    case Format::att: return write_att(automaton);
  }
  throw InvalidArgument("write_automaton: unknown format " + std::to_string(static_cast<int>(format)));
}

}  // namespace

std::string format_automaton(const Dfa& dfa, Format format) { return format_as(dfa, format); }
std::string format_automaton(const Nfa& nfa, Format format) { return format_as(nfa, format); }

std::string_view format_name(Format format) {
  switch (format) {
    case Format::json: return "json";
    case Format::dot: return "dot";
    case Format::jff: return "jff";
    case Format::att: return "att";
  }
  return "unknown";
}

Format format_from_path(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".json") return Format::json;
  if (extension == ".dot" || extension == ".gv") return Format::dot;
  if (extension == ".jff") return Format::jff;
  if (extension == ".att") return Format::att;
  throw InvalidArgument("cannot tell the format of '" + path.string() + "' from its extension " +
                        (extension.empty() ? std::string("(none)") : "'" + extension + "'") +
                        " (known: .json, .dot, .gv, .jff, .att; or name the format)");
}

Format format_from_name(std::string_view name) {
  for (Format f : {Format::json, Format::dot, Format::jff, Format::att})
    if (format_name(f) == name) return f;
  throw InvalidArgument("unknown format '" + std::string(name) + "' (expected json, dot, jff or att)");
}

Nfa read_automaton(const std::filesystem::path& path, std::optional<Format> format) {
  const Format f = format ? *format : format_from_path(path);
  return read_automaton(read_file(path), path.string(), f);
}

Nfa read_automaton(std::string_view text, std::string_view source, Format f) {
  switch (f) {
    case Format::json: return read_json(text, source);
    case Format::dot: return read_dot(text, source);
    case Format::jff: return read_jff(text, source);
    case Format::att: return read_att(text, source);
  }
  throw InvalidArgument("read_automaton: unknown format " + std::to_string(static_cast<int>(f)));
}

void write_automaton(const Dfa& dfa, const std::filesystem::path& path, std::optional<Format> format) {
  write_file(path, format_as(dfa, format ? *format : format_from_path(path)));
}

void write_automaton(const Nfa& nfa, const std::filesystem::path& path, std::optional<Format> format) {
  write_file(path, format_as(nfa, format ? *format : format_from_path(path)));
}

}  // namespace statelab::automata
