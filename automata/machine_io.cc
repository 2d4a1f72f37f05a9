#include "automata/machine_io.h"

#include <algorithm>
#include <cctype>

#include "base/file.h"
#include "automata/automaton_io.h"
#include "automata/engine_json.h"
#include "base/error.h"
#include "automata/jff_io.h"
#include "automata/json_io.h"
#include "automata/io_util.h"
#include "automata/json_locate.h"
#include "automata/mini_xml.h"
#include "automata/pda_jff.h"

namespace statelab::automata {

namespace {

std::string lower_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool automaton_extension(const std::string& ext) {
  return ext == ".json" || ext == ".dot" || ext == ".gv" || ext == ".jff" || ext == ".att";
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

// Throws InvalidArgument for an extension that names no format.
void check_extension(const std::string& ext, const std::string& source) {
  if (ext != ".cfg" && !automaton_extension(ext))
    throw InvalidArgument(source + ": unknown extension '" + ext +
                          "' (expected .json, .jff, .cfg for a grammar, .dot, .gv or .att)");
}

}  // namespace

std::string output_format(const std::filesystem::path& path, std::string_view name,
                          std::initializer_list<std::string_view> allowed, std::string_view for_standard_output,
                          std::string_view option) {
  std::string ext;
  if (!name.empty()) {
    ext = std::string(name.front() == '.' ? "" : ".").append(name);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  } else if (is_standard_output(path)) {
    ext = std::string(for_standard_output);
  } else {
    ext = lower_extension(path);
  }
  if (ext == ".gv") ext = ".dot";
  if (std::find(allowed.begin(), allowed.end(), std::string_view(ext)) != allowed.end()) return ext;
  std::string expected;
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    expected += i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ";
    expected += allowed.begin()[i];
    if (allowed.begin()[i] == ".dot") expected += ", .gv";
  }
  if (!name.empty())
    throw InvalidArgument(std::string(option) + " " + detail::quote(name) + ": not a format this command writes (expected " +
                          expected + " without the dot)");
  throw InvalidArgument(detail::quote(path.string()) + ": unknown output extension " +
                        (ext.empty() ? std::string("(none)") : detail::quote(ext)) + " (expected " + expected +
                        "; or name the format with " + std::string(option) + ")");
}

std::string_view kind_name(const Machine& machine) {
  static constexpr std::string_view kNames[] = {"DFA", "NFA", "PDA", "grammar", "counter machine"};
  return kNames[machine.index()];
}

Machine read_machine(std::string_view text, const std::filesystem::path& path) {
  const std::string source = path.string();
  const std::string ext = lower_extension(path);
  check_extension(ext, source);
  if (ext == ".cfg") return parse_cfg(text, source);
  if (ext == ".jff") {
    const detail::XmlElement root = detail::parse_xml(text, source);
    const detail::XmlElement* type = root.child("type");
    if (type && type->text == "pda") return read_pda_jff(text, source);
    return read_jff(text, source);  // the finite-automaton reader names any other type
  }
  if (ext == ".json") {
    // Parsed once: the "format" field names the kind, and the kind's reader reads the same tree.
    const detail::LocatedJson doc = detail::parse_located(text, source);
    std::string format;
    if (doc.value.is_object() && doc.value.contains("format") && doc.value["format"].is_string())
      format = doc.value["format"];
    if (format == "statelab-pda") return detail::read_pda_json(doc, source);
    if (format == "statelab-grammar") return detail::read_cfg_json(doc, source);
    if (format == "statelab-counter-machine") return detail::read_counter_machine_json(doc, source);
    if (format.empty() || format == "statelab-automaton") return detail::read_json(doc, source);  // it names the problem
    throw ParseError(source + ":" + std::to_string(doc.lines.at("/format")) + ": unknown \"format\": \"" + detail::escape(format) +
                     "\" (expected statelab-automaton, statelab-pda, statelab-grammar or statelab-counter-machine)");
  }
  return read_automaton(text, source, format_from_path(path));
}

Machine read_machine_file(const std::filesystem::path& path) {
  check_extension(lower_extension(path), path.string());
  return read_machine(read_file(path), path);
}

std::string writable_extensions(const Machine& machine) {
  switch (machine.index()) {
    case 0:
    case 1: return ".json, .dot, .gv, .jff or .att";
    case 2: return ".json or .jff";
    case 3: return ".cfg or .json";
    default: return ".json";
  }
}

std::string format_machine(const Machine& machine, const std::filesystem::path& path) {
  const std::string ext = lower_extension(path);
  auto refuse = [&]() -> std::string {
    throw InvalidArgument("a " + std::string(kind_name(machine)) + " cannot be written as " +
                          (ext.empty() ? std::string("a file without extension") : ext) + " (use " +
                          writable_extensions(machine) + ")");
  };
  return std::visit(
      Overloaded{[&](const Dfa& dfa) { return automaton_extension(ext) ? format_automaton(dfa, format_from_path(path)) : refuse(); },
                 [&](const Nfa& nfa) { return automaton_extension(ext) ? format_automaton(nfa, format_from_path(path)) : refuse(); },
                 [&](const Pda& pda) { return ext == ".jff" ? write_jff(pda) : ext == ".json" ? write_json(pda) : refuse(); },
                 [&](const Cfg& cfg) { return ext == ".cfg" ? format_cfg(cfg) : ext == ".json" ? write_json(cfg) : refuse(); },
                 [&](const CounterMachine& m) { return ext == ".json" ? write_json(m) : refuse(); }},
      machine);
}

void write_machine(const Machine& machine, const std::filesystem::path& path, std::string_view extension) {
  write_file(path, format_machine(machine, extension.empty() ? path : std::filesystem::path(std::string("-").append(extension))));
}

}  // namespace statelab::automata
