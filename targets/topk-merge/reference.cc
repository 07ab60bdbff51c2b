// topk-merge reference: a scalar port of TODO(topk-merge: the Lance function, file and
// commit) in Lance's arithmetic order, compiled with -ffp-contract=off.
// Immutable for agents.
#include "targets/topk-merge/topk_merge.h"

namespace lar::topk_merge::reference {

void Run(const Shape& shape, const float* x, float* y) {
  for (size_t i = 0; i < shape.n; ++i) {
    const float ax = shape.a * x[i];  // rounded before the add, as in Lance
    y[i] = ax + shape.b;
  }
}

}  // namespace lar::topk_merge::reference
