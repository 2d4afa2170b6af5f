-- wrk script of bench.load: each thread stops after BENCH_MAX_PER_THREAD responses (wrk
-- itself stops at its -d duration), and done() prints one JSON line the runner reads.
local max = tonumber(os.getenv("BENCH_MAX_PER_THREAD") or "0")
local count = 0

function response(status, headers, body)
  count = count + 1
  if max > 0 and count >= max then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "mean_us": %.1f, '
      .. '"max_us": %d, "bytes": %d, "non_2xx_3xx": %d, "timeouts": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, latency.max, summary.bytes, e.status, e.timeout, e.connect + e.read + e.write))
end
