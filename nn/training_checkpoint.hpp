// nn/training_checkpoint.hpp — checkpoints a run can resume from: one safetensors file, written
// atomically (io/atomic_file.hpp), holding the model, the optimiser state (SGD
// momentum, Adam moments and steps), the lr scheduler, the random generators, the epoch, the
// DataLoader's position and any strings of your own. A run killed and restarted with the same
// command that loads it ends with bit-identical numbers (tests/test_checkpoints_resume.cpp).
// Implementation: training_checkpoint.cpp.
//
//   nn::TrainingState state{.model = &model, .optimizer = &sgd, .scheduler = &schedule, .loader = &loader};
//   if (std::filesystem::exists(path)) nn::load_training_checkpoint(path, state);  // resume
//   for (int64_t epoch = state.epoch; epoch < epochs; ++epoch) {
//     for (const data::Batch& batch : loader) { … one step … }
//     schedule.step();
//     state.epoch = epoch + 1;
//     nn::save_training_checkpoint(path, state);  // at the end of every epoch
//   }
// Saving happens between epochs: a run killed mid-epoch repeats that epoch from its start.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "core/rng.hpp"
#include "nn/module.hpp"
#include "io/safetensors.hpp"

namespace fulcrum::optim {
class Optimizer;
class LRScheduler;
}  // namespace fulcrum::optim
namespace fulcrum::data {
class DataLoader;
}  // namespace fulcrum::data

namespace fulcrum::nn {

// What is saved, and restored in place. Pointers are not owned; null = not part of the checkpoint.
// To resume: rebuild everything exactly as the first run did (same seeds, same construction
// order, same options), then load: every piece of state is overwritten from the file.
struct TrainingState {
  Module* model = nullptr;                 // required: its state_dict (parameters and buffers)
  optim::Optimizer* optimizer = nullptr;   // its state_dict: lrs, momentum buffers, Adam moments, steps
  optim::LRScheduler* scheduler = nullptr; // last_epoch and base lrs (the schedule is code)
  // The sampler position: the epoch the loader's next loop runs. Samplers and transforms are
  // pure functions of (seed, epoch), so that epoch is their whole state between epochs. The
  // order of that epoch is also saved as a fingerprint: a loader rebuilt with another seed is an
  // Error on load instead of a silently different run.
  data::DataLoader* loader = nullptr;
  // false: restore the loader's epoch without comparing its order; the saved fingerprint is
  // handed back in loader_order_fingerprint (training::fit compares it itself, after its
  // on_epoch_end callbacks have rebuilt a sampler that depends on them).
  bool check_loader_order = true;
  uint64_t loader_order_fingerprint = 0;   // set by load when `loader` is given
  bool default_generator = true;           // the global generator (manual_seed's): dropout, init
  std::map<std::string, Generator*> generators = {};  // other generators, by a name you choose
  int64_t epoch = 0;                       // epochs completed (saved; set by load)
  SafetensorsMetadata extra = {};          // your strings, e.g. {"best_accuracy", "0.91"} (saved; set by load)
  // Load only: entries the file's `extra` must hold with exactly these values (e.g. the command
  // line of the run), checked before anything is loaded; a difference is an Error naming the key.
  SafetensorsMetadata required_extra = {};
};

// Layout: tensors "model.<key>", "optimizer.<key>", "scheduler.<key>"; "__metadata__" holds
// "fulcrum.checkpoint" = "training/1", "epoch", "generator.<name>.seed" / ".offset" (decimal u64;
// the default generator is "generator.default"), "loader.epoch", "loader.order_fingerprint",
// "optimizer.name" and "extra.<key>". Still a safetensors file: model.* loads in PyTorch.
void save_training_checkpoint(const std::string& path, const TrainingState& state);

// Restores everything `state` points at and sets state.epoch and state.extra. Errors name the
// file and the part: a part `state` asks for that the file lacks, a model or optimiser mismatch
// (strict keys, shapes, dtypes; another optimiser type), a loader whose order differs. The checks
// that need no change run first; a mismatch found while loading (model, then optimiser) can leave
// the parts before it loaded — rebuild before retrying. Parts in the file that `state` does not
// ask for are ignored (e.g. loading only the model for evaluation).
void load_training_checkpoint(const std::string& path, TrainingState& state);

// FNV-1a over the indices of every batch of `loader`'s epoch `epoch`: what a checkpoint keeps to
// recognise the order of its loader (equal orders, equal fingerprints).
uint64_t order_fingerprint(const data::DataLoader& loader, int64_t epoch);

}  // namespace fulcrum::nn
