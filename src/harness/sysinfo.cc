// Machine fingerprint, peak RSS and timestamps.
#include "harness/sysinfo.h"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <thread>

#include <hwy/highway.h>

#include "base/strings.h"
#include "harness/isa.h"
#include "harness/version.h"
#include "lar_config.h"

namespace lar {
namespace {

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        size_t start = line.find_first_not_of(" \t", colon + 1);
        return start == std::string::npos ? "" : line.substr(start);
      }
    }
  }
  return "unknown";
}

// FNV-1a, printed as 12 hex digits: short enough for a TSV column.
std::string ShortHash(const std::string& s) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ull;
  return StrFormat("%012llx", static_cast<unsigned long long>(h & 0xFFFFFFFFFFFFull));
}

// The architecture lar was compiled for, as uname -m spells it.
constexpr const char* kBinaryArch =
#if defined(__x86_64__)
    "x86_64";
#elif defined(__aarch64__)
    "aarch64";
#else
    "";
#endif

// The architecture /proc/cpuinfo describes, from the fields only one
// kernel port prints, or "" when it says neither.
std::string CpuinfoArch() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("vendor_id", 0) == 0) return "x86_64";
    if (line.rfind("CPU implementer", 0) == 0) return "aarch64";
  }
  return "";
}

}  // namespace

std::string EmulationReason() {
  const char* flag = std::getenv("LAR_EMULATED");
  if (flag != nullptr && *flag != '\0' && std::string(flag) != "0") {
    return StrFormat("LAR_EMULATED=%s", flag);
  }
  const std::string cpu = CpuinfoArch();
  if (*kBinaryArch != '\0' && !cpu.empty() && cpu != kBinaryArch) {
    return StrFormat("an %s lar on an %s CPU, per /proc/cpuinfo", kBinaryArch, cpu.c_str());
  }
  return "";
}

MachineInfo DescribeMachine() {
  MachineInfo m;
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) == 0) m.host = host;
  m.cpu_model = CpuModel();
  m.cores = static_cast<int>(std::thread::hardware_concurrency());
  utsname u;
  if (uname(&u) == 0) m.kernel = std::string(u.sysname) + " " + u.release;
  m.compiler = LAR_COMPILER;
  m.build_flags = LAR_BUILD_FLAGS;
  m.lar_version = Version();
  m.git_describe = GitDescribe();
  m.hwy_version =
      std::to_string(HWY_MAJOR) + "." + std::to_string(HWY_MINOR) + "." + std::to_string(HWY_PATCH);
  for (const Isa& isa : CompiledIsas()) m.compiled_isas.push_back(isa.name);
  for (const Isa& isa : SupportedIsas()) m.supported_isas.push_back(isa.name);
  m.best_isa = m.supported_isas.empty() ? "" : m.supported_isas.front();
  return m;
}

std::string Fingerprint(const MachineInfo& m) {
  std::string key =
      m.cpu_model + "|" + std::to_string(m.cores) + "|" + m.compiler + "|" + m.build_flags + "|";
  for (const std::string& isa : m.supported_isas) key += isa + ",";
  return ShortHash(key);
}

double PeakRssMb() {
  rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return 0.0;
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
}

std::string IsoTimestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm;
  localtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm);
  return buf;
}

}  // namespace lar
