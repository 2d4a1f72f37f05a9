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

#include "automata/limits.h"
#include "languages/dataset.h"
#include "models/model.h"

namespace statelab::cli {

using languages::kMaxLength;

/// A word length: a whole number 0..kMaxLength, or nothing (CLI11 would read "-1" as 2^64 - 1).
std::optional<std::size_t> parse_length(std::string_view s);

/// "A..B" (or a single "N") as a length range.  Throws InvalidArgument naming `option` and the
/// text when it is malformed, past kMaxLength or inverted.
languages::LengthRange parse_lengths(const std::string& text, std::string_view option = "--lengths");

/// "A..B", or "N" when A = B.
std::string range_text(const languages::LengthRange& range);

/// CLI11 validators: a whole number >= 1 (CLI11's PositiveNumber prints its range as a
/// 300-digit double; this says it plainly); a whole number >= 0 (a count, a seed: "-1", which
/// CLI11 would wrap to 2^64 - 1, is refused; so is CLI::NonNegativeNumber's 300-digit message);
/// a length 0..kMaxLength.
extern const CLI::Validator kAtLeastOne;
extern const CLI::Validator kNonNegative;
extern const CLI::Validator kLength;

/// `--max-memory SIZE` (4GiB by default; units b, kb, mb, gb, ... all powers of 1024), for a
/// command whose memory grows with its parameters; memory_limit() passes it to a library.
CLI::Option* add_max_memory_option(CLI::App* command, std::size_t& bytes);
MemoryLimit memory_limit(std::size_t bytes);

/// `--kv-cache K --policy window|sink|tova|h2o --sink S`: a causal transformer decoded token by
/// token with every layer's KV cache bounded to K entries (models/kv_cache.h); the one option
/// block of every command that loads a checkpoint to run it (eval, score, check, extract, probe).
struct KvCacheOptions {
  std::string capacity, policy, sink;  // as typed; checked by kv_bound
  CLI::Option *capacity_option = nullptr, *policy_option = nullptr, *sink_option = nullptr;
};
void add_kv_cache_options(CLI::App* command, KvCacheOptions& options);
/// The bound the options ask for (nothing without --kv-cache), checked against the checkpoint's
/// model: throws InvalidArgument naming the option for K not a whole number >= 1, --policy or
/// --sink without --kv-cache, an unknown policy, --sink with another policy or >= K, and a model
/// that is not a causal transformer.
std::optional<models::KvBound> kv_bound(const KvCacheOptions& options, const models::ModelConfig& config,
                                        const std::string& checkpoint);

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
