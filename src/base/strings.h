// String helpers every layer uses: one printf-checked formatter (the
// compiler checks each format against its arguments) and a join.
#ifndef LAR_BASE_STRINGS_H_
#define LAR_BASE_STRINGS_H_

#include <string>
#include <string_view>
#include <vector>

namespace lar {

// printf into a std::string, any length.
std::string StrFormat(const char* format, ...) __attribute__((format(printf, 1, 2)));

// `v` with `decimals` decimals ("n/a" for NaN): "%.*f".
std::string Fixed(double v, int decimals);

// A fraction as a signed percentage ("+1.2%"; "n/a" for NaN).
std::string Pct(double fraction, int decimals = 1);

// The parts with `separator` between them.
std::string Join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace lar

#endif  // LAR_BASE_STRINGS_H_
