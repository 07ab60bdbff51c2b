// predicate workload and battery generators.
#include "targets/predicate/inputs.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>

#include "harness/slot_combo.h"

namespace lar::predicate {
namespace {

// Distinct values of a speed column: 1,000 levels, so a literal at level L
// keeps exactly L / 1000 of the rows under `<`.
constexpr uint64_t kLevels = 1000;

// The value at a level, as the type's bits: dates (days since the epoch,
// 2019-2022), timestamps (microseconds, one per day from 2020-09), prices.
uint64_t LevelBits(Type type, uint64_t level) {
  const auto k = static_cast<int64_t>(level);
  switch (type) {
    case Type::kI32:
      return LiteralBits(static_cast<int32_t>(18000 + k));
    case Type::kI64:
      return LiteralBits(int64_t{1'600'000'000'000'000} + k * int64_t{86'400'000'000});
    case Type::kF32:
      return LiteralBits(-125.0f + 0.25f * static_cast<float>(k));
    case Type::kF64:
      return LiteralBits(10.0 + 0.01 * static_cast<double>(k));
  }
  return 0;
}

void Put(ColumnData* c, size_t i, uint64_t bits) {
  std::memcpy(reinterpret_cast<uint8_t*>(c->values.data()) + i * TypeBytes(c->type), &bits,
              TypeBytes(c->type));
}

uint64_t Get(const ColumnData& c, size_t i) {
  uint64_t bits = 0;
  std::memcpy(&bits, reinterpret_cast<const uint8_t*>(c.values.data()) + i * TypeBytes(c.type),
              TypeBytes(c.type));
  return bits;
}

void Allocate(Type type, size_t rows, ColumnData* c) {
  c->type = type;
  c->rows = rows;
  c->values.assign((rows * TypeBytes(type) + 7) / 8 + 1, 0);
}

// Validity of `rows` rows at bit `offset`: each valid with `p_valid`; the
// bits around them (before the offset, after the last row) are random, as
// in a slice of a longer array.
void DrawValidity(size_t rows, size_t offset, double p_valid, SplitMix64& rng, ColumnData* c) {
  c->nullable = true;
  c->validity_offset = offset;
  c->validity.assign((offset + rows + 7) / 8, 0);
  for (size_t bit = 0; bit < c->validity.size() * 8; ++bit) {
    const bool in_rows = bit >= offset && bit < offset + rows;
    const bool set = in_rows ? rng.Uniform01() < p_valid : rng.Below(2) == 1;
    if (set) c->validity[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
  }
}

// Bit patterns where comparisons go wrong: NaNs of both signs and several
// payloads, +-0, +-inf, subnormals, the extremes; integer extremes.
std::vector<uint64_t> SpecialBits(Type type) {
  switch (type) {
    case Type::kI32:
      return {0x80000000u, 0x80000001u, 0xFFFFFFFFu, 0, 1, 0x7FFFFFFEu, 0x7FFFFFFFu, 18500};
    case Type::kI64:
      return {0x8000000000000000ull, 0x8000000000000001ull, ~0ull, 0, 1, 0x7FFFFFFFFFFFFFFEull,
              0x7FFFFFFFFFFFFFFFull, 0x00000000FFFFFFFFull};
    case Type::kF32:
      return {0x7FC00000u, 0xFFC00000u, 0x7F800001u, 0xFFFFFFFFu, 0x7FFFFFFFu,
              0x7F800000u, 0xFF800000u, 0x80000000u, 0x00000000u, 0x00000001u,
              0x80000001u, 0x7F7FFFFFu, 0xFF7FFFFFu, 0x3F800000u, 0xBF800000u};
    case Type::kF64:
      return {0x7FF8000000000000ull,
              0xFFF8000000000000ull,
              0x7FF0000000000001ull,
              ~0ull,
              0x7FFFFFFFFFFFFFFFull,
              0x7FF0000000000000ull,
              0xFFF0000000000000ull,
              0x8000000000000000ull,
              0,
              1,
              0x8000000000000001ull,
              0x7FEFFFFFFFFFFFFFull,
              0xFFEFFFFFFFFFFFFFull,
              0x3FF0000000000000ull,
              0xBFF0000000000000ull};
  }
  return {};
}

uint64_t RandomBits(Type type, SplitMix64& rng) {
  const uint64_t bits = rng.Next();
  return TypeBytes(type) == 4 ? bits & 0xFFFFFFFFu : bits;
}

uint64_t DrawValue(Values kind, Type type, const std::vector<uint64_t>& special, SplitMix64& rng) {
  switch (kind) {
    case Values::kLevels:
    case Values::kEqual:
      return LevelBits(type, rng.Below(kLevels));
    case Values::kRandom:
      return RandomBits(type, rng);
    case Values::kSpecial:
      return special[rng.Below(special.size())];
  }
  return 0;
}

}  // namespace

// ---- Speed workloads ------------------------------------------------------

std::vector<WorkloadSpec> SpeedWorkloads(bool quick) {
  // One op per selectivity, so every kind of comparison is timed: == picks
  // one level of 1,000; between, >= and > keep a range.
  const std::vector<std::pair<Op, double>> selectivities = {
      {Op::kEq, 0.001}, {Op::kLt, 0.01}, {Op::kBetween, 0.10}, {Op::kGe, 0.50}, {Op::kGt, 0.90}};
  if (quick) {
    return {{Type::kI32, 8192, Op::kEq, 0.001},
            {Type::kF64, 8192, Op::kBetween, 0.10},
            {Type::kF32, (size_t{1} << 16) + 5, Op::kGe, 0.50}};
  }
  std::vector<WorkloadSpec> out;
  for (Type t : {Type::kI32, Type::kI64, Type::kF32, Type::kF64}) {
    for (const auto& [op, s] : selectivities) out.push_back({t, 8192, op, s});
  }
  // The scan: the narrowest and the widest type.
  for (Type t : {Type::kI32, Type::kF64}) {
    for (const auto& [op, s] : selectivities) out.push_back({t, size_t{1} << 24, op, s});
  }
  return out;
}

std::string ShapeName(const WorkloadSpec& w) {
  const std::string rows =
      w.n >= (size_t{1} << 20) ? std::to_string(w.n >> 20) + "M" : std::to_string(w.n);
  return std::string("(") + TypeName(w.type) + ",n=" + rows + ")";
}

std::string DistributionName(const WorkloadSpec& w) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%s %g%%", OpName(w.op), 100.0 * w.selectivity);
  return buf;
}

namespace {

// The column in this process's own pages: a scan column is built once in
// the parent (CachedData) and would otherwise be read from the same
// physical pages by every child process, so whatever their placement does
// to DRAM bandwidth would be one fixed draw per run, invisible to a CI
// across processes. Copied once per process and key.
std::shared_ptr<const ColumnData> OwnCopy(const std::string& key,
                                          std::shared_ptr<const ColumnData> shared) {
  static std::mutex mu;
  static std::map<std::string, std::pair<pid_t, std::shared_ptr<const ColumnData>>> copies;
  std::lock_guard<std::mutex> lock(mu);
  auto& [pid, copy] = copies[key];
  if (pid != getpid() || !copy) {
    copy = std::make_shared<const ColumnData>(*shared);
    pid = getpid();
  }
  return copy;
}

}  // namespace

SpeedData BuildSpeedData(const WorkloadSpec& spec, bool cached) {
  SpeedData d;
  d.spec = spec;
  // Batches: 64 of them (4 MiB of i64), so consecutive operations read
  // different rows, as consecutive batches of a scan do.
  d.batches = spec.n <= 8192 ? 64 : 1;
  const size_t rows = d.batches * spec.n;
  const std::string key = std::string("predicate ") + TypeName(spec.type) + " " +
                          std::to_string(spec.n) + "x" + std::to_string(d.batches);
  auto build = [&]() {
    ColumnData c;
    Allocate(spec.type, rows, &c);
    SplitMix64 rng(DeriveSeed(0x9E3D1CA7Eull, key.c_str()));
    for (size_t i = 0; i < rows; ++i) Put(&c, i, LevelBits(spec.type, rng.Below(kLevels)));
    if (d.batches > 1) DrawValidity(rows, 0, 0.99, rng, &c);
    return c;
  };
  d.column = cached ? CachedData<ColumnData>(key, build) : std::make_shared<ColumnData>(build());
  if (cached && rows > (size_t{1} << 20)) d.column = OwnCopy(key, d.column);
  return d;
}

void DrawSlot(const SpeedData& data, SplitMix64& rng, Slot* slot) {
  const Type t = data.spec.type;
  // The literal's level for the selectivity, moved by up to +-10% of it.
  const auto level = static_cast<int64_t>(data.spec.selectivity * kLevels);
  const int64_t jitter = std::max<int64_t>(level / 10, 0);
  const int64_t moved = level + static_cast<int64_t>(rng.Below(2 * jitter + 1)) - jitter;
  slot->batch = rng.Below(data.batches);
  slot->predicate = {t, data.spec.op, 0, 0};
  switch (data.spec.op) {
    case Op::kEq:
      slot->predicate.lo = LevelBits(t, rng.Below(kLevels));
      break;
    case Op::kLt:
      slot->predicate.lo = LevelBits(t, static_cast<uint64_t>(moved));
      break;
    case Op::kGe:
      slot->predicate.lo = LevelBits(t, kLevels - static_cast<uint64_t>(moved));
      break;
    case Op::kGt:
      slot->predicate.lo = LevelBits(t, kLevels - 1 - static_cast<uint64_t>(moved));
      break;
    default: {  // kBetween: `level` consecutive levels anywhere
      const uint64_t from = rng.Below(kLevels - static_cast<uint64_t>(level) + 1);
      slot->predicate.lo = LevelBits(t, from);
      slot->predicate.hi = LevelBits(t, from + static_cast<uint64_t>(level) - 1);
      break;
    }
  }
}

// ---- Battery ---------------------------------------------------------------

namespace {

const char* ValuesName(Values v) {
  static constexpr const char* kNames[] = {"levels", "random", "special", "equal"};
  return kNames[static_cast<size_t>(v)];
}
const char* NullsName(Nulls n) {
  static constexpr const char* kNames[] = {"no-buffer", "no-null", "some-null", "half-null",
                                           "all-null"};
  return kNames[static_cast<size_t>(n)];
}

}  // namespace

std::vector<BatteryCase> Battery(bool quick) {
  const std::vector<size_t> sizes =
      quick ? std::vector<size_t>{0, 1, 63, 65, 200, 8205}
            : std::vector<size_t>{0,  1,  2,  7,  8,   15,  16,  17,  31,   32,
                                  33, 63, 64, 65, 127, 128, 129, 200, 1000, 8205};
  const Values kinds[] = {Values::kLevels, Values::kRandom, Values::kSpecial, Values::kEqual,
                          Values::kSpecial};
  const Nulls nulls[] = {Nulls::kNone, Nulls::kSome, Nulls::kNoNull, Nulls::kHalf,
                         Nulls::kSome, Nulls::kNone, Nulls::kAllNull};
  const size_t offsets[] = {0, 3, 0, 61, 13, 0, 7};
  std::vector<BatteryCase> out;
  auto add = [&](Type t, Op o, size_t n, Values v, Nulls nl, size_t offset, size_t misalign) {
    std::string name = std::string(TypeName(t)) + " " + OpName(o) + " n=" + std::to_string(n) +
                       " " + ValuesName(v) + " " + NullsName(nl);
    if (offset != 0) name += " offset=" + std::to_string(offset);
    if (misalign != 0) name += " misaligned+" + std::to_string(misalign);
    out.push_back({name, t, o, n, v, nl, offset, misalign});
  };
  for (size_t ti = 0; ti < kTypeCount; ++ti) {
    for (size_t oi = 0; oi < kOpCount; ++oi) {
      const auto t = static_cast<Type>(ti);
      const auto o = static_cast<Op>(oi);
      for (size_t i = 0; i < sizes.size(); ++i) {
        const size_t r = i + ti + oi;  // rotates the mix across types and ops
        const Nulls nl = nulls[r % std::size(nulls)];
        add(t, o, sizes[i], kinds[r % std::size(kinds)], nl,
            nl == Nulls::kNone ? 0 : offsets[r % std::size(offsets)], 0);
      }
      add(t, o, 129, Values::kSpecial, Nulls::kAllNull, 5, 0);
      add(t, o, 1000, Values::kEqual, Nulls::kNoNull, 0, 0);
      add(t, o, 1001, Values::kSpecial, Nulls::kSome, 7, 1);
      if (!quick) add(t, o, 4099, Values::kRandom, Nulls::kNone, 0, 3);
    }
  }
  return out;
}

void DrawCase(const BatteryCase& c, uint64_t seed, ColumnData* column, Predicate* predicate) {
  SplitMix64 rng(seed);
  const std::vector<uint64_t> special = SpecialBits(c.type);
  Allocate(c.type, c.n, column);
  // Literals first, so kEqual can fill the column with one of them; random
  // columns take a literal from their own rows half the time (== hits).
  uint64_t lo, hi;
  if (c.values == Values::kLevels || c.values == Values::kEqual) {
    // Usually lo <= hi (a non-empty range), 1 in 4 cases reversed.
    uint64_t a = rng.Below(kLevels), b = rng.Below(kLevels);
    if ((a > b) != (rng.Below(4) == 0)) std::swap(a, b);
    lo = LevelBits(c.type, a);
    hi = LevelBits(c.type, b);
  } else {
    lo = DrawValue(Values::kSpecial, c.type, special, rng);
    hi = DrawValue(Values::kSpecial, c.type, special, rng);
  }
  for (size_t i = 0; i < c.n; ++i) {
    Put(column, i, c.values == Values::kEqual ? lo : DrawValue(c.values, c.type, special, rng));
  }
  if (c.values == Values::kRandom && c.n > 0 && rng.Below(2) == 0) {
    lo = Get(*column, rng.Below(c.n));
    hi = Get(*column, rng.Below(c.n));
  }
  *predicate = {c.type, c.op, lo, hi};
  switch (c.nulls) {
    case Nulls::kNone:
      break;
    case Nulls::kNoNull:
      DrawValidity(c.n, c.validity_offset, 1.0, rng, column);
      break;
    case Nulls::kSome:
      DrawValidity(c.n, c.validity_offset, 0.875, rng, column);
      break;
    case Nulls::kHalf:
      DrawValidity(c.n, c.validity_offset, 0.5, rng, column);
      break;
    case Nulls::kAllNull:
      DrawValidity(c.n, c.validity_offset, 0.0, rng, column);
      break;
  }
}

}  // namespace lar::predicate
