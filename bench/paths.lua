-- wrk script for bench/run.sh: requests the paths listed one a line in the file named by $BENCH_PATHS, in turn
-- (each thread starting at its own place), and ends with one machine-readable line that run.sh reads.

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("start", threads - 1)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  next_path = (start or 0) * math.floor(#paths / 2)
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
