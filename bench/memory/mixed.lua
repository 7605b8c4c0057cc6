-- wrk script for bench/memory.sh: one kind of request of the mixed load (photos to the API, photos to the pages,
-- credit decisions, page views, the admin's history), chosen at random on each request among the lines of the
-- file REQUESTS: "METHOD PATH BODY_FILE CONTENT_TYPE" ("-" for no body / no type). COOKIE, when set, is sent
-- with every request (a visitor's or the admin's session). Requests are built once, in init, so wrk only
-- sends bytes. done() prints one RESULT line: the kind (KIND), counts by status class, latencies in ms.

local requests = {}

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local cookie = os.getenv("COOKIE")
  for line in io.lines(os.getenv("REQUESTS")) do
    local method, path, body_file, content_type = line:match("^(%S+)%s+(%S+)%s+(%S+)%s+(%S+)")
    if method then
      local headers = { ["Accept-Language"] = "fr,en;q=0.8" }
      if cookie and cookie ~= "" then headers["Cookie"] = cookie end
      if content_type ~= "-" then headers["Content-Type"] = content_type end
      if path:find("/api/") then headers["Accept"] = "application/json" end
      local body = nil
      if body_file ~= "-" then body = slurp(body_file) end
      table.insert(requests, wrk.format(method, path, headers, body))
    end
  end
  assert(#requests > 0, "no request in " .. os.getenv("REQUESTS"))
  math.randomseed(os.time() + #threads)
  s2, s3, s4, s503, s5 = 0, 0, 0, 0, 0
end

function request()
  return requests[math.random(#requests)]
end

function response(status, headers, body)
  if status < 300 then s2 = s2 + 1
  elseif status < 400 then s3 = s3 + 1
  elseif status < 500 then s4 = s4 + 1
  elseif status == 503 then s503 = s503 + 1
  else s5 = s5 + 1 end
end

function done(summary, latency, requests)
  local t2, t3, t4, t503, t5 = 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    t2 = t2 + t:get("s2"); t3 = t3 + t:get("s3"); t4 = t4 + t:get("s4")
    t503 = t503 + t:get("s503"); t5 = t5 + t:get("s5")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT kind=%s requests=%d seconds=%.3f s2xx=%d s3xx=%d s4xx=%d s503=%d s5xx=%d socket_errors=%d " ..
    "p50=%.1f p99=%.1f max=%.1f\n",
    os.getenv("KIND") or "?", summary.requests, summary.duration / 1e6, t2, t3, t4, t503, t5,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
