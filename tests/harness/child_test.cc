// Child-process isolation: results, signals, silent exits and deadlines.
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <cstdlib>

#include "harness/child.h"

namespace lar {

TEST_SUITE("unit") {
  TEST_CASE("a child's result comes back") {
    const ChildOutcome out = RunInChild(
        [](ChildChannel& ch) {
          ch.Mark("working");
          return nlohmann::json{{"answer", 42}};
        },
        10.0);
    REQUIRE(out.status == ChildOutcome::Status::kOk);
    CHECK(out.result.at("answer") == 42);
    CHECK(out.last_marker == "working");
  }

  TEST_CASE("a segfault is a crash named by its signal, with the last marker") {
    const ChildOutcome out = RunInChild(
        [](ChildChannel& ch) -> nlohmann::json {
          ch.Mark("case 7 on AVX2");
          raise(SIGSEGV);
          return nullptr;
        },
        10.0);
    CHECK(out.status == ChildOutcome::Status::kCrashed);
    CHECK(out.signal_name == "SIGSEGV");
    CHECK(out.Describe() == "SIGSEGV during case 7 on AVX2");
  }

  TEST_CASE("abort and SIGILL are crashes too") {
    const ChildOutcome a = RunInChild([](ChildChannel&) -> nlohmann::json { std::abort(); }, 10.0);
    CHECK(a.signal_name == "SIGABRT");
    const ChildOutcome i = RunInChild(
        [](ChildChannel&) -> nlohmann::json {
          raise(SIGILL);
          return nullptr;
        },
        10.0);
    CHECK(i.signal_name == "SIGILL");
  }

  TEST_CASE("exiting without a result is a crash with the exit code") {
    const ChildOutcome out = RunInChild([](ChildChannel&) -> nlohmann::json { _exit(3); }, 10.0);
    CHECK(out.status == ChildOutcome::Status::kCrashed);
    CHECK(out.signal == 0);
    CHECK(out.exit_code == 3);
  }

  TEST_CASE("a hang is killed at the deadline") {
    const ChildOutcome out = RunInChild(
        [](ChildChannel& ch) -> nlohmann::json {
          ch.Mark("spinning");
          for (;;) pause();
        },
        0.5);
    CHECK(out.status == ChildOutcome::Status::kTimedOut);
    CHECK(out.seconds >= 0.5);
    CHECK(out.seconds < 5.0);
    CHECK(out.last_marker == "spinning");
  }

  TEST_CASE("a large result survives the pipe") {
    const ChildOutcome out = RunInChild(
        [](ChildChannel&) {
          nlohmann::json big = nlohmann::json::array();
          for (int i = 0; i < 200000; ++i) big.push_back(i);
          return nlohmann::json{{"big", big}};
        },
        30.0);
    REQUIRE(out.status == ChildOutcome::Status::kOk);
    CHECK(out.result.at("big").size() == 200000);
  }

}  // TEST_SUITE

}  // namespace lar
