// PQ partitions for workloads and batteries.
#include "data/pq.h"

#include "harness/prng.h"

namespace lar::data {

PqPartition TrainPartition(const std::vector<float>& train, const std::vector<float>& base,
                           size_t dim, size_t num_sub_vectors, uint64_t seed) {
  PqPartition p;
  p.dim = dim;
  p.num_sub_vectors = num_sub_vectors;
  p.n = base.size() / dim;
  p.codebook = TrainPqCodebook(train.data(), train.size() / dim, dim, num_sub_vectors,
                               kPqCentroids, 2, DeriveSeed(seed, "kmeans"));
  p.codes = EncodePq(p.codebook.data(), base.data(), p.n, dim, num_sub_vectors, kPqCentroids);
  return p;
}

PqPartition RandomPartition(VectorSource& sub_source, size_t dim, size_t num_sub_vectors,
                            size_t n, uint64_t seed) {
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

}  // namespace lar::data
