// The shared top-k select against a full sort, on every ISA.
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

#include "harness/compare.h"
#include "harness/isa.h"
#include "base/prng.h"
#include "simd/topk.h"

namespace lar {

TEST_SUITE("kernels") {
  TEST_CASE("SelectTopK equals sorting by (total order, index)") {
    SplitMix64 rng(5);
    for (const Isa& isa : SupportedIsas()) {
      ScopedIsa scoped(isa);
      for (size_t n : {0, 1, 5, 15, 16, 17, 63, 64, 65, 1000, 20000}) {
        for (size_t k : {1, 10, 100}) {
          INFO(isa.name, " n=", n, " k=", k);
          std::vector<float> d(n);
          for (float& v : d) {
            // Few distinct values: many ties; some NaN and negative zero.
            const uint64_t r = rng.Below(100);
            v = r == 0   ? std::numeric_limits<float>::quiet_NaN()
                : r == 1 ? -0.0f
                : r == 2 ? -std::numeric_limits<float>::quiet_NaN()
                         : static_cast<float>(rng.Below(50));
          }
          std::vector<uint32_t> order(n);
          std::iota(order.begin(), order.end(), 0u);
          std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
            return TotalOrderKey(d[a]) < TotalOrderKey(d[b]);
          });
          std::vector<uint32_t> ids(k);
          std::vector<float> out(k);
          const size_t got = SelectTopK(d.data(), n, k, ids.data(), out.data());
          REQUIRE(got == std::min(n, k));
          for (size_t i = 0; i < got; ++i) {
            CHECK(ids[i] == order[i]);
          }
        }
      }
    }
  }

}  // TEST_SUITE

}  // namespace lar
