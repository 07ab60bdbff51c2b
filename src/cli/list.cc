// lar list: every registered target.
#include <cstdio>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "harness/isa.h"
#include "harness/target.h"

namespace lar {

CLI::App* AddList(CLI::App& app, ListOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "list",
      "List the registered targets: id, family, unit, status, Lance source; then the ISAs "
      "compiled in and those this CPU runs");
  cmd->add_flag("--json", o.json, "Print a JSON array instead of a table");
  return cmd;
}

int RunList(const ListOptions& o) {
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Target& t : Registry::All()) {
      out.push_back({{"id", t.id},
                     {"family", t.family},
                     {"unit", t.unit},
                     {"status", t.test_only ? "test-only" : "landed"},
                     {"lance_source", t.lance_source},
                     {"summary", t.summary}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%-18s %-9s %-8s %-10s %s\n", "id", "family", "unit", "status", "lance source");
  for (const Target& t : Registry::All()) {
    std::printf("%-18s %-9s %-8s %-10s %s\n", t.id.c_str(), t.family.c_str(), t.unit.c_str(),
                t.test_only ? "test-only" : "landed", t.lance_source.c_str());
  }
  std::printf("%s\n", DescribeIsas().c_str());
  return 0;
}

}  // namespace lar
