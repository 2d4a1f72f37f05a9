// DeltaNet (models/delta_product.h with one step and no gate): the block against an independent naive recurrence written here
// (the dense d x d state update, sharing no code with the library), training with every head,
// hidden states, config JSON and checkpoints.  Its central-difference gradient checks (every
// head, whole model and per block including dL/dx) are ssm_test.cc's, with the other mixers'.  Also: configs and
// checkpoints written before the architecture table (tests/data/models/, by main at 94e174c)
// serialise byte-identically.  The PyTorch reference (tools/make_torch_fixtures.py's DeltaNetMixer)
// is compared in torch_equality_test.cc (deltanet_*: forward 1e-5, gradients 1e-4 relative).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/random.h"
#include "models/error.h"
#include "models/model.h"
#include "models/safetensors.h"
#include "models/train.h"
#include "tests/models/model_test_util.h"

namespace statelab::models {
namespace {

using testing::cast_params;
using testing::random_examples;

ModelConfig deltanet_config(Head head = Head::recognize, bool negative = false, int layers = 2) {
  ModelConfig c;
  c.cell = Cell::deltanet;
  c.vocab_size = 3;
  c.embedding_dim = 4;
  c.hidden_size = 6;
  c.num_heads = 2;  // d = 3
  c.conv_width = 3;
  c.num_layers = layers;
  c.negative_eigenvalues = negative;
  c.head = head;
  c.num_outputs = head == Head::recognize ? 1 : head == Head::tag ? 3 : head == Head::seq ? 3 : 4;
  return c;
}

// ---- the naive reference: one sequence, one block, plain loops over std::vector ----------------

using Vec = std::vector<double>;
using Mat = std::vector<Vec>;  // rows

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// A tensor of the block by its name, as a (rows x cols) row-major matrix in torch's layout.
Mat tensor_of(const ModelConfig& c, ModelParams<double>& p, const std::string& name) {
  for (auto& t : named_tensors(c, p))
    if (t.name == name) {
      std::vector<double> flat(static_cast<std::size_t>(t.size));
      copy_to_torch_order(t, flat.data());
      const std::size_t rows = t.shape.size() == 1 ? 1 : static_cast<std::size_t>(t.shape[0]);
      const std::size_t cols = flat.size() / rows;
      Mat m(rows, Vec(cols));
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t k = 0; k < cols; ++k) m[r][k] = flat[r * cols + k];
      return m;
    }
  ADD_FAILURE() << "no tensor " << name;
  return {};
}

Vec matvec(const Mat& m, const Vec& x) {
  Vec y(m.size(), 0.0);
  for (std::size_t r = 0; r < m.size(); ++r)
    for (std::size_t k = 0; k < x.size(); ++k) y[r] += m[r][k] * x[k];
  return y;
}

// x_t (T of them, H each) -> x_t + DeltaNet(LayerNorm(x_t)) for block `l` of the model.
std::vector<Vec> naive_block(const ModelConfig& c, ModelParams<double>& p, int l, const std::vector<Vec>& x) {
  const std::string k = "layers." + std::to_string(l) + ".";
  const int H = c.hidden_size, h = c.num_heads, d = H / h, W = c.conv_width, T = static_cast<int>(x.size());
  const Vec ln_w = tensor_of(c, p, k + "norm.weight")[0], ln_b = tensor_of(c, p, k + "norm.bias")[0];
  const Mat proj[3] = {tensor_of(c, p, k + "mixer.q_proj.weight"), tensor_of(c, p, k + "mixer.k_proj.weight"),
                       tensor_of(c, p, k + "mixer.v_proj.weight")};
  const Mat conv[3] = {tensor_of(c, p, k + "mixer.q_conv1d.weight"), tensor_of(c, p, k + "mixer.k_conv1d.weight"),
                       tensor_of(c, p, k + "mixer.v_conv1d.weight")};  // (H, W) (torch (H, 1, W))
  const Mat b_proj = tensor_of(c, p, k + "mixer.b_proj.weight"), o_proj = tensor_of(c, p, k + "mixer.o_proj.weight");
  const Vec o_norm = tensor_of(c, p, k + "mixer.o_norm.weight")[0];
  std::vector<Vec> u(T), pre[3];
  for (int t = 0; t < T; ++t) {  // LayerNorm
    double mean = 0, var = 0;
    for (double v : x[t]) mean += v / H;
    for (double v : x[t]) var += (v - mean) * (v - mean) / H;
    u[t].resize(H);
    for (int i = 0; i < H; ++i) u[t][i] = (x[t][i] - mean) / std::sqrt(var + 1e-5) * ln_w[i] + ln_b[i];
    for (int s = 0; s < 3; ++s) pre[s].push_back(matvec(proj[s], u[t]));
  }
  std::vector<Mat> S(h, Mat(d, Vec(d, 0.0)));
  std::vector<Vec> out(T);
  for (int t = 0; t < T; ++t) {
    Vec qkv[3];
    for (int s = 0; s < 3; ++s) {  // causal depthwise convolution, SiLU
      qkv[s].assign(H, 0.0);
      for (int i = 0; i < H; ++i) {
        double y = 0;
        for (int j = 0; j < W; ++j)
          if (t - (W - 1) + j >= 0) y += conv[s][i][j] * pre[s][t - (W - 1) + j][i];
        qkv[s][i] = y * sigmoid(y);
      }
    }
    const Vec b = matvec(b_proj, u[t]);
    Vec o(H);
    for (int g = 0; g < h; ++g) {
      double nq = 1e-6, nk = 1e-6;
      for (int i = 0; i < d; ++i) nq += qkv[0][g * d + i] * qkv[0][g * d + i], nk += qkv[1][g * d + i] * qkv[1][g * d + i];
      Vec q(d), kk(d), v(d);
      for (int i = 0; i < d; ++i)
        q[i] = qkv[0][g * d + i] / std::sqrt(nq), kk[i] = qkv[1][g * d + i] / std::sqrt(nk), v[i] = qkv[2][g * d + i];
      const double beta = (c.negative_eigenvalues ? 2.0 : 1.0) * sigmoid(b[g]);
      // S <- S (I - beta k kᵀ) + beta v kᵀ, written as the product with the dense transition.
      Mat A(d, Vec(d));
      for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) A[i][j] = (i == j ? 1.0 : 0.0) - beta * kk[i] * kk[j];
      Mat next(d, Vec(d, 0.0));
      for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) {
          for (int m = 0; m < d; ++m) next[i][j] += S[g][i][m] * A[m][j];
          next[i][j] += beta * v[i] * kk[j];
        }
      S[g] = next;
      double ms = 0;
      Vec og(d, 0.0);
      for (int i = 0; i < d; ++i) {
        for (int j = 0; j < d; ++j) og[i] += S[g][i][j] * q[j] / std::sqrt(static_cast<double>(d));
        ms += og[i] * og[i] / d;
      }
      for (int i = 0; i < d; ++i) o[g * d + i] = og[i] / std::sqrt(ms + 1e-5) * o_norm[i];
    }
    out[t] = matvec(o_proj, o);
    for (int i = 0; i < H; ++i) out[t][i] += x[t][i];
  }
  return out;
}

TEST(DeltaNet, BlocksEqualANaiveDenseRecurrence) {
  for (bool negative : {false, true}) {
    const ModelConfig c = deltanet_config(Head::tag, negative);
    auto p = testing::perturbed_params(c, 3);
    const std::vector<Sequence> words = {{0, 1, 2, 2, 1, 0, 1, 1, 2}, {2, 1}, {1, 0, 0, 2, 1}};
    const auto states = hidden_states(c, cast_params<float>(c, p), words);  // float: the API's
    // The same in double, through the library's forward, against the naive blocks.
    const SequenceBatch batch = make_batch(c, std::span<const Sequence>(words));
    ModelCache<double> cache;
    model_forward(c, p, batch, cache);
    for (int b = 0; b < batch.batch_size; ++b) {
      const int len = batch.lengths[b];
      std::vector<Vec> x(len, Vec(c.hidden_size));
      for (int t = 0; t < len; ++t)
        for (int i = 0; i < c.hidden_size; ++i) x[t][i] = cache.projected(i, t * batch.batch_size + b);
      for (int l = 0; l < c.num_layers; ++l) {
        x = naive_block(c, p, l, x);
        for (int t = 0; t < len; ++t)
          for (int i = 0; i < c.hidden_size; ++i) {
            EXPECT_NEAR(cache.outputs[l](i, t * batch.batch_size + b), x[t][i], 1e-12)
                << "negative " << negative << " sequence " << b << " layer " << l << " t " << t;
            EXPECT_NEAR(states[batch.order[b]](l * c.hidden_size + i, t), x[t][i], 1e-4);
          }
      }
    }
  }
}

// ---- training, inference, config, checkpoints -----------------------------------------------------

TEST(DeltaNet, EveryHeadTrainsAndLowersItsLoss) {
  for (Head head : {Head::recognize, Head::tag, Head::next_set, Head::seq}) {
    ModelConfig c = deltanet_config(head, head == Head::tag);
    c.hidden_size = 8;
    c.num_heads = 2;
    c.conv_width = 4;
    auto data = random_examples(c, 64, 1, 8, 3);
    TrainConfig train;
    train.steps = 40;
    train.lr = 0.01f;
    train.batch_size = 16;
    TrainState state = make_train_state(c, train, init_params(c, 1));
    float first = 0;
    const StepResult last = models::train(state, data, [&](std::int64_t step, const StepResult& r) {
      if (step == 1) first = r.loss;
    });
    EXPECT_LT(last.loss, first) << head_name(head);
  }
}

TEST(DeltaNet, HiddenStatesAreCausalResidualStreams) {
  const ModelConfig c = deltanet_config(Head::recognize, true);
  const auto params = init_params(c, 4);
  const std::vector<Sequence> words = {{0, 1, 2, 1, 0}}, prefix = {{0, 1}};
  const auto states = hidden_states(c, params, words);
  ASSERT_EQ(states[0].rows(), c.num_layers * c.hidden_size);
  ASSERT_EQ(states[0].cols(), 5);
  EXPECT_EQ(states[0].leftCols(2), hidden_states(c, params, prefix)[0]);
}

TEST(DeltaNet, ConfigReadsItsFieldsOnly) {
  ModelConfig c = deltanet_config(Head::tag, true);
  EXPECT_EQ(model_config_from_json(to_json(c)), c);
  EXPECT_TRUE(reads_field(Cell::deltanet, "num_heads"));
  EXPECT_TRUE(reads_field(Cell::deltanet, "negative_eigenvalues"));
  EXPECT_FALSE(reads_field(Cell::deltanet, "state_size"));
  EXPECT_EQ(parse_cell("deltanet"), Cell::deltanet);
  c.num_heads = 4;  // 6 is not a multiple of 4
  EXPECT_THROW(validate(c), ModelError);
  c.num_heads = 3;
  c.s4d_convolution = true;
  EXPECT_THROW(validate(c), ModelError);
}

TEST(DeltaNet, CheckpointsRoundTripAndDisagreeingMetadataIsRefused) {
  const ModelConfig c = deltanet_config(Head::tag, true);
  const auto params = init_params(c, 9);
  const SafetensorsFile file = checkpoint_tensors(c, params, {{"language", "parity"}});
  const Checkpoint back = load_checkpoint(parse_safetensors(serialize_safetensors(file), "mem"), "mem");
  EXPECT_EQ(back.config, c);
  ASSERT_NO_FATAL_FAILURE(testing::expect_same_parameters(c, params, back.params));
  // A PyTorch-written file: the tensors under these names and statelab.model, nothing else.
  SafetensorsFile torch_like = file;
  torch_like.metadata = {{"statelab.model", to_json(c)}};
  EXPECT_EQ(load_checkpoint(torch_like, "torch").config, c);
  for (const std::string wrong : {R"("num_heads":2)", R"("conv_width":3)", R"("cell":"deltanet")"}) {
    std::string json = to_json(c);
    const std::string replacement = wrong == R"("num_heads":2)"    ? R"("num_heads":3)"
                                    : wrong == R"("conv_width":3)" ? R"("conv_width":4)"
                                                                   : R"("cell":"mamba")";
    json.replace(json.find(wrong), wrong.size(), replacement);
    SafetensorsFile bad = file;
    bad.metadata["statelab.model"] = json;
    try {
      load_checkpoint(bad, "mem");
      ADD_FAILURE() << "accepted " << json;
    } catch (const CheckpointError& e) {
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
  }
}

// ---- what the reshaping must not change -----------------------------------------------------------

TEST(ArchitectureTable, ConfigJsonIsWhatEarlierVersionsWrote) {
  // Written by statelab at 94e174c (before the architecture table) for these configs.
  const std::string expected[] = {
      R"({"cell":"lstm","embedding_dim":4,"head":"recognize","hidden_size":8,"num_layers":1,"num_outputs":1,"vocab_size":2})",
      R"({"causal":true,"cell":"transformer","embedding_dim":4,"ffn_activation":"gelu","ffn_size":0,"hard_alibi_heads":0,"hard_alibi_window":4,"head":"recognize","hidden_size":8,"max_length":4,"num_heads":4,"num_layers":1,"num_outputs":1,"positional":"alibi","vocab_size":2})",
      R"({"cell":"s4d","embedding_dim":4,"head":"recognize","hidden_size":8,"negative_eigenvalues":true,"num_layers":1,"num_outputs":1,"s4d_convolution":false,"state_size":16,"vocab_size":2})",
      R"({"cell":"mamba","conv_width":4,"embedding_dim":4,"expand":2,"head":"recognize","hidden_size":8,"negative_eigenvalues":false,"num_layers":1,"num_outputs":1,"state_size":4,"vocab_size":2})",
      R"({"cell":"ids4","embedding_dim":4,"head":"recognize","hidden_size":8,"negative_eigenvalues":false,"num_layers":1,"num_outputs":1,"state_size":16,"vocab_size":2})"};
  for (const std::string& json : expected) EXPECT_EQ(to_json(model_config_from_json(json)), json);
}

TEST(ArchitectureTable, CheckpointsWrittenBeforeItReserialiseByteForByteAndScoreAsBefore) {
  // `statelab score --ckpt M.safetensors 0110 1` at 94e174c printed these probabilities.
  const std::map<std::string, std::pair<float, float>> scored = {{"lstm", {0.576892936f, 0.557568312f}},
                                                                 {"transformer", {0.698457176f, 0.722770486f}},
                                                                 {"s4d", {0.428009057f, 0.312348790f}},
                                                                 {"mamba", {0.651970730f, 0.676990189f}},
                                                                 {"ids4", {0.487450516f, 0.458864339f}}};
  for (const auto& [name, expected] : scored) {
    const std::filesystem::path path = std::filesystem::path(STATELAB_TEST_DATA) / "models" / (name + ".safetensors");
    const Checkpoint checkpoint = load_checkpoint(path);
    auto metadata = checkpoint.metadata;
    metadata.erase("statelab.model");
    const std::string again = serialize_safetensors(checkpoint_tensors(checkpoint.config, checkpoint.params, metadata));
    EXPECT_EQ(again, read_file(path)) << name;
    const std::vector<Sequence> words = {{0, 1, 1, 0}, {1}};
    const auto p = accept_probability(checkpoint.config, checkpoint.params, words);
    EXPECT_NEAR(p[0], expected.first, 1e-6) << name;
    EXPECT_NEAR(p[1], expected.second, 1e-6) << name;
  }
}

}  // namespace
}  // namespace statelab::models
