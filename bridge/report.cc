#include "bridge/report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

#include "automata/minimize.h"
#include "automata/monoid.h"
#include "base/error.h"
#include "base/file.h"
#include "bridge/expressivity.h"
#include "bridge/plot.h"
#include "languages/registry.h"

namespace statelab::bridge {

namespace {

struct Predicted {
  std::vector<Prediction> predictions;
  std::string why_none;
};

// What `statelab classify LANG` predicts, or why it predicts nothing.
Predicted predictions_of(const std::string& lang) {
  try {
    const std::unique_ptr<languages::Language> l = languages::make_language(lang);
    const automata::Dfa* dfa = l->dfa();
    if (!dfa) return {{}, "not regular (" + std::string(languages::to_string(l->language_class())) + "): classify takes a regular language"};
    const automata::TransitionMonoid m = automata::transition_monoid(automata::minimize(*dfa));
    return {predict(algebraic_facts(m, automata::analyze(m))), ""};
  } catch (const Error& e) {
    return {{}, e.what()};
  }
}

std::string cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

std::string fixed(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", x);
  return b;
}

std::string range_text(std::pair<int, int> r) {
  return r.first == r.second ? std::to_string(r.first) : std::to_string(r.first) + ".." + std::to_string(r.second);
}

}  // namespace

std::vector<ReportRow> report_rows(const std::vector<ResultRow>& rows, const ReportOptions& o) {
  std::vector<const ResultRow*> all;
  for (const ResultRow& r : rows) all.push_back(&r);
  const std::vector<std::string> varied = varying_options(all, {"seed", "lang", "model", "negative-eigenvalues"});
  std::map<std::string, Predicted> predicted;
  for (const auto& [lang, members] : group_by(all, "lang")) predicted[lang] = predictions_of(lang);
  std::vector<ReportRow> out;
  std::vector<std::vector<const ResultRow*>> members;
  for (const ResultRow* r : all) {
    ReportRow row;
    row.lang = field_text(*r, "lang").value_or("?");
    row.architecture = architecture_of(*r);
    for (const std::string& v : varied) row.options.push_back({v, field_text(*r, v).value_or("")});
    auto it = std::find_if(out.begin(), out.end(), [&](const ReportRow& x) {
      return x.lang == row.lang && x.architecture == row.architecture && x.options == row.options;
    });
    if (it == out.end()) {
      out.push_back(row);
      members.push_back({r});
    } else {
      members[static_cast<std::size_t>(it - out.begin())].push_back(r);
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    ReportRow& row = out[i];
    const Predicted& p = predicted[row.lang];
    row.predicted = "n/a";
    row.reason = p.why_none;
    for (const Prediction& q : p.predictions)
      if (q.architecture == row.architecture) {
        row.predicted = std::string(to_string(q.answer));
        row.reason = q.reason + " [" + q.source + "]";
      }
    if (p.why_none.empty() && row.predicted == "n/a") row.reason = "no rule covers architecture " + row.architecture;
    // The longest bin of this row's own test lengths: rows of one language tested at different
    // lengths (fixed-length cells, k = 2 and k = 4) each get theirs, not one that misses them.
    std::vector<const ResultRow*> ok;
    std::copy_if(members[i].begin(), members[i].end(), std::back_inserter(ok), [](const ResultRow* r) { return r->ok(); });
    std::vector<double> values;
    if (const auto bins = length_bins(ok, o.bins); !bins.empty()) {
      row.lengths = bins.back();
      for (const ResultRow* r : ok)
        if (const auto a = accuracy_between(*r, row.lengths.first, row.lengths.second)) values.push_back(*a);
    }
    for (const ResultRow* r : members[i]) row.failed += !r->ok();
    row.measured = summarize(values);
    const bool some_learned = row.measured.count > 0 && row.measured.max >= o.learned;
    row.disagrees = row.measured.count > 0 && ((row.predicted == "yes" && !some_learned) ||
                                               (row.predicted == "no" && some_learned));
  }
  return out;
}

std::string report_markdown(const std::vector<ResultRow>& rows, const ReportOptions& o) {
  if (rows.empty()) throw InvalidArgument("report: " + (o.source.empty() ? std::string("the results") : o.source) +
                                          " hold no cell");
  const std::vector<ReportRow> table = report_rows(rows, o);
  const std::size_t failed = static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [](const ResultRow& r) { return !r.ok(); }));
  std::ostringstream s;
  s << "# Report" << (o.source.empty() ? "" : ": " + std::filesystem::path(o.source).filename().string()) << "\n\n"
    << rows.size() << " cells: " << rows.size() - failed << " ok, " << failed << " failed.\n\n"
    << "- **predicted**: what `statelab classify LANG` says of the architecture (can it represent the language "
       "exactly, at every length, with finite precision: yes, no or open; n/a for a language that is not regular).\n"
    << "- **measured**: the accuracy on the longest test lengths (the last of " << o.bins
    << " bins of the row's test lengths, in the column *lengths*), mean and max over the seeds that ran.\n"
    << "- **disagrees**: yes is predicted and no seed reaches " << o.learned
    << " there, or no is predicted and some seed does (a finite test can pass where exact representation "
       "at every length is impossible, and training can fail where it is possible: a disagreement is a "
       "question, not a contradiction).\n\n";
  std::vector<std::string> option_names;
  if (!table.empty())
    for (const auto& [k, v] : table.front().options) option_names.push_back(k);
  s << "| language | architecture |";
  for (const std::string& k : option_names) s << " " << cell(k) << " |";
  s << " predicted | lengths | seeds | mean | max | |\n|---|---|";
  for (std::size_t k = 0; k < option_names.size(); ++k) s << "---|";
  s << "---|---|---|---|---|---|\n";
  for (const ReportRow& r : table) {
    s << "| " << cell(r.lang) << " | " << cell(r.architecture) << " |";
    for (const auto& [k, v] : r.options) s << " " << cell(v) << " |";
    s << " " << r.predicted << " | " << (r.measured.count ? range_text(r.lengths) : "") << " | " << r.measured.count;
    if (r.failed) s << " (+" << r.failed << " failed)";
    s << " | " << (r.measured.count ? fixed(r.measured.mean) : "-") << " | "
      << (r.measured.count ? fixed(r.measured.max) : "-") << " | " << (r.disagrees ? "**disagrees**" : "") << " |\n";
  }
  s << "\n## Predictions\n\n";
  std::vector<std::string> seen;
  for (const ReportRow& r : table) {
    const std::string id = r.lang + "\t" + r.architecture;
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    s << "- " << cell(r.lang) << ", " << cell(r.architecture) << ": " << r.predicted << " - " << cell(r.reason) << "\n";
  }
  if (failed) {
    s << "\n## Failed cells\n\n";
    std::size_t shown = 0;
    for (const ResultRow& r : rows) {
      if (r.ok()) continue;
      if (++shown > 20) {
        s << "- ... and " << failed - 20 << " more\n";
        break;
      }
      std::string options;
      for (const auto& [k, v] : r.cell) options += (options.empty() ? "" : " ") + k + "=" + v;
      s << "- line " << r.line << " (" << cell(options) << "): " << cell(r.error) << "\n";
    }
  }
  if (!o.figures.empty()) {
    s << "\n## Figures\n\n";
    for (const auto& [caption, path] : o.figures) s << "![" << caption << "](" << path << ")\n\n";
  }
  return s.str();
}

void write_report(const std::vector<ResultRow>& rows, ReportOptions options, const std::filesystem::path& path,
                  const std::optional<std::filesystem::path>& figures) {
  if (rows.empty()) throw InvalidArgument("report: " + options.source + " holds no cell");
  if (figures && std::any_of(rows.begin(), rows.end(), [](const ResultRow& r) { return r.ok(); })) {
    std::error_code error;
    std::filesystem::create_directories(*figures, error);
    if (error) throw IoError("report: --figures " + figures->string() + ": " + error.message());
    const std::filesystem::path base =
        is_standard_output(path) ? std::filesystem::current_path() : std::filesystem::absolute(path).parent_path();
    const auto draw = [&](const std::string& caption, const std::string& name, PlotOptions p) {
      p.source = options.source;
      const std::filesystem::path file = *figures / name;
      plot(rows, p, file);
      options.figures.push_back({caption, std::filesystem::absolute(file).lexically_proximate(base).generic_string()});
    };
    draw("accuracy by test length, by architecture", "curves.png", {});
    std::vector<const ResultRow*> all;
    for (const ResultRow& r : rows) all.push_back(&r);
    const std::vector<std::string> varied = varying_options(all);
    if (std::find(varied.begin(), varied.end(), "hidden") != varied.end()) {
      PlotOptions heatmap;
      heatmap.kind = PlotKind::heatmap;
      draw("accuracy by test length and hidden size, one panel per architecture", "heatmap.png", heatmap);
    }
  }
  write_file(path, report_markdown(rows, options));
}

}  // namespace statelab::bridge
