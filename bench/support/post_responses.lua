-- wrk script: POST varied completed questionnaires (NPS mix, new and returning devices).
local site_key = os.getenv("SITE_KEY") or "pk_missing"
local counter = 0
math.randomseed(os.time())

-- RATE (requests per second over all CONNECTIONS): customers arrive at that rate instead
-- of as fast as the server answers. Each connection waits an exponential gap (a Poisson
-- process, as independent customers finishing their checkouts make) before each request,
-- so the latency measured is what a customer sees at that load, not wrk's own queue.
local rate = tonumber(os.getenv("RATE") or "")
local connections = tonumber(os.getenv("CONNECTIONS") or "")
if rate and connections then
  delay = function()
    return -math.log(1 - math.random()) * connections / rate * 1000
  end
end

request = function()
  counter = counter + 1
  local nps = math.random(0, 10)
  local device = "bench-" .. math.random(1, 5000)
  local store = ({"athens", "thessaloniki", "patra"})[math.random(1, 3)]
  local body = string.format(
    '{"site_key":"%s","stage":"checkout","locale":"en","device_id":"%s",' ..
    '"answers":{"nps":%d,"comment":"bench"},"metadata":{"questionnaire":' ..
    '{"transaction_id":"B-%d","store_id":"%s","amount":%d},"responder":{}}}',
    site_key, device, nps, counter, store, math.random(5, 300))
  return wrk.format("POST", "/api/public/v1/responses",
                    {["Content-Type"] = "application/json"}, body)
end
