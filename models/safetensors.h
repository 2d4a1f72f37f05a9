// safetensors files (the format of PyTorch's and Hugging Face's `safetensors` package) and model
// checkpoints stored in them.
//
// Format: an 8-byte little-endian header length n, n bytes of JSON
//   {"<name>": {"dtype": "F32", "shape": [r, c], "data_offsets": [begin, end]}, ...,
//    "__metadata__": {"<key>": "<string>", ...}}
// then the tensors' raw little-endian bytes, row-major, back to back: offsets are relative to
// the end of the header and together must cover the data exactly (no gap, no overlap, nothing
// after).  A checkpoint names its tensors as the equivalent PyTorch module does
// (`embedding.weight`, `lstm.weight_ih_l0`, `lstm.bias_hh_l1`, `head.weight`, `head.bias`) and
// keeps the model config as JSON in the metadata key "statelab.model", so that a module trained
// in PyTorch and saved with safetensors.torch.save_file(model.state_dict(), path) loads here,
// and a statelab checkpoint loads in PyTorch with load_state_dict.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "models/model.h"

namespace statelab::models {

enum class DType { f32, f64, i32, i64 };

/// "F32", "F64", "I32", "I64" as safetensors spells them.
const char* dtype_name(DType dtype);

struct TensorData {
  DType dtype = DType::f32;
  std::vector<std::int64_t> shape;  // row-major; {} is a scalar
  std::vector<unsigned char> bytes;  // little-endian, row-major
  std::int64_t numel() const;
  /// The values as float (from F32 or F64) / as int64 (from I32 or I64); throws
  /// CheckpointError when the dtype is of the other kind.
  std::vector<float> to_float() const;
  std::vector<std::int64_t> to_int64() const;
};

/// An F32 tensor of the given shape and row-major values.
TensorData make_tensor(std::vector<std::int64_t> shape, const std::vector<float>& values);

struct SafetensorsFile {
  std::map<std::string, TensorData> tensors;
  std::map<std::string, std::string> metadata;
};

/// Parses a whole file's bytes.  `source` names the file in error messages.  Throws
/// CheckpointError saying what is wrong: truncated (header or data shorter than announced),
/// malformed JSON, unknown dtype, offsets that disagree with the shape or leave gaps.
/// Time O(size).
SafetensorsFile parse_safetensors(std::string_view bytes, const std::string& source);
/// The file's bytes parsed; throws IoError when it cannot be read, else as parse_safetensors.
SafetensorsFile read_safetensors(const std::filesystem::path& path);

/// The file's bytes (tensors in name order, header padded with spaces to a multiple of 8, as
/// the safetensors package writes them).  Time O(size).
std::string serialize_safetensors(const SafetensorsFile& file);

/// Writes through statelab::write_file (base/file.h): a file is replaced atomically, nothing is
/// left behind on failure (IoError); a device or FIFO is written through.  Refuses "-" (standard
/// output) with CheckpointError: the format is binary.
void write_safetensors(const std::filesystem::path& path, const SafetensorsFile& file);

/// A model and the metadata that came with it.
struct Checkpoint {
  ModelConfig config;
  ModelParams<float> params;
  std::map<std::string, std::string> metadata;  // everything in __metadata__
};

/// The model's tensors under PyTorch's names, metadata["statelab.model"] = to_json(config)
/// plus the caller's metadata (the language, the training config, final metrics, ...).
SafetensorsFile checkpoint_tensors(const ModelConfig& config, const ModelParams<float>& params,
                                   const std::map<std::string, std::string>& metadata = {});
void save_checkpoint(const std::filesystem::path& path, const ModelConfig& config, const ModelParams<float>& params,
                     const std::map<std::string, std::string>& metadata = {});

/// A checkpoint whose config is being inferred, as infer_config hands it to the family that
/// claims it (FamilyOf::config_from_file, family.h).
struct CheckpointToInfer {
  const SafetensorsFile& file;
  const std::string& source;  // the file's name in messages
  bool has(const std::string& name) const { return file.tensors.count(name) != 0; }
  /// The shape of tensor `name`; fails naming it when it is missing.
  const std::vector<std::int64_t>& shape(const std::string& name) const;
  /// Whether the metadata holds statelab.model, and the config it states (fails naming the
  /// metadata entry when it is not a valid config).
  bool has_stated() const;
  ModelConfig stated() const;
  /// The config statelab.model states, for a family whose config is not all in its tensors: fails
  /// with `missing` when the metadata has none, and with "metadata statelab.model says cell X"
  /// followed by `other_family` when X is not of `family`.
  ModelConfig stated_for(Family family, const std::string& missing, const std::string& other_family) const;
  /// Throws CheckpointError "<source>: <what>".
  [[noreturn]] void fail(const std::string& what) const;
};

/// (shape) as "(a, b)", for messages.
std::string shape_string(const std::vector<std::int64_t>& shape);

/// The architecture, inferred from the tensor names and shapes: the cell from the submodule
/// name (rnn / lstm / gru; nn.RNN is taken as tanh), the layer count from `weight_ih_l{k}`, the
/// sizes from the shapes; the head from metadata "statelab.model" when present (and then every
/// field must agree with the tensors), otherwise a one-logit head is `recognize`.  A transformer
/// (a tensor `transformer.layers.0.self_attn.in_proj_weight`) needs metadata "statelab.model":
/// its heads, positional encoding, causality and activation are not in the tensors; every tensor
/// must then have the shape that config gives.  Throws CheckpointError naming the missing,
/// unexpected or mis-shaped tensor.
ModelConfig infer_config(const SafetensorsFile& file, const std::string& source);

/// Reads, infers the architecture and loads the parameters (F32 or F64).  Throws
/// CheckpointError on any mismatch.
Checkpoint load_checkpoint(const std::filesystem::path& path);
Checkpoint load_checkpoint(const SafetensorsFile& file, const std::string& source);

}  // namespace statelab::models
