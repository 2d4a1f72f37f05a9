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
// on a shared machine.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "base/random.h"
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

BENCHMARK(lstm_h64)->Name("lstm-h64-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(gru_h64)->Name("gru-h64-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(s4d_d64)->Name("s4d-d64-n16-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(s4d_d64_convolution)->Name("s4d-d64-n16-L64-b64-convolution")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(mamba_d64)->Name("mamba-d64-n16-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(lstm_h256)->Name("lstm-h256-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(tf_d64)->Name("tf-d64-l2-h4-L64-b64")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
