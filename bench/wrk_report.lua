-- wrk script: rotate through the paths in PATHS_FILE (one per line) and print JSON figures.
local paths = {}
local counter = 0

init = function(args)
  local file = io.open(os.getenv("PATHS_FILE") or "", "r")
  if file then
    for line in file:lines() do paths[#paths + 1] = line end
    file:close()
  end
end

request = function()
  local path = "/"
  if #paths > 0 then
    counter = counter + 1
    path = paths[(counter % #paths) + 1]
  end
  return wrk.format("GET", path, { ["Cookie"] = os.getenv("BENCH_COOKIE") or "" })
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, non2xx, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
