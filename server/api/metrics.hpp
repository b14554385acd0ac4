#pragma once
// The server's request metrics, kept lock-free per route and written in the Prometheus text
// format by GET /metrics.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace netspine::api {

class Metrics {
 public:
  /// Upper bounds of the latency histogram, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  /// One label per route ("GET /api/v1/devices/{name}"); an extra one counts unmatched paths.
  explicit Metrics(std::vector<std::string> routeLabels);

  void record(std::size_t route, int status, std::chrono::nanoseconds latency);

  /// http_requests_total{route,method,code} and http_request_duration_seconds histograms.
  void render(std::string& out) const;

 private:
  struct PerRoute {
    std::array<std::atomic<std::uint64_t>, 600> byStatus{};
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sumNs{0};
  };
  std::vector<std::string> methods_;
  std::vector<std::string> paths_;
  std::vector<std::unique_ptr<PerRoute>> routes_;
};

}  // namespace netspine::api
