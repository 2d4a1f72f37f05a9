// Reading and writing automata by file name, in any of the four formats (see docs/formats.md):
// statelab JSON, Graphviz DOT, JFLAP .jff and OpenFst AT&T text.  The format comes from the
// file's extension unless the caller names it.  Writes are atomic (base/file.h).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "automata/dfa.h"
#include "automata/nfa.h"

namespace statelab::automata {

enum class Format { json, dot, jff, att };

/// The format's name as the extension table in docs/formats.md spells it ("json", "dot", ...).
std::string_view format_name(Format format);

/// The format a path's extension names, case-insensitively: .json; .dot or .gv; .jff; .att
/// (OpenFst text has no fixed extension, and .txt says too little to guess).
/// Throws InvalidArgument naming the extension and listing the known ones.
Format format_from_path(const std::filesystem::path& path);

/// The format called `name` (format_name's spelling); throws InvalidArgument listing the names.
Format format_from_name(std::string_view name);

/// Reads the automaton at `path`, in `format` or the one its extension names.  DOT, JFLAP and
/// AT&T files get their alphabet in order of first appearance (use the per-format readers to
/// pass an alphabet or a symbol table).  For a file that may hold another kind of machine (a PDA,
/// a grammar, a counter machine), automata/machine_io.h's read_machine.  Time: the format's reader.
/// Throws IoError when the file cannot be read, ParseError when it is malformed,
/// InvalidArgument when no format is given and the extension is unknown.
Nfa read_automaton(const std::filesystem::path& path, std::optional<Format> format = std::nullopt);
/// The same for `text` already read, with `source` (the file name) in messages.
Nfa read_automaton(std::string_view text, std::string_view source, Format format);

/// The text of an automaton in `format`.  Throws InvalidArgument when the format cannot hold a
/// symbol name.
std::string format_automaton(const Dfa& dfa, Format format);
std::string format_automaton(const Nfa& nfa, Format format);

/// Writes `dfa` to `path` atomically, in `format` or the one its extension names; an AT&T file
/// gets no symbol table (write_att_symbols writes one).  Time: the format's writer.
/// Throws IoError when the file cannot be written (nothing is left behind), InvalidArgument
/// when the extension is unknown or the format cannot hold a symbol name.
void write_automaton(const Dfa& dfa, const std::filesystem::path& path, std::optional<Format> format = std::nullopt);
void write_automaton(const Nfa& nfa, const std::filesystem::path& path, std::optional<Format> format = std::nullopt);

}  // namespace statelab::automata
