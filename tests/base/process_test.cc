// run_child: exit status and both streams captured (even when both exceed a pipe's buffer), 127 for
// a program not on PATH, the time limit kills, and the tick is called while the child runs.
#include "base/process.h"

#include <gtest/gtest.h>

#include <chrono>

namespace statelab {
namespace {

TEST(RunChild, CapturesBothStreamsAndTheExitStatus) {
  const auto r = run_child({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.status, 3);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
}

TEST(RunChild, ReadsBothStreamsWhileTheyComeSoNeitherPipeFills) {
  // 1 MB on each stream, written alternately: a reader of one stream only would deadlock.
  const auto r = run_child({"sh", "-c", "for i in 1 2 3 4; do head -c 262144 /dev/zero; head -c 262144 /dev/zero >&2; done"},
                           60);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.size(), 1u << 20);
  EXPECT_EQ(r.err.size(), 1u << 20);
}

TEST(RunChild, AProgramNotOnThePathIs127) {
  EXPECT_EQ(run_child({"statelab-no-such-program"}).status, 127);
  EXPECT_EQ(run_child({}).status, -1);
}

TEST(RunChild, TheTimeLimitKillsTheChild) {
  const auto start = std::chrono::steady_clock::now();
  int ticks = 0;
  const auto r = run_child({"sleep", "30"}, 0.3, [&] { ++ticks; });
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.status, -1);
  EXPECT_LT(took, 10.0);
  EXPECT_GE(ticks, 2);  // about ten a second
}

}  // namespace
}  // namespace statelab
