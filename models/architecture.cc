#include "models/architecture.h"

#include "models/error.h"

namespace statelab::models {

namespace {

// The fields every architecture reads.
constexpr std::string_view kEveryone[] = {"cell",       "vocab_size", "embedding_dim", "hidden_size",
                                          "num_layers", "head",       "num_outputs",   "end_marker"};

bool contains(std::span<const std::string_view> fields, std::string_view field) {
  for (std::string_view f : fields)
    if (f == field) return true;
  return false;
}

}  // namespace

const char* cell_name(Cell cell) { return architecture(cell).name.data(); }

std::string available_cells() {
  std::string out;
  for (const Architecture& a : kArchitectures) out += (out.empty() ? "" : ", ") + std::string(a.name);
  return out;
}

Cell parse_cell(std::string_view name) {
  for (const Architecture& a : kArchitectures)
    if (a.name == name) return a.cell;
  throw ModelError("unknown model '" + std::string(name) + "' (expected one of " + available_cells() + ")");
}

bool reads_field(Cell cell, std::string_view field) {
  if (contains(kEveryone, field)) return true;
  if (contains(architecture(cell).fields, field)) return true;
  for (const Architecture& a : kArchitectures)
    if (contains(a.fields, field)) return false;
  throw ModelError("ModelConfig has no field '" + std::string(field) + "'");
}

}  // namespace statelab::models
