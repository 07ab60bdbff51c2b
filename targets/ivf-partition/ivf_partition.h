// ivf-partition: the kernel contract. TODO(ivf-partition): say in two sentences which Lance
// function(s) this re-creates and what one timed operation computes.
// kernels.cc implements the first block (the agent's file); reference.cc the
// second (immutable, Lance's arithmetic order).
#ifndef LAR_TARGETS_IVF_PARTITION_IVF_PARTITION_H_
#define LAR_TARGETS_IVF_PARTITION_IVF_PARTITION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <hwy/base.h>

#include "harness/target.h"

namespace lar::ivf_partition {

// TODO(ivf-partition): the shape of one problem. The scaffold's example kernel is an
// element-wise y = a * x + b over n floats (multiply, then add: no FMA, so
// it is bit-exact with the reference).
struct Shape {
  size_t n = 0;
  float a = 1.0f;
  float b = 0.0f;
};

// Input assumptions (the verify battery covers each):
// - x: float [n], any alignment, may hold NaN or +-inf; n may be 0.
// - y: float [n], written by Run.

// Kernel-owned data prepared once per problem, untimed.
class Prepared {
 public:
  virtual ~Prepared() = default;
};

// ---- kernels.cc: the agent's file --------------------------------------
// May allocate (untimed).
std::unique_ptr<Prepared> Prepare(const Shape& shape);
// One timed operation: y[i] = a * x[i] + b. Must not allocate or throw.
void Run(Prepared& prepared, const float* HWY_RESTRICT x, float* HWY_RESTRICT y);
// The HWY_TARGET this file's dispatch selects now.
int64_t KernelTarget();

// ---- reference.cc: Lance's arithmetic, scalar ---------------------------
namespace reference {
void Run(const Shape& shape, const float* x, float* y);
}  // namespace reference

// Any implementation of the contract (the shipped one, a variant build of
// another version of kernels.cc, or a broken one in the test zoo).
struct KernelApi {
  std::unique_ptr<Prepared> (*prepare)(const Shape&);
  void (*run)(Prepared&, const float*, float*);
  int64_t (*kernel_target)();
};

inline KernelApi ShippedKernel() { return {&Prepare, &Run, &KernelTarget}; }

// The registration of ivf-partition (target.cc) around any kernel implementation.
Target MakeTarget(const std::string& id, const KernelApi& api);

}  // namespace lar::ivf_partition

#endif  // LAR_TARGETS_IVF_PARTITION_IVF_PARTITION_H_
