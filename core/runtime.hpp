// core/runtime.hpp — the process-wide settings Fulcrum makes at start-up, before main: how long
// OpenMP's idle threads spin, and which OpenBLAS kernels run (core/runtime.cpp says how and why).
// The CPU-feature → kernel mapping is a pure function here so that it can be tested on any host.
#pragma once
#include <string>

namespace fulcrum {

// What CPUID says about the CPU, the wide registers counted only if the OS saves them (XGETBV).
struct CpuFeatures {
  bool sse3 = false, ssse3 = false, sse4_2 = false, avx = false, avx2 = false, fma = false;
  bool avx512f = false, avx512bw = false, avx512vl = false, avx512dq = false, avx512cd = false;
  bool avx512_bf16 = false;
};

// The features of the CPU this process runs on (all false off x86-64).
CpuFeatures cpu_features();

// The OPENBLAS_CORETYPE value (a name OpenBLAS 0.3.21 accepts) whose kernels suit a CPU with
// these features: "SkylakeX", "Haswell", "Sandybridge", "Nehalem", "Core2", "Prescott"; "" when
// none fits (then OpenBLAS is left to choose).
std::string blas_core_for(const CpuFeatures& features);

// True if `detected` (OpenBLAS's own pick) is an older kernel family than `wanted` on the Intel
// ladder Prescott < Core2 < Nehalem < Sandybridge < Haswell < SkylakeX. Names off the ladder
// (Zen, Cooperlake, a newer OpenBLAS's SapphireRapids…) are trusted: false.
bool blas_core_is_weaker(const std::string& detected, const std::string& wanted);

// The kernels OpenBLAS runs in this process, as it names them ("SkylakeX", "Haswell", …).
std::string blas_core_name();

// The OpenMP spin count Fulcrum sets when the user has set neither GOMP_SPINCOUNT nor
// OMP_WAIT_POLICY (core/runtime.cpp: why this value).
inline constexpr const char* kDefaultSpinCount = "1000";

}  // namespace fulcrum
