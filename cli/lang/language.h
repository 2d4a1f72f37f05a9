// What the `statelab lang` verbs share: a catalogue language by name (a task's name refused with
// a line saying what it is), a word of the command line checked against its alphabet, and the
// help text of the NAME argument.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "languages/language.h"

namespace statelab::cli {

inline constexpr std::string_view kLanguageNameHelp = "language name: NAME or NAME:key=value,... (statelab lang list)";

/// The language called `name`; a task's name gets a message saying what it is instead of the
/// registry's "unknown language".  `verb` names the command in that message.
std::unique_ptr<languages::Language> load_language(const std::string& name, std::string_view verb);

/// A word of the command line, checked against the language's alphabet; the error names the
/// language, the symbol and its position.
languages::Word parse_word(const languages::Language& lang, const std::string& text);

/// The symbols of an alphabet separated by spaces.
std::string symbols_of(const languages::Alphabet& alphabet);

}  // namespace statelab::cli
