// What a measurement ran on: the machine fingerprint the gate keys on,
// whether the CPU is emulated, and resource readings (peak RSS).
#ifndef LAR_HARNESS_SYSINFO_H_
#define LAR_HARNESS_SYSINFO_H_

#include <string>
#include <vector>

namespace lar {

struct MachineInfo {
  std::string host;
  std::string cpu_model;
  int cores = 0;
  std::string kernel;
  std::string compiler;
  std::string build_flags;
  std::string lar_version;
  std::string git_describe;
  std::string hwy_version;
  std::vector<std::string> compiled_isas;   // best first
  std::vector<std::string> supported_isas;  // compiled and runnable here
  std::string best_isa;
};

MachineInfo DescribeMachine();

// Identifies "the same machine and build" for the gate: CPU model, core
// count, compiler, build flags and ISA set (not the host name, which changes
// with every VM of the same kind).
std::string Fingerprint(const MachineInfo& m);

// Why timings in this process would be meaningless because the CPU is
// emulated, or "" when nothing says so: $LAR_EMULATED set to anything but
// "" or "0" (scripts/test-arm.sh sets it under qemu), or /proc/cpuinfo
// describing a CPU of another architecture than this binary's (the user
// mode of qemu 7.2, Debian 12's, passes the host's file through: an aarch64
// lar on an x86 host reads "vendor_id"). Emulators that also fake
// /proc/cpuinfo are caught only by the variable.
std::string EmulationReason();

// Peak resident set size of this process, MB (getrusage).
double PeakRssMb();

// Local time as ISO 8601 with offset, e.g. 2026-11-24T10:31:02+0000.
std::string IsoTimestamp();

}  // namespace lar

#endif  // LAR_HARNESS_SYSINFO_H_
