#include "models/safetensors.h"


#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/file.h"
#include "models/error.h"

namespace statelab::models {

static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");

namespace {

constexpr std::uint64_t kMaxHeader = 100u << 20;  // the safetensors package's own limit

std::size_t dtype_size(DType d) { return d == DType::f32 || d == DType::i32 ? 4 : 8; }

[[noreturn]] void fail(const std::string& source, const std::string& what) {
  throw CheckpointError(source + ": " + what);
}

}  // namespace

std::string shape_string(const std::vector<std::int64_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

const char* dtype_name(DType d) {
  switch (d) {
    case DType::f32: return "F32";
    case DType::f64: return "F64";
    case DType::i32: return "I32";
    case DType::i64: return "I64";
  }
  return "?";
}

std::int64_t TensorData::numel() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::vector<float> TensorData::to_float() const {
  std::vector<float> out(static_cast<std::size_t>(numel()));
  if (dtype == DType::f32) {
    std::memcpy(out.data(), bytes.data(), out.size() * 4);
  } else if (dtype == DType::f64) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      double v;
      std::memcpy(&v, bytes.data() + 8 * i, 8);
      out[i] = static_cast<float>(v);
    }
  } else {
    throw CheckpointError(std::string("tensor of dtype ") + dtype_name(dtype) + " read as floating point");
  }
  return out;
}

std::vector<std::int64_t> TensorData::to_int64() const {
  std::vector<std::int64_t> out(static_cast<std::size_t>(numel()));
  if (dtype == DType::i64) {
    std::memcpy(out.data(), bytes.data(), out.size() * 8);
  } else if (dtype == DType::i32) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      std::int32_t v;
      std::memcpy(&v, bytes.data() + 4 * i, 4);
      out[i] = v;
    }
  } else {
    throw CheckpointError(std::string("tensor of dtype ") + dtype_name(dtype) + " read as integer");
  }
  return out;
}

TensorData make_tensor(std::vector<std::int64_t> shape, const std::vector<float>& values) {
  TensorData t;
  t.dtype = DType::f32;
  t.shape = std::move(shape);
  if (t.numel() != static_cast<std::int64_t>(values.size()))
    throw ModelError("a tensor of shape " + shape_string(t.shape) + " holds " + std::to_string(t.numel()) +
                     " values, given " + std::to_string(values.size()));
  t.bytes.resize(values.size() * 4);
  std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}

SafetensorsFile parse_safetensors(std::string_view bytes, const std::string& source) {
  if (bytes.size() < 8)
    fail(source, "truncated: " + std::to_string(bytes.size()) +
                     " bytes, but a safetensors file starts with an 8-byte header length");
  std::uint64_t header_size;
  std::memcpy(&header_size, bytes.data(), 8);
  if (header_size > kMaxHeader) fail(source, "header length " + std::to_string(header_size) + " exceeds 100 MiB");
  if (header_size > bytes.size() - 8)
    fail(source, "truncated: the header announces " + std::to_string(header_size) + " bytes but only " +
                     std::to_string(bytes.size() - 8) + " follow");
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.substr(8, header_size));
  } catch (const nlohmann::json::exception& e) {
    fail(source, std::string("header is not valid JSON: ") + e.what());
  }
  if (!header.is_object()) fail(source, "header is not a JSON object");
  const std::string_view data = bytes.substr(8 + header_size);

  SafetensorsFile file;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) fail(source, "__metadata__ is not a JSON object");
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string()) fail(source, "__metadata__ value of '" + key + "' is not a string");
        file.metadata[key] = value.get<std::string>();
      }
      continue;
    }
    const std::string where = "tensor '" + name + "'";
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets"))
      fail(source, where + " needs dtype, shape and data_offsets");
    TensorData t;
    const auto& dtype = entry["dtype"];
    if (dtype == "F32") t.dtype = DType::f32;
    else if (dtype == "F64") t.dtype = DType::f64;
    else if (dtype == "I32") t.dtype = DType::i32;
    else if (dtype == "I64") t.dtype = DType::i64;
    else fail(source, where + " has dtype " + dtype.dump() + ", expected F32, F64, I32 or I64");
    const auto& shape = entry["shape"];
    if (!shape.is_array()) fail(source, where + " has shape " + shape.dump() + ", expected an array");
    std::uint64_t elements = 1;  // bounded by the data size as it grows, so it cannot overflow
    for (const auto& d : shape) {
      if (!d.is_number_integer() || d.get<std::int64_t>() < 0)
        fail(source, where + " has shape " + shape.dump() + ", expected non-negative integers");
      const auto extent = static_cast<std::uint64_t>(d.get<std::int64_t>());
      if (extent != 0 && elements > data.size() / extent)
        fail(source, where + " has shape " + shape.dump() + ", more elements than the file's " +
                         std::to_string(data.size()) + " data bytes hold");
      elements *= extent;
      t.shape.push_back(d.get<std::int64_t>());
    }
    const auto& offsets = entry["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
      fail(source, where + " has data_offsets " + offsets.dump() + ", expected [begin, end]");
    const auto begin = offsets[0].get<std::uint64_t>(), end = offsets[1].get<std::uint64_t>();
    const std::uint64_t expected = static_cast<std::uint64_t>(t.numel()) * dtype_size(t.dtype);
    if (end < begin || end - begin != expected)
      fail(source, where + " of shape " + shape_string(t.shape) + " and dtype " + dtype_name(t.dtype) + " needs " +
                       std::to_string(expected) + " bytes, but data_offsets " + offsets.dump() + " span " +
                       std::to_string(end >= begin ? end - begin : 0));
    if (end > data.size())
      fail(source, "truncated: " + where + " needs data bytes [" + std::to_string(begin) + ", " + std::to_string(end) +
                       ") but only " + std::to_string(data.size()) + " follow the header");
    t.bytes.assign(data.begin() + begin, data.begin() + end);
    ranges.emplace_back(begin, end);
    file.tensors.emplace(name, std::move(t));
  }
  std::sort(ranges.begin(), ranges.end());
  std::uint64_t covered = 0;
  for (const auto& [begin, end] : ranges) {
    if (begin != covered)
      fail(source, "data_offsets leave a gap or overlap at byte " + std::to_string(std::min(begin, covered)));
    covered = end;
  }
  if (covered != data.size())
    fail(source, std::to_string(data.size() - covered) + " bytes after the last tensor: the file does not match its header");
  return file;
}

SafetensorsFile read_safetensors(const std::filesystem::path& path) {
  return parse_safetensors(read_file(path), path.string());
}

std::string serialize_safetensors(const SafetensorsFile& file) {
  nlohmann::json header = nlohmann::json::object();
  std::uint64_t offset = 0;
  for (const auto& [name, t] : file.tensors) {
    if (static_cast<std::uint64_t>(t.numel()) * dtype_size(t.dtype) != t.bytes.size())
      throw ModelError("writing a checkpoint: tensor '" + name + "' of shape " + shape_string(t.shape) + " has " +
                       std::to_string(t.bytes.size()) + " bytes");
    header[name] = {{"dtype", dtype_name(t.dtype)},
                    {"shape", t.shape},
                    {"data_offsets", {offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
  }
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  const std::uint64_t n = text.size();
  std::memcpy(out.data(), &n, 8);
  out += text;
  out.reserve(out.size() + offset);
  for (const auto& [name, t] : file.tensors) out.append(reinterpret_cast<const char*>(t.bytes.data()), t.bytes.size());
  return out;
}

void write_safetensors(const std::filesystem::path& path, const SafetensorsFile& file) {
  if (is_standard_output(path))
    fail(path.string(), "a safetensors checkpoint is binary and is not written to standard output: name a file");
  write_file(path, serialize_safetensors(file));
}

SafetensorsFile checkpoint_tensors(const ModelConfig& config, const ModelParams<float>& params,
                                   const std::map<std::string, std::string>& metadata) {
  SafetensorsFile file;
  file.metadata = metadata;
  file.metadata["statelab.model"] = to_json(config);
  ModelParams<float> copy = params;  // named_tensors hands out mutable views
  std::vector<float> buffer;
  for (const auto& tensor : named_tensors(config, copy)) {
    buffer.resize(static_cast<std::size_t>(tensor.size));
    copy_to_torch_order(tensor, buffer.data());
    file.tensors[tensor.name] = make_tensor(tensor.shape, buffer);
  }
  return file;
}

void save_checkpoint(const std::filesystem::path& path, const ModelConfig& config, const ModelParams<float>& params,
                     const std::map<std::string, std::string>& metadata) {
  write_safetensors(path, checkpoint_tensors(config, params, metadata));
}

void CheckpointToInfer::fail(const std::string& what) const { models::fail(source, what); }

const std::vector<std::int64_t>& CheckpointToInfer::shape(const std::string& name) const {
  const auto it = file.tensors.find(name);
  if (it == file.tensors.end()) fail("missing tensor '" + name + "'");
  return it->second.shape;
}

bool CheckpointToInfer::has_stated() const { return file.metadata.count("statelab.model") != 0; }

ModelConfig CheckpointToInfer::stated() const {
  try {
    return model_config_from_json(file.metadata.at("statelab.model"));
  } catch (const ModelError& e) {
    fail(std::string("metadata statelab.model: ") + e.what());
  }
}

ModelConfig CheckpointToInfer::stated_for(Family family, const std::string& missing, const std::string& other_family) const {
  if (!has_stated()) fail(missing);
  const ModelConfig c = stated();
  if (architecture(c.cell).family != family)
    fail("metadata statelab.model says cell " + std::string(cell_name(c.cell)) + other_family);
  return c;
}

namespace {

// The order in which the families are asked whether a checkpoint is theirs: the first that
// claims it (FamilyOf::in_file) infers its config.  The transformer comes before the
// state-space family, whose marker input_proj.weight it shares; the recurrent family claims
// what neither does.
constexpr Family kInferenceOrder[] = {Family::transformer, Family::state_space, Family::recurrent};

}  // namespace

ModelConfig infer_config(const SafetensorsFile& file, const std::string& source) {
  const CheckpointToInfer checkpoint{file, source};
  // Every tensor of the architecture must be there with its shape, and nothing else.
  auto check_tensors = [&](ModelConfig c) {
    try {
      validate(c);
    } catch (const ModelError& e) {
      fail(source, e.what());
    }
    auto expected = zero_params<float>(c);
    const auto tensors = named_tensors(c, expected);
    for (const auto& tensor : tensors) {
      const auto& shape = checkpoint.shape(tensor.name);
      if (shape != tensor.shape)
        fail(source, "tensor '" + tensor.name + "' has shape " + shape_string(shape) + ", expected " +
                         shape_string(tensor.shape));
    }
    for (const auto& [name, t] : file.tensors) {
      const bool known = std::any_of(tensors.begin(), tensors.end(), [&](const auto& x) { return x.name == name; });
      if (known) continue;
      std::string why;
      if (name.find("_reverse") != std::string::npos) why = " (bidirectional layers are not supported)";
      else if (name.find("weight_hr") != std::string::npos) why = " (LSTM projections are not supported)";
      fail(source, "unexpected tensor '" + name + "'" + why + " for a " + std::to_string(c.num_layers) + "-layer " +
                       cell_name(c.cell));
    }
    return c;
  };
  ModelConfig c;
  const auto& embedding = checkpoint.shape("embedding.weight");
  if (embedding.size() != 2) fail(source, "embedding.weight has shape " + shape_string(embedding) + ", expected (V, E)");
  c.vocab_size = static_cast<int>(embedding[0]);
  c.embedding_dim = static_cast<int>(embedding[1]);
  for (Family family : kInferenceOrder) {
    const bool claimed = with_family(family, [&](auto f) {
      using F = FamilyOf<decltype(f)::value>;
      if (!F::in_file(file)) return false;
      c = F::config_from_file(checkpoint, c);
      return true;
    });
    if (claimed) return check_tensors(c);
  }
  fail(source, "no architecture claims the tensors");  // the recurrent family claims every file
}

Checkpoint load_checkpoint(const SafetensorsFile& file, const std::string& source) {
  Checkpoint checkpoint;
  checkpoint.config = infer_config(file, source);
  checkpoint.params = zero_params<float>(checkpoint.config);
  checkpoint.metadata = file.metadata;
  for (const auto& tensor : named_tensors(checkpoint.config, checkpoint.params)) {
    const TensorData& data = file.tensors.at(tensor.name);
    if (data.dtype != DType::f32 && data.dtype != DType::f64)
      fail(source, "tensor '" + tensor.name + "' has dtype " + dtype_name(data.dtype) + ", expected F32 or F64");
    const std::vector<float> values = data.to_float();
    copy_from_torch_order(tensor, values.data());
  }
  return checkpoint;
}

Checkpoint load_checkpoint(const std::filesystem::path& path) {
  return load_checkpoint(read_safetensors(path), path.string());
}

}  // namespace statelab::models
