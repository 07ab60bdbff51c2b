// pq-cosine reference: a scalar port of TODO(pq-cosine: the Lance function, file and
// commit) in Lance's arithmetic order, compiled with -ffp-contract=off.
// Immutable for agents.
#include "targets/pq-cosine/pq_cosine.h"

namespace lar::pq_cosine::reference {

void Run(const Shape& shape, const float* x, float* y) {
  for (size_t i = 0; i < shape.n; ++i) {
    const float ax = shape.a * x[i];  // rounded before the add, as in Lance
    y[i] = ax + shape.b;
  }
}

}  // namespace lar::pq_cosine::reference
