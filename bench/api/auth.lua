-- wrk script of bench/api/api_bench.sh: netspine's REST API with a bearer token.
--
-- Every request carries `Authorization: Bearer TOKEN`. The token comes from the environment,
-- NETSPINE_TOKEN (so that no command line that `ps` shows holds it), or from the script's first
-- argument after `--`. Neither set (or empty): no Authorization header, e.g. for /health.
--
--   NETSPINE_TOKEN=nst_... wrk -t2 -c64 -d10s -s bench/api/auth.lua 'http://127.0.0.1:8080/api/v1/devices?limit=50'
--
-- When the run ends, done() prints one line that the script parses (latencies in milliseconds,
-- wrk's own measurement from request sent to response read):
--
--   wrk_result requests=N duration_s=S rps=R p50_ms=.. p90_ms=.. p99_ms=.. p999_ms=.. max_ms=..
--              mean_ms=.. bytes=N errors_connect=N errors_read=N errors_write=N
--              errors_status=N errors_timeout=N            (all on one line)
--
-- errors_status counts responses with a status above 399. No response() function is defined:
-- wrk then skips parsing the headers and bodies, the cheapest client it can be.

local token = os.getenv("NETSPINE_TOKEN")

function init(args)
  if args[1] ~= nil and args[1] ~= "" then token = args[1] end
  if token ~= nil and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
end

function done(summary, latency, requests)
  local ms = function(us) return us / 1000.0 end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "wrk_result requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f " ..
    "p999_ms=%.3f max_ms=%.3f mean_ms=%.3f bytes=%d errors_connect=%d errors_read=%d " ..
    "errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)),
    ms(latency:percentile(99.9)), ms(latency.max), ms(latency.mean), summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout))
end
