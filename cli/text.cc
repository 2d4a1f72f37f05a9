#include "cli/text.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace statelab::cli {

std::string quoted(const automata::Alphabet& alphabet, std::span<const automata::Symbol> word) {
  // Built by append: GCC 12 warns falsely (-Wrestrict) on "x" + std::string.
  std::string text = "\"";
  text += alphabet.format_word(word);
  text += '"';
  return text;
}

std::string counted(std::size_t n, std::string_view noun) {
  return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : noun.ends_with('s') ? "es" : "s");
}

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * fraction);
  return buf;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    const std::size_t end = std::min(text.find(' ', i), text.size());
    const std::string_view word = text.substr(i, end - i);
    i = end;
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

void print_table(const std::vector<std::vector<std::string>>& rows, const std::vector<std::size_t>& max_widths) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  std::size_t used = 0;  // where the last column starts
  for (std::size_t c = 0; c + 1 < width.size(); ++c) {
    if (c < max_widths.size()) width[c] = std::min(width[c], max_widths[c]);
    used += width[c] + 2;
  }
  if (!width.empty()) width.back() = std::min(width.back(), used + 20 <= kWidth ? kWidth - used : 20);
  for (std::vector<std::string> row : rows) {
    // A first cell wider than its column (no space to wrap at) stands on its own line.
    if (row.size() > 1 && row[0].size() > width[0]) {
      std::cout << row[0] << "\n";
      row[0].clear();
    }
    std::vector<std::vector<std::string>> cells;
    std::size_t height = 1;
    for (std::size_t c = 0; c < row.size(); ++c) {
      cells.push_back(wrap(row[c], width[c]));
      height = std::max(height, cells.back().size());
    }
    for (std::size_t i = 0; i < height; ++i) {
      std::string line;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const std::string cell = i < cells[c].size() ? cells[c][i] : "";
        line += cell;
        if (c + 1 < cells.size()) line += std::string(width[c] > cell.size() ? width[c] - cell.size() + 2 : 2, ' ');
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      std::cout << line << "\n";
    }
  }
}

void print_wrapped(std::string_view head, std::string_view text, std::size_t indent) {
  print_wrapped(std::cout, head, text, indent);
}

void print_wrapped(std::ostream& out, std::string_view head, std::string_view text, std::size_t indent) {
  const std::string pad(indent, ' ');
  const std::size_t first_width = head.size() + 20 <= kWidth ? kWidth - head.size() : 20;
  const std::vector<std::string> first = wrap(text, first_width);
  out << head << first.front() << "\n";
  // What did not fit on the first line, wrapped again at the full width.
  std::string rest;
  for (std::size_t i = 1; i < first.size(); ++i) rest += (i > 1 ? " " : "") + first[i];
  if (rest.empty()) return;
  for (const std::string& line : wrap(rest, indent + 20 <= kWidth ? kWidth - indent : 20)) out << pad << line << "\n";
}

void print_clauses(std::ostream& out, std::string_view text, std::size_t indent) {
  std::vector<std::string> lines{""};
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t semicolon = text.find("; ", start);
    const std::size_t end = semicolon == std::string_view::npos ? text.size() : semicolon + 1;
    const std::string_view clause = text.substr(start, end - start);
    const std::size_t room = kWidth - (lines.size() == 1 ? 0 : indent);
    if (!lines.back().empty() && lines.back().size() + 1 + clause.size() > room) lines.emplace_back();
    if (!lines.back().empty()) lines.back() += ' ';
    lines.back() += clause;
    if (semicolon == std::string_view::npos) break;
    start = semicolon + 2;
  }
  print_wrapped(out, "", lines.front(), indent);
  for (std::size_t i = 1; i < lines.size(); ++i) print_wrapped(out, std::string(indent, ' '), lines[i], indent);
}

automata::Alphabet parse_alphabet(const std::string& text) {
  if (text.find(',') == std::string::npos) return automata::Alphabet::from_chars(text);
  std::vector<std::string> names;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    names.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return automata::Alphabet(std::move(names));
}

}  // namespace statelab::cli
