#include "infra/plugin_host.hpp"

#include <dlfcn.h>
#include <elf.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#ifndef NETSPINE_VERSION
#error "NETSPINE_VERSION must be defined by the build"
#endif
#ifndef BOOST_DLL_USE_STD_FS
#error "BOOST_DLL_USE_STD_FS must be defined by the build (netspine_infra's public definitions)"
#endif

namespace netspine::infra {
namespace {

namespace fs = std::filesystem;
namespace dll = boost::dll;
using plugin::Plugin;

constexpr const char* kHandshakeSymbol = "netspine_plugin_handshake";
constexpr const char* kManifestSymbol = "netspine_plugin_manifest";
constexpr const char* kMaxBatchSymbol = "netspine_engine_max_batch";  // optional, API 1.1
constexpr const char* kCreateSymbol = "netspine_plugin_create";
constexpr const char* kDestroySymbol = "netspine_plugin_destroy";

using HandshakeFn = const plugin::Handshake*();
using ManifestFn = const plugin::Manifest*();
using MaxBatchFn = unsigned();
using CreateFn = Plugin*();
using DestroyFn = void(Plugin*);

/// A refusal on the way through the checks: the reason, without the file name.
struct Refused {
  std::string reason;
};

/// The text of whatever a plugin threw.
std::string describeCurrentException() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

/// Owns a plugin object and, through `library`, the library its code lives in: the object is
/// destroyed by the library's own destroy function, and the library is released after it, so it
/// is unloaded only when no object from it lives (Boost.DLL tutorial 8, refcounting_api).
struct LibraryHoldingDeleter {
  mutable std::shared_ptr<dll::shared_library> library;
  DestroyFn* destroy = nullptr;

  void operator()(Plugin* object) const noexcept {
    destroy(object);
    library.reset();  // not left to the control block, which a weak_ptr may keep alive
  }
};

/// Who may write to `path`: refused when group or others may, or when it belongs to a user that
/// is neither root nor the one netspine runs as (they could replace the code netspine runs).
std::optional<std::string> unsafePermissions(const std::string& path, bool directory) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return fmt::format("cannot read its permissions: {}", std::strerror(errno));
  }
  const char* what = directory ? "plugin directory" : "plugin file";
  if (directory && !S_ISDIR(st.st_mode)) return "not a directory";
  if (!directory && !S_ISREG(st.st_mode)) return "not a regular file";
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return fmt::format("unsafe permissions: {} is writable by {} (mode {:04o})", what,
                       (st.st_mode & S_IWOTH) ? "others" : "its group", st.st_mode & 07777);
  }
  if (st.st_uid != 0 && st.st_uid != ::geteuid()) {
    return fmt::format("unsafe owner: {} belongs to uid {}, neither root nor netspine's uid {}",
                       what, st.st_uid, ::geteuid());
  }
  return std::nullopt;
}

#if defined(__x86_64__)
constexpr unsigned kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kHostMachine = EM_AARCH64;
#else
#error "unknown architecture: add its ELF machine here"
#endif

/// Why `path` is not a loadable 64-bit shared library for this machine, checked on the bytes
/// before dlopen sees them: a text file gets a plain reason, and a truncated library (whose
/// segments dlopen would map past the end of the file, dying of SIGBUS when touching them) is
/// refused instead of crashing the host.
std::optional<std::string> elfProblem(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return fmt::format("cannot read the file: {}", std::strerror(errno));
  const auto size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  Elf64_Ehdr header{};
  in.read(reinterpret_cast<char*>(&header), sizeof header);
  if (in.gcount() < SELFMAG || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
    return "not a shared library (no ELF header)";
  }
  if (static_cast<std::size_t>(in.gcount()) < sizeof header) {
    return "truncated: the file ends inside its ELF header";
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64) return "not a 64-bit library";
  if (header.e_ident[EI_DATA] != ELFDATA2LSB) return "not a little-endian library";
  if (header.e_type != ET_DYN) {
    return fmt::format("not a shared library (ELF type {})", header.e_type);
  }
  if (header.e_machine != kHostMachine) {
    return fmt::format("built for another architecture (ELF machine {}, this host {})",
                       header.e_machine, kHostMachine);
  }
  if (header.e_phentsize != sizeof(Elf64_Phdr) || header.e_phnum == 0) {
    return "malformed ELF: no usable program header table";
  }
  const auto tableEnd = header.e_phoff + std::uint64_t{header.e_phnum} * sizeof(Elf64_Phdr);
  if (header.e_phoff > size || tableEnd > size) {
    return fmt::format("truncated: the program headers end at byte {}, the file has {}", tableEnd,
                       size);
  }
  in.seekg(static_cast<std::streamoff>(header.e_phoff));
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment{};
    in.read(reinterpret_cast<char*>(&segment), sizeof segment);
    if (!in) return "truncated: cannot read the program headers";
    if (segment.p_type != PT_LOAD && segment.p_type != PT_DYNAMIC) continue;
    const auto end = segment.p_offset + segment.p_filesz;
    if (end < segment.p_offset || end > size) {
      return fmt::format("truncated: a segment ends at byte {}, the file has {}", end, size);
    }
  }
  return std::nullopt;
}

/// dlopen's message (a missing dependency, an undefined symbol), which Boost.DLL's error_code
/// does not keep: a second dlopen of a file that just failed to load fails again, and says why.
std::string dlopenError(const std::string& path, const std::error_code& ec) {
  ::dlerror();
  if (void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    ::dlclose(handle);
    return ec.message();
  }
  const char* detail = ::dlerror();
  return detail ? detail : ec.message();
}

/// "1.2.3" as numbers; nothing when it is not dotted decimal numbers.
std::optional<std::vector<unsigned long>> parseVersion(const std::string& text) {
  std::vector<unsigned long> parts;
  std::size_t start = 0;
  while (true) {
    auto end = std::min(text.find('.', start), text.size());
    auto part = text.substr(start, end - start);
    if (part.empty() || part.size() > 9 ||
        !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    parts.push_back(std::stoul(part));
    if (end == text.size()) break;
    start = end + 1;
  }
  return parts;
}

bool versionAbove(const std::vector<unsigned long>& a, const std::vector<unsigned long>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    auto x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
    if (x != y) return x > y;
  }
  return false;
}

/// A plugin id names files, platforms in the inventory and log lines: keep it plain.
bool validId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  });
}

/// A library that passed every check on its own, with its object created.
struct Candidate {
  LoadedPlugin info;
  std::shared_ptr<Plugin> object;
  plugin::Platform* platform = nullptr;
  plugin::Engine* engine = nullptr;
};

template <class Fn>
Fn* requireSymbol(const dll::shared_library& library, const char* name) {
  if (!library.has(name)) throw Refused{fmt::format("missing symbol {}", name)};
  return &library.get<Fn>(name);
}

/// Every check that needs nothing but the file, in order. Throws Refused.
Candidate inspect(const std::string& path, bool checkPermissions) {
  if (checkPermissions) {
    if (auto problem = unsafePermissions(path, false)) throw Refused{*problem};
  } else if (!fs::is_regular_file(path)) {
    throw Refused{"not a regular file"};
  }
  if (auto problem = elfProblem(path)) throw Refused{*problem};

  auto library = std::make_shared<dll::shared_library>();
  std::error_code ec;
  library->load(path, dll::load_mode::rtld_now | dll::load_mode::rtld_local, ec);
  if (ec || !library->is_loaded()) {
    throw Refused{fmt::format("cannot load the library: {}", dlopenError(path, ec))};
  }

  // The handshake is a C struct: the only thing read before the ABI is known to match.
  auto* handshakeFn = requireSymbol<HandshakeFn>(*library, kHandshakeSymbol);
  const plugin::Handshake* handshake = nullptr;
  try {
    handshake = handshakeFn();
  } catch (...) {
    throw Refused{fmt::format("{} threw: {}", kHandshakeSymbol, describeCurrentException())};
  }
  if (!handshake) throw Refused{fmt::format("{} returned nothing", kHandshakeSymbol)};
  if (handshake->apiMajor != plugin::kApiMajor) {
    throw Refused{
        fmt::format("plugin API version mismatch: built for major version {}, netspine supports {}",
                    handshake->apiMajor, plugin::kApiMajor)};
  }
  if (handshake->apiMinor > plugin::kApiMinor) {
    throw Refused{fmt::format(
        "plugin API version mismatch: built for {}.{}, newer than netspine's {}.{}",
        handshake->apiMajor, handshake->apiMinor, plugin::kApiMajor, plugin::kApiMinor)};
  }
  const std::string abiTag = handshake->abiTag ? handshake->abiTag : "";
  if (abiTag != plugin::kAbiTag) {
    throw Refused{
        fmt::format("ABI tag mismatch: plugin '{}', netspine '{}'", abiTag, plugin::kAbiTag)};
  }

  auto* manifestFn = requireSymbol<ManifestFn>(*library, kManifestSymbol);
  unsigned maxBatch = 1;
  if (handshake->apiMinor >= 1 && library->has(kMaxBatchSymbol)) {
    try {
      maxBatch = library->get<MaxBatchFn>(kMaxBatchSymbol)();
    } catch (...) {
      throw Refused{fmt::format("{} threw: {}", kMaxBatchSymbol, describeCurrentException())};
    }
    if (maxBatch < 1 || maxBatch > 1'000'000) {
      throw Refused{fmt::format("{} returned {}, not 1 to 1000000", kMaxBatchSymbol, maxBatch)};
    }
  }
  auto* create = requireSymbol<CreateFn>(*library, kCreateSymbol);
  auto* destroy = requireSymbol<DestroyFn>(*library, kDestroySymbol);

  Candidate c;
  c.info.file = path;
  c.info.handshake = {handshake->apiMajor, handshake->apiMinor, plugin::kAbiTag};
  c.info.maxBatch = maxBatch;
  try {
    const plugin::Manifest* manifest = manifestFn();
    if (!manifest) throw Refused{fmt::format("{} returned nothing", kManifestSymbol)};
    c.info.manifest = *manifest;  // copied: the host's own, independent of the library
  } catch (const Refused&) {
    throw;
  } catch (...) {
    throw Refused{fmt::format("{} threw: {}", kManifestSymbol, describeCurrentException())};
  }
  const auto& m = c.info.manifest;
  if (m.id.empty()) throw Refused{"manifest: empty plugin id"};
  if (!validId(m.id)) {
    throw Refused{fmt::format("manifest: plugin id '{}' is not 1-64 of [a-z0-9_.-]", m.id)};
  }
  if (m.kind != plugin::PluginKind::Engine && m.kind != plugin::PluginKind::Platform) {
    throw Refused{"manifest: unknown plugin kind"};
  }
  if (m.kind == plugin::PluginKind::Engine && m.provides.empty()) {
    throw Refused{"manifest: an engine that provides no operation"};
  }
  if (!m.minHostVersion.empty()) {
    auto wanted = parseVersion(m.minHostVersion);
    if (!wanted) {
      throw Refused{fmt::format("manifest: minHostVersion '{}' is not a version such as 1.2.0",
                                m.minHostVersion)};
    }
    if (versionAbove(*wanted, *parseVersion(netspineVersion()))) {
      throw Refused{fmt::format("needs netspine {} or later, this is {}", m.minHostVersion,
                                netspineVersion())};
    }
  }

  Plugin* raw = nullptr;
  try {
    raw = create();
  } catch (...) {
    throw Refused{fmt::format("the factory threw: {}", describeCurrentException())};
  }
  if (!raw) throw Refused{"the factory returned no object"};
  c.object = std::shared_ptr<Plugin>(raw, LibraryHoldingDeleter{library, destroy});

  try {
    c.platform = c.object->asPlatform();
    c.engine = c.object->asEngine();
    if (m.kind == plugin::PluginKind::Platform) {
      if (!c.platform) throw Refused{"manifest says platform, the factory made no platform"};
      const auto& specId = c.platform->spec().id;
      if (specId != m.id) {
        throw Refused{
            fmt::format("platform spec id '{}' differs from the manifest id '{}'", specId, m.id)};
      }
    } else if (!c.engine) {
      throw Refused{"manifest says engine, the factory made no engine"};
    }
  } catch (const Refused&) {
    throw;
  } catch (...) {
    throw Refused{fmt::format("the plugin object threw: {}", describeCurrentException())};
  }
  return c;
}

/// inspect, with anything unexpected (an allocation failure, Boost.DLL throwing) a refusal too.
Candidate inspectOrRefuse(const std::string& path, bool checkPermissions) {
  try {
    return inspect(path, checkPermissions);
  } catch (const Refused&) {
    throw;
  } catch (...) {
    throw Refused{fmt::format("unexpected error: {}", describeCurrentException())};
  }
}

/// Forwards an engine's reports, keeping only the first one for each device of the request, and
/// remembers which devices are still owed a result.
class GuardedContext : public plugin::RunContext {
 public:
  GuardedContext(const plugin::EngineRequest& request, plugin::RunContext& inner) : inner_(inner) {
    for (std::size_t i = 0; i < request.devices.size(); ++i) {
      pending_.emplace(request.devices[i].id, i);
    }
  }

  void report(plugin::DeviceResult result) override {
    {
      std::lock_guard lock(mutex_);
      auto it = pending_.find(result.deviceId);
      if (it == pending_.end()) return;  // a device not in the request, or reported twice
      pending_.erase(it);
    }
    inner_.report(std::move(result));
  }

  void log(const std::string& device, plugin::LogLevel level, const std::string& message) override {
    inner_.log(device, level, message);
  }

  bool cancelled() const override { return inner_.cancelled(); }
  std::optional<std::string> refusal(const plugin::DeviceTarget& device) override {
    return inner_.refusal(device);
  }
  plugin::KeptConfig keep(const plugin::DeviceTarget& device, const std::string& config,
                          const std::string& why) override {
    return inner_.keep(device, config, why);
  }

  /// The request's devices no report was made for, in request order.
  std::vector<std::size_t> unreported() {
    std::lock_guard lock(mutex_);
    std::vector<std::size_t> out;
    for (const auto& [id, index] : pending_) out.push_back(index);
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  plugin::RunContext& inner_;
  std::mutex mutex_;
  std::multimap<std::int64_t, std::size_t> pending_;  // device id -> index in the request
};

}  // namespace

const char* netspineVersion() {
  return NETSPINE_VERSION;
}

std::string defaultPluginDir() {
  std::error_code ec;
  fs::path exe = dll::program_location(ec);
  if (ec || exe.empty()) exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return "lib/netspine/plugins";
  return (exe.parent_path() / ".." / "lib" / "netspine" / "plugins").lexically_normal().string();
}

PluginHost::PluginHost() = default;
PluginHost::~PluginHost() = default;

CheckResult PluginHost::check(const std::string& path, bool checkPermissions) {
  try {
    auto candidate = inspectOrRefuse(path, checkPermissions);
    return {.plugin = std::move(candidate.info)};
  } catch (const Refused& r) {
    return {.refusal = r.reason};
  } catch (...) {
    return {.refusal = "unexpected error"};
  }
}

std::optional<std::string> PluginHost::checkDirectory(const std::string& dir) {
  try {
    std::error_code ec;
    if (!fs::exists(dir, ec)) return "plugin directory does not exist";
    return unsafePermissions(dir, true);
  } catch (...) {
    return "unexpected error: " + describeCurrentException();
  }
}

LoadReport PluginHost::loadFile(const std::string& path) {
  LoadReport report;
  load(path, report);
  return report;
}

void PluginHost::load(const std::string& path, LoadReport& report) {
  try {
    auto c = inspectOrRefuse(path, true);
    const std::string id = c.info.manifest.id;  // a copy: c.info is moved from below
    if (auto it = byId_.find(id); it != byId_.end()) {
      throw Refused{fmt::format("duplicate plugin id '{}': already loaded from {}", id,
                                it->second.info.file)};
    }
    if (c.engine) {
      for (const auto& op : c.info.manifest.provides) {
        if (auto owner = operationOwner_.find(op); owner != operationOwner_.end()) {
          throw Refused{
              fmt::format("operation '{}' is already provided by plugin '{}'", op, owner->second)};
        }
      }
      // The engine pointers share ownership with the plugin object: they hold its library too.
      std::shared_ptr<plugin::Engine> engine(c.object, c.engine);
      for (const auto& op : c.info.manifest.provides) {
        engines_.emplace(op, engine);
        maxBatch_.emplace(op, c.info.maxBatch);
        operationOwner_.emplace(op, id);
      }
    }
    loaded_.push_back(c.info);
    report.loaded.push_back(c.info);
    byId_.emplace(id, Entry{std::move(c.info), std::move(c.object), c.platform});
  } catch (const Refused& r) {
    report.refused.push_back({path, r.reason});
  } catch (...) {
    report.refused.push_back({path, "unexpected error: " + describeCurrentException()});
  }
}

LoadReport PluginHost::loadDirectories(const std::vector<std::string>& dirs) {
  LoadReport report;
  for (const auto& dir : dirs) {
    try {
      if (auto problem = checkDirectory(dir)) {
        report.refused.push_back({dir, *problem + "; none of its plugins is loaded"});
        continue;
      }
      std::error_code ec;
      std::vector<std::string> files;
      for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".so") files.push_back(it->path().string());
      }
      if (ec) {
        report.refused.push_back({dir, "cannot list the plugin directory: " + ec.message()});
        continue;
      }
      std::sort(files.begin(), files.end());  // "first one wins" must not depend on the disk
      for (const auto& file : files) load(file, report);
    } catch (...) {
      report.refused.push_back({dir, "unexpected error: " + describeCurrentException()});
    }
  }
  return report;
}

std::shared_ptr<const plugin::Platform> PluginHost::platform(const std::string& platformId) const {
  auto it = byId_.find(platformId);
  if (it == byId_.end()) return nullptr;
  if (!it->second.platform) return nullptr;
  // Shares ownership with the plugin object, and so holds its library.
  return std::shared_ptr<const plugin::Platform>(it->second.object, it->second.platform);
}

std::shared_ptr<plugin::Engine> PluginHost::engineFor(const std::string& operation) const {
  auto it = engines_.find(operation);
  return it == engines_.end() ? nullptr : it->second;
}

unsigned PluginHost::maxBatch(const std::string& operation) const {
  auto it = maxBatch_.find(operation);
  return it == maxBatch_.end() ? 1 : it->second;
}

void runEngine(plugin::Engine& engine, const plugin::EngineRequest& request,
               plugin::RunContext& context) {
  GuardedContext guarded(request, context);
  std::string failure;
  try {
    engine.run(request, guarded);
  } catch (...) {
    failure = "the engine failed: " + describeCurrentException();
  }
  for (auto index : guarded.unreported()) {
    const auto& device = request.devices[index];
    plugin::DeviceResult result;
    result.deviceId = device.id;
    result.device = device.name;
    result.category = plugin::ErrorCategory::PluginError;
    result.message =
        failure.empty()
            ? fmt::format("the engine for '{}' returned without a result for it", request.operation)
            : failure;
    try {
      context.report(std::move(result));
    } catch (...) {
      // The host's own context failing is not the plugin's fault, and there is no one to tell.
    }
  }
}

std::optional<std::string> validateEngine(const plugin::Engine& engine,
                                          const std::string& operation,
                                          const plugin::Parameters& parameters) {
  try {
    return engine.validate(operation, parameters);
  } catch (...) {
    return "the engine failed to validate the parameters: " + describeCurrentException();
  }
}

}  // namespace netspine::infra
