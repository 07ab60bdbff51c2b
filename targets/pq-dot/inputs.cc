// pq-dot workload and battery generators.
#include "targets/pq-dot/inputs.h"

#include <limits>

#include "base/prng.h"

namespace lar::pq_dot {

using data::Distribution;

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  std::vector<WorkloadSpec> out;
  for (const data::PqShape s : data::PqSpeedShapes()) {
    for (Distribution d :
         {Distribution::kClustered, Distribution::kUniform, Distribution::kSparse}) {
      out.push_back({{s.dim, s.num_sub_vectors}, d, quick ? 2000u : 20000u, quick ? 512u : 4096u});
    }
  }
  return out;
}

Dataset BuildTrainedDataset(const WorkloadSpec& spec, uint64_t seed) {
  data::VectorSource source(spec.distribution, spec.shape.dim, seed);
  const std::vector<float> train = source.DrawRows(spec.train_vectors);
  const std::vector<float> base = source.DrawRows(spec.base_vectors);
  data::PqPartition p =
      data::TrainPartition(train, base, spec.shape.dim, spec.shape.num_sub_vectors, seed);
  return {spec.shape, p.n, std::move(p.codebook), std::move(p.codes)};
}

std::vector<BatteryCase> Battery(bool quick) {
  std::vector<BatteryCase> out;
  const size_t n = quick ? 512 : 4096;
  const Distribution dists[] = {Distribution::kGaussian,   Distribution::kUniform,
                                Distribution::kSparse,     Distribution::kLargeDynamicRange,
                                Distribution::kMostlyZero, Distribution::kOffset,
                                Distribution::kClustered};
  for (const data::PqShape s : data::PqBatteryShapes(quick)) {
    for (Distribution d : dists) {
      out.push_back({std::string(data::DistributionName(d)) + " " +
                         data::PqShapeName(s.dim, s.num_sub_vectors) + " n=" + std::to_string(n),
                     {s.dim, s.num_sub_vectors},
                     d,
                     n});
    }
  }
  for (size_t e : data::PqEdgeSizes(quick)) {
    out.push_back(
        {"edge n=" + std::to_string(e) + " (128,16,256)", {128, 16}, Distribution::kGaussian, e});
  }
  for (const data::PqShape s : data::PqSpeedShapes()) {
    const size_t count = quick ? 33 : 1001;
    out.push_back({"misaligned +1 " + data::PqShapeName(s.dim, s.num_sub_vectors) +
                       " n=" + std::to_string(count),
                   {s.dim, s.num_sub_vectors},
                   Distribution::kGaussian,
                   count,
                   1});
  }
  out.push_back(
      {"query with NaN (128,16,256)", {128, 16}, Distribution::kGaussian, 100, 0, QueryKind::kNaN});
  out.push_back({"query with +inf (128,16,256)",
                 {128, 16},
                 Distribution::kGaussian,
                 100,
                 0,
                 QueryKind::kPosInf});
  out.push_back({"query with -inf (512,16,256)",
                 {512, 16},
                 Distribution::kGaussian,
                 100,
                 0,
                 QueryKind::kNegInf});
  return out;
}

Dataset BuildRandomDataset(const BatteryCase& c, uint64_t seed) {
  data::VectorSource source(c.distribution, c.shape.sub_dim(), DeriveSeed(seed, "codebook"));
  data::PqPartition p =
      data::RandomPartition(source, c.shape.dim, c.shape.num_sub_vectors, c.n, seed);
  return {c.shape, p.n, std::move(p.codebook), std::move(p.codes)};
}

std::vector<float> DrawQuery(const BatteryCase& c, uint64_t seed) {
  data::VectorSource source(c.distribution, c.shape.sub_dim(), DeriveSeed(seed, "codebook"));
  source.Reseed(DeriveSeed(seed, "query draws"));
  std::vector<float> q(c.shape.dim);
  for (size_t m = 0; m < c.shape.num_sub_vectors; ++m) {
    source.Draw(q.data() + m * c.shape.sub_dim());
  }
  SplitMix64 rng(DeriveSeed(seed, "query"));
  const size_t poisoned = c.shape.dim == 0 ? 0 : rng.Below(c.shape.dim);
  switch (c.query) {
    case QueryKind::kNormal:
      break;
    case QueryKind::kNaN:
      q[poisoned] = std::numeric_limits<float>::quiet_NaN();
      break;
    case QueryKind::kPosInf:
      q[poisoned] = std::numeric_limits<float>::infinity();
      break;
    case QueryKind::kNegInf:
      q[poisoned] = -std::numeric_limits<float>::infinity();
      break;
  }
  return q;
}

}  // namespace lar::pq_dot
