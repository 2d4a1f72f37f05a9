#include "bridge/sweep.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tbb/info.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <exception>
#include <nlohmann/json.hpp>
#include <set>
#include <toml++/toml.h>
#include <utility>

#include "base/error.h"
#include "base/file.h"

namespace statelab::bridge {

namespace {

using json = nlohmann::ordered_json;

std::uint64_t fnv1a(std::string_view text, std::uint64_t h = 14695981039346656037ull) {
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string hex16(std::uint64_t h) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

// One thing that varies: a grid key (one name) or a zip (several names), with its choices.
struct Dimension {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> choices;  // choices[i][k]: the value of names[k]
  std::size_t line = 0, column = 0;
};

std::string where(const std::string& file, const toml::source_region& at) {
  return file + ":" + std::to_string(at.begin.line);
}

// The text of a scalar, as `statelab train` would take it on its command line.
std::string scalar_text(const toml::node& node, const std::string& file, const std::string& key) {
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* f = node.as_floating_point()) {
    char buffer[32];
    return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, f->get()).ptr);
  }
  throw InvalidArgument(where(file, node.source()) + ": key '" + key +
                        "': expected a string, number or boolean, not a " + std::string(toml::impl::node_type_friendly_names[static_cast<int>(node.type())]));
}

bool is_option(const std::string& name) {
  const auto& options = run_options();
  return std::any_of(options.begin(), options.end(), [&](const RunOption& o) { return o.name == name; });
}

// Checks one option's value alone (set_option on a default spec), naming the file, line and key.
std::string checked(const std::string& name, const toml::node& node, const std::string& file) {
  if (!is_option(name))
    throw InvalidArgument(where(file, node.source()) + ": key '" + name +
                          "': not an option of `statelab train` (see statelab train --help)");
  std::string text = scalar_text(node, file, name);
  if (text.empty()) return text;  // the option left unset (parse_sweep_config)
  try {
    RunSpec spec;
    set_option(spec, name, text);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(where(file, node.source()) + ": key '" + name + "': " + e.what());
  }
  return text;
}

const toml::array& list_of(const toml::node& node, const std::string& file, const std::string& key,
                           const char* table) {
  const auto* list = node.as_array();
  if (!list)
    throw InvalidArgument(where(file, node.source()) + ": key '" + key + "' in " + table +
                          ": expected a list of values ([a, b, ...])");
  if (list->empty())
    throw InvalidArgument(where(file, node.source()) + ": key '" + key + "' in " + table +
                          ": an empty list gives no cell");
  return *list;
}

// What one level of a config sets: the top level, or the top level with one [[part]] added.
struct Level {
  std::vector<Dimension> dims;
  std::map<std::string, std::string> fixed;
  std::map<std::string, std::size_t> set_at;  // option -> line, to refuse an option set twice
};

// Reads the [grid], [fixed] and [[zip]] tables of `tables` into `level`; `prefix` is "" at the top
// and "part." inside a [[part]], for messages.  [[part]] tables at the top are left to the caller.
void read_level(const toml::table& tables, const std::string& file, const std::string& prefix, Level& level) {
  auto claim = [&](const std::string& name, const toml::node& node) {
    const std::size_t line = node.source().begin.line;
    const auto [it, fresh] = level.set_at.emplace(name, line);
    if (!fresh)  // tables come sorted by name: name the later line
      throw InvalidArgument(file + ":" + std::to_string(std::max(line, it->second)) + ": key '" + name +
                            "': already set at line " + std::to_string(std::min(line, it->second)));
  };
  const std::string grid_name = "[" + prefix + "grid]", fixed_name = "[" + prefix + "fixed]",
                    zip_name = "[[" + prefix + "zip]]";
  for (const auto& [table_key, node] : tables) {
    const std::string table(table_key.str());
    if (table == "grid") {
      const auto* grid = node.as_table();
      if (!grid) throw InvalidArgument(where(file, node.source()) + ": '" + prefix + "grid' must be a table (" + grid_name + ")");
      for (const auto& [key, value] : *grid) {
        const std::string name(key.str());
        claim(name, value);
        Dimension d;
        d.names = {name};
        for (const toml::node& v : list_of(value, file, name, grid_name.c_str())) d.choices.push_back({checked(name, v, file)});
        d.line = value.source().begin.line;
        d.column = value.source().begin.column;
        level.dims.push_back(std::move(d));
      }
    } else if (table == "fixed") {
      const auto* t = node.as_table();
      if (!t) throw InvalidArgument(where(file, node.source()) + ": '" + prefix + "fixed' must be a table (" + fixed_name + ")");
      for (const auto& [key, value] : *t) {
        const std::string name(key.str());
        claim(name, value);
        if (value.is_array() || value.is_table())
          throw InvalidArgument(where(file, value.source()) + ": key '" + name + "' in " + fixed_name +
                                ": expected one value (lists go in " + grid_name + " or " + zip_name + ")");
        level.fixed[name] = checked(name, value, file);
      }
    } else if (table == "zip") {
      const auto* zips = node.as_array();
      if (!zips || !zips->is_array_of_tables())
        throw InvalidArgument(where(file, node.source()) + ": '" + prefix + "zip' must be tables (" + zip_name + ")");
      for (const toml::node& z : *zips) {
        const toml::table& t = *z.as_table();
        if (t.empty()) throw InvalidArgument(where(file, z.source()) + ": an empty " + zip_name);
        Dimension d;
        d.line = z.source().begin.line;
        d.column = z.source().begin.column;
        std::string first;
        for (const auto& [key, value] : t) {
          const std::string name(key.str());
          claim(name, value);
          const toml::array& list = list_of(value, file, name, zip_name.c_str());
          if (d.names.empty()) {
            d.choices.resize(list.size());
            first = name;
          } else if (list.size() != d.choices.size()) {
            throw InvalidArgument(where(file, value.source()) + ": key '" + name + "' in " + zip_name + ": " +
                                  std::to_string(list.size()) + " values, but '" + first + "' has " +
                                  std::to_string(d.choices.size()) + " (the lists of a zip vary together)");
          }
          d.names.push_back(name);
          for (std::size_t i = 0; i < list.size(); ++i) d.choices[i].push_back(checked(name, list[i], file));
        }
        level.dims.push_back(std::move(d));
      }
    } else if (table != "part" || !prefix.empty()) {
      throw InvalidArgument(where(file, node.source()) + ": unknown table '" + table + "'" +
                            (prefix.empty() ? " (expected [grid], [fixed], [[zip]] or [[part]])"
                                            : " in [[part]] (expected [part.grid], [part.fixed] or [[part.zip]])"));
    }
  }
  // The order the file lists them in (toml++'s tables are sorted by key).
  std::stable_sort(level.dims.begin(), level.dims.end(), [](const Dimension& a, const Dimension& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
}

std::size_t cell_count(const Level& level, const std::string& file, std::size_t before) {
  std::size_t count = 1;
  for (const Dimension& d : level.dims) {
    if (count > kMaxCells / d.choices.size())
      throw InvalidArgument(file + ": the grid has more than " + std::to_string(kMaxCells) + " cells");
    count *= d.choices.size();
  }
  if (count > kMaxCells - before)
    throw InvalidArgument(file + ": the grid has more than " + std::to_string(kMaxCells) + " cells");
  return count;
}

// Appends the `count` cells of `level` to `config`, refusing a cell that conflicts or repeats one
// before it (`seen`: key -> index).  An option another part sets and this one does not is unset.
void expand(const Level& level, std::size_t count, SweepConfig& config, std::map<std::string, std::size_t>& seen) {
  const std::string& file = config.file;
  for (std::size_t local = 0; local < count; ++local) {
    const std::size_t index = config.cells.size();
    std::map<std::string, std::string> options = level.fixed;
    std::size_t rest = local;
    for (std::size_t k = level.dims.size(); k-- > 0;) {
      const Dimension& d = level.dims[k];
      const auto& choice = d.choices[rest % d.choices.size()];
      rest /= d.choices.size();
      for (std::size_t n = 0; n < d.names.size(); ++n) options[d.names[n]] = choice[n];
    }
    for (const std::string& name : config.names) options.try_emplace(name, "");
    SweepCell cell;
    cell.index = index;
    std::string raw_key;
    for (const std::string& name : config.names) raw_key += (raw_key.empty() ? "" : " ") + name + "=" + options.at(name);
    try {
      // An empty string leaves the option unset: in a [[zip]] with the model, an option that
      // belongs to some architectures only (pos = ["", "none"] beside model = ["lstm", "transformer"]).
      std::map<std::string, std::string> given = options;
      std::erase_if(given, [](const auto& option) { return option.second.empty(); });
      cell.spec = spec_from_options(given);
      validate(cell.spec);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(file + ": cell " + std::to_string(index) + " (" + raw_key + "): " + e.what());
    }
    const auto canonical = spec_options(cell.spec);
    for (const std::string& name : config.names) {
      const auto it = canonical.find(name);
      cell.options[name] = it != canonical.end() ? it->second : options.at(name);
      cell.key += (cell.key.empty() ? "" : " ") + name + "=" + cell.options[name];
    }
    const auto [it, fresh] = seen.emplace(cell.key, index);
    if (!fresh)
      throw InvalidArgument(file + ": cells " + std::to_string(it->second) + " and " + std::to_string(index) +
                            " are the same run (" + cell.key + ")");
    config.cells.push_back(std::move(cell));
  }
}

}  // namespace

SweepConfig parse_sweep_config(std::string_view text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    std::string message(e.description());
    std::replace(message.begin(), message.end(), '\n', ' ');
    throw ParseError(file + ":" + std::to_string(e.source().begin.line) + ": malformed TOML: " + message);
  }
  Level base;
  read_level(root, file, "", base);
  // Each [[part]] is the top level with its own tables added: the cells of the config are the
  // parts' cells one after the other (or the top level's alone when there is no part).
  std::vector<Level> levels;
  if (const toml::node* parts = root.get("part")) {
    if (!parts->is_array_of_tables())
      throw InvalidArgument(where(file, parts->source()) + ": 'part' must be tables ([[part]])");
    for (const toml::node& p : *parts->as_array()) {
      const toml::table& t = *p.as_table();
      if (t.empty()) throw InvalidArgument(where(file, p.source()) + ": an empty [[part]]");
      Level level = base;
      read_level(t, file, "part.", level);
      levels.push_back(std::move(level));
    }
  } else {
    if (base.dims.empty() && base.fixed.empty())
      throw InvalidArgument(file + ": no option set: a sweep needs a [grid] (lists), a [fixed] table, [[zip]] groups or [[part]]s");
    levels.push_back(std::move(base));
  }

  std::vector<std::size_t> counts;
  std::size_t total = 0;
  for (const Level& level : levels) total += counts.emplace_back(cell_count(level, file, total));

  SweepConfig config;
  config.file = file;
  for (const RunOption& o : run_options())
    if (std::any_of(levels.begin(), levels.end(), [&](const Level& l) { return l.set_at.count(o.name) > 0; }))
      config.names.push_back(o.name);
  config.cells.reserve(total);
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < levels.size(); ++i) expand(levels[i], counts[i], config, seen);
  config.hash = sweep_hash(config.cells);
  return config;
}

SweepConfig read_sweep_config(const std::filesystem::path& path) {
  return parse_sweep_config(statelab::read_file(path), path.string());
}

std::string sweep_hash(const std::vector<SweepCell>& cells) {
  std::uint64_t h = fnv1a("statelab sweep 1\n");
  for (const SweepCell& c : cells) h = fnv1a(c.key + "\n", h);
  return hex16(h);
}

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  auto whole = [&](std::string_view s, std::size_t& out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
  };
  Shard shard;
  if (slash == std::string::npos || !whole(std::string_view(text).substr(0, slash), shard.index) ||
      !whole(std::string_view(text).substr(slash + 1), shard.count) || shard.count == 0)
    throw InvalidArgument("--shard " + text + ": expected I/N, shard I (0-based) of N >= 1 shards");
  if (shard.index >= shard.count)
    throw InvalidArgument("--shard " + text + ": shard index " + std::to_string(shard.index) + " out of range 0.." +
                          std::to_string(shard.count - 1));
  return shard;
}

std::vector<std::size_t> shard_cells(std::size_t cell_count, const Shard& shard) {
  std::vector<std::size_t> out;
  for (std::size_t i = shard.index; i < cell_count; i += shard.count) out.push_back(i);
  return out;
}

ResultsState read_results(const std::filesystem::path& path, const SweepConfig& config, bool force) {
  ResultsState state;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status) || !std::filesystem::is_regular_file(status)) return state;
  const std::string text = statelab::read_file(path);
  std::set<std::string> keys;
  for (const SweepCell& c : config.cells) keys.insert(c.key);
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) break;  // a half line: its writer was killed; the cell runs again
    const std::string_view line(text.data() + start, end - start);
    ++state.lines;
    const std::string at = path.string() + ":" + std::to_string(state.lines);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      const json j = json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("key") || !j["key"].is_string() || !j.contains("status") ||
          !j["status"].is_string() || !j.contains("config") || !j["config"].is_string())
        throw ParseError(at + ": not a line of `statelab sweep` (a JSON object with \"key\", \"status\" and \"config\")");
      const std::string hash = j["config"].get<std::string>();
      if (hash != config.hash && !force)
        throw InvalidArgument(at + ": written by another sweep config (" + hash + ", this one is " + config.hash +
                              "); use another results file, or --force to add this config's cells to it");
      const std::string key = j["key"].get<std::string>();
      if (keys.count(key)) state.done[key] = j["status"].get<std::string>();
    }
    start = end + 1;
    state.valid_bytes = start;
  }
  return state;
}

ResultsWriter::ResultsWriter(const std::filesystem::path& path, const ResultsState& state) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) throw IoError(path.string() + ": cannot open for appending: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      throw IoError(path.string() + ": in use by another sweep (it holds the file's lock)");
    }
    if (static_cast<std::uintmax_t>(st.st_size) > state.valid_bytes &&
        ::ftruncate(fd_, static_cast<off_t>(state.valid_bytes)) != 0) {
      const int e = errno;
      ::close(fd_);
      throw IoError(path.string() + ": cannot cut off its half last line: " + std::strerror(e));
    }
  }
}

ResultsWriter::~ResultsWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void ResultsWriter::append(const std::string& line) {
  const std::string whole = line + "\n";
  std::lock_guard lock(mutex_);
  std::size_t done = 0;
  while (done < whole.size()) {
    const ssize_t n = ::write(fd_, whole.data() + done, whole.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw IoError(path_.string() + ": cannot append a result: " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0 && errno != EINVAL && errno != EROFS)
    throw IoError(path_.string() + ": cannot flush a result: " + std::strerror(errno));
}

std::filesystem::path cell_checkpoint(const std::filesystem::path& dir, const SweepCell& cell) {
  return dir / ("cell-" + hex16(fnv1a(cell.key)) + ".safetensors");
}

std::string run_cell(const SweepCell& cell, const std::string& config_hash, const CellOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  RunOptions how;
  how.threads = options.threads;
  if (!options.checkpoints.empty()) how.output = cell_checkpoint(options.checkpoints, cell);
  std::string metrics, error;
  try {
    tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
    arena.execute([&] { metrics = run(cell.spec, how).metrics; });
  } catch (const statelab::Error& e) {
    error = e.what();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  json options_json = json::object();
  for (const auto& o : run_options())
    if (const auto it = cell.options.find(o.name); it != cell.options.end()) options_json[o.name] = it->second;
  std::string line = "{\"cell\":" + options_json.dump() + ",\"key\":" + json(cell.key).dump();
  if (error.empty()) line += ",\"status\":\"ok\",\"metrics\":" + metrics;
  else line += ",\"status\":\"failed\",\"error\":" + json(error).dump();
  line += ",\"seconds\":" + json(seconds).dump();
  std::error_code ec;
  if (!how.output.empty() && std::filesystem::exists(how.output, ec))
    line += ",\"checkpoint\":" + json(how.output.string()).dump();
  line += ",\"config\":" + json(config_hash).dump() + "}";
  return line;
}

std::vector<std::size_t> cells_to_run(const SweepConfig& config, const ResultsState& state, const Shard& shard) {
  std::vector<std::size_t> out;
  for (const std::size_t i : shard_cells(config.cells.size(), shard))
    if (!state.done.count(config.cells[i].key)) out.push_back(i);
  return out;
}

SweepSummary sweep_summary(const SweepConfig& config, const ResultsState& state, const Shard& shard) {
  SweepSummary summary;
  for (const std::size_t i : shard_cells(config.cells.size(), shard)) {
    ++summary.total;
    const auto it = state.done.find(config.cells[i].key);
    if (it == state.done.end()) continue;
    ++summary.skipped;
    ++(it->second == "ok" ? summary.ok : summary.failed);
  }
  return summary;
}

bool line_failed(const std::string& line) { return line.find(",\"status\":\"failed\"") != std::string::npos; }

void make_checkpoint_dir(const std::filesystem::path& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IoError(dir.string() + ": cannot create the checkpoint directory: " + ec.message());
}

SweepSummary run_sweep(const SweepConfig& config, const std::filesystem::path& results, bool force,
                       const SweepOptions& options) {
  const ResultsState state = read_results(results, config, force);
  const std::vector<std::size_t> todo = cells_to_run(config, state, options.shard);
  SweepSummary summary = sweep_summary(config, state, options.shard);
  SweepProgress progress;
  progress.total = summary.total;
  progress.skipped = summary.skipped;
  std::mutex mutex;
  auto report = [&] {
    if (options.on_progress) options.on_progress(progress);
  };
  report();
  if (todo.empty()) return summary;
  make_checkpoint_dir(options.checkpoints);
  ResultsWriter writer(results, state);
  const int jobs = static_cast<int>(std::clamp<std::size_t>(static_cast<std::size_t>(std::max(options.jobs, 1)), 1, todo.size()));
  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  CellOptions cell_options;
  cell_options.checkpoints = options.checkpoints;
  cell_options.threads = std::max(1, threads / jobs);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  auto work = [&] {
    while (!stop) {
      const std::size_t n = next++;
      if (n >= todo.size()) return;
      const SweepCell& cell = config.cells[todo[n]];
      try {
        {
          std::lock_guard lock(mutex);
          ++progress.running;
          report();
        }
        const std::string line = run_cell(cell, config.hash, cell_options);
        writer.append(line);
        const bool failed = line_failed(line);
        std::lock_guard lock(mutex);
        --progress.running;
        ++progress.done;
        if (failed) ++progress.failed;
        ++(failed ? summary.failed : summary.ok);
        report();
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!error) error = std::current_exception();
        stop = true;
        return;
      }
    }
  };
  tbb::task_arena arena(jobs);
  arena.execute([&] {
    tbb::task_group group;
    for (int j = 0; j < jobs; ++j) group.run(work);
    group.wait();
  });
  if (error) std::rethrow_exception(error);
  return summary;
}

}  // namespace statelab::bridge
