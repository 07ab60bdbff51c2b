// The static registry of targets (function-local static: no init-order
// dependence between registration files).
#include "harness/target.h"

#include "base/check.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace lar {
namespace {

std::vector<Target>& Storage() {
  static std::vector<Target> targets;
  return targets;
}

int FamilyRank(const std::string& family) {
  const auto it = std::find(std::begin(kFamilies), std::end(kFamilies), family);
  return static_cast<int>(it - std::begin(kFamilies));
}

}  // namespace

void Registry::Add(Target target) {
  std::vector<Target>& all = Storage();
  for (const Target& t : all) {
    LAR_CHECK(t.id != target.id, "target '%s' registered twice", target.id.c_str());
  }
  all.push_back(std::move(target));
  std::sort(all.begin(), all.end(), [](const Target& a, const Target& b) {
    const int ra = FamilyRank(a.family), rb = FamilyRank(b.family);
    return ra != rb ? ra < rb : a.id < b.id;
  });
}

const std::vector<Target>& Registry::All() { return Storage(); }

std::string TargetNamespace(const std::string& id) {
  std::string ns = id;
  std::replace(ns.begin(), ns.end(), '-', '_');
  return "lar::" + ns;
}

std::string TargetHeader(const std::string& id) {
  std::string file = id;
  std::replace(file.begin(), file.end(), '-', '_');
  return "targets/" + id + "/" + file + ".h";
}

const Target* Registry::Find(const std::string& id) {
  for (const Target& t : Storage()) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

}  // namespace lar
