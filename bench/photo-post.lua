-- wrk script for ThroughputComparison: POST one photo as multipart to the URL given on the command line,
-- in a closed loop on each connection. The body is the file BODY_FILE (already a multipart body with the
-- boundary BOUNDARY), built once by the benchmark, so wrk only sends bytes and reads answers.
-- Counts the answers with the status EXPECT (default 200) and the others, and, for 200 answers, sums the
-- server's own inferenceMs / latencyMs from the JSON. done() prints one RESULT line (latencies in ms).

local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local expect = tonumber(os.getenv("EXPECT") or "200")

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. os.getenv("BOUNDARY")
wrk.headers["Accept"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, bad, timed, inference, service = 0, 0, 0, 0.0, 0.0
  statuses = {}
end

function response(status, headers, resp_body)
  if status == expect then
    ok = ok + 1
    if status == 200 then
      local i = resp_body:match('"inferenceMs":([%d%.eE+-]+)')
      local l = resp_body:match('"latencyMs":([%d%.eE+-]+)')
      if i and l then
        timed = timed + 1
        inference = inference + tonumber(i)
        service = service + tonumber(l)
      end
    end
  else
    bad = bad + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local ok_total, bad_total, timed_total, inference_total, service_total = 0, 0, 0, 0.0, 0.0
  local by_status = {}
  for _, t in ipairs(threads) do
    ok_total = ok_total + t:get("ok")
    bad_total = bad_total + t:get("bad")
    timed_total = timed_total + t:get("timed")
    inference_total = inference_total + t:get("inference")
    service_total = service_total + t:get("service")
    for s, n in pairs(t:get("statuses")) do by_status[s] = (by_status[s] or 0) + n end
  end
  local e = summary.errors
  local detail = {}
  for s, n in pairs(by_status) do table.insert(detail, s .. "x" .. n) end
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f ok=%d bad=%d statuses=%s socket_errors=%d " ..
    "p50=%.3f p99=%.3f mean=%.3f inference=%.3f service=%.3f\n",
    summary.requests, summary.duration / 1e6, ok_total, bad_total,
    (#detail > 0 and table.concat(detail, ",") or "-"),
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.mean / 1000,
    timed_total > 0 and inference_total / timed_total or 0 / 0,
    timed_total > 0 and service_total / timed_total or 0 / 0))
end
