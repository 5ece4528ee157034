// core/runtime.cpp — start-up settings: the OpenMP spin count and the OpenBLAS kernels, chosen
// before main by re-executing the program once with them in its environment; CPUID → kernel
// mapping; blas_core_name(). The kernels that use these settings are in core/cpu/.
//
// Why a re-exec. Both settings are read from the environment by the shared libraries when they
// are loaded — libgomp's GOMP_SPINCOUNT / OMP_WAIT_POLICY in its constructor, OpenBLAS's
// OPENBLAS_CORETYPE when it picks its kernels — which is before main and before any constructor
// of this (static) library runs; neither has a call to change them afterwards. So the first
// constructor below looks at what the user set, and if something is missing it execve()s
// /proc/self/exe with the same argv and the missing variables added. The second process starts
// from scratch and its libraries read the new values. A marker variable stops a second round;
// the user's own settings always win; FULCRUM_NO_REEXEC=1 turns the whole thing off (then the
// libraries' defaults apply). It costs one more start of the program (the dynamic loader and
// OpenBLAS's set-up run twice: a few milliseconds).
// Alternatives measured or considered: a launcher script (every user must remember it), setting
// the variables in main (too late), one thread by default (wastes the second core when it is free).
//
// GOMP_SPINCOUNT. When a parallel region ends, libgomp's threads spin — 300,000 rounds of the
// PAUSE instruction by default, ~35–55 ns each on this Xeon, so 10–16 ms — waiting for the next
// region before they sleep. On a machine whose cores are busy with other work, a spinning
// thread holds a core that the descheduled partner thread needs, and every one of a training
// step's many small parallel regions waits for a time slice: with one competing process, 2
// threads trained at 18 % of their quiet speed. 1,000 rounds (~50 µs) still catch the next of
// a step's back-to-back regions, then the thread sleeps (measured in README.md § Speed: 1,000
// and OMP_WAIT_POLICY=passive both fix the busy case; 10,000 only partly).

#include "core/runtime.hpp"

#include <cblas.h>
#include <dlfcn.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace fulcrum {

CpuFeatures cpu_features() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
  auto bit = [](unsigned word, int n) { return ((word >> n) & 1u) != 0; };
  f.sse3 = bit(ecx, 0);
  f.ssse3 = bit(ecx, 9);
  f.sse4_2 = bit(ecx, 20);
  // AVX registers are usable only if the OS saves them on a context switch: OSXSAVE, then
  // XCR0 bits 1–2 (SSE, AVX state) and, for AVX-512, bits 5–7 (opmask, upper ZMM halves, ZMM16–31).
  uint64_t xcr0 = 0;
  if (bit(ecx, 27)) {
    unsigned low = 0, high = 0;
    __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    xcr0 = (uint64_t{high} << 32) | low;
  }
  const bool os_avx = (xcr0 & 0x6) == 0x6, os_avx512 = (xcr0 & 0xE6) == 0xE6;
  f.avx = os_avx && bit(ecx, 28);
  f.fma = os_avx && bit(ecx, 12);
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
    f.avx2 = os_avx && bit(ebx, 5);
    f.avx512f = os_avx512 && bit(ebx, 16);
    f.avx512dq = os_avx512 && bit(ebx, 17);
    f.avx512cd = os_avx512 && bit(ebx, 28);
    f.avx512bw = os_avx512 && bit(ebx, 30);
    f.avx512vl = os_avx512 && bit(ebx, 31);
  }
  if (__get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) f.avx512_bf16 = os_avx512 && bit(eax, 5);
#endif
  return f;
}

// Skylake-X's AVX-512 subset (F, CD, BW, DQ, VL) is what OpenBLAS's SkylakeX kernels use. A CPU
// with AVX512_BF16 would be OpenBLAS's "Cooperlake", but 0.3.21 does not accept that name in
// OPENBLAS_CORETYPE (measured: "Core not found", then it falls back to its own detection), and
// Cooperlake's sgemm/dgemm kernels are SkylakeX's anyway — only bf16 GEMM differs.
std::string blas_core_for(const CpuFeatures& f) {
  if (f.avx512f && f.avx512cd && f.avx512bw && f.avx512dq && f.avx512vl) return "SkylakeX";
  if (f.avx2 && f.fma) return "Haswell";
  if (f.avx) return "Sandybridge";
  if (f.sse4_2) return "Nehalem";
  if (f.ssse3) return "Core2";
  if (f.sse3) return "Prescott";
  return "";
}

bool blas_core_is_weaker(const std::string& detected, const std::string& wanted) {
  // OpenBLAS 0.3.21's Intel names, oldest first; a name's rank is its kernels' instruction set.
  static const std::vector<std::pair<std::string, int>> ladder = {
      {"Unknown", 0},  {"Katmai", 0},     {"Coppermine", 0}, {"Northwood", 0},   {"Banias", 0},
      {"Prescott", 1}, {"Atom", 1},       {"Core2", 2},      {"Penryn", 2},      {"Dunnington", 2},
      {"Nehalem", 3},  {"Sandybridge", 4}, {"Haswell", 5},   {"SkylakeX", 6}};
  auto rank = [&](const std::string& name) {
    for (const auto& [rung, value] : ladder) {
      if (rung == name) return value;
    }
    return -1;
  };
  const int have = rank(detected), want = rank(wanted);
  return have >= 0 && want >= 0 && have < want;
}

std::string blas_core_name() { return openblas_get_corename(); }

namespace {

bool is_set(const char* name) { return std::getenv(name) != nullptr; }
bool is_on(const char* name) {  // set, and not to "" or "0"
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' && std::strcmp(value, "0") != 0;
}

// The variables the user has not chosen and Fulcrum would set, as "NAME=value".
std::vector<std::string> missing_settings() {
  std::vector<std::string> settings;
  if (!is_set("GOMP_SPINCOUNT") && !is_set("OMP_WAIT_POLICY")) {
    settings.push_back(std::string("GOMP_SPINCOUNT=") + kDefaultSpinCount);
  }
  if (!is_set("OPENBLAS_CORETYPE")) {
    // Only when OpenBLAS (already loaded and initialised) chose older kernels than this CPU runs:
    // then an unrecognised CPU gets its proper kernels, and a newer OpenBLAS that knows more
    // CPUs than this table is never overruled.
    const std::string wanted = blas_core_for(cpu_features());
    if (blas_core_is_weaker(blas_core_name(), wanted)) settings.push_back("OPENBLAS_CORETYPE=" + wanted);
  }
  return settings;
}

constexpr const char* kMarker = "FULCRUM_REEXEC";

// Is /proc/self/exe the program the kernel was asked to run? Not when it was started through the
// dynamic loader (`ld-linux-x86-64.so.2 ./program`: /proc/self/exe is then the loader, which
// would take argv[1] for the program) — the loader rewrites AT_EXECFN to the program's name, so
// the two files differ. A set-user-ID program (AT_SECURE) is never re-executed either.
// Nor when this code is not part of the main executable (Fulcrum linked into a shared object that
// a Python interpreter or a plugin host loads: restarting that process would repeat whatever it
// did before loading it): the main program holds the entry point, AT_ENTRY.
bool in_main_executable() {
  Dl_info self{}, entry{};
  const void* entry_point = reinterpret_cast<const void*>(getauxval(AT_ENTRY));
  return dladdr(reinterpret_cast<const void*>(&in_main_executable), &self) != 0 && entry_point != nullptr &&
         dladdr(entry_point, &entry) != 0 && self.dli_fbase == entry.dli_fbase;
}

bool can_reexecute() {
  if (getauxval(AT_SECURE) != 0 || !in_main_executable()) return false;
  const auto* executed = reinterpret_cast<const char*>(getauxval(AT_EXECFN));
  struct stat self {}, program {};
  return executed != nullptr && stat("/proc/self/exe", &self) == 0 && stat(executed, &program) == 0 &&
         self.st_dev == program.st_dev && self.st_ino == program.st_ino;
}

}  // namespace

}  // namespace fulcrum

// Run by the C library before main with the program's argc, argv and environment (the ELF
// .init_array convention glibc follows). meson.build links this object into every program with
// -Wl,--undefined=fulcrum_configure_runtime: a static library's object is otherwise only linked
// when something refers to it.
extern "C" void fulcrum_configure_runtime(int /*argc*/, char** argv, char** envp) {
  using namespace fulcrum;
  if (argv == nullptr || argv[0] == nullptr || envp == nullptr) return;
  if (is_set(kMarker) || is_on("FULCRUM_NO_REEXEC")) return;
  const std::vector<std::string> settings = missing_settings();
  if (settings.empty() || !can_reexecute()) return;
  std::vector<std::string> storage = settings;
  storage.push_back(std::string(kMarker) + "=1");
  std::vector<char*> environment;
  for (char** entry = envp; *entry != nullptr; ++entry) environment.push_back(*entry);
  for (std::string& entry : storage) environment.push_back(entry.data());
  environment.push_back(nullptr);
  execve("/proc/self/exe", argv, environment.data());
  // Only reached if the exec failed (no /proc, the binary was replaced, …): run with the
  // libraries' defaults, which are correct, only slower on a busy machine.
}

// Priority 101, the first a program may use: the linker sorts .init_array.00101 ahead of the
// program's other constructors, so none of them has run (and done something that would then be
// done twice) when the process is replaced. The shared libraries' constructors run before any of
// the program's; they only set themselves up.
__attribute__((used, section(".init_array.00101"))) static void (*const fulcrum_configure_at_start)(int, char**, char**) =
    fulcrum_configure_runtime;
