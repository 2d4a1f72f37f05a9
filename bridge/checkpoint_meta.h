// The metadata a statelab checkpoint carries beside its weights (safetensors __metadata__, string
// to string), and the one place that writes and reads it.  The keys:
//
//   "alphabet"                JSON list of the symbol names, token id = index (the key a PyTorch
//                             user writes too)
//   "statelab.language"       the name of the language or task the model learned
//   "statelab.language_file"  for a `file:PATH` language, the file itself: JSON {"path": PATH as
//                             given, "text": its contents}, so that the checkpoint works from any
//                             directory and after the file has moved or changed
//   "statelab.training"       the training options (JSON)
//   "statelab.metrics"        the final metrics (JSON)
//
// ("statelab.model", the model's configuration, is written and read by models/checkpoint.h.)
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "languages/language.h"

namespace statelab::bridge {

using CheckpointMetadata = std::map<std::string, std::string>;

inline constexpr std::string_view kAlphabetKey = "alphabet";
inline constexpr std::string_view kLanguageKey = "statelab.language";
inline constexpr std::string_view kLanguageFileKey = "statelab.language_file";
inline constexpr std::string_view kTrainingKey = "statelab.training";
inline constexpr std::string_view kMetricsKey = "statelab.metrics";

/// "alphabet" (the names in token order), "statelab.language" and, when `language` is a
/// `file:PATH` name, "statelab.language_file" with the file's text, read now.  Time: reading the
/// file.  Throws IoError when a `file:` language's file cannot be read.
CheckpointMetadata language_metadata(const std::vector<std::string>& alphabet, const std::string& language);

/// The symbol names of "alphabet", or nothing when the key is absent.  Checked: a JSON list of
/// distinct symbol names (automata::Alphabet's rule), as many as the model's `vocab_size`.
/// Throws InvalidArgument naming `file` and what is wrong.
std::optional<std::vector<std::string>> read_alphabet(const CheckpointMetadata& metadata, const std::string& file,
                                                      int vocab_size);

/// The name under "statelab.language", or nothing.
std::optional<std::string> recorded_language_name(const CheckpointMetadata& metadata);

/// The language the checkpoint learned, built from what it recorded: a `file:PATH` language from
/// the file's text kept under "statelab.language_file" (the path itself is not opened), any
/// other name by languages::make_language.  Nothing when no language is recorded.  Throws
/// InvalidArgument naming `file` when the recorded file entry is malformed, and what
/// make_language throws.
std::unique_ptr<languages::Language> recorded_language(const CheckpointMetadata& metadata, const std::string& file);

}  // namespace statelab::bridge
