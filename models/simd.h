// Helpers for the few inner loops of models/ that are written as plain loops for the compiler to
// vectorise (the scans of s4d.cc and mamba.cc): a vectorisable exp for float, and the attribute
// that compiles a function for AVX-512, AVX2 and the baseline, chosen at load time by the CPU
// (GCC/clang function multiversioning on x86-64; nothing elsewhere).  Without STATELAB_NATIVE
// (-march=native, on by default) Eigen's own code is SSE2; these clones let the hot loops use the
// wide registers.  Both choices change how sums are rounded, so a seed's numbers are the same on
// every machine that runs the same code paths, not on every machine: simd_in_use() and cpu_name()
// say which, and the metrics of a run record them.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(STATELAB_NO_SIMD_CLONES)
#define STATELAB_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define STATELAB_SIMD_CLONES
#endif

namespace statelab::models {

/// e^x: std::exp for double; for float Cephes' expf (range reduction by ln 2, degree-6
/// polynomial, relative error about 2e-7), in plain arithmetic that vectorises.  x is clamped to
/// [-87, 88], so the result is never denormal or infinite.
template <typename T>
[[gnu::always_inline]] inline T vexp(T x) {
  if constexpr (std::is_same_v<T, double>) {
    return std::exp(x);
  } else {
    x = x < -87.0f ? -87.0f : x;  // (ternaries, not std::min/max: those take references and block vectorisation)
    x = x > 88.0f ? 88.0f : x;
    float k = x * 1.44269504088896341f;
    k = (k + 12582912.0f) - 12582912.0f;  // round to nearest (1.5 * 2^23)
    const float r = (x - k * 0.693359375f) - k * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    return p * std::bit_cast<float>((static_cast<std::int32_t>(k) + 127) << 23);  // p 2^k
  }
}

/// The instruction sets the numbers of this process come from: Eigen's (fixed when the library
/// was compiled) and the clone of the STATELAB_SIMD_CLONES loops this CPU runs, e.g.
/// "Eigen: AVX512, FMA, AVX2, ...; loops: avx512f".
std::string simd_in_use();
/// The CPU, as /proc/cpuinfo names it: "AMD EPYC (family 26, model 2)"; "unknown" where it cannot tell.
std::string cpu_name();

}  // namespace statelab::models
