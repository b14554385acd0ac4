// Inventories from JSON or YAML (one parser: YAML 1.2 reads JSON), with the line of every record
// and field: netspine's own shape, a plain list of devices, or a NetBox API device export.

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <map>
#include <utility>
#include <vector>

#include "application/inventory_importer.hpp"
#include "domain/errors.hpp"
#include "infra/device_fields.hpp"
#include "infra/inventory_reader.hpp"
#include "infra/yaml_support.hpp"

namespace netspine::infra {
namespace {

constexpr std::string_view kRootKeys[] = {"areas", "platforms", "devices", "vlans"};
constexpr std::string_view kAreaKeys[] = {"name", "parent", "description"};
constexpr std::string_view kPlatformKeys[] = {"id", "name", "vendor"};
constexpr std::string_view kVlanKeys[] = {"area", "vid", "name", "description"};
// Keys netspine's own JSON output adds to records: skipped, so that its output imports back.
constexpr std::string_view kOutputOnlyKeys[] = {"id", "path", "version", "created_at",
                                                "updated_at"};

bool outputOnly(std::string_view key) {
  return std::find(std::begin(kOutputOnlyKeys), std::end(kOutputOnlyKeys), key) !=
         std::end(kOutputOnlyKeys);
}

bool contains(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class TreeReader {
 public:
  TreeReader(std::string file, ProblemList& problems)
      : file_(std::move(file)), problems_(problems) {}

  app::InventoryDocument read(const YAML::Node& root) {
    if (root.IsSequence()) {
      eachItem(root, "devices", [this](const YAML::Node& n) { readDevice(n); });
    } else if (hasKey(root, "results")) {
      readNetboxExport(root);
    } else if (root.IsMap()) {
      readDocument(root);
    } else {
      problems_.add(
          std::max(1, lineOf(root)),
          fmt::format("expected an object with {}, a list of devices, or a NetBox "
                      "export {{\"results\": [...]}}; got {}",
                      joinNames(kRootKeys), root.IsNull() ? "an empty file" : describe(root)));
    }
    return std::move(doc_);
  }

 private:
  /// Calls `read` for each item of a list given as `what`.
  void eachItem(const YAML::Node& list, std::string_view what,
                const std::function<void(const YAML::Node&)>& read) {
    for (std::size_t i = 0; i < list.size() && !problems_.full(); ++i) {
      const YAML::Node item = list[i];
      if (item.IsMap()) {
        read(item);
      } else {
        problems_.add(lineOf(item),
                      fmt::format("{}[{}]: expected an object, got {}", what, i, describe(item)));
      }
    }
  }

  void readDocument(const YAML::Node& root) {
    for (const auto& e : entriesOf(root, "", problems_)) {
      if (!contains(kRootKeys, e.key)) {
        reportUnknownKey(e, "", kRootKeys, problems_);
      } else if (expectList(e.value, e.line, e.key, problems_)) {
        if (e.key == "areas") {
          eachItem(e.value, e.key, [this](const YAML::Node& n) { readArea(n); });
        } else if (e.key == "platforms") {
          eachItem(e.value, e.key, [this](const YAML::Node& n) { readPlatform(n); });
        } else if (e.key == "devices") {
          eachItem(e.value, e.key, [this](const YAML::Node& n) { readDevice(n); });
        } else {
          eachItem(e.value, e.key, [this](const YAML::Node& n) { readVlan(n); });
        }
      }
    }
  }

  using TextFields = std::vector<std::pair<std::string_view, std::string*>>;

  /// A record of text fields; `other` takes the keys that are not text (returns true if it did).
  template <class T>
  app::Located<T> readRecord(
      const YAML::Node& node, std::span<const std::string_view> known,
      const std::function<TextFields(T&)>& textFields,
      const std::function<bool(const YamlEntry&, app::Located<T>&)>& other = {}) {
    app::Located<T> out;
    out.at = app::SourceRef{file_, lineOf(node)};
    const auto fields = textFields(out.value);
    for (const auto& e : entriesOf(node, "", problems_)) {
      auto field = std::find_if(fields.begin(), fields.end(),
                                [&](const auto& f) { return f.first == e.key; });
      if (field != fields.end()) {
        if (auto text = scalarText(e.value, e.line, e.key, problems_)) {
          *field->second = *text;
          out.fieldLines[e.key] = e.line;
        }
      } else if (!(other && other(e, out)) && !outputOnly(e.key)) {
        reportUnknownKey(e, "", known, problems_);
      }
    }
    return out;
  }

  void readArea(const YAML::Node& node) {
    doc_.areas.push_back(readRecord<app::AreaInput>(node, kAreaKeys, [](app::AreaInput& a) {
      return TextFields{{"name", &a.name}, {"parent", &a.parent}, {"description", &a.description}};
    }));
  }

  void readPlatform(const YAML::Node& node) {
    // "id" is a field here, not output-only.
    doc_.platforms.push_back(readRecord<app::Platform>(node, kPlatformKeys, [](app::Platform& p) {
      return TextFields{{"id", &p.id}, {"name", &p.name}, {"vendor", &p.vendor}};
    }));
  }

  void readVlan(const YAML::Node& node) {
    doc_.vlans.push_back(readRecord<app::VlanInput>(
        node, kVlanKeys,
        [](app::VlanInput& v) {
          return TextFields{{"area", &v.area}, {"name", &v.name}, {"description", &v.description}};
        },
        [this](const YamlEntry& e, app::Located<app::VlanInput>& v) {
          if (e.key != "vid") return false;
          if (auto vid = integerValue(e.value, e.line, e.key, problems_)) {
            v.value.vid = *vid;
            v.fieldLines["vid"] = e.line;
          }
          return true;
        }));
  }

  /// A list of tag names, or of NetBox tag objects ({name|slug}), or one comma-separated string.
  void readTags(const YamlEntry& e, DeviceKey key, DeviceRecord& device) {
    if (e.value.IsMap()) {
      problems_.add(e.line, fmt::format("{}: expected a list or a string, got an object", e.key));
      return;
    }
    if (!e.value.IsSequence()) {
      if (auto text = scalarText(e.value, e.line, e.key, problems_)) device.set(key, *text, e.line);
      return;
    }
    std::vector<std::string> tags;
    for (std::size_t i = 0; i < e.value.size(); ++i) {
      const YAML::Node tag = e.value[i];
      const auto what = fmt::format("{}[{}]", e.key, i);
      if (tag.IsMap()) {
        if (auto name = nestedText(tag, lineOf(tag), what, {"name", "slug"})) tags.push_back(*name);
      } else if (auto text = scalarText(tag, lineOf(tag), what, problems_)) {
        tags.push_back(*text);
      }
    }
    device.setTags(key, std::move(tags), e.line);
  }

  void readDevice(const YAML::Node& node) {
    DeviceRecord device(app::SourceRef{file_, lineOf(node)});
    std::map<std::string, int> seen;  // keys compare as normalised: "Name" repeats "name"
    for (const auto& e : entriesOf(node, "", problems_)) {
      const auto normalized = normalizeKey(e.key);
      const auto key = findDeviceKey(normalized);
      if (auto [it, fresh] = seen.emplace(normalized, e.line); !fresh) {
        problems_.add(e.line,
                      fmt::format("duplicate key '{}' (first at line {})", e.key, it->second));
      } else if (!key) {
        if (!outputOnly(e.key))
          reportUnknownKey(e, "", deviceKeyNames(), problems_, deviceFieldNames());
      } else if (key->field == DeviceField::Tags) {
        readTags(e, *key, device);
      } else if (auto text = scalarText(e.value, e.line, e.key, problems_)) {
        device.set(*key, *text, e.line);
      }
    }
    doc_.devices.push_back(device.build(problems_));
  }

  /// The first non-empty of `keys` in a NetBox nested object ({"slug": "ams1", ...}).
  std::optional<std::string> nestedText(const YAML::Node& object, int line, std::string_view what,
                                        std::initializer_list<std::string_view> keys) {
    for (auto k : keys) {
      const YAML::Node v = valueOf(object, k);
      if (v.IsScalar() && !v.Scalar().empty()) return v.Scalar();
    }
    problems_.add(line,
                  fmt::format("{}: expected an object with {}", what, fmt::join(keys, " or ")));
    return std::nullopt;
  }

  /// A NetBox field: a nested object, or (leniently) plain text.
  void setNested(const YamlEntry& e, DeviceRecord& device,
                 std::initializer_list<std::string_view> keys) {
    const auto key = findDeviceKey(normalizeKey(e.key));
    if (e.value.IsMap()) {
      if (auto text = nestedText(e.value, e.line, e.key, keys)) device.set(*key, *text, e.line);
    } else if (auto text = scalarText(e.value, e.line, e.key, problems_)) {
      device.set(*key, *text, e.line);
    }
  }

  void readNetboxExport(const YAML::Node& root) {
    const YAML::Node results = valueOf(root, "results");
    if (!expectList(results, lineOf(results), "results", problems_)) return;
    eachItem(results, "results", [this](const YAML::Node& n) { readNetboxDevice(n); });
  }

  /// A NetBox /api/dcim/devices/ object; the keys netspine has no field for are skipped.
  void readNetboxDevice(const YAML::Node& node) {
    DeviceRecord device(app::SourceRef{file_, lineOf(node)});
    for (const auto& e : entriesOf(node, "", problems_)) {
      const auto& k = e.key;
      if (k == "name" || k == "serial") {
        if (auto text = scalarText(e.value, e.line, k, problems_)) {
          device.set(*findDeviceKey(k), *text, e.line);
        }
      } else if (k == "site" || k == "location" || k == "platform" || k == "role" ||
                 k == "device_role") {
        setNested(e, device, {"slug", "name"});
      } else if (k == "status") {
        setNested(e, device, {"value", "label"});
      } else if (k == "primary_ip" || k == "primary_ip4" || k == "primary_ip6") {
        setNested(e, device, {"address"});
      } else if (k == "tags") {
        readTags(e, *findDeviceKey(k), device);
      }
    }
    doc_.devices.push_back(device.build(problems_));
  }

  std::string file_;
  ProblemList& problems_;
  app::InventoryDocument doc_;
};

}  // namespace

app::InventoryDocument readInventoryTree(const std::string& path) {
  YAML::Node root;
  try {
    root = parseYaml(readTextFile(path), path);
  } catch (const domain::ValidationError& e) {
    throw app::ImportError({e.what()});
  }
  ProblemList problems(path);
  auto doc = TreeReader(path, problems).read(root);
  if (!problems.empty()) throw app::ImportError(problems.messages());
  return doc;
}

}  // namespace netspine::infra
