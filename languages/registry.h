// The registry: languages (and tasks, languages/task.h) by name.  A name is `NAME` or
// `NAME:key=value,key=value` ("tomita:n=3", "dyck:k=2,depth=4", "word-problem:group=A4xZ5").
// Names are parsed strictly: an unknown name or parameter throws InvalidArgument listing what
// exists; a missing required parameter, a malformed value or an impossible one (depth=0, m=0, a
// group that does not exist) throws InvalidArgument saying what was expected.  Values may contain
// commas inside parentheses (cycle notation: "gens=(1,2);(1,2,3,4,5)").
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "languages/language.h"
#include "automata/perm_group.h"

namespace statelab::languages {

struct ParameterInfo {
  std::string key;
  std::string default_value;  // empty when the parameter is required or optional without default
  bool required = false;
  std::string description;
};

struct CatalogueEntry {
  std::string name;
  std::vector<ParameterInfo> parameters;
  std::string language_class;  // "regular", or e.g. "regular with depth, else counter (k=1) / context-free"
  std::string alphabet;        // as shown by `lang list`: "0 1", "( ) [ ] ...", "group elements"
  std::string summary;
  std::string example;  // a full name that builds, for docs and tests
};

/// A name split into its base and its parameters, in the order written.
struct ParsedName {
  std::string base;
  std::vector<std::pair<std::string, std::string>> parameters;
};

/// Splits `NAME:key=value,...`; commas inside parentheses do not split.  Throws InvalidArgument on
/// an empty name, an empty key or value, a parameter without '=', or a key given twice.
ParsedName parse_name(std::string_view name);

/// Every language of the catalogue, in the order `lang list` shows them.
const std::vector<CatalogueEntry>& language_catalogue();

/// The language called `name`.  Time: building its ground truth (a DFA of at most a few thousand
/// states for the catalogue's defaults; the group closure for word problems).
std::unique_ptr<Language> make_language(std::string_view name);

/// The language `name` (a `file:PATH` name) from the file's text, already read: what a checkpoint
/// keeps so that it works from any directory (bridge/checkpoint_meta.h).  `path` names the format
/// (automata/machine_io.h) and appears in the definition and in messages; it is not opened.
/// Throws ParseError naming `path` when the text is malformed.
std::unique_ptr<Language> make_file_language(std::string name, const std::filesystem::path& path, std::string_view text);

namespace detail {
/// The parameters of one entry, checked against its known keys, with typed accessors.  Shared by
/// the language and task registries.
class Parameters {
 public:
  Parameters(std::string entry, const std::vector<ParameterInfo>& known, const ParsedName& parsed);
  bool has(std::string_view key) const;
  /// The value, or the default; throws when required and missing.
  std::string text(std::string_view key) const;
  /// A decimal integer in [min, max]; throws InvalidArgument naming the entry, key, value and range.
  std::size_t integer(std::string_view key, std::size_t min, std::size_t max) const;

 private:
  std::string entry_;
  std::vector<ParameterInfo> known_;
  std::vector<std::pair<std::string, std::string>> given_;
};

/// The generators named by a `gens=` value: "standard" or element names separated by ';'.
std::vector<std::uint32_t> parse_generators(const automata::PermutationGroup& group, std::string_view text);
}  // namespace detail

}  // namespace statelab::languages
