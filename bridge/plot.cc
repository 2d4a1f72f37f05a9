#include "bridge/plot.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "base/error.h"
#include "base/file.h"
#include "base/process.h"

namespace statelab::bridge {

namespace {

// Distinguishable line colours (matplotlib's tab10), one per --by value, the same in every panel.
constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string colour(std::size_t i) { return kColours[i % (sizeof kColours / sizeof *kColours)]; }

// Dash types, so that lines on top of each other (all at accuracy 1) stay visible: solid, dashed,
// dash-dot, dash-dot-dot, dotted.
std::string dash(std::size_t i) { return std::to_string("12453"[i % 5] - '0'); }

// A gnuplot string literal.
std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') out += "\\n";  // gnuplot reads \n in a double-quoted string as a new line
    else out += c;
  }
  return out + "\"";
}

std::string num(double x) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, end);
}

std::string describe_where(const std::vector<Where>& where) {
  std::string out;
  for (const Where& w : where) out += (out.empty() ? "" : ", ") + w.key + "=" + w.value;
  return out;
}

// The reference lines of --vline and --hline, dashed and dark, their labels beside them (arrows
// and labels from tag 100 on, clear of the training-lengths label 1); repeated in every panel
// because a curve's panels unset their labels.
std::string reference_lines(const PlotOptions& o) {
  std::ostringstream s;
  int tag = 100;
  bool vertical = true;
  const auto line = [&](const std::string& from, const std::string& to) {
    s << "set arrow " << tag << " from " << from << " to " << to << " nohead front dt 2 lw 1.5 lc rgb \"#333333\"\n";
  };
  const auto label = [&](const std::string& text, const std::string& at, const char* offset) {
    if (!text.empty())
      s << "set label " << tag << " " << quote(text) << " at " << at << (vertical ? " center rotate by 90" : " left")
        << " offset " << offset << " front tc rgb \"#333333\"\n";
  };
  for (const ReferenceLine& v : o.vlines) {
    line(num(v.value) + ", graph 0", num(v.value) + ", graph 1");
    label(v.label, "first " + num(v.value) + ", graph 0.5", "-1.3,0");  // along the line, on its left
    ++tag;
  }
  vertical = false;
  for (const ReferenceLine& h : o.hlines) {
    line("graph 0, first " + num(h.value), "graph 1, first " + num(h.value));
    label(h.label, "graph 0.02, first " + num(h.value), "0,0.6");
    ++tag;
  }
  return s.str();
}

struct Panel {
  std::string title;
  std::vector<const ResultRow*> rows;
};

// Throws InvalidArgument when a figure would have more than kMaxPanels panels.
void require_few_panels(std::size_t panels) {
  if (panels > kMaxPanels)
    throw InvalidArgument("plot: " + std::to_string(panels) + " panels is more than " + std::to_string(kMaxPanels) +
                          "; narrow the selection with --where");
}

// The rows of each language, or of several languages as one group ("") when they are pooled.
Groups by_language(const std::vector<const ResultRow*>& rows, const PlotOptions& o) {
  Groups langs = group_by(rows, "lang");
  if (o.pool_languages && langs.size() > 1) return {{"", rows}};
  return langs;
}

// One panel per language when the rows hold several and the lines are not the languages already
// (at most kMaxPanels).
std::vector<Panel> panels_by_language(const std::vector<const ResultRow*>& rows, const std::string& by,
                                      const PlotOptions& o) {
  const Groups langs = by_language(rows, o);
  if (by == "lang" || langs.size() <= 1) return {{langs.size() == 1 ? langs[0].first : "", rows}};
  require_few_panels(langs.size());
  std::vector<Panel> out;
  for (const auto& [lang, members] : langs) out.push_back({lang, members});
  return out;
}

// "N runs per point" or "N-M runs per point", and what they mix beyond the lines and axes.
std::string runs_note(std::size_t fewest, std::size_t most, const std::vector<std::string>& varying) {
  std::string note = (fewest == most ? std::to_string(most) : std::to_string(fewest) + "-" + std::to_string(most)) +
                     (most == 1 ? " run per point" : " runs per point");
  if (!varying.empty()) {
    std::string list;
    for (const std::string& v : varying) list += (list.empty() ? "" : ", ") + v;
    note += " (over " + list + ")";
  }
  return note;
}

// How many runs the points summarise, and the options that vary among the runs of one point: what
// a point's mean is really over (never a field that tells lines, panels or x values apart).
struct Counts {
  std::size_t fewest = SIZE_MAX, most = 0;
  std::set<std::string> mixed;
  void add(std::size_t n) {
    fewest = std::min(fewest, n);
    most = std::max(most, n);
  }
  // The runs of one point (or of points that share their runs, such as a line's lengths).
  void mix(const std::vector<const ResultRow*>& runs) {
    for (std::string& v : varying_options(runs)) mixed.insert(std::move(v));
  }
  std::string note() const {
    return most == 0 ? "no runs" : runs_note(fewest, most, std::vector<std::string>(mixed.begin(), mixed.end()));
  }
};

class Script {
 public:
  Script(std::string_view format, int width, int height) : width_(width) {
    std::ostringstream head;
    if (format == "png") head << "set terminal pngcairo size " << width << "," << height << " font \"sans,11\" noenhanced\n";
    else head << "set terminal svg size " << width << "," << height << " font \"sans,11\" noenhanced background \"white\"\n";
    head << "set output\nset encoding utf8\n";
    head_ = head.str();
  }
  // A datablock of the given lines; returns its name.
  std::string data(const std::vector<std::string>& lines) {
    const std::string name = "$d" + std::to_string(blocks_++);
    data_ << name << " << EOD\n";
    for (const std::string& l : lines) data_ << l << "\n";
    data_ << "EOD\n";
    return name;
  }
  std::ostringstream& body() { return body_; }
  int width() const { return width_; }
  // The terminal, the data, then the drawing.
  std::string text() const { return head_ + data_.str() + body_.str() + "unset multiplot\n"; }

 private:
  int width_;
  std::string head_;
  std::ostringstream data_, body_;
  int blocks_ = 0;
};

// One gnuplot `plot` of the parts; an empty panel (its rows lack the --by field) stays empty.
void plot_command(std::ostringstream& out, const std::vector<std::string>& parts) {
  if (parts.empty()) {
    out << "plot NaN notitle\n";
    return;
  }
  out << "plot ";
  for (std::size_t k = 0; k < parts.size(); ++k) out << (k ? ", \\\n  " : "") << parts[k];
  out << "\n";
}

std::pair<int, int> layout(std::size_t panels, std::size_t columns) {
  const std::size_t cols = std::min(panels, columns);
  return {static_cast<int>((panels + cols - 1) / cols), static_cast<int>(cols)};
}

// Each line of `text` broken at spaces into lines of at most `columns` characters (a word longer
// than that keeps its own line): gnuplot clips a title wider than the canvas at both ends.
std::string wrap(const std::string& text, std::size_t columns) {
  std::vector<std::string> out;
  std::string line, word;
  std::istringstream lines(text);
  while (std::getline(lines, line)) {
    std::string current;
    std::istringstream words(line);
    while (words >> word) {
      std::string next;
      if (word == "-" && words >> next) word += " " + next;  // a dash stays with what it introduces
      if (!current.empty() && current.size() + 1 + word.size() > columns) out.push_back(std::exchange(current, ""));
      current += (current.empty() ? "" : " ") + word;
    }
    out.push_back(current);
  }
  std::string joined;
  for (std::size_t i = 0; i < out.size(); ++i) joined += (i ? "\n" : "") + out[i];
  return joined;
}

// A panel's title, quoted, shortened in the middle to what its share of the canvas shows (8.5 pixels a
// character of the 11-point font, beside a margin): a long language name, such as a regular expression,
// would be clipped at both ends.  Cuts fall between UTF-8 characters.
std::string panel_title(const Script& script, const std::string& text, std::size_t panels, std::size_t per_row) {
  const auto columns = static_cast<std::size_t>(layout(std::max<std::size_t>(panels, 1), per_row).second);
  const std::size_t fits = std::max<std::size_t>(16, (static_cast<std::size_t>(script.width()) / columns - 20) * 2 / 17);
  if (text.size() <= fits) return quote(text);
  const auto continuation = [&](std::size_t i) { return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
  std::size_t head = (fits - 3) * 2 / 3, tail = text.size() - (fits - 3 - head);
  while (head > 0 && continuation(head)) --head;
  while (tail < text.size() && continuation(tail)) ++tail;
  return quote(text.substr(0, head) + "..." + text.substr(tail));
}

void start(Script& script, const std::string& title, std::pair<int, int> grid) {
  // About 10 pixels per character of the 13-point title font.
  const std::string lines = wrap(title, static_cast<std::size_t>(std::max(20, script.width() / 10)));
  script.body() << "set multiplot layout " << grid.first << "," << grid.second << " title " << quote(lines)
                << " font \",13\"\n"
                << "set grid lc rgb \"#dddddd\"\n";
}

void require_numbers(const std::vector<const ResultRow*>& rows, const std::string& name, const std::string& option) {
  for (const ResultRow* r : rows)
    if (!field_number(*r, name))
      throw InvalidArgument(option + " " + name + ": not a number in the cell of line " + std::to_string(r->line) +
                            " (" + field_text(*r, name).value_or("missing") + "); expected a numeric field");
}

// The figure's title: what it shows, the selection and the file on the first line, how its points
// were summarised on the second.
std::string heading(const std::string& what, const std::string& how, const PlotOptions& o) {
  std::string t = what;
  if (o.pool_languages) t += ", the languages together";
  if (!o.where.empty()) t += " [" + describe_where(o.where) + "]";
  if (!o.source.empty()) t += " - " + std::filesystem::path(o.source).filename().string();
  return t + "\n" + how;
}

// ---- curve ----------------------------------------------------------------------------------

// A line's points, "x mean min max", each summarising the runs at x (counted in `counts`).
template <class X>
std::vector<std::string> summary_points(const std::map<X, std::vector<double>>& at, Counts& counts) {
  std::vector<std::string> data;
  for (const auto& [x, values] : at) {
    const Summary s = summarize(values);
    counts.add(s.count);
    data.push_back(std::to_string(x) + " " + num(s.mean) + " " + num(s.min) + " " + num(s.max));
  }
  return data;
}

// The min-max band and the mean line of line i drawn from datablock d (points marked when few).
void band_and_mean(std::vector<std::string>& parts, const std::string& d, std::size_t i, std::size_t points,
                   const std::string& title) {
  const std::string c = quote(colour(i));
  parts.push_back(d + " using 1:3:4 with filledcurves fs transparent solid 0.2 noborder lc rgb " + c + " notitle");
  parts.push_back(d + " using 1:2 with " + (points <= 40 ? "linespoints pt 7 ps 0.6" : "lines") + " lw 2 dt " + dash(i) +
                  " lc rgb " + c + " title " + quote(title));
}

void curve_by_length(Script& script, const std::vector<const ResultRow*>& rows, const PlotOptions& o, const std::string& by) {
  std::vector<const ResultRow*> with_lengths;
  for (const ResultRow* r : rows)
    if (!r->by_length.empty()) with_lengths.push_back(r);
  if (with_lengths.empty()) throw InvalidArgument("plot: no selected result has an accuracy by length");
  const Groups lines = group_by(with_lengths, by);
  const std::vector<Panel> panels = panels_by_language(with_lengths, by, o);
  Counts counts;
  std::ostringstream body;
  for (const Panel& panel : panels) {
    int lo = INT32_MAX, hi = INT32_MIN, train_lo = INT32_MAX, train_hi = INT32_MIN;
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::map<int, std::vector<double>> at;
      std::vector<const ResultRow*> mine;
      for (const ResultRow* r : panel.rows) {
        if (field_text(*r, by) != lines[i].first) continue;
        mine.push_back(r);
        for (const LengthAccuracy& a : r->by_length) at[a.length].push_back(a.accuracy);
        if (const auto t = spec_range(*r, "train-lengths")) {
          train_lo = std::min(train_lo, t->first);
          train_hi = std::max(train_hi, t->second);
        }
      }
      if (at.empty()) continue;
      counts.mix(mine);
      lo = std::min(lo, at.begin()->first);
      hi = std::max(hi, at.rbegin()->first);
      band_and_mean(parts, script.data(summary_points(at, counts)), i, at.size(), lines[i].first);
    }
    std::ostringstream& s = body;
    s << "unset object\nunset label\n";
    if (train_lo <= train_hi) {
      s << "set object 1 rect from " << train_lo - 0.5 << ", graph 0 to " << train_hi + 0.5
        << ", graph 1 behind fc rgb \"#e6e6e6\" fs solid 1.0 noborder\n";
      lo = std::min(lo, train_lo);
      hi = std::max(hi, train_hi);
    }
    if (lo > hi) lo = 0, hi = 1;  // no line in this panel
    for (const ReferenceLine& v : o.vlines) {  // a bound beyond the data stays in view, off the border
      const double x = std::clamp(v.value, -1e9, 1e9);  // lengths fit an int
      const int margin = std::max(1, (hi - lo) / 30);
      if (x < lo) lo = static_cast<int>(std::floor(x)) - margin;
      if (x > hi) hi = static_cast<int>(std::ceil(x)) + margin;
    }
    s << reference_lines(o);
    s << "set title " << panel_title(script, panel.title, panels.size(), 2) << "\nset xrange [" << num(lo - 0.5) << ":" << num(hi + 0.5) << "]\n"
      << "set yrange [-0.03:1.03]\nset xlabel "
      // Said in the axis label, where no curve can cover it.
      << quote(train_lo <= train_hi ? "test length (shaded: the training lengths)" : "test length")
      << "\nset ylabel \"accuracy\"\n"
      << "set key below horizontal title " << quote(by + ":") << "\n";
    plot_command(s, parts);
  }
  const std::string title = heading("accuracy by test length, one line per " + by,
                                    "mean and min-max over " + counts.note(), o);
  start(script, title, layout(panels.size(), 2));
  script.body() << body.str();
}

void curve_by_field(Script& script, const std::vector<const ResultRow*>& rows, const PlotOptions& o,
                    const std::string& by, const std::string& x, const std::string& y) {
  require_numbers(rows, x, "--x");
  require_numbers(rows, y, "--y");
  const Groups lines = group_by(rows, by);
  const std::vector<Panel> panels = panels_by_language(rows, by, o);
  double lo = INFINITY, hi = -INFINITY;
  for (const ResultRow* r : rows) {
    lo = std::min(lo, *field_number(*r, x));
    hi = std::max(hi, *field_number(*r, x));
  }
  Counts counts;
  std::ostringstream body;
  for (const Panel& panel : panels) {
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::vector<const ResultRow*> mine;
      for (const ResultRow* r : panel.rows)
        if (field_text(*r, by) == lines[i].first) mine.push_back(r);
      if (mine.empty()) continue;
      std::vector<std::string> data;
      for (const auto& [value, members] : group_by(mine, x)) {
        std::vector<double> ys;
        for (const ResultRow* r : members) ys.push_back(*field_number(*r, y));
        const Summary s = summarize(ys);
        counts.add(s.count);
        counts.mix(members);
        data.push_back(num(*field_number(*members.front(), x)) + " " + num(s.mean) + " " + num(s.min) + " " + num(s.max));
      }
      const std::string d = script.data(data);
      const std::string c = quote(colour(i));
      parts.push_back(d + " using 1:3:4 with filledcurves fs transparent solid 0.2 noborder lc rgb " + c + " notitle");
      parts.push_back(d + " using 1:2 with linespoints pt 7 ps 0.8 lw 2 dt " + dash(i) +
                      " lc rgb " + c + " title " + quote(lines[i].first));
    }
    body << reference_lines(o) << "set title " << panel_title(script, panel.title, panels.size(), 2) << "\n";
    plot_command(body, parts);
  }
  const double data_lo = lo, data_hi = hi;
  for (const ReferenceLine& v : o.vlines) lo = std::min(lo, v.value), hi = std::max(hi, v.value);
  const bool accuracy = y.find("accuracy") != std::string::npos;
  start(script, heading(y + " against " + x + ", one line per " + by,
                        "mean and min-max over " + counts.note(), o),
        layout(panels.size(), 2));
  std::ostringstream& s = script.body();
  if (lo > 0 && hi / lo >= 8) s << "set logscale x 2\n";
  if (lo == hi) s << "set xrange [" << num(lo - 1) << ":" << num(hi + 1) << "]\n";
  else if (lo < data_lo || hi > data_hi)  // a reference line beyond the data: the range is given, 3% margins
    s << "set xrange [" << num(lo > 0 && hi / lo >= 8 ? lo / std::pow(hi / lo, 0.03) : lo - 0.03 * (hi - lo)) << ":"
      << num(lo > 0 && hi / lo >= 8 ? hi * std::pow(hi / lo, 0.03) : hi + 0.03 * (hi - lo)) << "]\n";
  else s << "set offsets graph 0.03, graph 0.03, 0, 0\n";
  if (accuracy) s << "set yrange [-0.03:1.03]\n";
  s << "set xlabel " << quote(x) << "\nset ylabel " << quote(y) << "\nset key below horizontal title " << quote(by + ":")
    << "\n" << body.str();
}

// ---- history --------------------------------------------------------------------------------

// The learning curves: validation accuracy (or loss) against the training step, one line per --by
// value, the mean and min-max over the runs evaluated at each step (a run that stopped early
// leaves the later points: the note says how many runs a point has).
void history_curve(Script& script, const std::vector<const ResultRow*>& rows, const PlotOptions& o,
                   const std::string& by, const std::string& y) {
  std::vector<const ResultRow*> with_history;
  for (const ResultRow* r : rows)
    if (!r->history.empty()) with_history.push_back(r);
  if (with_history.empty())
    throw InvalidArgument("plot --kind history: no selected result has a validation history (runs with a validation "
                          "set, validation-count > 0, keep it; results written before statelab kept it have none)");
  const bool loss = y == "loss";
  const Groups lines = group_by(with_history, by);
  const std::vector<Panel> panels = panels_by_language(with_history, by, o);
  std::int64_t last = 0;
  Counts counts;
  std::ostringstream body;
  for (const Panel& panel : panels) {
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::map<std::int64_t, std::vector<double>> at;
      std::vector<const ResultRow*> mine;
      for (const ResultRow* r : panel.rows) {
        if (field_text(*r, by) != lines[i].first) continue;
        mine.push_back(r);
        for (const Evaluation& e : r->history) {
          const double v = loss ? e.loss : e.accuracy;
          if (std::isfinite(v)) at[e.step].push_back(v);
        }
      }
      if (at.empty()) continue;
      counts.mix(mine);
      last = std::max(last, at.rbegin()->first);
      band_and_mean(parts, script.data(summary_points(at, counts)), i, at.size(), lines[i].first);
    }
    body << reference_lines(o) << "set title " << panel_title(script, panel.title, panels.size(), 2) << "\n";
    plot_command(body, parts);
  }
  const std::string what = std::string("validation ") + (loss ? "loss" : "accuracy") + " during training, one line per " + by;
  start(script, heading(what, "mean and min-max over " + counts.note(), o), layout(panels.size(), 2));
  std::ostringstream& s = script.body();
  s << "set xrange [0:" << std::max<std::int64_t>(last, 1) << "]\nset offsets graph 0.02, graph 0.02, 0, 0\n";
  if (!loss) s << "set yrange [-0.03:1.03]\n";
  s << "set xlabel \"training step\"\nset ylabel " << quote(std::string("validation ") + (loss ? "loss" : "accuracy"))
    << "\nset key below horizontal title " << quote(by + ":") << "\n" << body.str();
}

// ---- heatmap --------------------------------------------------------------------------------

// Panels a row: one language's panels in a row when there are several languages, else 3.
std::size_t heatmap_columns(const std::vector<const ResultRow*>& rows, const std::string& by, const PlotOptions& o) {
  return by == "lang" || by_language(rows, o).size() <= 1 ? 3 : group_by(rows, by).size();
}

void heatmap(Script& script, const std::vector<const ResultRow*>& rows, const PlotOptions& o, const std::string& by,
             const std::string& y) {
  std::vector<const ResultRow*> with_lengths;
  for (const ResultRow* r : rows)
    if (!r->by_length.empty() && field_text(*r, y)) with_lengths.push_back(r);
  if (with_lengths.empty()) throw InvalidArgument("plot: no selected result has an accuracy by length and a " + y);
  const std::vector<std::pair<int, int>> bins = length_bins(with_lengths, o.bins > 0 ? o.bins : 8);
  const Groups ys = group_by(with_lengths, y);
  std::vector<Panel> panels;
  const Groups langs = by_language(with_lengths, o);
  for (const auto& [lang, in_lang] : langs)
    for (const auto& [value, members] : group_by(in_lang, by))
      panels.push_back({(langs.size() > 1 && by != "lang" ? lang + ", " : "") + by + " = " + value, members});
  require_few_panels(panels.size());
  const std::size_t per_row = heatmap_columns(with_lengths, by, o);
  Counts counts;
  std::ostringstream body;
  for (const Panel& panel : panels) {
    std::vector<std::string> data;
    for (std::size_t yi = 0; yi < ys.size(); ++yi)
      for (std::size_t bi = 0; bi < bins.size(); ++bi) {
        std::vector<double> values;
        std::vector<const ResultRow*> mine;
        for (const ResultRow* r : panel.rows)
          if (field_text(*r, y) == ys[yi].first)
            if (const auto a = accuracy_between(*r, bins[bi].first, bins[bi].second)) {
              values.push_back(*a);
              mine.push_back(r);
            }
        if (values.empty()) continue;
        const Summary s = summarize(values);
        counts.add(s.count);
        counts.mix(mine);
        char label[16];
        std::snprintf(label, sizeof label, "%.2f", s.mean);
        data.push_back(std::to_string(bi) + " " + std::to_string(yi) + " " + num(s.mean) + " " + label + " " +
                       (s.mean < 0.6 ? "16777215" : "0"));
      }
    body << "set title " << panel_title(script, panel.title, panels.size(), per_row) << "\n";
    if (data.empty()) {
      body << "plot 2 notitle\n";
      continue;
    }
    const std::string d = script.data(data);
    body << "plot " << d << " using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder lc palette notitle, \\\n  "
         << d << " using 1:2:4:5 with labels tc rgb variable notitle\n";
  }
  start(script, heading("accuracy by test length and " + y + ", one panel per " + by,
                        "mean over " + counts.note(), o),
        layout(panels.size(), per_row));
  std::ostringstream& s = script.body();
  s << "unset grid\nset cbrange [0:1]\nset cblabel \"accuracy\"\n"
    << "set palette defined (0 \"#440154\", 0.25 \"#3b528b\", 0.5 \"#21918c\", 0.75 \"#5ec962\", 1 \"#fde725\")\n"
    << "set xrange [-0.5:" << bins.size() - 0.5 << "]\nset yrange [-0.5:" << ys.size() - 0.5 << "]\n"
    << "set xtics rotate by -30 (";
  for (std::size_t bi = 0; bi < bins.size(); ++bi)
    s << (bi ? ", " : "")
      << quote(bins[bi].first == bins[bi].second ? std::to_string(bins[bi].first)
                                                 : std::to_string(bins[bi].first) + "-" + std::to_string(bins[bi].second))
      << " " << bi;
  s << ")\nset ytics (";
  for (std::size_t yi = 0; yi < ys.size(); ++yi) s << (yi ? ", " : "") << quote(ys[yi].first) << " " << yi;
  s << ")\nset xlabel \"test length\"\nset ylabel " << quote(y) << "\n" << body.str();
}

// ---- hist -----------------------------------------------------------------------------------

// A tick step of 1, 2 or 5 times a power of ten giving at most about 8 ticks over `span`, so that
// the labels are short numbers (bin edges such as 0.149609 ran into each other).
double tick_step(double span) {
  const double rough = span / 8;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (const double m : {1.0, 2.0, 5.0})
    if (m * power >= rough) return m * power;
  return 10 * power;
}

void histogram(Script& script, const std::vector<const ResultRow*>& rows, const PlotOptions& o, const std::string& by,
               const std::string& x) {
  require_numbers(rows, x, "--x");
  const bool accuracy = x.find("accuracy") != std::string::npos;
  double lo = INFINITY, hi = -INFINITY;
  for (const ResultRow* r : rows) {
    lo = std::min(lo, *field_number(*r, x));
    hi = std::max(hi, *field_number(*r, x));
  }
  if (accuracy) lo = std::min(lo, 0.0), hi = std::max(hi, 1.0);
  if (lo == hi) lo -= 0.5, hi += 0.5;
  const int nbins = o.bins > 0 ? o.bins : 10;
  const double width = (hi - lo) / nbins;
  const Groups groups = group_by(rows, by);
  const std::vector<Panel> panels = panels_by_language(rows, by, o);
  const double box = width * 0.9 / static_cast<double>(std::max<std::size_t>(groups.size(), 1));
  std::size_t tallest = 0;
  std::ostringstream body;
  for (const Panel& panel : panels) {
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < groups.size(); ++i) {
      std::vector<std::size_t> count(static_cast<std::size_t>(nbins), 0);
      bool any = false;
      for (const ResultRow* r : panel.rows) {
        if (field_text(*r, by) != groups[i].first) continue;
        const double v = *field_number(*r, x);
        const int b = std::clamp(static_cast<int>(std::floor((v - lo) / width)), 0, nbins - 1);
        tallest = std::max(tallest, ++count[static_cast<std::size_t>(b)]);
        any = true;
      }
      if (!any) continue;
      std::vector<std::string> data;
      for (int b = 0; b < nbins; ++b)
        data.push_back(num(lo + width * (b + 0.05) + box * (static_cast<double>(i) + 0.5)) + " " +
                       std::to_string(count[static_cast<std::size_t>(b)]));
      parts.push_back(script.data(data) + " using 1:2 with boxes fc rgb " + quote(colour(i)) + " fs solid 0.8 border lc rgb \"#333333\"" +
                      " title " + quote(groups[i].first));
    }
    body << reference_lines(o) << "set title " << panel_title(script, panel.title, panels.size(), 2) << "\n";
    plot_command(body, parts);
  }
  start(script, heading("histogram of " + x + ", by " + by, std::to_string(rows.size()) + " runs", o),
        layout(panels.size(), 2));
  script.body() << "set boxwidth " << num(box) << " absolute\nset xrange [" << num(lo) << ":" << num(hi) << "]\n"
                << "set yrange [0:" << tallest + 1 + tallest / 10 << "]\n" << (tallest <= 10 ? "set ytics 1\n" : "") << "set xtics " << num(tick_step(hi - lo)) << "\nset format x \"%g\"\nset xlabel " << quote(x)
                << "\nset ylabel \"runs\"\nset key below horizontal title " << quote(by + ":") << "\n"
                << body.str();
}

// ---- running gnuplot ------------------------------------------------------------------------

// A fresh name in the temporary directory ($TMPDIR or /tmp) for the script.
std::filesystem::path temporary_script() {
  static std::atomic<unsigned long> counter{0};
  return std::filesystem::temp_directory_path() /
         ("statelab-plot." + std::to_string(::getpid()) + "." + std::to_string(counter++) + ".tmp.gp");
}

// Removes the file when it goes out of scope, and on SIGINT/SIGTERM/SIGHUP until then.
struct Temporary {
  std::filesystem::path path;
  RemoveOnSignal registered{path};
  ~Temporary() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

// gnuplot's first error line, without the echo of the script line that precedes it.
std::string first_error(const std::string& err) {
  std::istringstream in(err);
  std::string line;
  while (std::getline(in, line))
    if (line.find("line ") != std::string::npos && line.find(':') != std::string::npos) return line;
  in = std::istringstream(err);
  while (std::getline(in, line))
    if (line.find_first_not_of(" ^\t") != std::string::npos) return line;
  return "no message";
}

}  // namespace

PlotKind parse_plot_kind(std::string_view text) {
  if (text == "curve") return PlotKind::curve;
  if (text == "heatmap") return PlotKind::heatmap;
  if (text == "hist") return PlotKind::hist;
  if (text == "history") return PlotKind::history;
  throw InvalidArgument("--kind " + std::string(text) + ": unknown kind of plot (expected curve, heatmap, hist or history)");
}

std::pair<int, int> parse_plot_size(std::string_view text) {
  const std::size_t x = text.find('x');
  int w = 0, h = 0;
  const auto whole = [](std::string_view t, int& v) {
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return !t.empty() && ec == std::errc{} && p == t.data() + t.size();
  };
  if (x == std::string_view::npos || !whole(text.substr(0, x), w) || !whole(text.substr(x + 1), h) || w < 16 ||
      h < 16 || w > kMaxPlotSide || h > kMaxPlotSide)
    throw InvalidArgument("--size " + std::string(text) + ": expected WIDTHxHEIGHT in pixels, each 16.." +
                          std::to_string(kMaxPlotSide) + " (e.g. 900x600)");
  return {w, h};
}

std::string plot_format(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".png") return "png";
  if (ext == ".svg") return "svg";
  throw InvalidArgument("plot: " + path.string() + ": unknown image extension '" + ext + "' (expected .png or .svg)");
}

ReferenceLine parse_reference_line(std::string_view text, std::string_view option) {
  const std::size_t colon = text.find(':');
  const std::string_view number = text.substr(0, colon);
  ReferenceLine line;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), line.value);
  if (number.empty() || ec != std::errc{} || end != number.data() + number.size() || !std::isfinite(line.value))
    throw InvalidArgument(std::string(option) + " " + std::string(text) +
                          ": expected a number and an optional label, X or X:LABEL (e.g. 42:state bound)");
  if (colon != std::string_view::npos) line.label = std::string(text.substr(colon + 1));
  return line;
}

std::string plot_script(const std::vector<ResultRow>& all, const PlotOptions& o, std::string_view format) {
  const std::string by = o.by.empty() ? "model" : o.by;
  if (o.kind == PlotKind::heatmap && !(o.vlines.empty() && o.hlines.empty()))
    throw InvalidArgument(std::string(o.vlines.empty() ? "--hline" : "--vline") +
                          ": a heatmap's axes are length bins and options, not numbers (reference lines go on curves and histograms)");
  require_field(all, by, "--by");
  const bool by_length = o.x.empty() || o.x == "length";
  if (o.kind == PlotKind::heatmap && !by_length)
    throw InvalidArgument("--x " + o.x + ": a heatmap's x axis is the test length (choose its rows with --y)");
  if (o.kind == PlotKind::hist && !o.y.empty())
    throw InvalidArgument("--y " + o.y + ": a histogram counts runs (choose its field with --x)");
  if (o.kind == PlotKind::history && !o.x.empty() && o.x != "step")
    throw InvalidArgument("--x " + o.x + ": a history's x axis is the training step");
  if (o.kind == PlotKind::history && !o.y.empty() && o.y != "accuracy" && o.y != "loss")
    throw InvalidArgument("--y " + o.y + ": a history draws the validation accuracy or loss (expected accuracy or loss)");
  if (o.kind == PlotKind::curve && by_length && !o.y.empty() && o.y != "accuracy")
    throw InvalidArgument("--y " + o.y + ": a curve by test length draws the accuracy (give --x FIELD to draw --y against it)");
  if (o.kind != PlotKind::history) {
    if (!o.x.empty() && (o.kind == PlotKind::hist || o.x != "length")) require_field(all, o.x, "--x");
    if (!o.y.empty() && !(o.kind == PlotKind::curve && o.y == "accuracy")) require_field(all, o.y, "--y");
  }
  if (o.bins < 0 || o.bins > 1000) throw InvalidArgument("--bins " + std::to_string(o.bins) + ": expected 1..1000");
  const std::vector<ResultRow> chosen = select(all, o.where);
  const std::vector<ResultRow> ok = ok_rows(chosen);
  if (ok.empty())
    throw InvalidArgument("plot: no result to draw: " + std::to_string(chosen.size()) + " of " +
                          std::to_string(all.size()) + " cells match" +
                          (o.where.empty() ? "" : " --where " + describe_where(o.where)) + ", " +
                          std::to_string(chosen.size() - ok.size()) + " of them failed");
  std::vector<const ResultRow*> rows;  // those the lines, panels or bars can place
  for (const ResultRow& r : ok)
    if (field_text(r, by)) rows.push_back(&r);
  if (rows.empty())
    throw InvalidArgument("--by " + by + ": none of the " + std::to_string(ok.size()) + " selected cells has this field");

  std::size_t panels = 1;
  if (o.kind == PlotKind::heatmap) {
    panels = 0;
    for (const auto& [lang, in_lang] : by_language(rows, o)) panels += group_by(in_lang, by).size();
  } else {
    panels = by == "lang" ? 1 : std::max<std::size_t>(by_language(rows, o).size(), 1);
  }
  const std::size_t per_row = o.kind == PlotKind::heatmap ? heatmap_columns(rows, by, o) : 2;
  const auto grid = layout(std::max<std::size_t>(panels, 1), per_row);
  const int width = o.width > 0 ? o.width : std::clamp(grid.second * 520 + 60, 800, kMaxPlotSide);
  const int height = o.height > 0 ? o.height : std::clamp(grid.first * 420 + 80, 500, kMaxPlotSide);

  Script script(format, width, height);
  switch (o.kind) {
    case PlotKind::curve:
      if (by_length) curve_by_length(script, rows, o, by);
      else curve_by_field(script, rows, o, by, o.x, o.y.empty() ? "test_accuracy" : o.y);
      break;
    case PlotKind::heatmap: {
      const std::string y = o.y.empty() ? "hidden" : o.y;
      require_field(all, y, "--y");
      heatmap(script, rows, o, by, y);
      break;
    }
    case PlotKind::hist: histogram(script, rows, o, by, o.x.empty() ? "test_accuracy" : o.x); break;
    case PlotKind::history: history_curve(script, rows, o, by, o.y.empty() ? "accuracy" : o.y); break;
  }
  return script.text();
}

std::string run_gnuplot(const std::string& script) {
  const Temporary file{temporary_script()};
  write_file(file.path, script);
  const ChildResult r = run_child({"gnuplot", file.path.string()}, 5 * 60);
  if (r.status == 127) throw IoError("plot: gnuplot is not installed or not on PATH (apt-get install gnuplot-nox)");
  if (r.timed_out) throw IoError("plot: gnuplot ran past 5 minutes and was stopped");
  if (r.status != 0) throw IoError("plot: gnuplot failed (status " + std::to_string(r.status) + "): " + first_error(r.err));
  if (r.out.empty()) throw IoError("plot: gnuplot drew nothing: " + first_error(r.err));
  return r.out;
}

void plot(const std::vector<ResultRow>& rows, const PlotOptions& options, const std::filesystem::path& path) {
  const std::string format = plot_format(path);
  write_file(path, run_gnuplot(plot_script(rows, options, format)));
}

}  // namespace statelab::bridge
