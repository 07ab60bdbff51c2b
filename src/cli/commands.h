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
  bool quick = false;
  std::string json_path;
  double budget_seconds = 600.0;
  double max_seconds = 0.0;  // 0: the default cap for full / quick
  uint64_t seed = 1;
  std::string estimator;     // empty: the primary estimator
  std::string results_path = "results.tsv";  // where calibration is read
};
CLI::App* AddBench(CLI::App& app, BenchOptions& o);
int RunBench(const BenchOptions& o);

}  // namespace lar

#endif  // LAR_CLI_COMMANDS_H_
