// ivf-partition workload and battery generators.
#include "targets/ivf-partition/inputs.h"

#include <limits>

#include "harness/prng.h"

namespace lar::ivf_partition {

using data::Distribution;

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  std::vector<WorkloadSpec> out;
  for (size_t n : {size_t{1024}, size_t{65536}}) {
    for (Distribution d : {Distribution::kUniform, Distribution::kGaussian}) {
      out.push_back({{quick ? n / 4 : n, 1.5f, -0.25f}, d});
    }
  }
  return out;
}

std::vector<BatteryCase> Battery(bool quick) {
  std::vector<BatteryCase> out;
  const Distribution dists[] = {Distribution::kGaussian, Distribution::kUniform,
                                Distribution::kLargeDynamicRange, Distribution::kMostlyZero,
                                Distribution::kOffset};
  const std::vector<size_t> sizes =
      quick ? std::vector<size_t>{0, 1, 15, 16, 17, 1000}
            : std::vector<size_t>{0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65,
                                  1000, 4099};
  for (Distribution d : dists) {
    for (size_t n : sizes) {
      out.push_back({std::string(data::DistributionName(d)) + " n=" + std::to_string(n),
                     {n, 1.5f, -0.25f}, d});
    }
  }
  out.push_back({"misaligned +1 n=1001", {1001, 3.0f, 1.0f}, Distribution::kGaussian, 1});
  return out;
}

std::vector<float> DrawInput(const BatteryCase& c, uint64_t seed) {
  std::vector<float> x(c.shape.n);
  if (c.shape.n == 0) return x;
  data::VectorSource source(c.distribution, c.shape.n, seed);
  source.Draw(x.data());
  // NaN and infinities must propagate as in Lance.
  if (c.shape.n >= 3) {
    x[0] = std::numeric_limits<float>::quiet_NaN();
    x[1] = std::numeric_limits<float>::infinity();
    x[2] = -std::numeric_limits<float>::infinity();
  }
  return x;
}

}  // namespace lar::ivf_partition
