// pq-l2 workload and battery generators.
#include "targets/pq-l2/inputs.h"

#include <limits>

#include "data/pq.h"
#include "base/prng.h"

namespace lar::pq_l2 {

using data::Distribution;

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  const size_t base = quick ? 2000 : 20000;
  const size_t train = quick ? 512 : 4096;
  std::vector<WorkloadSpec> out;
  for (const Shape shape : {Shape{128, 16}, Shape{256, 16}, Shape{768, 96}}) {
    for (Distribution d :
         {Distribution::kClustered, Distribution::kUniform, Distribution::kSparse}) {
      out.push_back({shape, d, base, train});
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
  const std::vector<Shape> shapes =
      quick ? std::vector<Shape>{{128, 16}, {512, 16}, {24, 8}}
            : std::vector<Shape>{{128, 16}, {256, 16}, {768, 96}, {64, 8}, {512, 16},
                                 {24, 8},   {136, 8},  {256, 1},  {8, 8}};
  const Distribution dists[] = {Distribution::kGaussian,   Distribution::kUniform,
                                Distribution::kSparse,     Distribution::kLargeDynamicRange,
                                Distribution::kMostlyZero, Distribution::kOffset,
                                Distribution::kClustered};
  auto shape_name = [](const Shape& s) {
    return "(" + std::to_string(s.dim) + "," + std::to_string(s.num_sub_vectors) + ",256)";
  };
  for (const Shape& shape : shapes) {
    for (Distribution d : dists) {
      out.push_back({std::string(data::DistributionName(d)) + " " + shape_name(shape) +
                         " n=" + std::to_string(n),
                     shape, d, n});
    }
  }
  const std::vector<size_t> edges =
      quick ? std::vector<size_t>{0, 1, 15, 16, 17, 33}
            : std::vector<size_t>{0,  1,  2,  3,  7,  8,  9,  15, 16,  17,
                                  31, 32, 33, 47, 48, 63, 64, 65, 255, 257};
  for (size_t e : edges) {
    out.push_back(
        {"edge n=" + std::to_string(e) + " (128,16,256)", {128, 16}, Distribution::kGaussian, e});
  }
  for (const Shape shape : {Shape{128, 16}, Shape{512, 16}, Shape{768, 96}}) {
    const size_t count = quick ? 33 : 1001;
    out.push_back({"misaligned +1 " + shape_name(shape) + " n=" + std::to_string(count), shape,
                   Distribution::kGaussian, count, 1});
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
  // Queries come from the same distribution as the codebook rows, so a
  // clustered or offset case puts the query where the centroids are.
  data::VectorSource source(c.distribution, c.shape.sub_dim(), DeriveSeed(seed, "codebook"));
  source.Reseed(DeriveSeed(seed, "query draws"));
  std::vector<float> q(c.shape.dim);
  SplitMix64 rng(DeriveSeed(seed, "query"));
  for (size_t m = 0; m < c.shape.num_sub_vectors; ++m) {
    source.Draw(q.data() + m * c.shape.sub_dim());
  }
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

}  // namespace lar::pq_l2
