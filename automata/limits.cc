#include "automata/limits.h"

#include <cstdio>

#include "base/error.h"

namespace statelab {

std::string bytes_text(std::size_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  double value = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (value == static_cast<double>(static_cast<std::uint64_t>(value)))
    std::snprintf(text, sizeof text, "%.0f %s", value, kUnits[unit]);
  else
    std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

void check_length(std::size_t length, std::size_t limit, std::string_view what, std::string_view option) {
  if (length <= limit) return;
  throw LimitExceeded(std::string(what) + " " + std::to_string(length) + " is past the limit of " +
                      std::to_string(limit) + " (raise " + std::string(option) + ")");
}

void check_memory(const MemoryLimit& limit, std::size_t needed, std::string_view what) {
  if (needed <= limit.bytes) return;
  throw LimitExceeded(std::string(what) + " would take more than " + bytes_text(limit.bytes) + " (raise " +
                      std::string(limit.option) + ")");
}

}  // namespace statelab
