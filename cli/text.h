// Text for people, shared by every `statelab` command: a word in quotes, a count with its noun,
// a percentage, a table of padded columns, and text wrapped to the terminal width the commands
// keep to (kWidth columns).
#pragma once

#include <cstddef>
#include <span>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "automata/alphabet.h"

namespace statelab::cli {

/// The width every line of a command's text output fits.
inline constexpr std::size_t kWidth = 100;

/// The word between double quotes, its symbols as the alphabet formats them: "0110", "" (empty).
std::string quoted(const automata::Alphabet& alphabet, std::span<const automata::Symbol> word);

/// "1 state", "2 states", "2 J-classes" ("es" after a noun ending in s).
std::string counted(std::size_t n, std::string_view noun);

/// 0.9876 -> "98.76%".
std::string percent(double fraction);

/// Rows printed as columns padded to their widest cell, two spaces apart, the last column
/// unpadded.  Column c is at most max_widths[c] wide when given (the last column: what kWidth
/// leaves it, at least 20); a wider cell is wrapped at spaces onto continuation lines aligned
/// under its column, so that every line fits kWidth when the maxima leave room; a first cell
/// wider than its column (a name without spaces) stands alone on the line before its row.
void print_table(const std::vector<std::vector<std::string>>& rows, const std::vector<std::size_t>& max_widths = {});

/// `text` broken at spaces into lines of at most `width` characters (a word longer than `width`
/// stands alone on its line; runs of spaces count as one).
std::vector<std::string> wrap(std::string_view text, std::size_t width);

/// Prints `head` (as it is, spaces kept) and then `text` wrapped so that every line fits kWidth;
/// the lines after the first begin with `indent` spaces.
void print_wrapped(std::string_view head, std::string_view text, std::size_t indent = 4);
/// The same on `out` (a summary that goes to standard error when the result went to standard output).
void print_wrapped(std::ostream& out, std::string_view head, std::string_view text, std::size_t indent = 4);

/// Prints `text`, a summary of clauses separated by "; ", on one line when it fits kWidth, else
/// broken after a "; " into lines that fit (clauses packed greedily; a clause wider than a line is
/// wrapped at spaces), the lines after the first indented by `indent` spaces.
void print_clauses(std::ostream& out, std::string_view text, std::size_t indent = 2);

/// "01" is two one-character symbols; "push,pop" two named ones (an --alphabet option).
automata::Alphabet parse_alphabet(const std::string& text);

}  // namespace statelab::cli
