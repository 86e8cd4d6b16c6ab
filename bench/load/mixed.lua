-- wrk script: mixed questions to the demo's SQL and document sources, round robin.
--
--   WRK_REQUESTS=10000 wrk -t2 -c64 -d300s -s bench/load/mixed.lua http://127.0.0.1:8000
--
-- Each thread stops after its share of WRK_REQUESTS answers (all of them when unset: the
-- run lasts -d). WRK_SOURCES lists the SQL sources to ask (default "sales"); WRK_MIX is
-- "lookup" (look-ups on the SQL sources), "analytic" (aggregates over the order lines),
-- "mixed-lookup" or "mixed" (those, and questions to the `tickets` container).
-- `done` prints one JSON line: answers by status, wrk's errors, latency percentiles.

local sql_questions = {
  "how many orders per status",
  "top 5 customers by revenue",
  "revenue by region in 2024",
  "how many customers per country",
  "products in the Laptops category",
  "customers located in Berlin",
}
local lookup_questions = {
  "show all regions",
  "customers located in Berlin",
  "products priced over 1000",
  "how many customers in Germany",
  "list small business customers in the UK",
}
local document_questions = {
  "how many tickets per status",
  "open tickets with high priority",
}

local function json_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local requests = {}
local threads = {}

-- With WRK_REQUESTS, a thread that has its share writes a marker file; the last one to
-- do so interrupts wrk (as Ctrl-C would), which then prints its summary at once instead of
-- sleeping out the whole -d.
local base = nil  -- the main state's; threads get it as the global marker_base

function setup(thread)
  if base == nil then base = os.tmpname() end
  table.insert(threads, thread)
  thread:set("id", #threads)
  thread:set("marker_base", base)
end

local function all_done(n)
  for i = 1, n do
    local f = io.open(marker_base .. "-" .. i, "r")
    if f == nil then return false end
    f:close()
  end
  return true
end

function init(args)
  local sources = {}
  for name in string.gmatch(os.getenv("WRK_SOURCES") or "sales", "[^,]+") do
    table.insert(sources, name)
  end
  local mix = os.getenv("WRK_MIX") or "mixed"
  local questions = sql_questions
  if mix == "lookup" or mix == "mixed-lookup" then questions = lookup_questions end
  local headers = { ["Content-Type"] = "application/json" }
  local token = os.getenv("WRK_TOKEN")
  if token then headers["Authorization"] = "Bearer " .. token end
  for _, source in ipairs(sources) do
    for _, q in ipairs(questions) do
      local body = '{"database": ' .. json_string(source) .. ', "question": ' .. json_string(q) .. '}'
      table.insert(requests, wrk.format("POST", "/api/v1/query/sql", headers, body))
    end
  end
  if mix == "mixed" or mix == "mixed-lookup" then
    -- Every document question reads the whole container (20,000 tickets): the look-up
    -- mix asks the container one question in eleven.
    local asked = document_questions
    if mix == "mixed-lookup" then asked = { document_questions[2] } end
    for _, q in ipairs(asked) do
      local body = '{"container": "tickets", "question": ' .. json_string(q) .. '}'
      table.insert(requests, wrk.format("POST", "/api/v1/query/cosmos", headers, body))
    end
  end
  -- Each thread learns the number of threads from WRK_THREADS (default 2, as -t2).
  thread_count = tonumber(os.getenv("WRK_THREADS") or "2")
  local total = tonumber(os.getenv("WRK_REQUESTS") or "0")
  limit = 0
  if total > 0 then limit = math.ceil(total / thread_count) end
  answered = 0
  statuses = {}
  sent = 0
end

function request()
  sent = sent + 1
  return requests[(sent % #requests) + 1]
end

function response(status, headers, body)
  answered = answered + 1
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if limit > 0 and answered == limit then
    local f = io.open(marker_base .. "-" .. id, "w")
    f:write("done")
    f:close()
    wrk.thread:stop()
    -- In the background: system() ignores SIGINT in wrk while it runs.
    if all_done(thread_count) then os.execute("(sleep 0.2; kill -INT $PPID) &") end
  end
end

function done(summary, latency, requests_)
  for i = 1, #threads do os.remove(base .. "-" .. i) end
  os.remove(base)
  local by_status = {}
  local answers = 0
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for key, n in pairs(s) do
      by_status[key] = (by_status[key] or 0) + n
      answers = answers + n
    end
  end
  local parts = {}
  for key, n in pairs(by_status) do
    table.insert(parts, json_string(key) .. ": " .. n)
  end
  local e = summary.errors
  io.write(string.format(
    '{"answers": %d, "seconds": %.3f, "statuses": {%s}, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
    '"p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    answers, summary.duration / 1e6, table.concat(parts, ", "),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
