// Any machine statelab reads or writes, by file name: "which kind of machine is this file, and
// in which format?" is answered here and nowhere else.  The extension names the format; for
// .json the "format" field and for .jff the <type> element then name the kind:
//
//   .json   "format": "statelab-automaton" (or none: DFA/NFA), "statelab-pda",
//           "statelab-grammar" or "statelab-counter-machine" (automata/json_io.h, engine_json.h)
//   .jff    <type>fa</type> (DFA/NFA) or <type>pda</type> (final-state acceptance, as JFLAP)
//   .cfg    a grammar in the text syntax of automata/cfg.h
//   .dot, .gv, .att   a DFA/NFA (automata/automaton_io.h)
//
// Used by languages' `file:PATH`, `statelab lang export`, `statelab dfa render` and `extract`; the
// output format of every command that writes a machine or a drawing is chosen by output_format.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "automata/cfg.h"
#include "automata/counter_machine.h"
#include "automata/dfa.h"
#include "automata/nfa.h"
#include "automata/pda.h"

namespace statelab::automata {

/// A machine of any kind.  Readers give an Nfa for a finite automaton (determinize it for a Dfa).
using Machine = std::variant<Dfa, Nfa, Pda, Cfg, CounterMachine>;

/// "DFA", "NFA", "PDA", "grammar" or "counter machine", for messages.
std::string_view kind_name(const Machine& machine);

/// The machine in `text`, the contents of the file `path` (which names the format and appears in
/// messages).  Time: the format's reader, plus one JSON or XML parse to find the kind.
/// Throws ParseError when the text is malformed or names an unknown kind, InvalidArgument when
/// the extension is none of .json .jff .cfg .dot .gv .att.
Machine read_machine(std::string_view text, const std::filesystem::path& path);
/// Reads the file once (automata/atomic_file.h's read_file) and then as read_machine.
Machine read_machine_file(const std::filesystem::path& path);

/// The format a machine or a drawing is written in, as its canonical extension: ".json", ".jff",
/// ".cfg", ".dot" (also for .gv), ".att" or ".svg".  It is the one `name` names when given (an
/// --output-format value such as "json"), else the one `path`'s extension names (any case), else,
/// for "-" or /dev/stdout (standard output), `for_standard_output`.  Throws InvalidArgument naming
/// `path` (or `option` and `name`) when the format is not one of `allowed`.  Time O(|path|).
std::string output_format(const std::filesystem::path& path, std::string_view name,
                          std::initializer_list<std::string_view> allowed,
                          std::string_view for_standard_output = ".json", std::string_view option = "--output-format");

/// The extensions a machine of this kind can be written as, for messages ("use .json or .jff").
std::string writable_extensions(const Machine& machine);

/// `machine` in the format `path`'s extension names (.json; .dot .gv .jff .att for a DFA/NFA;
/// .jff for a PDA; .cfg for a grammar).  Time: the format's writer.  Throws InvalidArgument
/// "a counter machine cannot be written as .jff (use .json)" when the format cannot hold it.
std::string format_machine(const Machine& machine, const std::filesystem::path& path);
/// The same, written to `path` by base/file.h's write_file (atomically for a regular file; `-`
/// is standard output).  `extension` (".json", ...), when given, names the format instead of
/// `path`'s extension: needed for `-`.
void write_machine(const Machine& machine, const std::filesystem::path& path, std::string_view extension = {});

}  // namespace statelab::automata
