// Training-step speed of statelab::models on the PyTorch reference workloads of
// bench/reference/torch_reference.py (README section 1.2): PARITY over {0,1}, L = 64, batch 64,
// Embedding(2, 16) -> LSTM/GRU (1 layer) or the transformer of tf-d64-l2-h4 -> last position ->
// Linear(H, 1) -> BCE with logits (s4d / mamba: Embedding(2, 16) -> Linear(16, 64) -> 2 blocks ->
// LayerNorm -> last position -> head),
// Adam lr 1e-3 (AdamW with weight decay 0), no clipping.  One iteration = one optimiser step
// (forward, loss, backward, reduction, Adam) on its own pre-generated batch.
//
//   build/bench/models_bench --benchmark_filter=lstm-h64            # steps/s = items_per_second
//
// The argument is the thread count (tbb::global_control); the batch is cut into chunks of 32
// sequences, so 2 threads have 2 chunks to share whatever the thread count (results identical).
// Compare with torch_reference.py run in the same session: only side-by-side ratios mean anything
// on a shared machine.  At the end: greedy decoding, incremental against a pass per token.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "base/random.h"
#include "models/model.h"
#include "models/train.h"

namespace {

using namespace statelab;
using namespace statelab::models;

constexpr int kBatch = 64, kLength = 64, kBatches = 64;

std::vector<Example> parity_batches(std::uint64_t seed) {
  Random random(seed);
  std::vector<Example> out(static_cast<std::size_t>(kBatches) * kBatch);
  for (auto& e : out) {
    int ones = 0;
    for (int t = 0; t < kLength; ++t) {
      e.tokens.push_back(static_cast<Token>(random.below(2)));
      ones += static_cast<int>(e.tokens.back());
    }
    e.target = {ones % 2};
  }
  return out;
}

ModelConfig parity_config(Cell cell, int hidden) {
  ModelConfig c;
  c.cell = cell;
  c.vocab_size = 2;
  c.embedding_dim = 16;
  c.hidden_size = hidden;
  return c;
}

// tf-d64-l2-h4: Linear(16, 64) + learned positions; 2 pre-LN layers, 4 heads, FFN 256 with ReLU,
// no attention mask; final LayerNorm.
ModelConfig transformer() {
  ModelConfig c = parity_config(Cell::transformer, 64);
  c.num_layers = 2;
  c.num_heads = 4;
  c.ffn_size = 256;
  c.ffn_activation = Activation::relu;
  c.causal = false;
  c.positional = Positional::learned;
  c.max_length = kLength;
  return c;
}

// s4d-d64-n16, mamba-d64-n16: 2 blocks, N = 16 (expand 2, conv 4).
ModelConfig state_space(Cell cell, bool s4d_convolution = false) {
  ModelConfig c = parity_config(cell, 64);
  c.num_layers = 2;
  c.state_size = 16;
  c.s4d_convolution = s4d_convolution;
  return c;
}

void train_steps(benchmark::State& bench, const ModelConfig& c) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(bench.range(0)));
  TrainConfig t;
  t.lr = 1e-3f;
  t.adamw.weight_decay = 0.0f;
  t.clip_norm = 0.0f;
  t.chunk_size = 32;
  const auto data = parity_batches(1);
  std::vector<std::vector<const Example*>> batches(kBatches);
  for (int b = 0; b < kBatches; ++b)
    for (int i = 0; i < kBatch; ++i) batches[b].push_back(&data[static_cast<std::size_t>(b) * kBatch + i]);
  TrainState state = make_train_state(c, t, init_params(c, 0));
  for (int i = 0; i < 5; ++i) train_step(state, batches[i]);  // warm-up, as the reference
  std::size_t i = 5;
  float loss = 0;
  for (auto _ : bench) loss = train_step(state, batches[i++ % kBatches]).loss;
  bench.SetItemsProcessed(static_cast<std::int64_t>(bench.iterations()));  // items/s = steps/s
  bench.counters["tokens_per_s"] =
      benchmark::Counter(static_cast<double>(bench.iterations()) * kBatch * kLength, benchmark::Counter::kIsRate);
  bench.counters["final_loss"] = loss;
  bench.counters["params"] = static_cast<double>(parameter_count(c));
}

void lstm_h64(benchmark::State& s) { train_steps(s, parity_config(Cell::lstm, 64)); }
void lstm_h256(benchmark::State& s) { train_steps(s, parity_config(Cell::lstm, 256)); }
void gru_h64(benchmark::State& s) { train_steps(s, parity_config(Cell::gru, 64)); }
void tf_d64(benchmark::State& s) { train_steps(s, transformer()); }
void s4d_d64(benchmark::State& s) { train_steps(s, state_space(Cell::s4d)); }
void s4d_d64_convolution(benchmark::State& s) { train_steps(s, state_space(Cell::s4d, true)); }
void mamba_d64(benchmark::State& s) { train_steps(s, state_space(Cell::mamba)); }

// Greedy decoding of a copying transformer (experiment 6's shape: hidden 64, embedding 32, 2
// layers, 8 heads, Hard-ALiBi windows 1..6 on 6 heads; random weights), 16 prompts of n letters
// over 10 and the separator, n tokens decoded each: greedy_decode (one token at a time, each layer
// keeping its q, k, v) against a forward pass over the 16 prefixes per token (model_forward, its
// cache reused, the argmax of each last position: greedy_decode's way before it was incremental,
// and the definition it is tested against).  The argument is n; one iteration decodes all 16.
ModelConfig copying_transformer() {
  ModelConfig c;
  c.cell = Cell::transformer;
  c.vocab_size = 11;
  c.embedding_dim = 32;
  c.hidden_size = 64;
  c.num_layers = 2;
  c.num_heads = 8;
  c.positional = Positional::hard_alibi;
  c.hard_alibi_heads = 6;
  c.hard_alibi_window = 0;
  c.head = Head::seq;
  c.num_outputs = 11;
  return c;
}

std::vector<Sequence> copy_prompts(int n) {
  Random random(7);
  std::vector<Sequence> out(16);
  for (auto& s : out) {
    for (int t = 0; t < n; ++t) s.push_back(static_cast<Token>(random.below(10)));
    s.push_back(10);  // the separator
  }
  return out;
}

void decode_incrementally(benchmark::State& bench) {
  const ModelConfig c = copying_transformer();
  const auto params = init_params(c, 1);
  const int n = static_cast<int>(bench.range(0));
  const auto prompts = copy_prompts(n);
  const std::vector<int> steps(prompts.size(), n);
  for (auto _ : bench) benchmark::DoNotOptimize(greedy_decode(c, params, prompts, steps));
  bench.SetItemsProcessed(static_cast<std::int64_t>(bench.iterations()) * 16 * n);  // items/s = tokens/s
}

void decode_by_a_pass_per_token(benchmark::State& bench) {
  const ModelConfig c = copying_transformer();
  const auto params = init_params(c, 1);
  const int n = static_cast<int>(bench.range(0));
  ModelCache<float> cache;  // reused from pass to pass, as greedy_decode did before it was incremental
  for (auto _ : bench) {
    auto current = copy_prompts(n);
    for (int j = 0; j < n; ++j) {
      const SequenceBatch batch = make_batch(c, std::span<const Sequence>(current));
      model_forward(c, params, batch, cache);
      for (int b = 0; b < batch.batch_size; ++b) {
        Eigen::Index best;
        cache.logits.col((batch.lengths[b] - 1) * batch.batch_size + b).maxCoeff(&best);
        current[batch.order[b]].push_back(static_cast<Token>(best));
      }
    }
    benchmark::DoNotOptimize(current);
  }
  bench.SetItemsProcessed(static_cast<std::int64_t>(bench.iterations()) * 16 * n);
}

BENCHMARK(lstm_h64)->Name("lstm-h64-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(gru_h64)->Name("gru-h64-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(s4d_d64)->Name("s4d-d64-n16-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(s4d_d64_convolution)->Name("s4d-d64-n16-L64-b64-convolution")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(mamba_d64)->Name("mamba-d64-n16-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(lstm_h256)->Name("lstm-h256-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(tf_d64)->Name("tf-d64-l2-h4-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(decode_incrementally)->Name("decode-copy-tf-d64-incremental")->Arg(25)->Arg(50)->Arg(100)->Arg(200)->Unit(benchmark::kMillisecond);
BENCHMARK(decode_by_a_pass_per_token)->Name("decode-copy-tf-d64-pass-per-token")->Arg(25)->Arg(50)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
