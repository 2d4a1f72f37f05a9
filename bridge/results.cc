#include "bridge/results.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "base/error.h"
#include "base/file.h"
#include "bridge/expressivity.h"
#include "bridge/run.h"
#include "models/architecture.h"
#include "models/error.h"
#include "models/transformer.h"

namespace statelab::bridge {

namespace {

using json = nlohmann::json;

std::string number_text(double x) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return ec == std::errc{} ? std::string(buffer, end) : std::to_string(x);
}

std::optional<double> parse_number(std::string_view text) {
  double x = 0;
  const char* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, x);
  if (text.empty() || ec != std::errc{} || p != end) return std::nullopt;
  return x;
}

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return number_text(v.get<double>());
  return v.dump();
}

// The spec as canonical option texts (bridge/run.h), or its values as they are when this statelab
// does not know the spec (a newer file).
std::map<std::string, std::string> spec_texts(const json& spec) {
  try {
    return spec_options(spec_from_json(spec.dump()));
  } catch (const Error&) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : spec.items()) out[k] = scalar_text(v);
    return out;
  }
}

ResultRow parse_row(const json& j, std::size_t line, const std::string& where) {
  ResultRow row;
  row.line = line;
  if (!j["cell"].is_object()) throw ParseError(where + ": \"cell\" is not an object");
  for (const auto& [k, v] : j["cell"].items()) row.cell[k] = scalar_text(v);
  if (j.contains("key") && j["key"].is_string()) row.key = j["key"].get<std::string>();
  row.status = j.contains("status") && j["status"].is_string() ? j["status"].get<std::string>() : "";
  if (row.status != "ok" && row.status != "failed")
    throw ParseError(where + ": \"status\" is " + (j.contains("status") ? j["status"].dump() : "missing") +
                     " (expected \"ok\" or \"failed\")");
  if (j.contains("error") && j["error"].is_string()) row.error = j["error"].get<std::string>();
  if (j.contains("metrics") && j["metrics"].is_object()) {
    const json& m = j["metrics"];
    for (const auto& [k, v] : m.items())
      if (v.is_number()) row.numbers[k] = v.get<double>();
    if (m.contains("spec") && m["spec"].is_object()) row.spec = spec_texts(m["spec"]);
    if (m.contains("accuracy_by_length")) {
      const json& a = m["accuracy_by_length"];
      if (!a.is_array()) throw ParseError(where + ": \"accuracy_by_length\" is not an array");
      for (const json& e : a) {
        if (!e.is_object() || !e.contains("length") || !e["length"].is_number_integer() || !e.contains("accuracy") ||
            !e["accuracy"].is_number() || (e.contains("examples") && !e["examples"].is_number_unsigned()))
          throw ParseError(where + ": an entry of \"accuracy_by_length\" is not {length, examples, accuracy}");
        row.by_length.push_back({e["length"].get<int>(),
                                 e.contains("examples")
                                     ? e["examples"].get<std::int64_t>()
                                     : std::int64_t{1},
                                 e["accuracy"].get<double>()});
      }
      std::sort(row.by_length.begin(), row.by_length.end(),
                [](const LengthAccuracy& a, const LengthAccuracy& b) { return a.length < b.length; });
    }
    if (m.contains("validation_history")) {
      const json& h = m["validation_history"];
      if (!h.is_array()) throw ParseError(where + ": \"validation_history\" is not an array");
      for (const json& e : h) {
        // A loss JSON could not hold (NaN, infinite) is written null: kept as NaN, not drawn.
        if (!e.is_object() || !e.contains("step") || !e["step"].is_number_integer() || !e.contains("accuracy") ||
            !e["accuracy"].is_number() || !e.contains("loss") || !(e["loss"].is_number() || e["loss"].is_null()))
          throw ParseError(where + ": an entry of \"validation_history\" is not {step, accuracy, loss}");
        row.history.push_back({e["step"].get<std::int64_t>(), e["accuracy"].get<double>(),
                               e["loss"].is_null() ? std::nan("") : e["loss"].get<double>()});
      }
      std::stable_sort(row.history.begin(), row.history.end(),
                       [](const Evaluation& a, const Evaluation& b) { return a.step < b.step; });
    }
  } else if (row.ok()) {
    throw ParseError(where + ": a cell with status ok has no \"metrics\" object");
  }
  if (j.contains("seconds") && j["seconds"].is_number()) row.numbers["seconds"] = j["seconds"].get<double>();
  return row;
}

std::set<std::string> field_names(const std::vector<ResultRow>& rows) {
  std::set<std::string> names{"status"};
  for (const ResultRow& r : rows) {
    for (const auto& [k, v] : r.cell) names.insert(k);
    for (const auto& [k, v] : r.spec) names.insert(k);
    for (const auto& [k, v] : r.numbers) names.insert(k);
  }
  return names;
}

}  // namespace

std::vector<ResultRow> parse_result_rows(std::string_view text, const std::string& name) {
  std::vector<ResultRow> rows;
  std::size_t line = 0, begin = 0;
  while (begin < text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    const std::string_view content = text.substr(begin, end - begin);
    const bool last = text.find_first_not_of(" \t\r\n", end) == std::string_view::npos;
    ++line;
    begin = end + 1;
    if (content.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = name + ":" + std::to_string(line);
    json j = json::parse(content, nullptr, false);
    if (j.is_discarded()) {
      if (last) break;  // cut short by a sweep killed while writing it
      throw ParseError(where + ": not a JSON object (expected one cell's result per line)");
    }
    if (!j.is_object()) throw ParseError(where + ": not a JSON object (expected one cell's result per line)");
    if (!j.contains("cell")) continue;  // a header or configuration line
    rows.push_back(parse_row(j, line, where));
  }
  return rows;
}

std::vector<ResultRow> read_result_rows(const std::filesystem::path& path) {
  return parse_result_rows(read_file(path), path.string());
}

std::optional<std::string> field_text(const ResultRow& row, std::string_view name) {
  // "model+negative-eigenvalues": one field made of several, "mamba, negative-eigenvalues=true",
  // so that a figure's lines can be told apart by more than one option.
  if (const std::size_t plus = name.find('+'); plus != std::string_view::npos && plus > 0) {
    std::optional<std::string> first = field_text(row, name.substr(0, plus));
    if (!first) return std::nullopt;
    std::string_view rest = name.substr(plus + 1);
    while (!rest.empty()) {
      const std::string_view part = rest.substr(0, rest.find('+'));
      const std::optional<std::string> v = field_text(row, part);
      if (!v) return std::nullopt;
      first->append(", ").append(part).append("=").append(*v);
      rest = part.size() < rest.size() ? rest.substr(part.size() + 1) : std::string_view{};
    }
    return first;
  }
  const std::string key(name);
  if (auto it = row.cell.find(key); it != row.cell.end()) return it->second;
  if (auto it = row.spec.find(key); it != row.spec.end()) return it->second;
  if (name == "status") return row.status;
  if (auto it = row.numbers.find(key); it != row.numbers.end()) return number_text(it->second);
  return std::nullopt;
}

std::optional<double> field_number(const ResultRow& row, std::string_view name) {
  const std::optional<std::string> text = field_text(row, name);
  return text ? parse_number(*text) : std::nullopt;
}

void require_field(const std::vector<ResultRow>& rows, std::string_view name, std::string_view option) {
  const std::set<std::string> names = field_names(rows);
  if (names.count(std::string(name))) return;
  if (name.find('+') != std::string_view::npos) {  // every part must be a field
    bool all = true;
    for (std::string_view rest = name; all && !rest.empty();) {
      const std::string_view part = rest.substr(0, rest.find('+'));
      all = names.count(std::string(part)) > 0;
      rest = part.size() < rest.size() ? rest.substr(part.size() + 1) : std::string_view{};
    }
    if (all) return;
  }
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  throw InvalidArgument(std::string(option) + " " + std::string(name) + ": no such field in the results (fields: " +
                        list + ")");
}

Where parse_where(std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw InvalidArgument("--where " + std::string(text) + ": expected key=value (e.g. model=lstm)");
  return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

std::vector<ResultRow> select(const std::vector<ResultRow>& rows, const std::vector<Where>& where) {
  for (const Where& w : where) require_field(rows, w.key, "--where");
  std::vector<ResultRow> out;
  for (const ResultRow& r : rows) {
    const bool all = std::all_of(where.begin(), where.end(), [&](const Where& w) {
      const std::optional<std::string> v = field_text(r, w.key);
      if (!v) return false;
      if (*v == w.value) return true;
      const std::optional<double> a = parse_number(*v), b = parse_number(w.value);
      return a && b && *a == *b;
    });
    if (all) out.push_back(r);
  }
  return out;
}

std::vector<ResultRow> ok_rows(const std::vector<ResultRow>& rows) {
  std::vector<ResultRow> out;
  std::copy_if(rows.begin(), rows.end(), std::back_inserter(out), [](const ResultRow& r) { return r.ok(); });
  return out;
}

Groups group_by(const std::vector<ResultRow>& rows, std::string_view key) {
  std::vector<const ResultRow*> pointers;
  for (const ResultRow& r : rows) pointers.push_back(&r);
  return group_by(pointers, key);
}

Groups group_by(const std::vector<const ResultRow*>& rows, std::string_view key) {
  Groups groups;
  for (const ResultRow* r : rows) {
    const std::optional<std::string> v = field_text(*r, key);
    if (!v) continue;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == *v; });
    if (it == groups.end()) groups.push_back({*v, {r}});
    else it->second.push_back(r);
  }
  const bool numeric = std::all_of(groups.begin(), groups.end(), [](const auto& g) { return parse_number(g.first); });
  if (numeric)
    std::stable_sort(groups.begin(), groups.end(),
                     [](const auto& a, const auto& b) { return *parse_number(a.first) < *parse_number(b.first); });
  return groups;
}

std::vector<std::string> varying_options(const std::vector<const ResultRow*>& rows, const std::vector<std::string>& except) {
  std::map<std::string, std::set<std::string>> values;
  for (const ResultRow* r : rows)
    for (const auto& [k, v] : r->cell) values[k].insert(v);
  std::vector<std::string> out;
  for (const auto& [k, v] : values)
    if (v.size() > 1 && std::find(except.begin(), except.end(), k) == except.end()) out.push_back(k);
  return out;
}

Summary summarize(const std::vector<double>& values) {
  Summary s;
  if (values.empty()) return s;
  s.count = values.size();
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(values.size());
  return s;
}

std::optional<double> accuracy_between(const ResultRow& row, int lo, int hi) {
  double correct = 0, total = 0;
  for (const LengthAccuracy& a : row.by_length)
    if (a.length >= lo && a.length <= hi) {
      correct += a.accuracy * static_cast<double>(a.examples);
      total += static_cast<double>(a.examples);
    }
  if (total == 0) return std::nullopt;
  return correct / total;
}

std::vector<std::pair<int, int>> length_bins(const std::vector<const ResultRow*>& rows, int bins) {
  std::vector<int> lengths;  // the distinct lengths that have results, ascending
  for (const ResultRow* r : rows)
    for (const LengthAccuracy& a : r->by_length) lengths.push_back(a.length);
  std::sort(lengths.begin(), lengths.end());
  lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
  std::vector<std::pair<int, int>> out;
  if (lengths.empty() || bins < 1) return out;
  // Bins group present lengths, so that a label never names a length without results (lengths
  // 2 and 4 are two bins "2" and "4", not "2" and "3-4").
  const std::size_t count = lengths.size(), n = std::min<std::size_t>(static_cast<std::size_t>(bins), count);
  for (std::size_t i = 0; i < n; ++i)  // numbers of lengths differ by at most one
    out.push_back({lengths[i * count / n], lengths[(i + 1) * count / n - 1]});
  return out;
}

std::optional<std::pair<int, int>> spec_range(const ResultRow& row, std::string_view option) {
  const std::optional<std::string> text = field_text(row, option);
  if (!text) return std::nullopt;
  const std::size_t dots = text->find("..");
  const std::optional<double> a = parse_number(text->substr(0, dots));
  const std::optional<double> b = dots == std::string::npos ? a : parse_number(text->substr(dots + 2));
  if (!a || !b) return std::nullopt;
  return std::pair<int, int>{static_cast<int>(*a), static_cast<int>(*b)};
}

std::string architecture_of(const ResultRow& row) {
  const std::string model = field_text(row, "model").value_or("?");
  models::ModelConfig config;  // the fields expressivity_architecture reads, from the cell's options
  try {
    config.cell = models::parse_cell(model);
    if (const auto pos = field_text(row, "pos")) config.positional = models::parse_positional(*pos);
  } catch (const models::ModelError&) {
    return model;  // a results file of another version: its own name
  }
  config.negative_eigenvalues = field_text(row, "negative-eigenvalues").value_or("false") == "true";
  config.causal = field_text(row, "bidirectional").value_or("false") != "true";
  config.strict_mask = field_text(row, "strict-mask").value_or("false") == "true";
  config.end_marker = field_text(row, "end-marker").value_or("false") == "true";
  return expressivity_architecture(config);
}

}  // namespace statelab::bridge
