// StrFormat and Join.
#include "base/strings.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace lar {

std::string StrFormat(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(out.data(), out.size() + 1, format, again);
  va_end(again);
  return out;
}

std::string Fixed(double v, int decimals) {
  if (std::isnan(v)) return "n/a";
  return StrFormat("%.*f", decimals, v);
}

std::string Pct(double fraction, int decimals) {
  if (std::isnan(fraction)) return "n/a";
  return StrFormat("%+.*f%%", decimals, 100.0 * fraction);
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

}  // namespace lar
