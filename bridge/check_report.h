// The reports of check as `statelab check --json` writes them and statelab.check returns them: one
// writer for the CLI and the Python module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bridge/check.h"

namespace statelab::bridge {

/// A recognizer's check: language, checkpoint (null without one: a Python callable), seed, agree,
/// tested (the distinct words compared), counterexamples (word, length, model, model_score,
/// truth; the minimal first), by_length (length, tested, agree, agreement).
std::string to_json(const CheckResult& result, const Alphabet& alphabet, const std::string& language,
                    const std::optional<std::string>& checkpoint, std::uint64_t seed);

/// A check at every position (tag, next-set, seq heads): the same keys with head after checkpoint,
/// each counterexample at its first wrong position (position, model, truth as text), and by_position.
std::string to_json(const TagCheckResult& result, const Alphabet& alphabet, const std::string& language,
                    const std::optional<std::string>& checkpoint, std::string_view head, std::uint64_t seed);

}  // namespace statelab::bridge
