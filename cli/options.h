// Command-line pieces shared by `lang` and the model commands: word lengths, one ("12") or a
// range "A..B" with both ends included (lengths beyond kMaxLength are refused: exact counts and
// samplers cost time, and samplers space, quadratic in the length); whole-number validators; and
// whether a catalogue name is a language or a task; words from the arguments or stdin.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "languages/dataset.h"

namespace statelab::cli {

inline constexpr std::size_t kMaxLength = 100'000;

/// A word length: a whole number 0..kMaxLength, or nothing (CLI11 would read "-1" as 2^64 - 1).
std::optional<std::size_t> parse_length(std::string_view s);

/// "A..B" (or a single "N") as a length range.  Throws InvalidArgument naming `option` and the
/// text when it is malformed, past kMaxLength or inverted.
languages::LengthRange parse_lengths(const std::string& text, std::string_view option = "--lengths");

/// "A..B", or "N" when A = B.
std::string range_text(const languages::LengthRange& range);

/// CLI11 validators: a whole number >= 1 (CLI11's PositiveNumber prints its range as a
/// 300-digit double; this says it plainly); a length 0..kMaxLength.
extern const CLI::Validator kAtLeastOne;
extern const CLI::Validator kLength;

/// The words of the command line, each "-" replaced by the lines of stdin (a trailing '\r'
/// dropped), in order.
std::vector<std::string> words_with_stdin(const std::vector<std::string>& args);

/// Where a command prints its summary after writing `output`: std::cout, or std::cerr when the
/// output itself goes to standard output ("-", /dev/stdout), so the two never mix.
std::ostream& summary_stream(const std::string& output);

/// The base of a catalogue name without throwing ("tomita:n=3" -> "tomita").
std::string base_of(const std::string& name);
/// Whether `base` names a task / a language of the catalogue (a name may be both: word-problem).
bool is_task_name(const std::string& base);
bool is_language_name(const std::string& base);

}  // namespace statelab::cli
