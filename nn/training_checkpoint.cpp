// nn/training_checkpoint.cpp — save_training_checkpoint / load_training_checkpoint (the layout and
// the rules are in training_checkpoint.hpp): prefixing and splitting state dicts, generators and
// counters as decimal metadata (u64 values do not fit a double), and the loader fingerprint.
#include "nn/training_checkpoint.hpp"

#include <algorithm>
#include <charconv>

#include "core/error.hpp"
#include "data/dataloader.hpp"
#include "data/printable.hpp"
#include "nn/optim/lr_scheduler.hpp"
#include "nn/optim/optimizer.hpp"

namespace fulcrum::nn {
namespace {

constexpr const char* kFormat = "training/1";

void add_prefixed(StateDict& out, const std::string& prefix, const StateDict& part) {
  for (const auto& [key, tensor] : part) out.emplace(prefix + key, tensor);
}

// The tensors whose names start with `prefix`, without it.
StateDict take_prefixed(const StateDict& all, const std::string& prefix) {
  StateDict part;
  for (auto it = all.lower_bound(prefix); it != all.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    part.emplace(it->first.substr(prefix.size()), it->second);
  }
  return part;
}

struct Reader {
  const std::string& context;
  const SafetensorsMetadata& metadata;

  const std::string& text(const std::string& key) const {
    const auto it = metadata.find(key);
    FULCRUM_CHECK(it != metadata.end(), context << ": the checkpoint has no \"" << key
                  << "\" in its metadata (it was saved without that part, or is not a training checkpoint)");
    return it->second;
  }
  uint64_t number(const std::string& key) const {
    const std::string& value = text(key);
    uint64_t result = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), result);
    FULCRUM_CHECK(error == std::errc() && end == value.data() + value.size() && !value.empty(),
                  context << ": metadata \"" << key << "\" should be a non-negative integer, got \"" << value << "\"");
    return result;
  }
  int64_t signed_number(const std::string& key) const {
    const uint64_t value = number(key);
    FULCRUM_CHECK(value <= static_cast<uint64_t>(INT64_MAX), context << ": metadata \"" << key << "\" is too large");
    return static_cast<int64_t>(value);
  }
};

void save_generator(SafetensorsMetadata& metadata, const std::string& name, const Generator& generator) {
  metadata["generator." + name + ".seed"] = std::to_string(generator.seed());
  metadata["generator." + name + ".offset"] = std::to_string(generator.offset());
}

void load_generator(const Reader& reader, const std::string& name, Generator& generator) {
  const uint64_t seed = reader.number("generator." + name + ".seed");
  const uint64_t offset = reader.number("generator." + name + ".offset");
  generator.manual_seed(seed);
  generator.set_offset(offset);
}

}  // namespace

uint64_t order_fingerprint(const data::DataLoader& loader, int64_t epoch) {
  uint64_t hash = 14695981039346656037ULL;
  auto mix = [&](uint64_t value) {
    for (int byte = 0; byte < 8; ++byte) {
      hash ^= (value >> (8 * byte)) & 0xFF;
      hash *= 1099511628211ULL;
    }
  };
  for (const std::vector<int64_t>& batch : loader.batch_indices(epoch)) {
    mix(batch.size());
    for (int64_t index : batch) mix(static_cast<uint64_t>(index));
  }
  return hash;
}

void save_training_checkpoint(const std::string& path, const TrainingState& state) {
  const std::string context = "save_training_checkpoint: '" + path + "'";
  FULCRUM_CHECK(state.model != nullptr, context << ": TrainingState.model is null (the model is required)");
  FULCRUM_CHECK(state.epoch >= 0, context << ": epoch must be >= 0, got " << state.epoch);
  StateDict tensors;
  SafetensorsMetadata metadata = {{"fulcrum.checkpoint", kFormat}, {"epoch", std::to_string(state.epoch)}};
  add_prefixed(tensors, "model.", state.model->state_dict());
  if (state.optimizer) {
    add_prefixed(tensors, "optimizer.", state.optimizer->state_dict());
    metadata["optimizer.name"] = state.optimizer->name();
  }
  if (state.scheduler) add_prefixed(tensors, "scheduler.", state.scheduler->state_dict());
  if (state.default_generator) save_generator(metadata, "default", default_generator());
  for (const auto& [name, generator] : state.generators) {
    FULCRUM_CHECK(generator != nullptr, context << ": generator \"" << name << "\" is null");
    FULCRUM_CHECK(name != "default", context << ": the name \"default\" is reserved for the global generator");
    save_generator(metadata, name, *generator);
  }
  if (state.loader) {
    metadata["loader.epoch"] = std::to_string(state.loader->epoch());
    metadata["loader.order_fingerprint"] = std::to_string(order_fingerprint(*state.loader, state.loader->epoch()));
  }
  for (const auto& [key, value] : state.extra) metadata["extra." + key] = value;
  save_safetensors(path, tensors, metadata);
}

void load_training_checkpoint(const std::string& path, TrainingState& state) {
  const std::string context = "load_training_checkpoint: '" + path + "'";
  FULCRUM_CHECK(state.model != nullptr, context << ": TrainingState.model is null (the model is required)");
  const SafetensorsContents file = load_safetensors_with_metadata(path);
  const Reader reader{context, file.metadata};
  FULCRUM_CHECK(reader.text("fulcrum.checkpoint") == kFormat,
                context << ": \"fulcrum.checkpoint\" is \"" << reader.text("fulcrum.checkpoint")
                        << "\", expected \"" << kFormat << "\"");

  // 1. Everything that can be checked without changing anything.
  const int64_t epoch = reader.signed_number("epoch");
  if (state.optimizer) {
    FULCRUM_CHECK(reader.text("optimizer.name") == std::string(state.optimizer->name()),
                  context << ": the checkpoint holds the state of a " << reader.text("optimizer.name")
                          << " optimiser, but a " << state.optimizer->name() << " was given");
  }
  const StateDict scheduler_state = take_prefixed(file.tensors, "scheduler.");
  FULCRUM_CHECK(!state.scheduler || !scheduler_state.empty(), context << ": the checkpoint has no scheduler state");
  int64_t loader_epoch = 0;
  if (state.loader) {
    loader_epoch = reader.signed_number("loader.epoch");
    state.loader_order_fingerprint = reader.number("loader.order_fingerprint");
    FULCRUM_CHECK(!state.check_loader_order ||
                  order_fingerprint(*state.loader, loader_epoch) == state.loader_order_fingerprint,
                  context << ": the DataLoader visits epoch " << loader_epoch << " in another order than the "
                          "saved run did: rebuild it as that run did (same dataset, sampler, batch size, seed or "
                          "generator, and the same manual_seed before it was made)");
  }
  for (const auto& [key, value] : state.required_extra) {
    const auto it = file.metadata.find("extra." + key);
    FULCRUM_CHECK(it != file.metadata.end(), context << ": the checkpoint has no \"extra." << key
                  << "\", which this run requires (it was written by another program; delete it to start afresh)");
    if (it->second != value) {  // show both from the line where they first differ
      const std::string& saved = it->second;
      size_t at = 0;
      while (at < saved.size() && at < value.size() && saved[at] == value[at]) ++at;
      const size_t line = at == 0 ? 0 : saved.rfind('\n', at - 1) + 1;  // npos + 1 = 0
      FULCRUM_FAIL(context << ": the checkpoint was written by another run: its \"" << key << "\" differs at "
                   << data::printable(std::string_view(saved).substr(line), 80) << ", this run's is "
                   << data::printable(std::string_view(value).substr(std::min(line, value.size())), 80)
                   << " (run with the same arguments to resume, or delete the file to start afresh)");
    }
  }
  if (state.default_generator) reader.number("generator.default.offset");
  for (const auto& [name, generator] : state.generators) {
    FULCRUM_CHECK(generator != nullptr, context << ": generator \"" << name << "\" is null");
    reader.number("generator." + name + ".offset");
  }

  // 2. Load, each part checking its own tensors before it changes anything.
  state.model->load_state_dict(take_prefixed(file.tensors, "model."), /*strict=*/true);
  if (state.optimizer) state.optimizer->load_state_dict(take_prefixed(file.tensors, "optimizer."));
  if (state.scheduler) state.scheduler->load_state_dict(scheduler_state);
  if (state.default_generator) load_generator(reader, "default", default_generator());
  for (const auto& [name, generator] : state.generators) load_generator(reader, name, *generator);
  if (state.loader) state.loader->set_epoch(loader_epoch);
  state.epoch = epoch;
  state.extra.clear();
  for (const auto& [key, value] : file.metadata) {
    if (key.rfind("extra.", 0) == 0) state.extra[key.substr(6)] = value;
  }
}

}  // namespace fulcrum::nn
