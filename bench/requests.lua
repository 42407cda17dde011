-- wrk script: replay the requests listed in a file, one per line, split between wrk's threads.
-- Each line: METHOD <tab> PATH <tab> COOKIE <tab> BODY (BODY may be empty).
-- Arguments: the file, the number of wrk threads, where each thread starts in its share
-- (the "reached" of the previous run of the same row, so that no submission is sent twice),
-- and the Accept-Language to send (empty: none, the interface is English).

local threads = {}
local counter = 0
local accept_language = ""

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function formatted(line)
  local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
  local headers = {
    ["Cookie"] = cookie,
    ["User-Agent"] = "quizapp-bench",
  }
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  if accept_language ~= "" then
    headers["Accept-Language"] = accept_language
  end
  return wrk.format(method, path, headers, body ~= "" and body or nil)
end

function init(args)
  accept_language = args[4] or ""
  local file = assert(io.open(args[1], "r"))
  local all, mine = {}, {}
  local n = 0
  local total = tonumber(args[2] or "1")
  for line in file:lines() do
    local request = formatted(line)
    table.insert(all, request)
    -- Each thread takes its own share, so two threads never send the same submission.
    if n % total == id then
      table.insert(mine, request)
    end
    n = n + 1
  end
  file:close()
  -- Fewer lines than threads: every thread replays them all.
  requests_list = #mine > 0 and mine or all
  position = tonumber(args[3] or "0")
  math.randomseed(os.time() + id)
end

function request()
  position = position % #requests_list + 1
  return requests_list[position]
end

function done(summary, latency, requests)
  local e = summary.errors
  -- How far the furthest thread got, so that the next run starts after it.
  local reached = 0
  for _, thread in ipairs(threads) do
    reached = math.max(reached, thread:get("position") or 0)
  end
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50=%d p95=%d p99=%d connect=%d read=%d write=%d status=%d timeout=%d reached=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout, reached))
end
