-- wrk script for `make loadtest`: each connection takes the addresses of loadtest/urls.txt (or
-- of the file LOADTEST_URLS names) in turn, and the summary line reports throughput, latency percentiles and errors (socket
-- errors, and every response whose status is not 2xx or 3xx).
local paths = {}
for line in io.lines(os.getenv("LOADTEST_URLS") or "loadtest/urls.txt") do
  if line:sub(1, 1) == "/" then
    paths[#paths + 1] = line
  end
end

local next_path = 0

function init(args)
  next_path = math.random(#paths) - 1 -- threads start at different addresses
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "loadtest: %d requests in %.1f s: %.0f requests/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
      .. "errors %d (status %d, socket %d)\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    e.status + socket_errors, e.status, socket_errors))
end
