// Noise-floor storage in .lar/calibration.json.
#include "harness/calibration.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "base/files.h"
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
  return {{"floor_pct", a.floor_pct}, {"speedup", a.speedup},     {"ci", {a.ci.lo, a.ci.hi}},
          {"rounds", a.rounds},       {"timestamp", a.timestamp}, {"isa", a.isa},
          {"origin", a.origin}};
}

std::optional<AaResult> AaFrom(const nlohmann::json& j, const std::string& key) {
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_object()) return std::nullopt;
  const nlohmann::json& a = j.at(key);
  if (!a.contains("floor_pct")) return std::nullopt;
  AaResult r;
  r.floor_pct = a.value("floor_pct", -1.0);
  r.speedup = a.value("speedup", 1.0);
  if (a.contains("ci")) r.ci = {a["ci"][0].get<double>(), a["ci"][1].get<double>()};
  r.rounds = a.value("rounds", 0);
  r.timestamp = a.value("timestamp", "");
  r.isa = a.value("isa", "");
  r.origin = a.value("origin", "");
  return r;
}

std::string DescribeAa(const char* what, const AaResult& a) {
  return std::string(what) + " " + (Fixed(a.floor_pct, 2) + "%") + " from " +
         (a.origin.empty() ? "an earlier run" : a.origin) + (a.isa.empty() ? "" : " at " + a.isa) +
         " (" + a.timestamp + ")";
}

}  // namespace

double Calibration::noise_floor_pct() const {
  double f = -1.0;
  if (reference) f = std::max(f, reference->floor_pct);
  if (kernel) f = std::max(f, kernel->floor_pct);
  return f;
}

std::string Calibration::Describe() const {
  std::string out;
  const bool kernel_decides = kernel && (!reference || kernel->floor_pct >= reference->floor_pct);
  if (kernel_decides) {
    out = DescribeAa("kernel A/A", *kernel);
    if (reference) out += "; reference A/A " + (Fixed(reference->floor_pct, 2) + "%");
  } else if (reference) {
    out = DescribeAa("reference A/A", *reference);
    if (kernel) out += "; kernel A/A " + (Fixed(kernel->floor_pct, 2) + "%");
  }
  if (!borrowed_from.empty()) out += "; borrowed from " + borrowed_from + ", the widest here";
  return out;
}

AaResult MakeAaResult(double speedup, const Interval& ci, int rounds, const std::string& isa,
                      const std::string& origin) {
  AaResult a;
  a.isa = isa;
  a.origin = origin;
  a.speedup = speedup;
  a.ci = ci;
  // The farthest from 1 the A/A's 90% CI reaches: a bias the A/A cannot
  // rule out, plus its noise (a floor of |estimate - 1| alone would let a
  // biased unchanged trial through one time in twenty).
  a.floor_pct =
      100.0 * std::max({HalfWidth(speedup, ci), std::fabs(ci.hi - 1.0), std::fabs(1.0 - ci.lo)});
  a.rounds = rounds;
  a.timestamp = IsoTimestamp();
  return a;
}

std::string CalibrationPath(const std::string& results_path) {
  return (fs::path(StateDir(results_path)) / "calibration.json").string();
}

std::optional<Calibration> LoadCalibration(const std::string& results_path,
                                           const std::string& fingerprint,
                                           const std::string& target, const std::string& isa) {
  const nlohmann::json all = Load(CalibrationPath(results_path));
  if (!all.contains(fingerprint)) return std::nullopt;
  std::optional<Calibration> widest;
  for (const auto& [id, j] : all.at(fingerprint).items()) {
    Calibration c;
    c.target = id;
    c.harness_version = j.value("harness_version", 0);
    c.reference = AaFrom(j, "reference");
    c.kernel = AaFrom(j.value("kernel", nlohmann::json::object()), isa);
    if (c.harness_version != kHarnessVersion || c.noise_floor_pct() < 0) continue;
    if (id == target) return c;
    c.borrowed_from = id;
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
  if (!entry.contains("kernel") || !entry["kernel"].is_object() ||
      entry["kernel"].contains("floor_pct")) {
    entry["kernel"] = nlohmann::json::object();  // none yet, or one without its ISA
  }
  if (kernel) entry["kernel"][kernel->isa] = AaJson(*kernel);
  WriteFileAtomically(path, all.dump(2) + "\n");
  if (lock >= 0) close(lock);
}

}  // namespace lar
