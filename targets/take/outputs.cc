// take outputs: running a take into buffers and comparing two answers.
#include "targets/take/outputs.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace lar::take {
namespace {

std::string Hex(const uint8_t* p, size_t len) {
  std::string s = "0x";
  char buf[4];
  for (size_t k = 0; k < std::min<size_t>(len, 16); ++k) {
    std::snprintf(buf, sizeof(buf), "%02x", p[k]);
    s += buf;
  }
  return len > 16 ? s + "..." : s;
}

constexpr const char* kRule = "bitwise equality (null slots by validity only)";

// Every bit of the bitmap's bytes, padding included (it must be zero).
std::optional<Mismatch> CompareValidity(const std::string& who, const uint8_t* ref,
                                        const uint8_t* got, size_t n) {
  for (size_t j = 0; j < (n + 7) / 8 * 8; ++j) {
    const bool r = BitIsSet(ref, j), g = BitIsSet(got, j);
    if (r != g) {
      return Mismatch{who + (j < n ? "validity" : "validity padding"), j, r ? "valid" : "null",
                      g ? "valid" : "null", "bitwise equality"};
    }
  }
  return std::nullopt;
}

std::optional<Mismatch> CompareStrings(const TakeSpec& s, const OutputView& ref,
                                       const OutputView& got, const std::string& who) {
  if (ref.total != got.total) {
    return Mismatch{who + "total bytes", 0, std::to_string(ref.total), std::to_string(got.total),
                    kRule};
  }
  const size_t ob = OffsetBytes(s.column);
  for (size_t j = 0; j <= s.n; ++j) {
    if (std::memcmp(ref.offsets + j * ob, got.offsets + j * ob, ob) != 0) {
      return Mismatch{who + "offsets", j, Hex(ref.offsets + j * ob, ob),
                      Hex(got.offsets + j * ob, ob), kRule};
    }
  }
  for (size_t k = 0; k < ref.total; ++k) {
    if (ref.data[k] != got.data[k]) {
      return Mismatch{who + "bytes", k, std::to_string(ref.data[k]), std::to_string(got.data[k]),
                      kRule};
    }
  }
  return std::nullopt;
}

}  // namespace

size_t OffsetBytes(const Column& c) { return c.offsets == OffsetWidth::k32 ? 4 : 8; }

Outputs MakeOutputs(const TakeSpec& s, size_t data_capacity, bool with_validity) {
  Outputs o;
  if (s.column.binary) {
    o.offsets.resize(s.n + 1);
    o.data.resize(data_capacity + 1);
  } else {
    o.values.resize(s.n * s.column.width / 8 + 1);
    if (s.column.width == 512) o.child.resize(s.n * 128);
  }
  if (with_validity) o.validity.resize((s.n + 7) / 8);
  return o;
}

OutputView ViewOf(const Outputs& o) {
  return {reinterpret_cast<const uint8_t*>(o.values.data()),
          reinterpret_cast<const uint8_t*>(o.offsets.data()), o.data.data(),
          o.validity.empty() ? nullptr : o.validity.data(), o.total};
}

void RunTake(const TakeSpec& s, const ValueData& v, const Indices& ix, Outputs* o,
             const KernelApi& api) {
  uint8_t* valid = o->validity.empty() ? nullptr : o->validity.data();
  if (s.column.binary) {
    o->total = api.take_binary(v.Binary(), ix, o->offsets.data(), o->data.data(), valid);
  } else {
    api.take_fixed(v.Fixed(), ix, reinterpret_cast<uint8_t*>(o->values.data()), valid);
  }
}

void RunReferenceTake(const TakeSpec& s, const ValueData& v, const Indices& ix, Outputs* o) {
  uint8_t* valid = o->validity.empty() ? nullptr : o->validity.data();
  if (s.column.binary) {
    o->total = reference::TakeBinary(v.Binary(), ix, o->offsets.data(), o->data.data(), valid);
  } else {
    reference::TakeFixed(v.Fixed(), ix, reinterpret_cast<uint8_t*>(o->values.data()), valid,
                         o->child.data());
  }
}

std::optional<Mismatch> CompareOutputs(const TakeSpec& s, const OutputView& ref,
                                       const OutputView& got, const std::string& who) {
  if (ref.validity != nullptr) {
    if (auto m = CompareValidity(who, ref.validity, got.validity, s.n)) return m;
  }
  if (s.column.binary) return CompareStrings(s, ref, got, who);
  const size_t w = s.column.width;
  for (size_t j = 0; j < s.n; ++j) {
    if (ref.validity != nullptr && !BitIsSet(ref.validity, j)) continue;
    if (std::memcmp(ref.values + j * w, got.values + j * w, w) != 0) {
      return Mismatch{who + "values", j, Hex(ref.values + j * w, w), Hex(got.values + j * w, w),
                      kRule};
    }
  }
  return std::nullopt;
}

}  // namespace lar::take
