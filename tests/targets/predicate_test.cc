// predicate's reference against arrow-rs facts written out by hand (query.md
// s5.2): total order for floats, nulls masked out of the selection, zero
// padding after negated ops, BETWEEN with lo > hi; then the shipped kernel
// against the reference on the same inputs, on every ISA.
#include <doctest/doctest.h>

#include <cstring>
#include <limits>
#include <vector>

#include "harness/isa.h"
#include "targets/predicate/predicate.h"

namespace lar::predicate {
namespace {

template <typename T>
uint64_t Select(const std::vector<T>& x, Op op, T lo, T hi = T{},
                const std::vector<uint8_t>& validity = {}, size_t offset = 0) {
  const Column c{x.data(), validity.empty() ? nullptr : validity.data(), offset, x.size()};
  Type type = Type::kI32;
  if constexpr (std::is_same_v<T, int64_t>) type = Type::kI64;
  if constexpr (std::is_same_v<T, float>) type = Type::kF32;
  if constexpr (std::is_same_v<T, double>) type = Type::kF64;
  const Predicate p{type, op, LiteralBits(lo), LiteralBits(hi)};
  uint64_t ref = 0xDEAD, got = 0xBEEF;
  reference::Evaluate(c, p, &ref);
  for (const Isa& isa : SupportedIsas()) {
    ScopedIsa scoped(isa);
    Evaluate(c, p, &got);
    INFO(isa.name);
    CHECK(got == ref);
  }
  return ref;
}

}  // namespace

TEST_SUITE("kernels") {
  TEST_CASE("predicate: floats compare by IEEE totalOrder, as arrow-rs") {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    //                          0     1     2    3     4     5     6
    const std::vector<float> x{-0.0f, 0.0f, nan, -nan, inf, -inf, 1.0f};
    CHECK(Select(x, Op::kEq, 0.0f) == 0b0000010);   // -0.0 is not 0.0
    CHECK(Select(x, Op::kEq, nan) == 0b0000100);    // NaN == NaN, same bits
    CHECK(Select(x, Op::kLt, 0.0f) == 0b0101001);   // -0.0, -NaN, -inf
    CHECK(Select(x, Op::kGt, 1e30f) == 0b0010100);  // NaN sorts above +inf
    CHECK(Select(x, Op::kLe, -inf) == 0b0101000);   // -NaN sorts below -inf
    CHECK(Select(x, Op::kNe, 1.0f) == 0b0111111);   // padding stays zero
    CHECK(Select(x, Op::kBetween, -0.0f, 1.0f) == 0b1000011);
    CHECK(Select(x, Op::kBetween, 1.0f, -1.0f) == 0);  // lo > hi: empty
  }

  TEST_CASE("predicate: integers are signed; nulls are masked out at any bit offset") {
    const std::vector<int64_t> x{std::numeric_limits<int64_t>::min(), -1, 0, 1,
                                 std::numeric_limits<int64_t>::max()};
    CHECK(Select<int64_t>(x, Op::kLt, 0) == 0b00011);
    CHECK(Select<int64_t>(x, Op::kGe, std::numeric_limits<int64_t>::min()) == 0b11111);
    // Offset 3: rows 0..5 are bits 3..8, LSB-first across the byte
    // boundary: valid = 1, 0, 1, 1, 0, 1.
    const std::vector<uint8_t> validity{0b01101000, 0b1};
    const std::vector<int32_t> y{5, 5, 5, 5, 5, 5};
    CHECK(Select<int32_t>(y, Op::kEq, 5, 0, validity, 3) == 0b101101);
    const std::vector<uint8_t> none{0, 0};
    CHECK(Select<int32_t>(y, Op::kNe, 4, 0, none, 3) == 0);  // all null
  }
}

}  // namespace lar::predicate
