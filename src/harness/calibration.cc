// Noise-floor storage in .lar/calibration.json.
#include "harness/calibration.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "harness/results.h"
#include "harness/version.h"

namespace lar {
namespace {

namespace fs = std::filesystem;

nlohmann::json Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nlohmann::json::object();
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    return j.is_object() ? j : nlohmann::json::object();
  } catch (const std::exception&) {
    return nlohmann::json::object();
  }
}

Calibration FromJson(const std::string& target, const nlohmann::json& j) {
  Calibration c;
  c.target = target;
  c.noise_floor_pct = j.value("noise_floor_pct", 0.0);
  c.aa_speedup = j.value("aa_speedup", 1.0);
  if (j.contains("aa_ci")) c.aa_ci = {j["aa_ci"][0].get<double>(), j["aa_ci"][1].get<double>()};
  c.rounds = j.value("rounds", 0);
  c.harness_version = j.value("harness_version", 0);
  c.timestamp = j.value("timestamp", "");
  return c;
}

}  // namespace

double NoiseFloorPct(const MeasureResult& aa) {
  return 100.0 * std::max(HalfWidth(aa.speedup, aa.speedup_ci), std::fabs(aa.speedup - 1.0));
}

std::string CalibrationPath(const std::string& results_path) {
  return (fs::path(StateDir(results_path)) / "calibration.json").string();
}

std::optional<Calibration> LoadCalibration(const std::string& results_path,
                                           const std::string& fingerprint,
                                           const std::string& target) {
  const nlohmann::json all = Load(CalibrationPath(results_path));
  if (!all.contains(fingerprint)) return std::nullopt;
  const nlohmann::json& machine = all.at(fingerprint);
  std::optional<Calibration> widest;
  for (const auto& [id, j] : machine.items()) {
    Calibration c = FromJson(id, j);
    if (c.harness_version != kHarnessVersion) continue;
    if (id == target) return c;
    if (!widest || c.noise_floor_pct > widest->noise_floor_pct) widest = c;
  }
  return widest;
}

void StoreCalibration(const std::string& results_path,
                      const std::string& fingerprint, const Calibration& c) {
  const std::string path = CalibrationPath(results_path);
  fs::create_directories(fs::path(path).parent_path());
  const int lock = open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock >= 0) flock(lock, LOCK_EX);
  nlohmann::json all = Load(path);
  all[fingerprint][c.target] = {{"noise_floor_pct", c.noise_floor_pct},
                                {"aa_speedup", c.aa_speedup},
                                {"aa_ci", {c.aa_ci.lo, c.aa_ci.hi}},
                                {"rounds", c.rounds},
                                {"harness_version", c.harness_version},
                                {"timestamp", c.timestamp}};
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << all.dump(2) << "\n";
  }
  fs::rename(tmp, path);
  if (lock >= 0) close(lock);
}

}  // namespace lar
