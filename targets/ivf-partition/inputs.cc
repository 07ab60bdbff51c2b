// ivf-partition workload and battery generators.
#include "targets/ivf-partition/inputs.h"

#include <cmath>
#include <limits>

#include "base/prng.h"

namespace lar::ivf_partition {

using data::Distribution;

namespace {

void Normalize(float* v, size_t d) {
  float sum = 0.0f;
  for (size_t i = 0; i < d; ++i) sum += v[i] * v[i];
  const float norm = std::sqrt(sum);
  if (norm > 0.0f) {
    for (size_t i = 0; i < d; ++i) v[i] = v[i] / norm;
  }
}

}  // namespace

std::string ShapeName(const Shape& s) {
  return "(" + std::to_string(s.num_centroids) + "," + std::to_string(s.dim) + "," +
         MetricName(s.metric) + ",np=" + std::to_string(s.nprobes) + ")";
}

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  // LanceDB clients default to nprobes 20; C follows rows/8192 (256..4096)
  // up to the 16k+ set by hand for 10^8+ rows.
  std::vector<WorkloadSpec> specs = {
      {{256, 128, Metric::kL2, 20}, Distribution::kClustered},
      {{1024, 768, Metric::kL2, 20}, Distribution::kClustered},
      {{4096, 768, Metric::kL2, 20}, Distribution::kClustered},
      {{4096, 768, Metric::kL2, 20}, Distribution::kUniform},
      {{4096, 768, Metric::kDot, 20}, Distribution::kClustered},
      {{4096, 1536, Metric::kCosine, 50}, Distribution::kClustered},
      {{16384, 128, Metric::kL2, 100}, Distribution::kClustered},
      {{16384, 1536, Metric::kL2, 100}, Distribution::kClustered},
  };
  if (quick) {
    for (WorkloadSpec& s : specs)
      s.shape.num_centroids = std::max<size_t>(16, s.shape.num_centroids / 16);
  }
  return specs;
}

std::vector<float> BuildCentroids(const Shape& shape, Distribution d, uint64_t seed) {
  data::VectorSource source(d, shape.dim, seed);
  std::vector<float> c = source.DrawRows(shape.num_centroids);
  if (shape.metric == Metric::kCosine) {
    for (size_t k = 0; k < shape.num_centroids; ++k) Normalize(&c[k * shape.dim], shape.dim);
  }
  return c;
}

std::vector<BatteryCase> Battery(bool quick) {
  std::vector<BatteryCase> out;
  const Distribution dists[] = {Distribution::kGaussian,   Distribution::kUniform,
                                Distribution::kSparse,     Distribution::kLargeDynamicRange,
                                Distribution::kMostlyZero, Distribution::kOffset,
                                Distribution::kClustered};
  const std::vector<std::pair<size_t, size_t>> shapes =
      quick ? std::vector<std::pair<size_t, size_t>>{{100, 128}, {37, 17}}
            : std::vector<std::pair<size_t, size_t>>{{100, 128}, {37, 17}, {256, 3}, {64, 768}};
  for (Metric metric : {Metric::kL2, Metric::kDot, Metric::kCosine}) {
    for (Distribution d : dists) {
      for (const auto& [c, dim] : shapes) {
        const Shape shape{c, dim, metric, 10};
        out.push_back({std::string(data::DistributionName(d)) + " " + ShapeName(shape), shape, d});
      }
    }
  }
  const std::vector<size_t> edges =
      quick ? std::vector<size_t>{1, 16, 17} : std::vector<size_t>{1, 2, 15, 16, 17, 33};
  for (size_t c : edges) {
    for (size_t dim : edges) {
      for (size_t np : {size_t{1}, c, c + 5}) {
        const Shape shape{c, dim, Metric::kL2, np};
        out.push_back({"edge " + ShapeName(shape), shape, Distribution::kGaussian});
      }
    }
  }
  for (Metric metric : {Metric::kL2, Metric::kDot, Metric::kCosine}) {
    const Shape shape{96, 40, metric, 20};
    out.push_back({"duplicated centroids (ties) " + ShapeName(shape), shape, Distribution::kUniform,
                   0, true});
    out.push_back({"misaligned +1 " + ShapeName(shape), shape, Distribution::kGaussian, 1});
  }
  out.push_back({"zero query " + ShapeName({64, 32, Metric::kCosine, 8}),
                 {64, 32, Metric::kCosine, 8},
                 Distribution::kGaussian,
                 0,
                 false,
                 QueryKind::kZero});
  out.push_back({"query with NaN " + ShapeName({64, 32, Metric::kL2, 8}),
                 {64, 32, Metric::kL2, 8},
                 Distribution::kGaussian,
                 0,
                 false,
                 QueryKind::kNaN});
  return out;
}

std::vector<float> BuildCentroids(const BatteryCase& c, uint64_t seed) {
  if (!c.duplicated) return BuildCentroids(c.shape, c.distribution, seed);
  Shape distinct = c.shape;
  distinct.num_centroids = (c.shape.num_centroids + 2) / 3;
  const std::vector<float> base = BuildCentroids(distinct, c.distribution, seed);
  std::vector<float> out(c.shape.num_centroids * c.shape.dim);
  for (size_t k = 0; k < c.shape.num_centroids; ++k) {
    std::copy_n(&base[(k % distinct.num_centroids) * c.shape.dim], c.shape.dim,
                &out[k * c.shape.dim]);
  }
  return out;
}

std::vector<float> DrawQuery(const BatteryCase& c, uint64_t seed) {
  data::VectorSource source(c.distribution, c.shape.dim, DeriveSeed(seed, "query"));
  std::vector<float> q = source.DrawRows(1);
  if (c.query == QueryKind::kZero) {
    for (float& v : q) v = 0.0f;
  } else if (c.query == QueryKind::kNaN) {
    q[c.shape.dim / 2] = std::numeric_limits<float>::quiet_NaN();
  }
  return q;
}

}  // namespace lar::ivf_partition
