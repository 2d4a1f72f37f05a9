// The state-space architectures (s4d, mamba, ids4, deltanet; models/ssm.h): central-difference gradient
// checks in double through the whole model and per layer (including dL/dx), the two computations
// of S4D (recurrence and convolution) against each other, config JSON and checkpoints.  Agreement
// with PyTorch is in torch_equality_test.cc.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "base/random.h"
#include "models/error.h"
#include "models/model.h"
#include "models/safetensors.h"
#include "tests/models/model_test_util.h"

namespace statelab::models {
namespace {

using testing::cast_params;
using testing::random_examples;

struct Variant {
  Cell cell;
  bool negative = false;
  bool convolution = false;
  Head head = Head::recognize;
  int layers = 2;
};

std::string variant_name(const Variant& v) {
  std::string s = cell_name(v.cell);
  if (v.negative) s += "_negative";
  if (v.convolution) s += "_convolution";
  s += std::string("_") + (v.head == Head::next_set ? "next_set" : head_name(v.head)) + "_L" + std::to_string(v.layers);
  for (char& ch : s)
    if (ch == '-') ch = '_';  // gated-deltanet: test names are identifiers
  return s;
}

ModelConfig config_for(const Variant& v) {
  ModelConfig c;
  c.cell = v.cell;
  c.vocab_size = 3;
  c.embedding_dim = 4;
  c.hidden_size = 5;
  c.num_layers = v.layers;
  c.state_size = 3;
  c.negative_eigenvalues = v.negative;
  c.s4d_convolution = v.convolution;
  c.head = v.head;
  c.num_outputs = v.head == Head::recognize ? 1 : v.head == Head::tag || v.head == Head::seq ? 3 : 4;
  if (v.cell == Cell::deltanet || v.cell == Cell::gated_deltanet || v.cell == Cell::deltaproduct) {
    // 2 heads of width 3, convolutions of width 3 (deltaproduct: 2 Householder steps, the default)
    c.hidden_size = 6;
    c.num_heads = 2;
    c.conv_width = 3;
  }
  return c;
}

// Parameters whose every element matters at a visible scale: init_params, then every tensor
// perturbed by U(±0.3) (s4d's dt raised so that the states do not stay near their input).
ModelParams<double> test_params(const ModelConfig& c, std::uint64_t seed) {
  auto p = testing::perturbed_params(c, seed);
  for (auto& block : p.ssm_blocks)
    if (c.cell == Cell::s4d) mixer_params<Cell::s4d>(block).log_dt.array() += 2.5;  // dt ~ 0.1 .. 1
  return p;
}

class SsmGradientCheck : public ::testing::TestWithParam<Variant> {};

TEST_P(SsmGradientCheck, AnalyticGradientsMatchCentralDifferences) {
  const ModelConfig c = config_for(GetParam());
  auto params = test_params(c, 7);
  testing::expect_model_gradients_match_central_differences(c, params);
}

TEST_P(SsmGradientCheck, FloatAgreesWithDouble) {
  const ModelConfig c = config_for(GetParam());
  auto params_d = test_params(c, 3);
  auto params_f = cast_params<float>(c, params_d);
  // deltaproduct: n_h reflections per token (beta up to 2) amplify float32 rounding about tenfold.
  testing::expect_float_agrees_with_double(c, params_f, random_examples(c, 5, 1, 7, 5),
                                           c.cell == Cell::deltaproduct ? 1e-4 : 1e-5);
}

INSTANTIATE_TEST_SUITE_P(
    AllVariants, SsmGradientCheck,
    ::testing::Values(Variant{Cell::s4d}, Variant{Cell::s4d, false, true}, Variant{Cell::s4d, true},
                      Variant{Cell::s4d, true, true}, Variant{Cell::s4d, false, false, Head::tag},
                      Variant{Cell::s4d, false, true, Head::next_set, 1}, Variant{Cell::mamba},
                      Variant{Cell::mamba, true}, Variant{Cell::mamba, false, false, Head::tag, 1},
                      Variant{Cell::mamba, true, false, Head::next_set}, Variant{Cell::ids4},
                      Variant{Cell::ids4, false, false, Head::tag}, Variant{Cell::ids4, false, false, Head::next_set, 1},
                      Variant{Cell::deltanet}, Variant{Cell::deltanet, true}, Variant{Cell::deltanet, false, false, Head::tag},
                      Variant{Cell::deltanet, true, false, Head::next_set, 1}, Variant{Cell::deltanet, false, false, Head::seq},
                      Variant{Cell::gated_deltanet}, Variant{Cell::gated_deltanet, true},
                      Variant{Cell::gated_deltanet, false, false, Head::tag},
                      Variant{Cell::gated_deltanet, true, false, Head::next_set, 1},
                      Variant{Cell::gated_deltanet, false, false, Head::seq}, Variant{Cell::deltaproduct},
                      Variant{Cell::deltaproduct, true}, Variant{Cell::deltaproduct, false, false, Head::tag},
                      Variant{Cell::deltaproduct, true, false, Head::next_set, 1},
                      Variant{Cell::deltaproduct, false, false, Head::seq}, Variant{Cell::cdssm},
                      Variant{Cell::cdssm, false, false, Head::tag}, Variant{Cell::cdssm, false, false, Head::next_set, 1},
                      Variant{Cell::cdssm, false, false, Head::seq}),
    [](const auto& info) { return variant_name(info.param); });

// One block on its own (LayerNorm, mixer, GELU, out_proj, residual), including dL/dx: L = sum(R ⊙
// out) over a batch with lengths 6, 4, 4, 1, random inputs with zero padding.
class SsmBlockGradientCheck : public ::testing::TestWithParam<Variant> {};

TEST_P(SsmBlockGradientCheck, InputAndParameterGradientsMatchCentralDifferences) {
  ModelConfig c = config_for(GetParam());
  c.num_layers = 1;
  auto params = test_params(c, 21);
  testing::expect_ssm_block_gradients_match_central_differences(c, params);
}

INSTANTIATE_TEST_SUITE_P(AllMixers, SsmBlockGradientCheck,
                         ::testing::Values(Variant{Cell::s4d}, Variant{Cell::s4d, false, true}, Variant{Cell::s4d, true},
                                           Variant{Cell::mamba}, Variant{Cell::mamba, true}, Variant{Cell::ids4},
                                           Variant{Cell::deltanet}, Variant{Cell::deltanet, true},
                                           Variant{Cell::gated_deltanet}, Variant{Cell::gated_deltanet, true},
                                           Variant{Cell::deltaproduct}, Variant{Cell::deltaproduct, true},
                                           Variant{Cell::cdssm}),
                         [](const auto& info) { return variant_name(info.param); });

// The two computations of S4D share only the discretisation: forward outputs and every gradient
// agree, on a batch of 9 sequences of lengths 0..20.
template <typename T>
void expect_s4d_paths_agree(bool negative, double tolerance) {
  ModelConfig c = config_for(Variant{Cell::s4d, negative});
  c.hidden_size = 8;
  c.state_size = 4;
  c.head = Head::tag;
  c.num_outputs = 3;
  auto params = cast_params<T>(c, *std::make_unique<ModelParams<double>>(test_params(c, 17)));
  const auto examples = random_examples(c, 9, 0, 20, 23);
  const SequenceBatch batch = make_batch(c, std::span<const Example>(examples));
  ModelConfig conv = c;
  conv.s4d_convolution = true;
  ModelCache<T> cache_r, cache_c;
  model_forward(c, params, batch, cache_r);
  model_forward(conv, params, batch, cache_c);
  const T scale = T(1) / static_cast<T>(loss_terms(c, batch));
  const T loss_r = model_loss(c, batch, cache_r, scale), loss_c = model_loss(conv, batch, cache_c, scale);
  EXPECT_NEAR(loss_r, loss_c, tolerance * std::abs(loss_r));
  for (int l = 0; l < c.num_layers; ++l)
    EXPECT_LE((cache_r.outputs[l] - cache_c.outputs[l]).cwiseAbs().maxCoeff(),
              tolerance * (1 + cache_r.outputs[l].cwiseAbs().maxCoeff()));
  auto grads_r = zero_params<T>(c), grads_c = zero_params<T>(c);
  model_backward(c, params, batch, cache_r, grads_r);
  model_backward(conv, params, batch, cache_c, grads_c);
  auto gr = named_tensors(c, grads_r), gc = named_tensors(c, grads_c);
  for (std::size_t i = 0; i < gr.size(); ++i)
    for (std::int64_t k = 0; k < gr[i].size; ++k)
      EXPECT_NEAR(gr[i].data[k], gc[i].data[k], tolerance * (1e-3 + std::abs(gr[i].data[k]))) << gr[i].name << "[" << k << "]";
}

TEST(S4d, RecurrenceAndConvolutionAgreeInDouble) {
  expect_s4d_paths_agree<double>(false, 1e-10);
  expect_s4d_paths_agree<double>(true, 1e-10);
}

TEST(S4d, RecurrenceAndConvolutionAgreeInFloat) {
  expect_s4d_paths_agree<float>(false, 1e-4);
  expect_s4d_paths_agree<float>(true, 1e-4);
}

TEST(Ssm, ParameterCountsMatchTheTorchReferenceWorkloads) {
  // bench/reference/torch_reference.py: s4d-d64-n16 has 22,433 parameters, mamba-d64-n16 66,849.
  ModelConfig c;
  c.vocab_size = 2;
  c.embedding_dim = 16;
  c.hidden_size = 64;
  c.num_layers = 2;
  c.state_size = 16;
  c.cell = Cell::s4d;
  EXPECT_EQ(parameter_count(c), 22433);
  c.cell = Cell::mamba;
  EXPECT_EQ(parameter_count(c), 66849);
}

TEST(Ssm, NegativeEigenvaluesAreForS4dAndMambaOnly) {
  ModelConfig c;
  c.negative_eigenvalues = true;
  for (Cell cell : {Cell::lstm, Cell::gru, Cell::rnn, Cell::ids4}) {
    c.cell = cell;
    EXPECT_THROW(validate(c), ModelError) << cell_name(cell);
  }
  c.cell = Cell::mamba;
  EXPECT_NO_THROW(validate(c));
  c.s4d_convolution = true;
  EXPECT_THROW(validate(c), ModelError);
  c.cell = Cell::s4d;
  EXPECT_NO_THROW(validate(c));
  c.state_size = 0;
  EXPECT_THROW(validate(c), ModelError);
}

TEST(Ssm, ReadsFieldSaysWhichArchitecturesReadAField) {
  EXPECT_EQ(cells_reading("state_size"), (std::vector<Cell>{Cell::s4d, Cell::mamba, Cell::ids4, Cell::cdssm}));
  EXPECT_EQ(cells_reading("negative_eigenvalues"), (std::vector<Cell>{Cell::s4d, Cell::mamba, Cell::deltanet,
                                                                       Cell::gated_deltanet, Cell::deltaproduct}));
  EXPECT_EQ(cells_reading("num_heads"), (std::vector<Cell>{Cell::transformer, Cell::deltanet, Cell::mlstm, Cell::slstm,
                                                           Cell::gated_deltanet, Cell::deltaproduct}));
  EXPECT_EQ(cells_reading("householder"), (std::vector<Cell>{Cell::deltaproduct}));
  EXPECT_EQ(cells_reading("hidden_size").size(), std::size(kArchitectures));
  EXPECT_TRUE(reads_field(Cell::mamba, "conv_width"));
  EXPECT_FALSE(reads_field(Cell::lstm, "max_length"));
  EXPECT_THROW(reads_field(Cell::lstm, "no_such_field"), ModelError);
}

// The options users set (config_options, rows of kOptionalFields): each one's field is read by
// some architecture, and its canonical text sets that field as the config JSON shows it.
TEST(ModelConfig, EveryOptionSetsTheFieldItNames) {
  ASSERT_FALSE(config_options().empty());
  for (const ConfigOption& option : config_options()) {
    const std::vector<Cell> readers = cells_reading(option.field);
    ASSERT_FALSE(readers.empty()) << option.name;
    ModelConfig c;
    c.cell = readers.front();
    const std::string key = "\"" + std::string(option.field) + "\":";
    auto shows = [&](const std::string& value) { return to_json(c).find(key + value) != std::string::npos; };
    switch (option.value) {
      case ConfigOption::Value::whole:  // min + 7: no field's default
        set_option_field(c, option, std::to_string(option.min + 7));
        EXPECT_TRUE(shows(std::to_string(option.min + 7))) << option.name << ": " << to_json(c);
        EXPECT_THROW(set_option_field(c, option, "3x"), ModelError) << option.name;
        break;
      case ConfigOption::Value::name:
        ASSERT_GE(option.names.size(), 2u) << option.name;
        for (const std::string& name : option.names) {
          set_option_field(c, option, name);
          EXPECT_TRUE(shows("\"" + name + "\"")) << option.name << ": " << to_json(c);
        }
        break;
      case ConfigOption::Value::flag:
        set_option_field(c, option, "true");
        EXPECT_TRUE(shows(option.inverted ? "false" : "true")) << option.name << ": " << to_json(c);
        set_option_field(c, option, "false");
        if (option.written_when_set)  // left out of the JSON when false
          EXPECT_EQ(to_json(c).find(key), std::string::npos) << option.name << ": " << to_json(c);
        else
          EXPECT_TRUE(shows(option.inverted ? "true" : "false")) << option.name << ": " << to_json(c);
        EXPECT_THROW(set_option_field(c, option, "1"), ModelError) << option.name;
        break;
    }
  }
}

// An option's help names the architectures it applies to by hand ("s4d, mamba: ..."): it names
// exactly the ones that read its field, or none (a field every architecture reads, such as the end
// marker's), so that the help cannot drift from the table.
TEST(ModelConfig, EveryOptionsHelpNamesTheArchitecturesThatReadIt) {
  for (const ConfigOption& option : config_options()) {
    std::vector<Cell> named;
    std::string word;
    for (char ch : std::string(option.help) + " ") {
      if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-') {
        word += ch;
        continue;
      }
      for (const Architecture& a : kArchitectures)
        if (word == cell_name(a.cell) && std::find(named.begin(), named.end(), a.cell) == named.end())
          named.push_back(a.cell);
      word.clear();
    }
    std::sort(named.begin(), named.end());
    const std::vector<Cell> readers = cells_reading(option.field);
    if (named.empty())
      EXPECT_EQ(readers.size(), std::size(kArchitectures)) << option.name << ": " << option.help;
    else
      EXPECT_EQ(named, readers) << option.name << ": " << option.help;
  }
}

// The block's slots come from the table: every state-space row has its own, in Cell order, and a
// block of that cell holds its mixer there; every tensor of the block is the norm's, the mixer's
// or out_proj's, and the config JSON carries every field the row lists.
TEST(Ssm, EveryStateSpaceRowHasItsMixerSlot) {
  std::vector<Cell> rows;
  for (const Architecture& a : kArchitectures)
    if (a.family == Family::state_space) rows.push_back(a.cell);
  ASSERT_EQ(rows, std::vector<Cell>(kSsmCells.begin(), kSsmCells.end()));
  EXPECT_EQ(mixer_slot(Cell::lstm), 0u);
  EXPECT_EQ(mixer_slot(Cell::transformer), 0u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ModelConfig c = config_for(Variant{rows[i]});
    c.hidden_size = 8;  // 2 heads of width 4 where the mixer has heads
    c.num_heads = 2;
    EXPECT_EQ(mixer_slot(rows[i]), i + 1);
    auto block = zero_ssm_block<float>(c);
    EXPECT_EQ(block.mixer.index(), i + 1) << cell_name(rows[i]);
    std::vector<NamedTensor<float>> tensors;
    append_ssm_block_tensors(c, "", block, tensors);
    int mixer_tensors = 0;
    for (const auto& t : tensors) {
      EXPECT_TRUE(t.name.starts_with("norm.") || t.name.starts_with("mixer.") || t.name.starts_with("out_proj."))
          << t.name;
      mixer_tensors += t.name.starts_with("mixer.") ? 1 : 0;
    }
    EXPECT_GT(mixer_tensors, 0) << cell_name(rows[i]);
    const std::string json = to_json(c);
    for (std::string_view f : architecture(rows[i]).fields) {
      std::string key = "\"";  // appends: GCC 12 warns falsely (-Wrestrict) on "x" + std::string
      key += f;
      key += '"';
      EXPECT_NE(json.find(key), std::string::npos) << json;
    }
  }
  EXPECT_EQ(mixer_params<Cell::s4d>(zero_ssm_block<float>(config_for(Variant{Cell::s4d}))).d.size(), 5);
}

TEST(Ssm, ConfigJsonRoundTripsAndOldFilesLoad) {
  for (Cell cell : {Cell::s4d, Cell::mamba, Cell::ids4}) {
    ModelConfig c = config_for(Variant{cell, cell != Cell::ids4, cell == Cell::s4d, Head::tag});
    c.expand = 3;
    c.conv_width = 2;
    ModelConfig back = model_config_from_json(to_json(c));
    if (cell != Cell::mamba) back.expand = 3, back.conv_width = 2;  // written for mamba only
    EXPECT_EQ(back, c) << to_json(c);
  }
  // A config written before the state-space fields existed loads with their defaults.
  const ModelConfig old = model_config_from_json(
      R"({"cell":"s4d","vocab_size":2,"embedding_dim":3,"hidden_size":4,"num_layers":1,"head":"recognize","num_outputs":1})");
  EXPECT_EQ(old.cell, Cell::s4d);
  EXPECT_EQ(old.state_size, 16);
  EXPECT_FALSE(old.negative_eigenvalues);
  EXPECT_THROW(model_config_from_json(
                   R"({"cell":"mamba","vocab_size":2,"embedding_dim":3,"hidden_size":4,"num_layers":1,"head":"recognize","num_outputs":1,"negative_eigenvalues":1})"),
               ModelError);
  EXPECT_THROW(model_config_from_json(
                   R"({"cell":"s5","vocab_size":2,"embedding_dim":3,"hidden_size":4,"num_layers":1,"head":"recognize","num_outputs":1})"),
               ModelError);
}

TEST(Ssm, CheckpointsRoundTripAndMismatchesAreRefused) {
  const auto dir = std::filesystem::temp_directory_path() / "statelab_ssm_test_checkpoints";
  std::filesystem::create_directories(dir);
  for (const Variant& v : {Variant{Cell::s4d, true, true, Head::tag}, Variant{Cell::mamba, true},
                           Variant{Cell::ids4, false, false, Head::next_set}}) {
    const ModelConfig c = config_for(v);
    const auto params = init_params(c, 9);
    const auto path = dir / (variant_name(v) + ".safetensors");
    save_checkpoint(path, c, params, {{"language", "parity"}});
    const Checkpoint back = load_checkpoint(path);
    EXPECT_EQ(back.config, c);
    EXPECT_EQ(back.metadata.at("language"), "parity");
    ASSERT_NO_FATAL_FAILURE(testing::expect_same_parameters(c, params, back.params));
    const std::vector<Sequence> words = {{0, 1, 2, 1}, {2}, {}};
    EXPECT_EQ(hidden_states(c, params, words)[0], hidden_states(back.config, back.params, words)[0]);

    // Metadata that disagrees with the tensors is refused, naming the tensor.
    SafetensorsFile file = checkpoint_tensors(c, params);
    ModelConfig wrong = c;
    wrong.state_size = 4;
    file.metadata["statelab.model"] = to_json(wrong);
    try {
      load_checkpoint(file, "mem");
      ADD_FAILURE() << "accepted a mismatched state size";
    } catch (const CheckpointError& e) {
      EXPECT_NE(std::string(e.what()).find("has shape"), std::string::npos) << e.what();
    }
    file.metadata.erase("statelab.model");
    EXPECT_THROW(load_checkpoint(file, "mem"), CheckpointError);
  }
  std::filesystem::remove_all(dir);
}

TEST(Ssm, HiddenStatesAreTheResidualStreamAfterEachBlock) {
  const ModelConfig c = config_for(Variant{Cell::mamba});
  const auto params = init_params(c, 4);
  const std::vector<Sequence> words = {{0, 1, 2, 1, 0}, {2, 2}};
  const auto states = hidden_states(c, params, words);
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[0].rows(), c.num_layers * c.hidden_size);
  EXPECT_EQ(states[0].cols(), 5);
  EXPECT_EQ(states[1].cols(), 2);
  // Causal: a sequence's states at its first two positions do not depend on what follows.
  const std::vector<Sequence> prefix = {{0, 1}};
  const auto states_prefix = hidden_states(c, params, prefix);
  EXPECT_LE((states_prefix[0] - states[0].leftCols(2)).cwiseAbs().maxCoeff(), 1e-6);
}

}  // namespace
}  // namespace statelab::models
