-- wrk script: POST one credit application as JSON; count 2xx / non-2xx per thread and, when
-- IDS_FILE is set, write (in done()) the id of every 2xx answer, one per line, so that run.sh can check
-- each answered request against the prediction log.
-- Used for the baseline too (BASELINE=1: plain GET of the path given on the command line).

local body = '{"checking_status":"no checking","duration":12,"credit_history":"existing paid",' ..
  '"purpose":"radio/tv","credit_amount":1800,"savings_status":"100<=X<500","employment":"4<=X<7",' ..
  '"installment_commitment":2,"personal_status":"male single","other_parties":"none",' ..
  '"residence_since":3,"property_magnitude":"life insurance","age":38,"other_payment_plans":"none",' ..
  '"housing":"own","existing_credits":1,"job":"skilled","num_dependents":1,"own_telephone":"yes",' ..
  '"foreign_worker":"yes"}'

local baseline = os.getenv("BASELINE") == "1"
local ids_file = os.getenv("IDS_FILE")

if not baseline then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  ok, non2xx, noid = 0, 0, 0
  statuses = {}
  if ids_file and not baseline then
    ids, nids = {}, 0
  end
end

function response(status, headers, resp_body)
  if status >= 200 and status < 300 then
    ok = ok + 1
    if ids then
      local id = resp_body:match('"id":(%d+)')
      if id then nids = nids + 1; ids[nids] = id else noid = noid + 1 end
    end
  else
    non2xx = non2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local ok_total, bad_total, noid_total = 0, 0, 0
  local by_status = {}
  for _, t in ipairs(threads) do
    ok_total = ok_total + t:get("ok")
    bad_total = bad_total + t:get("non2xx")
    noid_total = noid_total + t:get("noid")
    for s, n in pairs(t:get("statuses")) do by_status[s] = (by_status[s] or 0) + n end
  end
  if ids_file and not baseline then
    local f = assert(io.open(ids_file, "w"))
    for _, t in ipairs(threads) do
      for _, id in ipairs(t:get("ids")) do f:write(id, "\n") end
    end
    f:close()
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  local detail = {}
  for s, n in pairs(by_status) do table.insert(detail, s .. "x" .. n) end
  -- one machine-readable line for run.sh (latencies in ms)
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f ok2xx=%d non2xx=%d statuses=%s noid=%d " ..
    "connect_err=%d read_err=%d write_err=%d timeouts=%d " ..
    "p50=%.2f p90=%.2f p99=%.2f p999=%.2f max=%.2f mean=%.2f\n",
    summary.requests, secs, summary.requests / secs, ok_total, bad_total,
    (#detail > 0 and table.concat(detail, ",") or "-"), noid_total,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, latency.mean / 1000))
end
