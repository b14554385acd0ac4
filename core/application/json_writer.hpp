#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace netspine::app {

/// A small, fast JSON builder for output and change-log snapshots. The caller keeps the
/// structure well formed; commas are placed automatically.
class JsonWriter {
 public:
  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  /// `k` is written as is: keys are netspine's own identifiers, which need no escaping.
  JsonWriter& key(std::string_view k);
  /// A key that may need escaping (one that came from outside).
  JsonWriter& escapedKey(std::string_view k);
  JsonWriter& value(std::string_view v);
  JsonWriter& value(const char* v) { return value(std::string_view(v)); }
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  JsonWriter& value(bool v);
  JsonWriter& null();
  /// Inserts already serialized JSON as one value.
  JsonWriter& raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }
  void clear() {
    out_.clear();
    needComma_ = false;
  }
  /// Drops the text written so far but keeps the place in the structure: for output streamed
  /// in chunks (write str(), then flushed()).
  void flushed() { out_.clear(); }

  static void escape(std::string& out, std::string_view text);

 private:
  void separate();
  std::string out_;
  bool needComma_ = false;
};

}  // namespace netspine::app
