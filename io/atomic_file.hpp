// io/atomic_file.hpp — replacing a file so that readers, a crash, `kill -9` or a
// second writer can never see it half-written: the bytes go to a temporary file of a unique name
// in the same directory, are flushed to disk, and the temporary is renamed over the destination
// (rename(2) is atomic within a filesystem). Used by save_safetensors (safetensors_write.cpp).
#pragma once
#include <cstddef>
#include <functional>
#include <string>

namespace fulcrum::io {

// Why each step:
//  * unique name `<path>.tmp.<pid>.<16 hex digits>`, created with O_CREAT | O_EXCL: two writers
//    (processes or threads) never share a temporary, so neither truncates the other's bytes;
//  * fsync of the temporary before the rename: after a power loss the new name never points at
//    data that was not on disk yet;
//  * rename over `path`: a reader opens either the old file or the new one, never a mix; with two
//    writers the last rename wins and the file is one of the two complete versions;
//  * fsync of the directory: makes the rename itself durable (best effort: some filesystems
//    refuse to fsync a directory).
// A save killed before its rename leaves its temporary behind. The next save to the same path
// removes the temporaries whose <pid> is no longer a running process (kill(pid, 0) fails with
// ESRCH), so killed saves do not pile up, while a live writer's temporary is never touched.
// Limits of that rule: a reused pid keeps a stale file until that process ends; a writer in
// another pid namespace or on another host sharing the directory (NFS) may look dead — its
// rename then fails with a clear Error, and the destination is still never corrupt.
//
// `write(put)` produces the content by calling put(data, size) as often as it likes. If it
// throws, the temporary is removed and the destination is untouched. `op` names the caller in
// errors ("save_safetensors: cannot create '…': No such file or directory").
using PutBytes = std::function<void(const void* data, size_t size)>;
void write_file_atomically(const std::string& path, const std::function<void(const PutBytes& put)>& write,
                           const char* op);

// Removes `<path>.tmp.<pid>.<hex>` files of dead processes; returns how many it removed.
// write_file_atomically calls it before each save; exposed for tests and tools.
int remove_stale_temporaries(const std::string& path);

}  // namespace fulcrum::io
