// tests/core/runtime.cpp — the start-up settings of core/runtime.cpp: the CPUID → OpenBLAS kernel
// mapping (a pure function, so every branch is tested on any host), the "is OpenBLAS's own pick
// older?" rule, and that the re-exec really happened in this very test process.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "core/runtime.hpp"

using namespace fulcrum;

TEST_CASE("runtime: blas_core_for maps CPU features to the OpenBLAS 0.3.21 core type") {
  CpuFeatures f;
  CHECK(blas_core_for(f) == "");  // nothing known: leave OpenBLAS alone
  f.sse3 = true;
  CHECK(blas_core_for(f) == "Prescott");
  f.ssse3 = true;
  CHECK(blas_core_for(f) == "Core2");
  f.sse4_2 = true;
  CHECK(blas_core_for(f) == "Nehalem");
  f.avx = true;
  CHECK(blas_core_for(f) == "Sandybridge");
  f.avx2 = true;
  CHECK(blas_core_for(f) == "Sandybridge");  // AVX2 without FMA (no such Intel CPU) is not Haswell
  f.fma = true;
  CHECK(blas_core_for(f) == "Haswell");
  f.avx512f = f.avx512cd = f.avx512dq = f.avx512bw = true;
  CHECK(blas_core_for(f) == "Haswell");  // Knights Landing-like: AVX-512 without VL
  f.avx512vl = true;
  CHECK(blas_core_for(f) == "SkylakeX");
  f.avx512_bf16 = true;
  CHECK(blas_core_for(f) == "SkylakeX");  // Cooperlake's name is rejected by 0.3.21; same sgemm
}

TEST_CASE("runtime: only an older OpenBLAS pick is overruled") {
  CHECK(blas_core_is_weaker("Prescott", "SkylakeX"));  // the unrecognised-VM case
  CHECK(blas_core_is_weaker("Unknown", "Haswell"));
  CHECK(blas_core_is_weaker("Sandybridge", "Haswell"));
  CHECK_FALSE(blas_core_is_weaker("SkylakeX", "SkylakeX"));
  CHECK_FALSE(blas_core_is_weaker("SkylakeX", "Haswell"));
  CHECK_FALSE(blas_core_is_weaker("Zen", "Haswell"));             // off the Intel ladder: trusted
  CHECK_FALSE(blas_core_is_weaker("Cooperlake", "SkylakeX"));
  CHECK_FALSE(blas_core_is_weaker("SapphireRapids", "SkylakeX"));  // a newer OpenBLAS knows better
  CHECK_FALSE(blas_core_is_weaker("Prescott", ""));                // no opinion from CPUID
}

TEST_CASE("runtime: this process was started with the settings (unless the user chose them)") {
  const std::string core = blas_core_name();
  CHECK(!core.empty());
  const char* opt_out = std::getenv("FULCRUM_NO_REEXEC");
  if (opt_out != nullptr && std::string(opt_out) != "" && std::string(opt_out) != "0") return;  // the libraries' defaults
  // The wait is bounded: by the user's own setting or by the one core/runtime.cpp added.
  CHECK((std::getenv("GOMP_SPINCOUNT") != nullptr || std::getenv("OMP_WAIT_POLICY") != nullptr));
  // And OpenBLAS runs kernels at least as new as this CPU's features call for.
  if (std::getenv("OPENBLAS_CORETYPE") == nullptr) {
    INFO("OpenBLAS core " << core << ", CPUID suggests " << blas_core_for(cpu_features()));
    CHECK_FALSE(blas_core_is_weaker(core, blas_core_for(cpu_features())));
  }
}
