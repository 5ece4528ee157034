// tests/test_checkpoints.cpp — checkpoint files under stress (io/atomic_file.hpp,
// safetensors_read.cpp): two processes saving different contents to one path while a third
// reads it, saves killed with SIGKILL at random moments, the sweep of dead saves' temporaries,
// the 100 MB header cap and the mapped loader. The format itself: test_serialization.cpp.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "fulcrum.hpp"
#include "io/atomic_file.hpp"
#include "test_support.hpp"

using namespace fulcrum;
using namespace fulcrum::nn;
using namespace fulcrum::io;
using fulcrum::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Two checkpoints that differ in every byte that matters: sizes (so a mix of the two cannot
// tile its data section), values and metadata.
StateDict version(int which, int64_t numel) {
  return {{"weight", full({numel}, which == 1 ? 1.5 : -2.25)},
          {"which", full({1}, static_cast<double>(which), {.dtype = DType::i64})}};
}

// Which of the two versions `path` holds: 1 or 2; a failed check (and 0) otherwise.
int which_version(const std::string& path, int64_t numel_1, int64_t numel_2) {
  const SafetensorsContents loaded = load_safetensors_with_metadata(path);
  const int which = static_cast<int>(loaded.tensors.at("which").item<int64_t>());
  const Tensor& weight = loaded.tensors.at("weight");
  const bool ok = (which == 1 || which == 2) && weight.numel() == (which == 1 ? numel_1 : numel_2) &&
                  loaded.metadata.at("writer") == std::to_string(which) &&
                  equal(weight, full({weight.numel()}, which == 1 ? 1.5 : -2.25));
  return ok ? which : 0;
}

std::vector<std::string> temporaries_of(const std::string& path) {
  std::vector<std::string> found;
  const std::string prefix = fs::path(path).filename().string() + ".tmp.";
  for (const auto& entry : fs::directory_iterator(fs::path(path).parent_path())) {
    const std::string name = entry.path().filename().string();
    if (name.compare(0, prefix.size(), prefix) == 0) found.push_back(name);
  }
  return found;
}

// fork() + fn() in the child, which leaves with _exit (never returning into doctest): 0 when fn
// returned, 1 when it threw. The child only writes files: no OpenMP, no BLAS after the fork.
template <typename Fn> pid_t spawn(Fn&& fn) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    try {
      fn();
    } catch (...) {
      ::_exit(1);
    }
    ::_exit(0);
  }
  return pid;
}

int exit_status(pid_t pid) {
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("two processes saving to one path: every load sees one complete version, every save succeeds") {
  TempDir dir;
  const std::string path = (dir / "model.safetensors").string();
  const int64_t numel_1 = 200'000, numel_2 = 300'001;  // 0.8 MB and 1.2 MB of f32
  const StateDict one = version(1, numel_1), two = version(2, numel_2);
  save_safetensors(path, one, {{"writer", "1"}});
  constexpr int kSaves = 25;

  const pid_t writer_1 = spawn([&] { for (int k = 0; k < kSaves; ++k) save_safetensors(path, one, {{"writer", "1"}}); });
  const pid_t writer_2 = spawn([&] { for (int k = 0; k < kSaves; ++k) save_safetensors(path, two, {{"writer", "2"}}); });
  // Meanwhile this process reads the destination as fast as it can.
  int loads = 0, bad = 0, seen[3] = {0, 0, 0};
  for (;;) {
    int status = 0;
    const bool done_1 = ::waitpid(writer_1, &status, WNOHANG) != 0;
    if (done_1) CHECK_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0), "writer 1 failed a save");
    const int which = which_version(path, numel_1, numel_2);
    ++loads;
    ++seen[which];
    bad += which == 0;
    if (done_1) break;
  }
  CHECK(exit_status(writer_2) == 0);
  MESSAGE(loads << " loads during the saves: " << seen[1] << " × version 1, " << seen[2] << " × version 2");
  CHECK(bad == 0);
  CHECK(loads > 0);
  CHECK(which_version(path, numel_1, numel_2) != 0);
  CHECK(temporaries_of(path).empty());  // every writer renamed its own temporary
}

TEST_CASE("two threads saving to one path: unique temporaries, the destination is always one version") {
  TempDir dir;
  const std::string path = (dir / "model.safetensors").string();
  const StateDict one = version(1, 5'000), two = version(2, 7'001);
  save_safetensors(path, one, {{"writer", "1"}});
  std::thread writer_1([&] { for (int k = 0; k < 50; ++k) save_safetensors(path, one, {{"writer", "1"}}); });
  std::thread writer_2([&] { for (int k = 0; k < 50; ++k) save_safetensors(path, two, {{"writer", "2"}}); });
  writer_1.join();
  writer_2.join();
  CHECK(which_version(path, 5'000, 7'001) != 0);
  CHECK(temporaries_of(path).empty());
}

TEST_CASE("kill -9 during saves: the destination is always a complete old or new file; dead temporaries are swept") {
  TempDir dir;
  const std::string path = (dir / "model.safetensors").string();
  const int64_t numel_1 = 500'000, numel_2 = 700'001;  // 2 MB and 2.8 MB: kills land mid-write
  const StateDict one = version(1, numel_1), two = version(2, numel_2);
  save_safetensors(path, one, {{"writer", "1"}});
  uint64_t lcg = 12345;  // a fixed sequence of kill delays, 0–15 ms
  int rounds_with_leftover = 0;
  constexpr int kRounds = 30;
  for (int round = 0; round < kRounds; ++round) {
    const pid_t saver = spawn([&] {
      for (int k = 0;; ++k) {
        if (k % 2 == 0) save_safetensors(path, two, {{"writer", "2"}});
        else save_safetensors(path, one, {{"writer", "1"}});
      }
    });
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    std::this_thread::sleep_for(std::chrono::microseconds((lcg >> 33) % 15'000));
    REQUIRE(::kill(saver, SIGKILL) == 0);
    CHECK(exit_status(saver) == 128 + SIGKILL);
    INFO("round " << round);
    CHECK(which_version(path, numel_1, numel_2) != 0);
    // The next save sweeps at most the temporaries left so far (here: by this round's child).
    rounds_with_leftover += !temporaries_of(path).empty();
    CHECK(temporaries_of(path).size() <= 1);
  }
  MESSAGE(rounds_with_leftover << " of " << kRounds << " kills left a temporary behind (swept by the next save)");
  save_safetensors(path, one, {{"writer", "1"}});
  CHECK(temporaries_of(path).empty());
  CHECK(which_version(path, numel_1, numel_2) == 1);
}

TEST_CASE("remove_stale_temporaries: removes dead processes' temporaries, keeps live ones and other files") {
  TempDir dir;
  const std::string path = (dir / "ck.safetensors").string();
  const pid_t dead = spawn([] {});
  REQUIRE(exit_status(dead) == 0);  // reaped: its pid now names no process
  const std::string stale = path + ".tmp." + std::to_string(dead) + ".0123456789abcdef";
  const std::string live = path + ".tmp." + std::to_string(::getppid()) + ".0123456789abcdef";
  const std::string unrelated = path + ".tmp.notapid.x";
  const std::string other_file = (dir / "other.safetensors.tmp.").string() + std::to_string(dead) + ".0123456789abcdef";
  for (const std::string& name : {stale, live, unrelated, other_file}) std::ofstream(name) << "x";
  CHECK(remove_stale_temporaries(path) == 1);
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(live));
  CHECK(fs::exists(unrelated));
  CHECK(fs::exists(other_file));
  // save_safetensors sweeps too.
  std::ofstream(stale) << "x";
  save_safetensors(path, {{"w", ones({2})}});
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(live));
  // A directory that does not exist: the error names the temporary and the reason.
  CHECK_ERROR_CONTAINS(save_safetensors((dir / "missing" / "x.safetensors").string(), {}),
                       "save_safetensors: cannot create '", "missing/x.safetensors.tmp.",
                       "': No such file or directory");
}

TEST_CASE("a header above the format's 100 MB cap is refused before it is parsed") {
  auto with_length = [](uint64_t length) {
    std::vector<uint8_t> bytes(8);
    for (int k = 0; k < 8; ++k) bytes[k] = static_cast<uint8_t>(length >> (8 * k));
    return bytes;
  };
  CHECK_ERROR_CONTAINS(deserialize_safetensors(with_length(100'000'001)),
                       "byte 0: header length 100000001 exceeds the format's limit of 100000000 bytes");
  CHECK_ERROR_CONTAINS(deserialize_safetensors(with_length(~uint64_t{0})), "exceeds the format's limit");
  // At the cap the length is acceptable; here it only runs past the end of these 8 bytes.
  CHECK_ERROR_CONTAINS(deserialize_safetensors(with_length(100'000'000)), "runs past the end of the file");
  // The same through a file (the mapped reader).
  TempDir dir;
  const std::string path = (dir / "huge_header.safetensors").string();
  std::vector<uint8_t> bytes = with_length(200'000'000);
  bytes.resize(64, ' ');
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), 64);
  CHECK_ERROR_CONTAINS(load_safetensors(path), "huge_header.safetensors': byte 0: header length 200000000 exceeds");
}

TEST_CASE("the mapped loader: large tensors (several copy steps), empty files, tensors outliving the mapping") {
  TempDir dir;
  const std::string path = (dir / "big.safetensors").string();
  // 40 MB in f32: three 16 MB copy steps with page releases in between; an odd-sized u8 tensor
  // first, so the f32 data starts mid-page.
  StateDict saved = {{"a_bytes", full({4099}, 7.0, {.dtype = DType::u8})},
                     {"b_big", arange(10'000'000, {.dtype = DType::f32})}};
  save_safetensors(path, saved);
  StateDict loaded = load_safetensors(path);
  fs::remove(path);  // the tensors own their bytes: nothing refers to the file any more
  CHECK(equal(loaded.at("a_bytes"), saved.at("a_bytes")));
  CHECK(equal(loaded.at("b_big"), saved.at("b_big")));
  std::ofstream(path, std::ios::binary).flush();  // an empty file
  CHECK_ERROR_CONTAINS(load_safetensors(path), "big.safetensors': byte 0: expected an 8-byte little-endian header length, but the file has only 0 bytes");
}

TEST_CASE("load_state_dict(strict = false) returns the missing and unexpected keys (PyTorch's _IncompatibleKeys)") {
  manual_seed(3);
  nn::Sequential model(nn::Linear({.in_features = 4, .out_features = 3}), nn::ReLU(),
                       nn::Linear({.in_features = 3, .out_features = 2}));
  StateDict state = clone_state_dict(model.state_dict());
  state.erase("2.bias");
  state.erase("0.weight");
  state["head.weight"] = zeros({2, 2});
  state["0.bias"] = full({3}, 0.5);
  const auto [missing, unexpected] = model.load_state_dict(state, /*strict=*/false);
  CHECK(missing == std::vector<std::string>{"0.weight", "2.bias"});
  CHECK(unexpected == std::vector<std::string>{"head.weight"});
  CHECK(equal(model.state_dict().at("0.bias"), full({3}, 0.5)));  // what matched was loaded
  // A strict load of a complete dict reports nothing skipped.
  const IncompatibleKeys none = model.load_state_dict(clone_state_dict(model.state_dict()));
  CHECK(none.missing_keys.empty());
  CHECK(none.unexpected_keys.empty());
  // strict = true still refuses instead of returning the lists.
  CHECK_ERROR_CONTAINS(model.load_state_dict(state), "missing keys: 0.weight, 2.bias", "unexpected keys: head.weight");
}
