// Distributions and the quick PQ training used to build workloads.
#include "data/vectors.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lar::data {
namespace {

// Squared distances from x (s floats) to k centroids stored transposed
// [s][k]; the inner loop runs over centroids so it vectorizes without
// reassociating any sum.
void DistancesToCentroids(const float* x, const float* transposed, size_t s, size_t k, float* acc) {
  std::fill(acc, acc + k, 0.0f);
  for (size_t d = 0; d < s; ++d) {
    const float xd = x[d];
    const float* row = transposed + d * k;
    for (size_t c = 0; c < k; ++c) {
      const float diff = xd - row[c];
      acc[c] += diff * diff;
    }
  }
}

size_t ArgMin(const float* v, size_t n) {
  size_t best = 0;
  for (size_t i = 1; i < n; ++i) {
    if (v[i] < v[best]) best = i;
  }
  return best;
}

// Centroids of one sub-vector [k][s] -> [s][k].
std::vector<float> Transpose(const float* centroids, size_t k, size_t s) {
  std::vector<float> t(k * s);
  for (size_t c = 0; c < k; ++c) {
    for (size_t d = 0; d < s; ++d) t[d * k + c] = centroids[c * s + d];
  }
  return t;
}

}  // namespace

const char* DistributionName(Distribution d) {
  switch (d) {
    case Distribution::kClustered:
      return "clustered";
    case Distribution::kUniform:
      return "uniform";
    case Distribution::kSparse:
      return "sparse";
    case Distribution::kGaussian:
      return "gaussian";
    case Distribution::kLargeDynamicRange:
      return "large_dynamic_range";
    case Distribution::kMostlyZero:
      return "mostly_zero";
    case Distribution::kOffset:
      return "offset";
  }
  return "?";
}

VectorSource::VectorSource(Distribution distribution, size_t dim, uint64_t seed)
    : distribution_(distribution), dim_(dim), rng_(DeriveSeed(seed, "draws")) {
  if (distribution_ == Distribution::kClustered) {
    SplitMix64 centre_rng(DeriveSeed(seed, "centres"));
    centres_.resize(kCentres * dim_);
    for (float& c : centres_) c = static_cast<float>(centre_rng.Normal());
  }
}

void VectorSource::Draw(float* out) {
  switch (distribution_) {
    case Distribution::kClustered: {
      const float* centre = centres_.data() + rng_.Below(kCentres) * dim_;
      for (size_t i = 0; i < dim_; ++i) {
        out[i] = centre[i] + 0.10f * static_cast<float>(rng_.Normal());
      }
      break;
    }
    case Distribution::kUniform:
      for (size_t i = 0; i < dim_; ++i) {
        out[i] = static_cast<float>(rng_.Uniform(-1.0, 1.0));
      }
      break;
    case Distribution::kSparse:
    case Distribution::kMostlyZero: {
      const double zero = distribution_ == Distribution::kSparse ? 0.90 : 0.99;
      for (size_t i = 0; i < dim_; ++i) {
        out[i] = rng_.Uniform01() < zero ? 0.0f : static_cast<float>(rng_.Normal());
      }
      break;
    }
    case Distribution::kGaussian:
      for (size_t i = 0; i < dim_; ++i) out[i] = static_cast<float>(rng_.Normal());
      break;
    case Distribution::kLargeDynamicRange: {
      static constexpr float kScales[3] = {1e-3f, 1.0f, 1e3f};
      for (size_t i = 0; i < dim_; ++i) {
        out[i] = static_cast<float>(rng_.Normal()) * kScales[rng_.Below(3)];
      }
      break;
    }
    case Distribution::kOffset:
      for (size_t i = 0; i < dim_; ++i) {
        out[i] = 1000.0f + static_cast<float>(rng_.Normal());
      }
      break;
  }
}

std::vector<float> VectorSource::DrawRows(size_t rows) {
  std::vector<float> out(rows * dim_);
  for (size_t r = 0; r < rows; ++r) Draw(out.data() + r * dim_);
  return out;
}

std::vector<float> TrainPqCodebook(const float* train, size_t rows, size_t dim, size_t m, size_t k,
                                   int iterations, uint64_t seed) {
  const size_t s = dim / m;
  std::vector<float> codebook(m * k * s);
  SplitMix64 rng(seed);
  std::vector<float> sub(rows * s), acc(k), sums(k * s);
  std::vector<size_t> counts(k), pick(rows);
  for (size_t sv = 0; sv < m; ++sv) {
    for (size_t r = 0; r < rows; ++r) {
      std::copy_n(train + r * dim + sv * s, s, sub.data() + r * s);
    }
    float* centroids = codebook.data() + sv * k * s;
    // Random init: k distinct rows (partial Fisher-Yates); with fewer rows
    // than centroids, rows repeat.
    for (size_t r = 0; r < rows; ++r) pick[r] = r;
    for (size_t c = 0; c < k; ++c) {
      const size_t slot = c % rows;
      if (slot == c) {
        std::swap(pick[slot], pick[slot + rng.Below(rows - slot)]);
      }
      std::copy_n(sub.data() + pick[slot] * s, s, centroids + c * s);
    }
    for (int it = 0; it < iterations; ++it) {
      const std::vector<float> t = Transpose(centroids, k, s);
      std::fill(sums.begin(), sums.end(), 0.0f);
      std::fill(counts.begin(), counts.end(), 0);
      for (size_t r = 0; r < rows; ++r) {
        DistancesToCentroids(sub.data() + r * s, t.data(), s, k, acc.data());
        const size_t c = ArgMin(acc.data(), k);
        ++counts[c];
        for (size_t d = 0; d < s; ++d) sums[c * s + d] += sub[r * s + d];
      }
      for (size_t c = 0; c < k; ++c) {
        if (counts[c] == 0) continue;
        for (size_t d = 0; d < s; ++d) {
          centroids[c * s + d] = sums[c * s + d] / static_cast<float>(counts[c]);
        }
      }
    }
  }
  return codebook;
}

std::vector<uint8_t> EncodePq(const float* codebook, const float* base, size_t rows, size_t dim,
                              size_t m, size_t k) {
  const size_t s = dim / m;
  std::vector<uint8_t> codes(m * rows);
  std::vector<float> acc(k);
  for (size_t sv = 0; sv < m; ++sv) {
    const std::vector<float> t = Transpose(codebook + sv * k * s, k, s);
    for (size_t r = 0; r < rows; ++r) {
      DistancesToCentroids(base + r * dim + sv * s, t.data(), s, k, acc.data());
      codes[sv * rows + r] = static_cast<uint8_t>(ArgMin(acc.data(), k));
    }
  }
  return codes;
}

}  // namespace lar::data
