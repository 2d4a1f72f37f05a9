// safetensors reading and writing, and checkpoints: round trips, and every kind of bad file
// refused with a CheckpointError that says what does not match.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "models/error.h"
#include "models/safetensors.h"

namespace statelab::models {
namespace {

ModelConfig small_config(Cell cell, int layers) {
  ModelConfig c;
  c.cell = cell;
  c.vocab_size = 3;
  c.embedding_dim = 4;
  c.hidden_size = 6;
  c.num_layers = layers;
  return c;
}

std::filesystem::path temp_dir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("statelab_models_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::create_directories(dir);
  return dir;
}

// The message of the CheckpointError `f` throws ("" when it throws none).
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const CheckpointError& e) {
    return e.what();
  }
  return "";
}

TEST(Safetensors, RoundTripsTensorsAndMetadata) {
  SafetensorsFile file;
  file.tensors["a"] = make_tensor({2, 3}, {1, 2, 3, 4, 5, 6});
  file.tensors["b.c"] = make_tensor({}, {7});
  file.metadata["k"] = "v";
  const std::string bytes = serialize_safetensors(file);
  std::uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u);
  const auto back = parse_safetensors(bytes, "mem");
  EXPECT_EQ(back.metadata, file.metadata);
  ASSERT_EQ(back.tensors.size(), 2u);
  EXPECT_EQ(back.tensors.at("a").shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(back.tensors.at("a").to_float(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(back.tensors.at("b.c").to_float(), std::vector<float>{7});
}

TEST(Safetensors, RefusesATruncatedFileSayingWhatIsMissing) {
  SafetensorsFile file;
  file.tensors["w"] = make_tensor({4}, {1, 2, 3, 4});
  const std::string bytes = serialize_safetensors(file);
  EXPECT_NE(error_of([&] { parse_safetensors(bytes.substr(0, 5), "f"); }).find("truncated"), std::string::npos);
  EXPECT_NE(error_of([&] { parse_safetensors(bytes.substr(0, 20), "f"); }).find("truncated"), std::string::npos);
  const std::string msg = error_of([&] { parse_safetensors(bytes.substr(0, bytes.size() - 1), "f"); });
  EXPECT_NE(msg.find("truncated: tensor 'w'"), std::string::npos) << msg;
  EXPECT_NE(error_of([&] { parse_safetensors(bytes + "xx", "f"); }).find("after the last tensor"), std::string::npos);
}

TEST(Safetensors, RefusesOffsetsThatDisagreeWithTheShape) {
  const std::string header = R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})";
  std::string bytes(8, '\0');
  const std::uint64_t n = header.size();
  std::memcpy(bytes.data(), &n, 8);
  bytes += header + std::string(8, '\0');
  const std::string msg = error_of([&] { parse_safetensors(bytes, "f"); });
  EXPECT_NE(msg.find("needs 12 bytes"), std::string::npos) << msg;
}

TEST(Safetensors, RefusesAShapeLargerThanTheFile) {
  const std::string header = R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}})";
  std::string bytes(8, '\0');
  const std::uint64_t n = header.size();
  std::memcpy(bytes.data(), &n, 8);
  bytes += header;
  EXPECT_NE(error_of([&] { parse_safetensors(bytes, "f"); }).find("more elements than"), std::string::npos);
}

TEST(Safetensors, RefusesAnUnknownDtype) {
  const std::string header = R"({"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}})";
  std::string bytes(8, '\0');
  const std::uint64_t n = header.size();
  std::memcpy(bytes.data(), &n, 8);
  bytes += header + std::string(4, '\0');
  EXPECT_NE(error_of([&] { parse_safetensors(bytes, "f"); }).find("BF16"), std::string::npos);
}

TEST(Checkpoint, SavesAndLoadsEveryCellExactly) {
  const auto dir = temp_dir();
  for (Cell cell : {Cell::rnn, Cell::lstm, Cell::gru}) {
    const ModelConfig c = small_config(cell, 2);
    auto params = init_params(c, 42);
    const auto path = dir / (std::string(cell_name(cell)) + ".safetensors");
    save_checkpoint(path, c, params, {{"language", "parity"}});
    const Checkpoint back = load_checkpoint(path);
    EXPECT_EQ(back.config, c);
    EXPECT_EQ(back.metadata.at("language"), "parity");
    auto loaded = back.params;
    auto a = named_tensors(c, params);
    auto b = named_tensors(c, loaded);
    for (std::size_t i = 0; i < a.size(); ++i)
      EXPECT_EQ(0, std::memcmp(a[i].data, b[i].data, a[i].size * sizeof(float))) << a[i].name;
  }
  // Nothing but the checkpoints is left in the directory (no temporary files).
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files += entry.is_regular_file();
  EXPECT_EQ(files, 3);
  std::filesystem::remove_all(dir);
}

TEST(Checkpoint, NamesTensorsLikePyTorch) {
  const ModelConfig c = small_config(Cell::lstm, 2);
  const auto file = checkpoint_tensors(c, init_params(c, 1));
  for (const char* name : {"embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0",
                           "lstm.bias_hh_l0", "lstm.weight_ih_l1", "lstm.bias_hh_l1", "head.weight", "head.bias"})
    EXPECT_TRUE(file.tensors.count(name)) << name;
  EXPECT_EQ(file.tensors.at("embedding.weight").shape, (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(file.tensors.at("lstm.weight_ih_l1").shape, (std::vector<std::int64_t>{24, 6}));
  EXPECT_EQ(file.tensors.size(), 11u);
}

TEST(Checkpoint, RefusesAMismatchedFileSayingWhatDoesNotMatch) {
  const ModelConfig c = small_config(Cell::gru, 2);
  const auto good = checkpoint_tensors(c, init_params(c, 1));

  auto missing = good;
  missing.tensors.erase("gru.bias_hh_l1");
  EXPECT_NE(error_of([&] { load_checkpoint(missing, "m"); }).find("missing tensor 'gru.bias_hh_l1'"), std::string::npos);

  auto misshaped = good;
  misshaped.tensors["gru.bias_ih_l0"] = make_tensor({17}, std::vector<float>(17));
  const std::string shape_msg = error_of([&] { load_checkpoint(misshaped, "m"); });
  EXPECT_NE(shape_msg.find("'gru.bias_ih_l0' has shape (17), expected (18)"), std::string::npos) << shape_msg;

  auto extra = good;
  extra.tensors["gru.weight_ih_l0_reverse"] = make_tensor({1}, {0});
  EXPECT_NE(error_of([&] { load_checkpoint(extra, "m"); }).find("bidirectional"), std::string::npos);

  auto lying = good;
  ModelConfig other = c;
  other.hidden_size = 7;
  lying.metadata["statelab.model"] = to_json(other);
  EXPECT_NE(error_of([&] { load_checkpoint(lying, "m"); }).find("metadata statelab.model says"), std::string::npos);

  auto two_cells = good;
  two_cells.tensors["lstm.weight_ih_l0"] = make_tensor({1}, {0});
  EXPECT_NE(error_of([&] { load_checkpoint(two_cells, "m"); }).find("more than one recurrent module (rnn, lstm, gru)"),
            std::string::npos);

  // The recurrent cells are kArchitectures' recurrent rows, named in the messages.
  SafetensorsFile no_cell;
  no_cell.tensors["embedding.weight"] = make_tensor({3, 4}, std::vector<float>(12));
  no_cell.tensors["head.weight"] = make_tensor({1, 6}, std::vector<float>(6));
  const std::string no_cell_msg = error_of([&] { load_checkpoint(no_cell, "m"); });
  EXPECT_NE(no_cell_msg.find("no recurrent module: expected one of rnn.weight_ih_l0, lstm.weight_ih_l0, gru.weight_ih_l0"),
            std::string::npos)
      << no_cell_msg;
}

TEST(Checkpoint, RefusesAFileThatIsNotThere) {
  try {
    load_checkpoint(std::filesystem::path("/nonexistent/x.safetensors"));
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos) << e.what();
  }
}

TEST(Checkpoint, IsNotWrittenToStandardOutput) {
  EXPECT_NE(error_of([] { write_safetensors("-", SafetensorsFile{}); }).find("not written to standard output"),
            std::string::npos);
}

}  // namespace
}  // namespace statelab::models
