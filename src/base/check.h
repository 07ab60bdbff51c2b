// LAR_CHECK: the one way a broken invariant stops lar (google/benchmark's
// CHECK). Expected failures are results with a status, never this: it is
// for states the code itself must not reach.
#ifndef LAR_BASE_CHECK_H_
#define LAR_BASE_CHECK_H_

#include <cstdio>
#include <cstdlib>

// Prints the condition, where, and a printf-style explanation, then aborts.
#define LAR_CHECK(condition, ...)                                                                 \
  do {                                                                                            \
    if (!(condition)) {                                                                           \
      std::fprintf(stderr, "lar: internal error at %s:%d: %s: ", __FILE__, __LINE__, #condition); \
      std::fprintf(stderr, __VA_ARGS__);                                                          \
      std::fputc('\n', stderr);                                                                   \
      std::abort();                                                                               \
    }                                                                                             \
  } while (false)

#endif  // LAR_BASE_CHECK_H_
