// The subcommands. Each has an options struct, Add<Cmd> that binds its
// flags to a new CLI11 subcommand (returned so main can tell which one was
// parsed), and Run<Cmd> that does the work without CLI11 and returns the
// exit code. Run<Cmd> throws UsageError for mistakes in its input.
#ifndef LAR_CLI_COMMANDS_H_
#define LAR_CLI_COMMANDS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace lar {

struct ListOptions {
  bool json = false;
};
CLI::App* AddList(CLI::App& app, ListOptions& o);
int RunList(const ListOptions& o);

struct VerifyOptions {
  std::vector<std::string> ids;
  bool all = false;
  std::string isa;
  bool has_seed = false;
  uint64_t seed = 0;
  bool quick = false;
  double budget_seconds = 600.0;
};
CLI::App* AddVerify(CLI::App& app, VerifyOptions& o);
int RunVerify(const VerifyOptions& o);

struct BenchOptions {
  std::string id;
  std::string isa;
  std::vector<std::string> isas;  // --isas: one block per ISA
  bool quick = false;
  std::string json_path;
  double budget_seconds = 600.0;
  double max_seconds = 0.0;  // 0: the default cap for full / quick
  uint64_t seed = 1;
  std::string estimator;                     // empty: the primary estimator
  std::string results_path = "results.tsv";  // where calibration is read
};
CLI::App* AddBench(CLI::App& app, BenchOptions& o);
int RunBench(const BenchOptions& o);

struct TrialOptions {
  std::string id;
  std::string message;
  std::string results_path = "results.tsv";
  std::string isa;
  std::vector<std::string> isas;  // --isas: more ISAs gated for regressions
  bool quick = false;
  bool baseline = false;  // start a new baseline
  bool no_rebuild = false;
  double budget_seconds = 600.0;
  double max_seconds = 0.0;  // 0: default sampling cap
  uint64_t seed = 1;
  double plant_delay_pct = 0.0;   // testing the gate
  std::vector<std::string> argv;  // to re-run itself after a rebuild
};
CLI::App* AddTrial(CLI::App& app, TrialOptions& o);
int RunTrial(const TrialOptions& o);

struct GateOptions {
  std::string best_json;
  std::string trial_json;
  double noise_floor_pct = -1.0;
};
CLI::App* AddGate(CLI::App& app, GateOptions& o);
int RunGate(const GateOptions& o);

struct CalibrateOptions {
  std::vector<std::string> ids;
  std::string results_path = "results.tsv";
  bool quick = false;
  double max_seconds = 0.0;
  int study = 0;         // > 0: cross-process estimator study with N runs each
  bool layouts = false;  // also time the kernel against itself in other code layouts
};
CLI::App* AddCalibrate(CLI::App& app, CalibrateOptions& o);
int RunCalibrate(const CalibrateOptions& o);

struct ReportOptions {
  std::vector<std::string> files;  // default: results.tsv
  std::string target;
  bool json = false;
  bool markdown = false;
  std::string svg_path;
  bool svg_requested = false;  // --svg given, with or without FILE
  size_t recent = 5;
};
CLI::App* AddReport(CLI::App& app, ReportOptions& o);
int RunReport(const ReportOptions& o);

struct NewOptions {
  std::string id;
  std::string family = "vector";
  std::string root = ".";
};
CLI::App* AddNew(CLI::App& app, NewOptions& o);
int RunNew(const NewOptions& o);

}  // namespace lar

#endif  // LAR_CLI_COMMANDS_H_
