// TaskProgress: in place on a terminal, plain lines elsewhere, nothing for a short computation.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>

#include "cli/progress.h"

namespace statelab::cli {
namespace {

int count_lines(const std::string& s) {
  int n = 0;
  for (char ch : s) n += ch == '\n';
  return n;
}

TEST(TaskProgress, OffATerminalWritesPlainLinesAndSaysWhenDone) {
  std::ostringstream out;
  {
    TaskProgress progress(out, "checking", false, 0.0);  // no delay: every call draws
    const auto callback = progress.callback();
    ASSERT_TRUE(callback);
    callback(1, 4);
    callback(2, 4);
  }
  const std::string text = out.str();
  EXPECT_EQ(text.find('\r'), std::string::npos) << text;
  EXPECT_EQ(count_lines(text), 3) << text;
  EXPECT_NE(text.find("checking: 25% (1/4)"), std::string::npos) << text;
  EXPECT_NE(text.find("checking: 50% (2/4)"), std::string::npos) << text;
  EXPECT_NE(text.find("checking: done, "), std::string::npos) << text;
}

TEST(TaskProgress, AComputationThatThrowsIsNotSaidToBeDone) {
  std::ostringstream out;
  try {
    TaskProgress progress(out, "checking", false, 0.0);
    progress.callback()(1, 4);
    throw std::runtime_error("a corrupt checkpoint");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(count_lines(out.str()), 1) << out.str();
  EXPECT_EQ(out.str().find("done"), std::string::npos) << out.str();
}

TEST(TaskProgress, AShortComputationPrintsNothingOnATerminalOrOff) {
  for (bool interactive : {true, false}) {
    std::ostringstream out;
    {
      TaskProgress progress(out, "counting", interactive, 3600.0);
      progress.callback()(5, 10);
    }
    EXPECT_EQ(out.str(), "") << interactive;
  }
}

TEST(TaskProgress, OnATerminalRedrawsOneLineAndErasesIt) {
  std::ostringstream out;
  {
    TaskProgress progress(out, "sampling", true, 0.0);
    progress.update(0, 0);  // total unknown
  }
  const std::string text = out.str();
  EXPECT_EQ(count_lines(text), 0) << text;
  EXPECT_NE(text.find("\r\033[Ksampling: "), std::string::npos) << text;
  EXPECT_EQ(text.substr(text.size() - 4), "\r\033[K") << text;
}

}  // namespace
}  // namespace statelab::cli
