// io/atomic_file.cpp — write-to-unique-temporary, fsync, rename, fsync-directory
// (the reasons for each step are in atomic_file.hpp), and the sweep of dead saves' temporaries.
#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include "core/error.hpp"

namespace fulcrum::io {
namespace fs = std::filesystem;
namespace {

// An open file descriptor, closed on scope exit.
struct FileDescriptor {
  int fd;
  explicit FileDescriptor(int descriptor) : fd(descriptor) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

std::string temporary_prefix(const std::string& path) { return path + ".tmp."; }

// "<path>.tmp.<pid>.<16 hex digits>"; the random part tells apart two threads of one process.
std::string temporary_name(const std::string& path) {
  static thread_local std::mt19937_64 random{std::random_device{}() ^
                                             (static_cast<uint64_t>(::getpid()) << 32)};
  char suffix[48];
  std::snprintf(suffix, sizeof suffix, "%ld.%016llx", static_cast<long>(::getpid()),
                static_cast<unsigned long long>(random()));
  return temporary_prefix(path) + suffix;
}

// The pid in "<pid>.<16 hex digits>", or -1 when `tail` is not of that form.
long parse_owner_pid(const std::string& tail) {
  const size_t dot = tail.find('.');
  if (dot == 0 || dot == std::string::npos || dot > 10 || tail.size() - dot - 1 != 16) return -1;
  long pid = 0;
  for (size_t k = 0; k < dot; ++k) {
    if (tail[k] < '0' || tail[k] > '9') return -1;
    pid = pid * 10 + (tail[k] - '0');
  }
  for (size_t k = dot + 1; k < tail.size(); ++k) {
    if (!std::isxdigit(static_cast<unsigned char>(tail[k]))) return -1;
  }
  return pid;
}

void write_all(int fd, const void* data, size_t size, const std::string& temporary, const char* op) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t written = ::write(fd, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    FULCRUM_CHECK(written > 0, op << ": writing '" << temporary << "' failed: " << std::strerror(errno));
    bytes += written;
    size -= static_cast<size_t>(written);
  }
}

}  // namespace

int remove_stale_temporaries(const std::string& path) {
  const fs::path destination(path);
  const fs::path directory = destination.parent_path().empty() ? fs::path(".") : destination.parent_path();
  const std::string prefix = destination.filename().string() + ".tmp.";
  int removed = 0;
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const long pid = parse_owner_pid(name.substr(prefix.size()));
    if (pid <= 0 || pid == ::getpid()) continue;
    // kill(pid, 0) sends nothing; it fails with ESRCH when no such process exists (EPERM means
    // it exists but belongs to another user: alive, so keep its file).
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    if (::unlink(it->path().c_str()) == 0) ++removed;  // a concurrent sweep may have won: fine
  }
  return removed;
}

void write_file_atomically(const std::string& path, const std::function<void(const PutBytes& put)>& write,
                           const char* op) {
  remove_stale_temporaries(path);
  std::string temporary = temporary_name(path);
  int fd = -1;
  for (int attempt = 0; attempt < 100; ++attempt) {  // O_EXCL: a name clash retries, never shares
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0 || errno != EEXIST) break;
    temporary = temporary_name(path);
  }
  {
    FileDescriptor file{fd};
    FULCRUM_CHECK(file.fd >= 0, op << ": cannot create '" << temporary << "': " << std::strerror(errno));
    try {
      write([&](const void* data, size_t size) { write_all(file.fd, data, size, temporary, op); });
      FULCRUM_CHECK(::fsync(file.fd) == 0, op << ": fsync of '" << temporary << "' failed: "
                                              << std::strerror(errno));
    } catch (...) {
      ::unlink(temporary.c_str());
      throw;
    }
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    FULCRUM_FAIL(op << ": cannot rename '" << temporary << "' to '" << path << "': " << std::strerror(error));
  }
  const fs::path directory = fs::path(path).parent_path();
  FileDescriptor dir{::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd >= 0) ::fsync(dir.fd);
}

}  // namespace fulcrum::io
