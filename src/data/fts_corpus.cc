// Lance's FTS benchmark corpus statistics.
#include "data/fts_corpus.h"

#include <cmath>

namespace lar::data {

double ZipfTermProbability(uint32_t rank) {
  // H(V, s), summed from the small terms up for accuracy.
  static const double harmonic = [] {
    double h = 0.0;
    for (size_t k = kFtsVocabulary; k >= 1; --k) {
      h += std::pow(static_cast<double>(k), -kFtsZipfExponent);
    }
    return h;
  }();
  return std::pow(static_cast<double>(rank), -kFtsZipfExponent) / harmonic;
}

size_t ZipfDocFrequency(uint32_t rank, size_t docs) {
  // A document of length L holds the term with probability 1 - (1 - p)^L;
  // averaged over L = 1..100.
  const double p = ZipfTermProbability(rank);
  double present = 0.0;
  for (int len = 1; len <= 100; ++len) present += 1.0 - std::pow(1.0 - p, len);
  return static_cast<size_t>(std::llround(static_cast<double>(docs) * present / 100.0));
}

}  // namespace lar::data
