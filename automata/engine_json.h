// JSON for the engines beyond regular languages: pushdown automata, grammars and counter
// machines (schemas in docs/engines.md).  Symbols are written by name; every key is required
// and no other key is allowed, so a typo is an error rather than a silent default.
//
//   {"format": "statelab-pda", "version": 1, "input_alphabet": ["a", "b"],
//    "stack_alphabet": ["Z", "A"], "bottom": "Z", "acceptance": "final-state",
//    "states": 4, "initial": 0, "accepting": [0, 3],
//    "moves": [[0, "a", "Z", ["A", "Z"], 1], [2, null, "Z", ["Z"], 3], ...]}
//        a move is [from, input or null, popped symbol or null, pushed symbols top first, to]
//
//   {"format": "statelab-grammar", "version": 1, "terminals": ["(", ")"],
//    "nonterminals": ["S"], "start": "S", "rules": [["S", ["(", "S", ")", "S"]], ["S", []]]}
//        a right-hand side names nonterminals and terminals (the two sets are disjoint)
//
//   {"format": "statelab-counter-machine", "version": 1, "alphabet": ["a", "b"],
//    "counters": 2, "acceptance": "final-state-and-zero", "states": 3, "initial": 0,
//    "accepting": [0, 2], "moves": [[0, "a", "**", "++", 0], [0, null, "0+", "=-", 1], ...]}
//        a move is [from, input or null, tests, operations, to]; tests hold one character per
//        counter: '0' zero, '+' non-zero, '*' any; operations '+' increment, '-' decrement,
//        '=' keep
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "automata/cfg.h"
#include "automata/counter_machine.h"
#include "automata/pda.h"

namespace statelab::automata {

/// Each reader: time O(size of the text).  Throws ParseError "SOURCE:LINE: what (at /pointer)"
/// on a JSON syntax error or anything outside the schema (unknown or missing key, wrong type,
/// state or symbol out of range, duplicate name, more than kMaxFileStates = 2^20 states).
Pda read_pda_json(std::string_view text, std::string_view source_name = "<json>");
Cfg read_cfg_json(std::string_view text, std::string_view source_name = "<json>");
CounterMachine read_counter_machine_json(std::string_view text, std::string_view source_name = "<json>");

namespace detail {
struct LocatedJson;
/// The readers of a document already parsed (automata/json_locate.h): read_machine parses a
/// .json file once to find its kind and read it.
Pda read_pda_json(const LocatedJson& doc, std::string_view source_name);
Cfg read_cfg_json(const LocatedJson& doc, std::string_view source_name);
CounterMachine read_counter_machine_json(const LocatedJson& doc, std::string_view source_name);
}  // namespace detail

/// The file readers also throw IoError when the file cannot be read.
Pda read_pda_json_file(const std::filesystem::path& path);
Cfg read_cfg_json_file(const std::filesystem::path& path);
CounterMachine read_counter_machine_json_file(const std::filesystem::path& path);

/// The writers put one move or rule per line; reading the text back gives an equal value.
/// Time O(size of the automaton or grammar).
std::string write_json(const Pda& pda);
std::string write_json(const Cfg& cfg);
std::string write_json(const CounterMachine& machine);

}  // namespace statelab::automata
