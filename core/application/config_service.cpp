#include "application/config_service.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "domain/errors.hpp"

namespace netspine::app {

std::string sha256Hex(std::string_view text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text.data(), static_cast<unsigned>(text.size()));
  return Poco::DigestEngine::digestToHex(engine.digest());
}

namespace {

constexpr std::string_view kPlaceholders[] = {"{area}", "{device}", "{platform}"};

/// Each "{...}" of the template, in order.
std::vector<std::string_view> placeholdersOf(std::string_view t) {
  std::vector<std::string_view> found;
  for (std::size_t at = t.find('{'); at != std::string_view::npos; at = t.find('{', at + 1)) {
    const auto end = t.find('}', at);
    found.push_back(end == std::string_view::npos ? t.substr(at) : t.substr(at, end - at + 1));
  }
  return found;
}

}  // namespace

std::optional<std::string> checkPathTemplate(const std::string& pathTemplate) {
  if (pathTemplate.empty()) return "must not be empty";
  if (pathTemplate.front() == '/') return "must be relative to the repository, not start with '/'";
  bool device = false;
  for (auto p : placeholdersOf(pathTemplate)) {
    if (std::find(std::begin(kPlaceholders), std::end(kPlaceholders), p) ==
        std::end(kPlaceholders)) {
      return fmt::format("unknown placeholder '{}' (known: {{area}}, {{device}}, {{platform}})", p);
    }
    device = device || p == "{device}";
  }
  if (!device) return "must contain {device}: every device needs its own file";
  std::string_view rest = pathTemplate;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const auto segment = rest.substr(0, slash);
    if (segment == ".." || segment == "." || segment == ".git") {
      return fmt::format("must not contain a '{}' folder", segment);
    }
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  return std::nullopt;
}

std::string configPath(const std::string& pathTemplate, const std::string& areaPath,
                       const std::string& device, const std::string& platform) {
  if (auto problem = checkPathTemplate(pathTemplate)) {
    throw domain::ValidationError("backup path template: " + *problem, "backup.path");
  }
  std::string out;
  for (std::size_t i = 0; i < pathTemplate.size();) {
    if (pathTemplate[i] == '{') {
      const auto end = pathTemplate.find('}', i);
      const auto name = std::string_view(pathTemplate).substr(i, end - i + 1);
      out += name == "{area}" ? areaPath : name == "{device}" ? device : platform;
      i = end + 1;
    } else {
      out += pathTemplate[i++];
    }
  }
  // A device without an area: "{area}/{device}.cfg" becomes "r1.cfg", not "/r1.cfg".
  std::string clean;
  std::size_t start = 0;
  while (start <= out.size()) {
    const auto end = std::min(out.find('/', start), out.size());
    if (end > start) clean += (clean.empty() ? "" : "/") + out.substr(start, end - start);
    start = end + 1;
  }
  return clean;
}

domain::Device ConfigService::device(JobTxn& txn, const std::string& name) {
  auto d = txn.devices().findByName(name);
  if (!d) throw domain::NotFoundError(fmt::format("no device '{}'", name), "device");
  return *d;
}

ConfigRevision ConfigService::resolve(JobTxn& txn, const domain::Device& device,
                                      const std::string& rev) {
  if (rev.empty()) {
    auto newest = txn.configs(device.id, 1, 0);
    if (newest.empty()) {
      throw domain::NotFoundError(
          fmt::format("device '{}' has no configuration backup yet", device.name), "device");
    }
    return newest.front();
  }
  const bool hex = std::all_of(rev.begin(), rev.end(), [](unsigned char c) {
    return std::isdigit(c) || (c >= 'a' && c <= 'f');
  });
  if (!hex || rev.size() < 4 || rev.size() > 40) {
    throw domain::ValidationError(
        fmt::format("revision '{}': expected a commit id or its first 4 to 40 hex digits "
                    "(see `netspine config history {}`)",
                    rev, device.name),
        "rev");
  }
  auto found = txn.configs(device.id, 0, 0, rev);
  // One commit may hold the same revision twice (a batch recorded again): count commits.
  std::vector<std::string> commits;
  for (const auto& r : found) {
    if (std::find(commits.begin(), commits.end(), r.commit) == commits.end()) {
      commits.push_back(r.commit);
    }
  }
  if (commits.empty()) {
    throw domain::NotFoundError(
        fmt::format("device '{}' has no configuration revision '{}'", device.name, rev), "rev");
  }
  if (commits.size() > 1) {
    throw domain::ValidationError(
        fmt::format("revision '{}' of device '{}' is ambiguous: {} commits start with it", rev,
                    device.name, commits.size()),
        "rev");
  }
  return found.front();
}

std::vector<ConfigRevision> ConfigService::history(const std::string& name, std::int64_t limit,
                                                   std::int64_t offset) {
  auto txn = jobs_.read();
  const auto d = device(*txn, name);
  return txn->configs(d.id, limit, offset);
}

std::optional<domain::DeviceRuntime> ConfigService::lastAttempt(const std::string& name,
                                                                const std::string& kind) {
  auto txn = jobs_.read();
  const auto d = device(*txn, name);
  for (auto& row : txn->runtime(d.id)) {
    if (row.check == kind) return row;
  }
  return std::nullopt;
}

ConfigRevision ConfigService::revision(const std::string& name, const std::string& rev) {
  auto txn = jobs_.read();
  const auto d = device(*txn, name);
  return resolve(*txn, d, rev);
}

ConfigText ConfigService::show(const std::string& name, const std::string& rev) {
  ConfigText out;
  out.revision = revision(name, rev);
  auto text = archive_.read(out.revision.path, out.revision.commit);
  if (!text) {
    throw domain::NotFoundError(
        fmt::format("revision {} of device '{}': the repository has no "
                    "'{}' at that commit",
                    out.revision.commit.substr(0, 12), name, out.revision.path),
        "rev");
  }
  out.text = std::move(*text);
  return out;
}

ConfigDiff ConfigService::diff(const std::string& name, const std::string& fromRev,
                               const std::string& toRev) {
  ConfigDiff out;
  {
    auto txn = jobs_.read();
    const auto d = device(*txn, name);
    if (fromRev.empty() && toRev.empty()) {
      auto two = txn->configs(d.id, 2, 0);
      if (two.empty()) {
        throw domain::NotFoundError(
            fmt::format("device '{}' has no configuration backup yet", d.name), "device");
      }
      out.to = two.front();
      out.from = two.size() > 1 ? two.back() : two.front();
    } else {
      out.from = resolve(*txn, d, fromRev);
      out.to = resolve(*txn, d, toRev);
    }
  }
  if (out.from.path == out.to.path) {
    out.diff = archive_.diff(out.to.path, out.from.commit, out.to.commit);
  } else {
    // The device moved to another area between the two: they are different files.
    throw domain::ValidationError(
        fmt::format("revisions {} and {} of device '{}' are in different files ('{}', '{}'): "
                    "the device moved; compare them with `git diff {}:{} {}:{}`",
                    out.from.commit.substr(0, 12), out.to.commit.substr(0, 12), name, out.from.path,
                    out.to.path, out.from.commit.substr(0, 12), out.from.path,
                    out.to.commit.substr(0, 12), out.to.path),
        "rev");
  }
  return out;
}

}  // namespace netspine::app
