// The architectures statelab trains, in one table: each one's name (the CLI's --model and the
// config JSON's "cell"), its family (which stack of model.h it runs in) and the ModelConfig
// fields it reads beyond the ones every architecture reads.  cell_name, parse_cell,
// available_cells, reads_field, cells_reading, the JSON writer, the CLI's refusal of another
// architecture's options and each family's dispatch over its cells (kCellsOf, with_cell_of) all
// read this table; docs/hacking.md says what else an architecture brings (its file pair and its
// place in the state-space block).
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace statelab::models {

/// The architecture of a model, numbered in the table's order (kArchitectures[int(cell)]).
enum class Cell {
  rnn,
  lstm,
  gru,
  transformer,
  s4d,
  mamba,
  ids4,
  deltanet,
  mlstm,
  slstm,
  gated_deltanet,
  deltaproduct,
  cdssm,
};

/// Which stack of model.h the architecture's layers run in: recurrent layers (recurrent.h), pre-LN
/// transformer blocks (transformer.h), or residual state-space blocks (ssm.h).
enum class Family { recurrent, transformer, state_space };

struct Architecture {
  Cell cell;
  std::string_view name;
  Family family;
  std::span<const std::string_view> fields;      // the ModelConfig fields it reads (JSON names)
  std::span<const std::string_view> json_extra;  // fields its JSON also carries without reading them
};

namespace architecture_fields {
inline constexpr std::string_view kTransformer[] = {"num_heads",      "positional", "causal",           "ffn_size",
                                                    "ffn_activation", "max_length", "hard_alibi_heads", "hard_alibi_window",
                                                    "strict_mask"};
inline constexpr std::string_view kS4d[] = {"state_size", "negative_eigenvalues", "s4d_convolution"};
inline constexpr std::string_view kMamba[] = {"state_size", "negative_eigenvalues", "expand", "conv_width"};
inline constexpr std::string_view kIds4[] = {"state_size"};
inline constexpr std::string_view kDeltaNet[] = {"num_heads", "negative_eigenvalues", "conv_width"};
inline constexpr std::string_view kXlstm[] = {"num_heads"};  // mlstm, slstm
inline constexpr std::string_view kCdssm[] = {"state_size", "expand", "conv_width"};
inline constexpr std::string_view kDeltaProduct[] = {"num_heads", "negative_eigenvalues", "conv_width", "householder"};
// ids4's JSON has always carried negative_eigenvalues (false); kept so that its checkpoints stay byte-identical.
inline constexpr std::string_view kIds4Extra[] = {"negative_eigenvalues"};
}  // namespace architecture_fields

/// The table: one row per Cell, in Cell order.
inline constexpr Architecture kArchitectures[] = {
    {Cell::rnn, "rnn", Family::recurrent, {}, {}},
    {Cell::lstm, "lstm", Family::recurrent, {}, {}},
    {Cell::gru, "gru", Family::recurrent, {}, {}},
    {Cell::transformer, "transformer", Family::transformer, architecture_fields::kTransformer, {}},
    {Cell::s4d, "s4d", Family::state_space, architecture_fields::kS4d, {}},
    {Cell::mamba, "mamba", Family::state_space, architecture_fields::kMamba, {}},
    {Cell::ids4, "ids4", Family::state_space, architecture_fields::kIds4, architecture_fields::kIds4Extra},
    {Cell::deltanet, "deltanet", Family::state_space, architecture_fields::kDeltaNet, {}},
    {Cell::mlstm, "mlstm", Family::state_space, architecture_fields::kXlstm, {}},
    {Cell::slstm, "slstm", Family::state_space, architecture_fields::kXlstm, {}},
    {Cell::gated_deltanet, "gated-deltanet", Family::state_space, architecture_fields::kDeltaNet, {}},
    {Cell::deltaproduct, "deltaproduct", Family::state_space, architecture_fields::kDeltaProduct, {}},
    {Cell::cdssm, "cdssm", Family::state_space, architecture_fields::kCdssm, {}},
};

static_assert([] {
  for (int i = 0; i < static_cast<int>(std::size(kArchitectures)); ++i)
    if (static_cast<int>(kArchitectures[i].cell) != i) return false;
  return true;
}(), "kArchitectures: one row per Cell, in Cell order");

/// The row of `cell`.
constexpr const Architecture& architecture(Cell cell) { return kArchitectures[static_cast<int>(cell)]; }

/// The cells of `kFamily`, in Cell order: the table's rows of that family.  A family's slots and
/// its one dispatch over its cells (with_cell_of) come from them.
template <Family kFamily>
inline constexpr auto kCellsOf = [] {
  constexpr std::size_t n = [] {
    std::size_t count = 0;
    for (const Architecture& a : kArchitectures) count += a.family == kFamily ? 1 : 0;
    return count;
  }();
  std::array<Cell, n> out{};
  std::size_t i = 0;
  for (const Architecture& a : kArchitectures)
    if (a.family == kFamily) out[i++] = a.cell;
  return out;
}();

/// Calls f(std::integral_constant<Cell, cell>{}) for `cell`, a cell of `kFamily` (asserted): the
/// family's one dispatch over its rows, so a row without the family's piece does not compile.
template <Family kFamily, typename F>
void with_cell_of(Cell cell, F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    [[maybe_unused]] const bool found =
        ((cell == kCellsOf<kFamily>[I] ? (f(std::integral_constant<Cell, kCellsOf<kFamily>[I]>{}), true) : false) || ...);
    assert(found && "not a cell of this family");
  }(std::make_index_sequence<kCellsOf<kFamily>.size()>{});
}

/// Whether the model is a stack of recurrent layers (rnn, lstm, gru).
constexpr bool is_recurrent(Cell cell) { return architecture(cell).family == Family::recurrent; }

/// Whether the head reads the top layer's states through a final LayerNorm (the transformer and
/// state-space families; model.h): then the logit is not an affine function of the hidden states.
constexpr bool has_final_norm(Cell cell) { return !is_recurrent(cell); }

/// Whether the model is a stack of state-space blocks (ssm.h).
constexpr bool is_state_space(Cell cell) { return architecture(cell).family == Family::state_space; }

/// The CLI and JSON name: "rnn", "lstm", "gru", "transformer" (also the name torch gives the
/// submodule in statelab's checkpoints), "s4d", "mamba", "ids4", "deltanet", "mlstm", "slstm",
/// "gated-deltanet", "deltaproduct", "cdssm".
const char* cell_name(Cell cell);

/// The cell whose cell_name is `name` (the name --model takes on the command line).  Throws
/// ModelError saying the name is unknown and listing the available names.  Time O(cells).
Cell parse_cell(std::string_view name);

/// The names parse_cell accepts, "rnn, lstm, gru, ...", for help texts and messages.
std::string available_cells();

/// Whether `cell` reads `field`, a field of ModelConfig by its name in JSON: the fields every
/// architecture reads (cell, vocab_size, embedding_dim, hidden_size, num_layers, head,
/// num_outputs), and the row's own.  Throws ModelError for an unknown field.
bool reads_field(Cell cell, std::string_view field);

}  // namespace statelab::models
