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
#include "harness/sysinfo.h"
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

nlohmann::json AaJson(const AaResult& a) {
  return {{"floor_pct", a.floor_pct}, {"speedup", a.speedup},
          {"ci", {a.ci.lo, a.ci.hi}}, {"rounds", a.rounds}, {"timestamp", a.timestamp}};
}

std::optional<AaResult> AaFrom(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  const nlohmann::json& a = j.at(key);
  AaResult r;
  r.floor_pct = a.value("floor_pct", -1.0);
  r.speedup = a.value("speedup", 1.0);
  if (a.contains("ci")) r.ci = {a["ci"][0].get<double>(), a["ci"][1].get<double>()};
  r.rounds = a.value("rounds", 0);
  r.timestamp = a.value("timestamp", "");
  return r;
}

}  // namespace

double Calibration::noise_floor_pct() const {
  double f = -1.0;
  if (reference) f = std::max(f, reference->floor_pct);
  if (kernel) f = std::max(f, kernel->floor_pct);
  return f;
}

AaResult MakeAaResult(double speedup, const Interval& ci, int rounds) {
  AaResult a;
  a.speedup = speedup;
  a.ci = ci;
  a.floor_pct = 100.0 * std::max(HalfWidth(speedup, ci), std::fabs(speedup - 1.0));
  a.rounds = rounds;
  a.timestamp = IsoTimestamp();
  return a;
}

std::string CalibrationPath(const std::string& results_path) {
  return (fs::path(StateDir(results_path)) / "calibration.json").string();
}

std::optional<Calibration> LoadCalibration(const std::string& results_path,
                                           const std::string& fingerprint,
                                           const std::string& target) {
  const nlohmann::json all = Load(CalibrationPath(results_path));
  if (!all.contains(fingerprint)) return std::nullopt;
  std::optional<Calibration> widest;
  for (const auto& [id, j] : all.at(fingerprint).items()) {
    Calibration c;
    c.target = id;
    c.harness_version = j.value("harness_version", 0);
    c.reference = AaFrom(j, "reference");
    c.kernel = AaFrom(j, "kernel");
    if (c.harness_version != kHarnessVersion || c.noise_floor_pct() < 0) continue;
    if (id == target) return c;
    if (!widest || c.noise_floor_pct() > widest->noise_floor_pct()) widest = c;
  }
  return widest;
}

void StoreCalibration(const std::string& results_path, const std::string& fingerprint,
                      const std::string& target, const std::optional<AaResult>& reference,
                      const std::optional<AaResult>& kernel) {
  const std::string path = CalibrationPath(results_path);
  fs::create_directories(fs::path(path).parent_path());
  const int lock = open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock >= 0) flock(lock, LOCK_EX);
  nlohmann::json all = Load(path);
  nlohmann::json& entry = all[fingerprint][target];
  if (!entry.is_object() || entry.value("harness_version", 0) != kHarnessVersion) {
    entry = nlohmann::json::object();
  }
  entry["harness_version"] = kHarnessVersion;
  if (reference) entry["reference"] = AaJson(*reference);
  if (kernel) entry["kernel"] = AaJson(*kernel);
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << all.dump(2) << "\n";
  }
  fs::rename(tmp, path);
  if (lock >= 0) close(lock);
}

}  // namespace lar
