#include "api/metrics.hpp"

#include <fmt/format.h>

namespace netspine::api {

Metrics::Metrics(std::vector<std::string> routeLabels) {
  routeLabels.push_back("- unmatched");
  for (const auto& label : routeLabels) {
    const auto space = label.find(' ');
    methods_.push_back(label.substr(0, space));
    paths_.push_back(space == std::string::npos ? "" : label.substr(space + 1));
    routes_.push_back(std::make_unique<PerRoute>());
  }
}

void Metrics::record(std::size_t route, int status, std::chrono::nanoseconds latency) {
  auto& r = *routes_[std::min(route, routes_.size() - 1)];
  if (status >= 100 && status < 600) r.byStatus[status].fetch_add(1, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(latency).count();
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  r.buckets[b].fetch_add(1, std::memory_order_relaxed);
  r.count.fetch_add(1, std::memory_order_relaxed);
  r.sumNs.fetch_add(static_cast<std::uint64_t>(latency.count()), std::memory_order_relaxed);
}

void Metrics::render(std::string& out) const {
  auto it = std::back_inserter(out);
  out += "# HELP netspine_http_requests_total HTTP requests by route, method and status code.\n";
  out += "# TYPE netspine_http_requests_total counter\n";
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    for (int code = 100; code < 600; ++code) {
      const auto n = routes_[i]->byStatus[code].load(std::memory_order_relaxed);
      if (n == 0) continue;
      fmt::format_to(it,
                     "netspine_http_requests_total{{method=\"{}\",route=\"{}\",code=\"{}\"}} {}\n",
                     methods_[i], paths_[i], code, n);
    }
  }
  out += "# HELP netspine_http_request_duration_seconds Time from request to response.\n";
  out += "# TYPE netspine_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& r = *routes_[i];
    const auto count = r.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const auto labels = fmt::format("method=\"{}\",route=\"{}\"", methods_[i], paths_[i]);
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += r.buckets[b].load(std::memory_order_relaxed);
      fmt::format_to(it, "netspine_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                     labels, kBuckets[b], cumulative);
    }
    cumulative += r.buckets[kBuckets.size()].load(std::memory_order_relaxed);
    fmt::format_to(it, "netspine_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n",
                   labels, cumulative);
    fmt::format_to(it, "netspine_http_request_duration_seconds_sum{{{}}} {:.6f}\n", labels,
                   static_cast<double>(r.sumNs.load(std::memory_order_relaxed)) / 1e9);
    fmt::format_to(it, "netspine_http_request_duration_seconds_count{{{}}} {}\n", labels,
                   cumulative);
  }
}

}  // namespace netspine::api
