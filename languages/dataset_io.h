// Datasets on disk: JSON lines and the Abbadingo format, written atomically (through
// base/file.h: a temporary file in the same directory, flushed and renamed over the
// target) and read back exactly.
//
// JSON lines: one object per example,
//   {"word": "0110", "label": 1, "length": 4, "targets": [{"state": [0], "next": ["0", "1"], "end": false}, ...]}
// where `word` is written as Alphabet::format_word writes it (symbols run together when every
// name is one character, else separated by single spaces), `targets` (present when asked) has
// one entry per prefix, lengths 0..n, and `next` lists the symbols that may follow.
// Abbadingo (Lang, Pearlmutter and Price 1998): a header line "COUNT ALPHABET_SIZE", then one
// line per word "LABEL LENGTH s1 s2 ... sn" with symbols as ids 0..k-1 in alphabet order.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "languages/dataset.h"

namespace statelab::languages {

/// The text write_jsonl writes (for a program that prints it rather than saving it).  Throws
/// InvalidArgument when targets are asked but missing.  Time O(total size).
std::string format_jsonl(const Alphabet& alphabet, std::span<const Example> examples, bool with_targets = false);

/// Writes `examples` as JSON lines, with targets when `with_targets` (every example must then
/// carry them).  Throws IoError naming the path when it cannot be written, InvalidArgument when
/// targets are asked but missing.  Time O(total size).
void write_jsonl(const std::filesystem::path& path, const Alphabet& alphabet, std::span<const Example> examples,
                 bool with_targets = false);

/// Reads JSON lines written by write_jsonl (targets read when present).  Throws IoError when the
/// file cannot be read, ParseError naming the file and line on malformed JSON, a missing or
/// mistyped field, a symbol outside the alphabet, or a `length` that disagrees with the word.
std::vector<Example> read_jsonl(const std::filesystem::path& path, const Alphabet& alphabet);

/// The text write_abbadingo writes.  Time O(total size).
std::string format_abbadingo(const Alphabet& alphabet, std::span<const Example> examples);

/// Writes `examples` in the Abbadingo format.  Throws IoError naming the path on failure.
void write_abbadingo(const std::filesystem::path& path, const Alphabet& alphabet, std::span<const Example> examples);

/// Reads the Abbadingo format over `alphabet` (its size must match the header).  Throws IoError
/// when the file cannot be read and ParseError naming the file and line on anything malformed
/// (a count that disagrees with the lines, a label other than 0 or 1, a symbol id out of range).
std::vector<Example> read_abbadingo(const std::filesystem::path& path, const Alphabet& alphabet);

}  // namespace statelab::languages
