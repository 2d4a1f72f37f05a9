#include "bridge/checkpoint_meta.h"

#include <nlohmann/json.hpp>

#include "automata/alphabet.h"
#include "base/file.h"
#include "base/error.h"
#include "languages/registry.h"

namespace statelab::bridge {

namespace {

using nlohmann::json;

constexpr std::string_view kFilePrefix = "file:";

std::optional<std::string> lookup(const CheckpointMetadata& metadata, std::string_view key) {
  const auto it = metadata.find(std::string(key));
  if (it == metadata.end()) return std::nullopt;
  return it->second;
}

}  // namespace

CheckpointMetadata language_metadata(const std::vector<std::string>& alphabet, const std::string& language) {
  CheckpointMetadata out{{std::string(kAlphabetKey), json(alphabet).dump()}, {std::string(kLanguageKey), language}};
  if (language.starts_with(kFilePrefix)) {
    const std::string path = language.substr(kFilePrefix.size());
    out[std::string(kLanguageFileKey)] = json{{"path", path}, {"text", statelab::read_file(path)}}.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return out;
}

std::optional<std::vector<std::string>> read_alphabet(const CheckpointMetadata& metadata, const std::string& file,
                                                      int vocab_size) {
  const std::optional<std::string> value = lookup(metadata, kAlphabetKey);
  if (!value) return std::nullopt;
  const json list = json::parse(*value, nullptr, /*allow_exceptions=*/false);
  if (!list.is_array())
    throw InvalidArgument(file + ": metadata \"alphabet\" is " + *value + ", expected a JSON list of symbol names");
  std::vector<std::string> names;
  for (const json& v : list) {
    if (!v.is_string())
      throw InvalidArgument(file + ": metadata \"alphabet\" holds " + v.dump() + ", expected symbol names (strings)");
    names.push_back(v.get<std::string>());
  }
  try {
    automata::Alphabet check(names);  // an empty, duplicate or blank name
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(file + ": metadata \"alphabet\": " + e.what());
  }
  if (names.size() != static_cast<std::size_t>(vocab_size))
    throw InvalidArgument(file + ": metadata \"alphabet\" names " + std::to_string(names.size()) +
                          " symbols but the model's vocabulary has " + std::to_string(vocab_size) + " tokens");
  return names;
}

std::optional<std::string> recorded_language_name(const CheckpointMetadata& metadata) {
  return lookup(metadata, kLanguageKey);
}

std::unique_ptr<languages::Language> recorded_language(const CheckpointMetadata& metadata, const std::string& file) {
  const std::optional<std::string> name = recorded_language_name(metadata);
  if (!name) return nullptr;
  const std::optional<std::string> entry = lookup(metadata, kLanguageFileKey);
  if (!name->starts_with(kFilePrefix) || !entry) return languages::make_language(*name);
  const json j = json::parse(*entry, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("path") || !j["path"].is_string() || !j.contains("text") || !j["text"].is_string())
    throw InvalidArgument(file + ": metadata \"statelab.language_file\" is not {\"path\": ..., \"text\": ...}");
  return languages::make_file_language(*name, j["path"].get<std::string>(), j["text"].get<std::string>());
}

}  // namespace statelab::bridge
