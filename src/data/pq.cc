// PQ partitions for workloads and batteries.
#include "data/pq.h"

#include "base/prng.h"

namespace lar::data {

PqPartition TrainPartition(const std::vector<float>& train, const std::vector<float>& base,
                           size_t dim, size_t num_sub_vectors, uint64_t seed) {
  PqPartition p;
  p.dim = dim;
  p.num_sub_vectors = num_sub_vectors;
  p.n = base.size() / dim;
  p.codebook = TrainPqCodebook(train.data(), train.size() / dim, dim, num_sub_vectors, kPqCentroids,
                               2, DeriveSeed(seed, "kmeans"));
  p.codes = EncodePq(p.codebook.data(), base.data(), p.n, dim, num_sub_vectors, kPqCentroids);
  return p;
}

PqPartition RandomPartition(VectorSource& sub_source, size_t dim, size_t num_sub_vectors, size_t n,
                            uint64_t seed) {
  PqPartition p;
  p.dim = dim;
  p.num_sub_vectors = num_sub_vectors;
  p.n = n;
  const size_t s = dim / num_sub_vectors;
  p.codebook.resize(num_sub_vectors * kPqCentroids * s);
  for (size_t row = 0; row < num_sub_vectors * kPqCentroids; ++row) {
    sub_source.Draw(p.codebook.data() + row * s);
  }
  SplitMix64 rng(DeriveSeed(seed, "codes"));
  p.codes.resize(num_sub_vectors * n);
  for (uint8_t& code : p.codes) code = static_cast<uint8_t>(rng.Next() >> 56);
  return p;
}

std::vector<PqShape> PqSpeedShapes() { return {{128, 16}, {256, 16}, {768, 96}}; }

std::vector<PqShape> PqBatteryShapes(bool quick) {
  if (quick) return {{128, 16}, {512, 16}, {24, 8}};
  return {{128, 16}, {256, 16}, {768, 96}, {64, 8}, {512, 16}, {24, 8}, {136, 8}, {256, 1}, {8, 8}};
}

std::vector<size_t> PqEdgeSizes(bool quick) {
  if (quick) return {0, 1, 15, 16, 17, 33};
  return {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 255, 257};
}

std::string PqShapeName(size_t dim, size_t num_sub_vectors) {
  return "(" + std::to_string(dim) + "," + std::to_string(num_sub_vectors) + "," +
         std::to_string(kPqCentroids) + ")";
}

}  // namespace lar::data
