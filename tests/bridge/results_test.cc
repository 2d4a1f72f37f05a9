// A sweep's results read back (bridge/results.h): header lines and a cut-short last line skipped,
// failed cells kept, fields looked up in the cell, the spec and the metrics; selection, grouping,
// summaries and length bins; the report's rows (bridge/report.h) against fixtures of known means;
// the gnuplot scripts' refusals (bridge/plot.h).  The images themselves: tests/cli/plot_cli_test.sh.
#include "bridge/results.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "tests/bridge/bridge_test_util.h"
#include "bridge/plot.h"
#include "bridge/report.h"

namespace statelab::bridge {
namespace {

using testing::message_of;

// One line of RESULTS.jsonl: a finished cell whose accuracy is `accuracy[i]` at length 10 + i,
// 10 examples each, trained on lengths 1..5.
std::string ok_line(const std::string& lang, const std::string& model, int hidden, int seed,
                    const std::vector<double>& accuracy) {
  std::string by_length;
  double sum = 0;
  for (std::size_t i = 0; i < accuracy.size(); ++i) {
    if (i) by_length += ",";  // appends: GCC 12 warns falsely (-Wrestrict) on "x" + std::string
    by_length += "{\"length\":";
    by_length += std::to_string(10 + i) + ",\"examples\":10,\"accuracy\":" + std::to_string(accuracy[i]) + "}";
    sum += accuracy[i];
  }
  const std::string cell = "{\"lang\":\"" + lang + "\",\"model\":\"" + model + "\",\"hidden\":\"" +
                           std::to_string(hidden) + "\",\"seed\":\"" + std::to_string(seed) + "\"}";
  return "{\"cell\":" + cell + ",\"key\":\"k\",\"status\":\"ok\",\"metrics\":{\"test_accuracy\":" +
         std::to_string(accuracy.empty() ? 0 : sum / static_cast<double>(accuracy.size())) +
         ",\"steps\":20,\"accuracy_by_length\":[" + by_length + "],\"spec\":{\"lang\":\"" + lang + "\",\"model\":\"" +
         model + "\",\"hidden\":" + std::to_string(hidden) + ",\"train-lengths\":\"1..5\",\"test-lengths\":\"10..13\"," +
         "\"seed\":" + std::to_string(seed) + "}},\"seconds\":0.5}\n";
}

std::string failed_line(const std::string& lang, const std::string& model, int seed) {
  return "{\"cell\":{\"lang\":\"" + lang + "\",\"model\":\"" + model + "\",\"hidden\":\"8\",\"seed\":\"" +
         std::to_string(seed) + "\"},\"key\":\"k\",\"status\":\"failed\",\"error\":\"train: the loss diverged\"," +
         "\"seconds\":0.1}\n";
}

TEST(Results, ReadsCellsAndSkipsHeaderAndCutShortLastLine) {
  const std::string text = "{\"config\":\"sweep.toml\",\"cells\":3}\n" + ok_line("parity", "lstm", 8, 1, {1, 1}) +
                           "\n" + failed_line("parity", "gru", 1) + "{\"cell\":{\"lang\":\"par";
  const std::vector<ResultRow> rows = parse_result_rows(text, "R.jsonl");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_TRUE(rows[0].ok());
  EXPECT_EQ(rows[0].cell.at("model"), "lstm");
  ASSERT_EQ(rows[0].by_length.size(), 2u);
  EXPECT_EQ(rows[0].by_length[1].length, 11);
  EXPECT_EQ(rows[1].line, 4u);
  EXPECT_FALSE(rows[1].ok());
  EXPECT_EQ(rows[1].error, "train: the loss diverged");
  EXPECT_EQ(ok_rows(rows).size(), 1u);
}

TEST(Results, MalformedLineBeforeTheLastNamesFileAndLine) {
  const std::string text = ok_line("parity", "lstm", 8, 1, {1}) + "{not json\n" + ok_line("parity", "lstm", 8, 2, {1});
  EXPECT_EQ(message_of([&] { parse_result_rows(text, "R.jsonl"); }),
            "R.jsonl:2: not a JSON object (expected one cell's result per line)");
  EXPECT_NE(message_of([&] { parse_result_rows("{\"cell\":{},\"status\":\"done\"}\n{}\n", "R.jsonl"); })
                .find("R.jsonl:1: \"status\" is \"done\""),
            std::string::npos);
}

TEST(Results, FieldsComeFromCellThenSpecThenMetrics) {
  const ResultRow row = parse_result_rows(ok_line("parity", "gru", 16, 3, {0.5, 1}), "R").at(0);
  EXPECT_EQ(field_text(row, "model"), "gru");               // the cell
  EXPECT_EQ(field_text(row, "train-lengths"), "1..5");      // the spec only
  EXPECT_EQ(field_text(row, "lr"), "0.01");                 // the spec's default, canonical text
  EXPECT_EQ(field_number(row, "test_accuracy"), 0.75);      // the metrics
  EXPECT_EQ(field_number(row, "seconds"), 0.5);             // the line's own
  EXPECT_EQ(field_text(row, "status"), "ok");
  EXPECT_EQ(field_text(row, "nonsense"), std::nullopt);
  EXPECT_EQ(field_text(row, "model+hidden+train-lengths"), "gru, hidden=16, train-lengths=1..5");
  EXPECT_EQ(field_text(row, "model+nonsense"), std::nullopt);
  EXPECT_NO_THROW(require_field({row}, "model+hidden", "--by"));
  EXPECT_THROW(require_field({row}, "model+nonsense", "--by"), InvalidArgument);
  EXPECT_EQ(spec_range(row, "train-lengths"), (std::pair<int, int>{1, 5}));
  EXPECT_EQ(architecture_of(row), "gru");
  ResultRow negative = row;
  negative.cell["model"] = "deltanet";
  negative.cell["negative-eigenvalues"] = "true";
  EXPECT_EQ(architecture_of(negative), "deltanet-negative");
  ResultRow nope = row;  // Li and Cotterell's transformer: classify's transformer-nope column
  nope.cell["model"] = "transformer";
  nope.cell["pos"] = "none";
  EXPECT_EQ(architecture_of(nope), "transformer");
  nope.cell["strict-mask"] = "true";
  nope.cell["end-marker"] = "true";
  EXPECT_EQ(architecture_of(nope), "transformer-nope");
  nope.cell["bidirectional"] = "true";
  EXPECT_EQ(architecture_of(nope), "transformer");
  nope.cell["pos"] = "learned";
  nope.cell.erase("bidirectional");
  EXPECT_EQ(architecture_of(nope), "transformer");
}

TEST(Results, WhereComparesNumbersAsNumbersAndRefusesUnknownFields) {
  const std::vector<ResultRow> rows = parse_result_rows(
      ok_line("parity", "lstm", 8, 1, {1}) + ok_line("parity", "lstm", 16, 1, {1}) + failed_line("parity", "lstm", 2),
      "R");
  EXPECT_EQ(select(rows, {{"hidden", "8.0"}}).size(), 2u);  // the failed cell has hidden 8 too
  EXPECT_EQ(select(rows, {{"hidden", "16"}, {"model", "lstm"}}).size(), 1u);
  EXPECT_EQ(select(rows, {{"status", "failed"}}).size(), 1u);
  EXPECT_NE(message_of([&] { select(rows, {{"widht", "8"}}); }).find("--where widht: no such field"), std::string::npos);
  EXPECT_EQ(parse_where("lang=tomita:n=3").value, "tomita:n=3");
  EXPECT_NE(message_of([] { parse_where("=3"); }).find("--where =3: expected key=value"), std::string::npos);
}

TEST(Results, GroupsNumbersInOrderAndNamesInFirstAppearance) {
  const std::vector<ResultRow> rows = parse_result_rows(ok_line("parity", "mamba", 32, 1, {1}) +
                                                        ok_line("parity", "lstm", 8, 1, {1}) +
                                                        ok_line("parity", "mamba", 16, 2, {1}),
                                                    "R");
  const Groups hidden = group_by(rows, "hidden");
  ASSERT_EQ(hidden.size(), 3u);
  EXPECT_EQ(hidden[0].first, "8");
  EXPECT_EQ(hidden[2].first, "32");
  const Groups model = group_by(rows, "model");
  ASSERT_EQ(model.size(), 2u);
  EXPECT_EQ(model[0].first, "mamba");
  EXPECT_EQ(model[0].second.size(), 2u);
  std::vector<const ResultRow*> all;
  for (const ResultRow& r : rows) all.push_back(&r);
  EXPECT_EQ(varying_options(all, {"seed"}), (std::vector<std::string>{"hidden", "model"}));
}

RC_GTEST_PROP(Results, SummaryBoundsItsMean, (const std::vector<int>& ints)) {
  std::vector<double> values(ints.begin(), ints.end());
  const Summary s = summarize(values);
  RC_ASSERT(s.count == values.size());
  if (values.empty()) return;
  RC_ASSERT(s.min <= s.mean + 1e-9);
  RC_ASSERT(s.mean <= s.max + 1e-9);
  RC_ASSERT(s.min == *std::min_element(values.begin(), values.end()));
  RC_ASSERT(s.max == *std::max_element(values.begin(), values.end()));
}

RC_GTEST_PROP(Results, LengthBinsCoverTheLengthsInNearlyEqualWidths, ()) {
  const int count = *rc::gen::inRange(1, 200);
  const int bins = *rc::gen::inRange(1, 20);
  const std::string text = ok_line("parity", "lstm", 8, 1, std::vector<double>(static_cast<std::size_t>(count), 1.0));
  const std::vector<ResultRow> rows = parse_result_rows(text, "R");
  const std::vector<std::pair<int, int>> b = length_bins({&rows[0]}, bins);
  RC_ASSERT(b.size() == static_cast<std::size_t>(std::min(bins, count)));
  RC_ASSERT(b.front().first == 10);
  RC_ASSERT(b.back().second == 10 + count - 1);
  int narrowest = INT32_MAX, widest = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i) RC_ASSERT(b[i].first == b[i - 1].second + 1);
    narrowest = std::min(narrowest, b[i].second - b[i].first + 1);
    widest = std::max(widest, b[i].second - b[i].first + 1);
  }
  RC_ASSERT(widest - narrowest <= 1);
}

// Fixed-length cells (experiment 2: k = 2, 4, 8, 16) have lengths far apart: a bin names lengths
// that have results, never a gap ("3-4" for k = 4).
TEST(Results, LengthBinsNameOnlyLengthsThatHaveResults) {
  std::vector<ResultRow> rows = parse_result_rows(ok_line("parity", "lstm", 8, 1, {1, 1, 1, 1}), "R");
  const int ks[] = {2, 4, 8, 16};
  for (std::size_t i = 0; i < 4; ++i) rows[0].by_length[i].length = ks[i];
  using Bins = std::vector<std::pair<int, int>>;
  EXPECT_EQ(length_bins({&rows[0]}, 8), (Bins{{2, 2}, {4, 4}, {8, 8}, {16, 16}}));
  EXPECT_EQ(length_bins({&rows[0]}, 3), (Bins{{2, 2}, {4, 4}, {8, 16}}));
}

TEST(Results, AccuracyBetweenWeighsByExamples) {
  const ResultRow row = parse_result_rows(ok_line("parity", "lstm", 8, 1, {1, 0.5, 0}), "R").at(0);
  EXPECT_DOUBLE_EQ(*accuracy_between(row, 10, 11), 0.75);
  EXPECT_DOUBLE_EQ(*accuracy_between(row, 12, 99), 0.0);
  EXPECT_EQ(accuracy_between(row, 20, 30), std::nullopt);
}

// Parity: classify predicts lstm yes, mamba no, transformer open.  Lengths 10..13 in 2 bins: the
// longest are 12..13.
std::vector<ResultRow> report_fixture() {
  return parse_result_rows(ok_line("parity", "lstm", 8, 1, {1, 1, 1, 1}) +        // longest 1
                           ok_line("parity", "lstm", 8, 2, {1, 1, 0.5, 0.5}) +  // longest 0.5
                           ok_line("parity", "mamba", 8, 1, {1, 1, 1, 0.98}) +  // longest 0.99
                           ok_line("parity", "transformer", 8, 1, {1, 1, 0.5, 0.5}) +
                           ok_line("parity", "gru", 8, 1, {1, 1, 0.9, 0.9}) + failed_line("parity", "gru", 2) +
                           ok_line("anbn", "lstm", 8, 1, {1, 1, 1, 1}),
                       "R");
}

TEST(Report, RowsMatchTheResults) {
  ReportOptions o;
  o.bins = 2;
  const std::vector<ReportRow> rows = report_rows(report_fixture(), o);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].lang, "parity");
  EXPECT_EQ(rows[0].architecture, "lstm");
  EXPECT_TRUE(rows[0].options.empty());  // hidden is 8 everywhere
  EXPECT_EQ(rows[0].predicted, "yes");
  EXPECT_EQ(rows[0].lengths, (std::pair<int, int>{12, 13}));
  EXPECT_EQ(rows[0].measured.count, 2u);
  EXPECT_DOUBLE_EQ(rows[0].measured.mean, 0.75);
  EXPECT_DOUBLE_EQ(rows[0].measured.max, 1.0);
  EXPECT_FALSE(rows[0].disagrees);  // one seed learned
  EXPECT_EQ(rows[1].architecture, "mamba");
  EXPECT_EQ(rows[1].predicted, "no");
  EXPECT_DOUBLE_EQ(rows[1].measured.max, 0.99);
  EXPECT_TRUE(rows[1].disagrees);  // predicted no, learned to 0.99
  EXPECT_EQ(rows[2].predicted, "open");
  EXPECT_FALSE(rows[2].disagrees);
  EXPECT_EQ(rows[3].architecture, "gru");
  EXPECT_EQ(rows[3].failed, 1u);
  EXPECT_DOUBLE_EQ(rows[3].measured.mean, 0.9);
  EXPECT_TRUE(rows[3].disagrees);  // predicted yes, no seed learned
  EXPECT_EQ(rows[4].lang, "anbn");
  EXPECT_EQ(rows[4].predicted, "n/a");
  EXPECT_FALSE(rows[4].disagrees);
}

// Fixed-length cells of one language (k = 2 at hidden 8, k = 4 at hidden 16): each row is
// measured at its own longest lengths, not left empty by the other's.
TEST(Report, RowsTestedAtDifferentLengthsAreEachMeasured) {
  std::vector<ResultRow> rows =
      parse_result_rows(ok_line("parity", "lstm", 8, 1, {0.75}) + ok_line("parity", "lstm", 16, 1, {0.5}), "R");
  rows[0].by_length[0].length = 2;
  rows[1].by_length[0].length = 4;
  const std::vector<ReportRow> table = report_rows(rows, ReportOptions{});
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0].lengths, (std::pair<int, int>{2, 2}));
  EXPECT_EQ(table[0].measured.count, 1u);
  EXPECT_DOUBLE_EQ(table[0].measured.mean, 0.75);
  EXPECT_EQ(table[1].lengths, (std::pair<int, int>{4, 4}));
  EXPECT_DOUBLE_EQ(table[1].measured.mean, 0.5);
}

TEST(Report, MarkdownHasOneTableRowPerReportRow) {
  ReportOptions o;
  o.bins = 2;
  o.figures = {{"curves", "figs/curves.png"}};
  const std::string md = report_markdown(report_fixture(), o);
  EXPECT_NE(md.find("| parity | lstm | yes | 12..13 | 2 | 0.750 | 1.000 |  |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| parity | mamba | no | 12..13 | 1 | 0.990 | 0.990 | **disagrees** |\n"), std::string::npos);
  EXPECT_NE(md.find("| parity | gru | yes | 12..13 | 1 (+1 failed) | 0.900 | 0.900 | **disagrees** |\n"),
            std::string::npos);
  EXPECT_NE(md.find("- line 6 ("), std::string::npos);  // the failed cell
  EXPECT_NE(md.find("![curves](figs/curves.png)"), std::string::npos);
  EXPECT_NE(message_of([] { report_markdown({}, {}); }).find("hold no cell"), std::string::npos);
}

TEST(Plot, ScriptsRefuseWhatTheyCannotDraw) {
  const std::vector<ResultRow> rows = report_fixture();
  PlotOptions o;
  o.by = "modle";
  EXPECT_NE(message_of([&] { plot_script(rows, o, "png"); }).find("--by modle: no such field in the results (fields:"),
            std::string::npos);
  o.by.clear();
  o.where = {{"model", "rnn"}};
  EXPECT_NE(message_of([&] { plot_script(rows, o, "png"); }).find("no result to draw: 0 of 7 cells match --where model=rnn"),
            std::string::npos);
  o.where = {{"status", "failed"}};
  EXPECT_NE(message_of([&] { plot_script(rows, o, "png"); }).find("1 of them failed"), std::string::npos);
  o.where.clear();
  o.kind = PlotKind::hist;
  o.x = "lang";
  EXPECT_NE(message_of([&] { plot_script(rows, o, "png"); }).find("--x lang: not a number"), std::string::npos);
  o.x = "length";  // hist has no length axis
  EXPECT_NE(message_of([&] { plot_script(rows, o, "png"); }).find("--x length: no such field"), std::string::npos);
  o.x.clear();
  o.y = "hidden";
  EXPECT_NE(message_of([&] { plot_script(rows, o, "png"); }).find("--y hidden: a histogram counts runs"), std::string::npos);
  o.kind = PlotKind::heatmap;
  o.y.clear();
  o.x = "hidden";
  EXPECT_NE(message_of([&] { plot_script(rows, o, "png"); }).find("a heatmap's x axis is the test length"),
            std::string::npos);
  EXPECT_NE(message_of([] { parse_plot_kind("pie"); }).find("--kind pie: unknown kind"), std::string::npos);
  EXPECT_NE(message_of([] { parse_plot_size("800"); }).find("--size 800: expected WIDTHxHEIGHT"), std::string::npos);
  EXPECT_NE(message_of([] { parse_plot_size("0x10"); }).find("expected WIDTHxHEIGHT"), std::string::npos);
  EXPECT_EQ(parse_plot_size("640x480"), (std::pair<int, int>{640, 480}));
  EXPECT_NE(message_of([] { plot_format("fig.jpg"); }).find("expected .png or .svg"), std::string::npos);
}

TEST(Plot, CellsWithoutTheByFieldAreLeftOut) {
  std::vector<ResultRow> rows = report_fixture();
  rows[0].cell["extra"] = "x";
  PlotOptions o;
  o.by = "extra";
  const std::string script = plot_script(rows, o, "png");
  EXPECT_NE(script.find("title \"x\""), std::string::npos);
  EXPECT_EQ(script.find("anbn"), std::string::npos);  // its only cell has no "extra": no panel
  o.where = {{"lang", "anbn"}};
  EXPECT_EQ(message_of([&] { plot_script(rows, o, "png"); }), "--by extra: none of the 1 selected cells has this field");
}

TEST(Plot, HeatmapColoursAreFixedToZeroOne) {
  PlotOptions o;
  o.kind = PlotKind::heatmap;
  o.width = 1600;  // 4 panels a row, each wide enough for its title
  o.height = 480;
  const std::string script = plot_script(report_fixture(), o, "svg");
  EXPECT_NE(script.find("set terminal svg size 1600,480"), std::string::npos);
  EXPECT_NE(script.find("set cbrange [0:1]"), std::string::npos);
  EXPECT_NE(script.find("title \"parity, model = lstm\""), std::string::npos);
  o.width = 640;  // 160 pixels a panel: the title shortened, its ends kept
  EXPECT_NE(plot_script(report_fixture(), o, "svg").find("title \"parity, ... lstm\""), std::string::npos);
}

TEST(Plot, CurveShadesTheTrainingLengths) {
  PlotOptions o;
  o.where = {{"lang", "parity"}};
  const std::string script = plot_script(report_fixture(), o, "png");
  EXPECT_NE(script.find("set object 1 rect from 0.5, graph 0 to 5.5, graph 1"), std::string::npos) << script;
  EXPECT_NE(script.find("with filledcurves"), std::string::npos);
  // Named in the axis label, not in a label the curves could cover.
  EXPECT_NE(script.find("set xlabel \"test length (shaded: the training lengths)\""), std::string::npos) << script;
  EXPECT_EQ(script.find("\nset label"), std::string::npos) << script;
}

// gnuplot clips a title wider than the canvas at both ends: the figure's title is broken at
// spaces into lines that fit, and loses no word.
TEST(Plot, TitlesAreBrokenIntoLinesThatFitTheCanvas) {
  PlotOptions o;
  o.where = {{"lang", "parity"}};
  o.source = "/some/folder/a-results-file-with-a-long-name.jsonl";
  o.width = 400;
  const std::string script = plot_script(report_fixture(), o, "png");
  const std::string key = "set multiplot layout 1,1 title \"";
  const std::size_t at = script.find(key);
  ASSERT_NE(at, std::string::npos) << script;
  const std::size_t from = at + key.size();
  const std::string title = script.substr(from, script.find('"', from) - from);
  std::vector<std::string> lines;
  for (std::size_t start = 0;;) {
    const std::size_t end = title.find("\\n", start);
    lines.push_back(title.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 2;
  }
  EXPECT_GE(lines.size(), 3u) << title;
  std::string words;
  for (const std::string& l : lines) {
    EXPECT_LE(l.size(), 40u) << l;
    words += (words.empty() ? "" : " ") + l;
  }
  EXPECT_EQ(words, "accuracy by test length, one line per model [lang=parity] - a-results-file-with-a-long-name.jsonl "
                   "mean and min-max over 1-2 runs per point (over seed)");
}

// The subtitle names what a point's mean mixes: the seeds, never an option that draws the lines
// (the parts of --by a+b, or an option fixed per line such as a zip's pos) or the panels.
TEST(Plot, SubtitleListsOnlyTheFieldsAveragedOver) {
  std::vector<ResultRow> rows = report_fixture();
  for (ResultRow& r : rows) {
    r.cell["negative-eigenvalues"] = r.cell["model"] == "mamba" ? "true" : "false";
    r.cell["pos"] = r.cell["model"] == "transformer" ? "learned" : "";  // fixed per line, like a zip
  }
  PlotOptions o;
  o.by = "model+negative-eigenvalues";
  std::string script = plot_script(rows, o, "png");
  EXPECT_NE(script.find("mean and min-max over 1-2 runs per point (over seed)\""), std::string::npos) << script;
  o.by = "model";
  script = plot_script(rows, o, "png");
  EXPECT_NE(script.find("(over seed)\""), std::string::npos) << script;
  // A field that does vary inside a line is named.
  rows[1].cell["hidden"] = "16";  // lstm seed 2
  script = plot_script(rows, o, "png");
  EXPECT_NE(script.find("(over hidden, seed)\""), std::string::npos) << script;
  o.kind = PlotKind::heatmap;
  o.y = "hidden";  // the heatmap's rows tell hidden apart: only one run per cell is left
  script = plot_script(rows, o, "png");
  EXPECT_NE(script.find("mean over 1 run per point\""), std::string::npos) << script;
  o.kind = PlotKind::curve;
  o.y = "test_accuracy";
  o.x = "hidden";
  script = plot_script(rows, o, "png");
  EXPECT_NE(script.find("mean and min-max over 1 run per point\""), std::string::npos) << script;
}

TEST(Plot, ReferenceLinesAreDrawnInEveryPanelAndKeptInView) {
  PlotOptions o;
  o.vlines = {parse_reference_line("42:state bound", "--vline")};
  o.hlines = {parse_reference_line("0.5", "--hline")};
  const std::string script = plot_script(report_fixture(), o, "png");  // two panels: parity, anbn
  const std::string arrow = "set arrow 100 from 42, graph 0 to 42, graph 1 nohead";
  const std::size_t first = script.find(arrow);
  ASSERT_NE(first, std::string::npos) << script;
  EXPECT_NE(script.find(arrow, first + 1), std::string::npos);  // the second panel too
  EXPECT_NE(script.find("set label 100 \"state bound\" at first 42, graph 0.5 center rotate by 90"), std::string::npos);
  EXPECT_NE(script.find("set arrow 101 from graph 0, first 0.5 to graph 1, first 0.5 nohead"), std::string::npos);
  EXPECT_EQ(script.find("set label 101"), std::string::npos);  // no label given
  EXPECT_NE(script.find("set xrange [0.5:43.5]"), std::string::npos);  // lengths 10..13, training 1..5, the line and a margin
  o.vlines.push_back(parse_reference_line("1e300", "--vline"));  // far out: clamped, not an overflow
  EXPECT_NE(plot_script(report_fixture(), o, "png").find("set xrange [0.5:1000000001.5]"), std::string::npos);
  o.vlines.pop_back();
  o.kind = PlotKind::hist;
  EXPECT_NE(plot_script(report_fixture(), o, "png").find(arrow), std::string::npos);
  o.kind = PlotKind::curve;
  o.x = "hidden";  // a line beyond the data: the range is given
  EXPECT_NE(plot_script(report_fixture(), o, "png").find("set xrange ["), std::string::npos);
  o.kind = PlotKind::heatmap;
  o.x.clear();
  EXPECT_NE(message_of([&] { plot_script(report_fixture(), o, "png"); }).find("--vline: a heatmap's axes are length bins"),
            std::string::npos);
  EXPECT_EQ(parse_reference_line("-1.5", "--hline").value, -1.5);
  EXPECT_EQ(parse_reference_line("3:a:b", "--vline").label, "a:b");
  EXPECT_NE(message_of([] { parse_reference_line("x:label", "--vline"); }).find("--vline x:label: expected a number"),
            std::string::npos);
  EXPECT_NE(message_of([] { parse_reference_line(":label", "--hline"); }).find("--hline :label: expected a number"),
            std::string::npos);
  EXPECT_NE(message_of([] { parse_reference_line("inf", "--vline"); }).find("expected a number"), std::string::npos);
}

// A finished cell whose metrics carry a learning curve: (step, accuracy, loss), in any order.
std::string line_with_history(const std::string& model, int seed, const std::string& history) {
  std::string line = ok_line("parity", model, 8, seed, {1, 1});
  const std::string at = "\"metrics\":{";
  line.insert(line.find(at) + at.size(), "\"validation_history\":[" + history + "],");
  return line;
}

TEST(Results, ValidationHistoryIsReadInStepOrder) {
  const auto rows = parse_result_rows(
      line_with_history("lstm", 1, "{\"step\":100,\"accuracy\":0.75,\"loss\":0.5},{\"step\":0,\"accuracy\":0.5,\"loss\":null}"),
      "R");
  ASSERT_EQ(rows[0].history.size(), 2u);
  EXPECT_EQ(rows[0].history[0].step, 0);
  EXPECT_TRUE(std::isnan(rows[0].history[0].loss));  // a loss JSON cannot hold is written null
  EXPECT_EQ(rows[0].history[1].step, 100);
  EXPECT_EQ(rows[0].history[1].accuracy, 0.75);
  EXPECT_TRUE(parse_result_rows(ok_line("parity", "lstm", 8, 1, {1}), "R")[0].history.empty());
  EXPECT_EQ(message_of([] { parse_result_rows(line_with_history("lstm", 1, "{\"step\":0}") + "\n", "R"); }),
            "R:1: an entry of \"validation_history\" is not {step, accuracy, loss}");
}

// One panel per language (curves, histograms, histories) or per language and --by value
// (heatmaps): more than kMaxPanels is refused by every kind, not drawn unreadable.
TEST(Plot, EveryKindRefusesMoreThanTheMostPanels) {
  std::string text;
  for (std::size_t i = 0; i <= kMaxPanels; ++i) text += ok_line("lang" + std::to_string(i), "lstm", 8, 1, {1, 1});
  const auto rows = parse_result_rows(text, "R");
  const std::string refused = "plot: " + std::to_string(kMaxPanels + 1) + " panels is more than " +
                              std::to_string(kMaxPanels) + "; narrow the selection with --where";
  for (const PlotKind kind : {PlotKind::curve, PlotKind::heatmap, PlotKind::hist}) {
    PlotOptions o;
    o.kind = kind;
    EXPECT_EQ(message_of([&] { plot_script(rows, o, "png"); }), refused);
  }
  PlotOptions o;
  o.x = "hidden";  // a curve against a field
  EXPECT_EQ(message_of([&] { plot_script(rows, o, "png"); }), refused);
  o.where = {{"lang", "lang0"}};
  EXPECT_NO_THROW(plot_script(rows, o, "png"));
}

// --pool-languages: no kind splits the languages into panels; a heatmap keeps a panel per --by
// value, whose lengths then come from every language (index-lookup:max=N at length N).
TEST(Plot, PooledLanguagesShareTheirPanels) {
  const auto rows = report_fixture();  // parity and anbn
  auto titles = [](const std::string& script) {
    std::size_t n = 0;
    for (std::size_t at = script.find("\nset title "); at != std::string::npos; at = script.find("\nset title ", at + 1)) ++n;
    return n;
  };
  PlotOptions o;
  o.kind = PlotKind::heatmap;
  EXPECT_EQ(titles(plot_script(rows, o, "png")), 5u);  // parity: 4 models, anbn: the LSTM
  o.pool_languages = true;
  const std::string pooled = plot_script(rows, o, "png");
  EXPECT_EQ(titles(pooled), 4u);
  EXPECT_NE(pooled.find("set title \"model = lstm\""), std::string::npos) << pooled;
  EXPECT_NE(pooled.find("the languages together"), std::string::npos);
  for (const PlotKind kind : {PlotKind::curve, PlotKind::hist}) {
    o.kind = kind;
    o.pool_languages = false;
    EXPECT_EQ(titles(plot_script(rows, o, "png")), 2u);
    o.pool_languages = true;
    EXPECT_EQ(titles(plot_script(rows, o, "png")), 1u);
  }
}

// A panel's title too long for its share of the canvas (a regular expression as the language) is
// shortened in the middle, its ends kept, not clipped by gnuplot at both ends.
TEST(Plot, LongPanelTitlesAreShortenedInTheMiddle) {
  const std::string lang = "regex:alphabet=01:" + std::string(200, '1') + "(0|1)end";
  PlotOptions o;
  o.width = 800;  // one panel: about 91 characters
  const std::string script = plot_script(parse_result_rows(ok_line(lang, "lstm", 8, 1, {1, 1}), "R"), o, "png");
  const std::size_t at = script.find("set title \"regex:alphabet=01:1111");
  ASSERT_NE(at, std::string::npos) << script;
  const std::string title = script.substr(at, script.find('\n', at) - at);
  EXPECT_NE(title.find("..."), std::string::npos) << title;
  EXPECT_TRUE(title.ends_with("1(0|1)end\"")) << title;
  EXPECT_LE(title.size(), std::string("set title \"\"").size() + 91) << title;
}

TEST(Plot, HistoryDrawsTheMeanOverTheRunsAtEachStep) {
  const auto rows = parse_result_rows(
      line_with_history("lstm", 1, "{\"step\":0,\"accuracy\":0.5,\"loss\":0.7},{\"step\":10,\"accuracy\":1,\"loss\":0.1}") +
          line_with_history("lstm", 2, "{\"step\":0,\"accuracy\":0.5,\"loss\":0.7},{\"step\":10,\"accuracy\":0.5,\"loss\":0.6}") +
          line_with_history("gru", 1, "{\"step\":0,\"accuracy\":0.25,\"loss\":0.9}") + ok_line("parity", "rnn", 8, 1, {1}),
      "R");
  PlotOptions o;
  o.kind = PlotKind::history;
  const std::string script = plot_script(rows, o, "png");
  EXPECT_NE(script.find("0 0.5 0.5 0.5\n10 0.75 0.5 1\n"), std::string::npos) << script;  // lstm: mean, min, max
  EXPECT_NE(script.find("0 0.25 0.25 0.25\n"), std::string::npos) << script;              // gru stopped at step 0
  EXPECT_EQ(script.find("\"rnn\""), std::string::npos) << "a run without a curve draws no line";
  EXPECT_NE(script.find("1-2 runs per point"), std::string::npos) << script;
  EXPECT_NE(script.find("set xlabel \"training step\""), std::string::npos);
  o.y = "loss";
  EXPECT_NE(plot_script(rows, o, "png").find("10 0.35 0.1 0.6\n"), std::string::npos);
  o.y = "test_accuracy";
  EXPECT_NE(message_of([&] { plot_script(rows, o, "png"); }).find("--y test_accuracy: a history draws the validation"),
            std::string::npos);
  o.y.clear();
  o.x = "hidden";
  EXPECT_NE(message_of([&] { plot_script(rows, o, "png"); }).find("--x hidden: a history's x axis is the training step"),
            std::string::npos);
  o.x.clear();
  o.where = {{"model", "rnn"}};
  EXPECT_NE(message_of([&] { plot_script(rows, o, "png"); }).find("no selected result has a validation history"),
            std::string::npos);
  EXPECT_EQ(parse_plot_kind("history"), PlotKind::history);
}

}  // namespace
}  // namespace statelab::bridge
