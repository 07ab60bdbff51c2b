// pq-cosine workload and battery generators.
#include "targets/pq-cosine/inputs.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/prng.h"

namespace lar::pq_cosine {

using data::Distribution;

void NormalizeInPlace(float* v, size_t dim) {
  float sum = 0.0f;
  for (size_t i = 0; i < dim; ++i) sum += v[i] * v[i];
  const float norm = std::sqrt(sum);
  for (size_t i = 0; i < dim; ++i) v[i] = v[i] / norm;
}

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
  const size_t dim = spec.shape.dim;
  data::VectorSource source(spec.distribution, dim, seed);
  std::vector<float> train = source.DrawRows(spec.train_vectors);
  std::vector<float> base = source.DrawRows(spec.base_vectors);
  // The index stores unit vectors; the partition centroid is their mean.
  // An all-zero row (probability 0.9^D per sparse row: about 3% per data
  // set at D=128) stays zero instead of becoming NaN, so one row cannot
  // turn the partition mean, and with it the whole combo, into NaN.
  auto normalize_row = [dim](float* row) {
    if (std::all_of(row, row + dim, [](float v) { return v == 0.0f; })) return;
    NormalizeInPlace(row, dim);
  };
  for (size_t r = 0; r < spec.train_vectors; ++r) normalize_row(&train[r * dim]);
  for (size_t r = 0; r < spec.base_vectors; ++r) normalize_row(&base[r * dim]);
  std::vector<double> mean(dim, 0.0);
  for (size_t r = 0; r < spec.base_vectors; ++r) {
    for (size_t i = 0; i < dim; ++i) mean[i] += base[r * dim + i];
  }
  Dataset ds;
  ds.shape = spec.shape;
  ds.centroid.resize(dim);
  for (size_t i = 0; i < dim; ++i) {
    ds.centroid[i] = static_cast<float>(mean[i] / static_cast<double>(spec.base_vectors));
  }
  // PQ is trained on, and encodes, residuals to the centroid.
  for (size_t r = 0; r < spec.train_vectors; ++r) {
    for (size_t i = 0; i < dim; ++i) train[r * dim + i] -= ds.centroid[i];
  }
  for (size_t r = 0; r < spec.base_vectors; ++r) {
    for (size_t i = 0; i < dim; ++i) base[r * dim + i] -= ds.centroid[i];
  }
  data::PqPartition p = data::TrainPartition(train, base, dim, spec.shape.num_sub_vectors, seed);
  ds.n = p.n;
  ds.codebook = std::move(p.codebook);
  ds.codes = std::move(p.codes);
  return ds;
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
      {"zero query (128,16,256)", {128, 16}, Distribution::kGaussian, 100, 0, QueryKind::kZero});
  out.push_back(
      {"query with NaN (768,96,256)", {768, 96}, Distribution::kGaussian, 100, 0, QueryKind::kNaN});
  out.push_back({"query with +inf (128,16,256)",
                 {128, 16},
                 Distribution::kGaussian,
                 100,
                 0,
                 QueryKind::kPosInf});
  return out;
}

Dataset BuildRandomDataset(const BatteryCase& c, uint64_t seed) {
  // Residual-sized codebook rows (x 0.05) next to a centroid of norm 0.9:
  // "precompute centroid + codebook" rewrites cancel badly here.
  data::VectorSource sub(c.distribution, c.shape.sub_dim(), DeriveSeed(seed, "codebook"));
  data::PqPartition p = data::RandomPartition(sub, c.shape.dim, c.shape.num_sub_vectors, c.n, seed);
  for (float& v : p.codebook) v *= 0.05f;
  Dataset ds{c.shape, p.n, std::move(p.codebook), std::move(p.codes), {}};
  data::VectorSource whole(c.distribution, c.shape.dim, DeriveSeed(seed, "centroid"));
  ds.centroid = whole.DrawRows(1);
  NormalizeInPlace(ds.centroid.data(), c.shape.dim);
  for (float& v : ds.centroid) v *= 0.9f;
  return ds;
}

std::vector<float> DrawQuery(const BatteryCase& c, uint64_t seed) {
  data::VectorSource source(c.distribution, c.shape.dim, DeriveSeed(seed, "query"));
  std::vector<float> q = source.DrawRows(1);
  SplitMix64 rng(DeriveSeed(seed, "poison"));
  const size_t poisoned = rng.Below(c.shape.dim);
  switch (c.query) {
    case QueryKind::kNormal:
      break;
    case QueryKind::kZero:
      for (float& v : q) v = 0.0f;
      break;
    case QueryKind::kNaN:
      q[poisoned] = std::numeric_limits<float>::quiet_NaN();
      break;
    case QueryKind::kPosInf:
      q[poisoned] = std::numeric_limits<float>::infinity();
      break;
  }
  return q;
}

}  // namespace lar::pq_cosine
