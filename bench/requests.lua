-- wrk script: replay the requests listed in a file, one per line, split between wrk's threads.
-- Each line: METHOD <tab> PATH <tab> COOKIE <tab> BODY (BODY may be empty).
-- Arguments: the file, then the number of wrk threads. bench.py appends a delay() function to
-- a copy of this script for the think-time scenario.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  local mine = {}
  local n = 0
  local total = tonumber(args[2] or "1")
  for line in file:lines() do
    -- Each thread takes its own share, so two threads never send the same submission.
    if n % total == id then
      local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
      local headers = {
        ["Cookie"] = cookie,
        ["User-Agent"] = "quizapp-bench",
      }
      if method == "POST" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      table.insert(mine, wrk.format(method, path, headers, body ~= "" and body or nil))
    end
    n = n + 1
  end
  file:close()
  requests_list = mine
  position = 0
  math.randomseed(os.time() + id)
end

function request()
  position = position % #requests_list + 1
  return requests_list[position]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50=%d p95=%d p99=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
