-- wrk script: POSTs chat messages to /api/tts/add_message, every one from a different sender and with its own text.
-- WRK_MODE=mention (default) mentions @streamer; WRK_MODE=plain mentions nobody.
local mode = os.getenv("WRK_MODE") or "mention"
local counter = 0
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

request = function()
  counter = counter + 1
  local sender = "viewer" .. (tid or 0) .. "_" .. counter
  local text
  if mode == "plain" then
    text = "just chatting, message " .. counter .. " of a long stream"
  else
    text = "@streamer how is the run going? message " .. counter
  end
  local body = '{"sent_by": "' .. sender .. '", "text": "' .. text .. '", "message_type": "chat"}'
  return wrk.format("POST", "/api/tts/add_message", {["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("JSON {\"requests\": %d, \"duration_us\": %d, \"non2xx\": %d, \"errors\": %d, " ..
    "\"p50_us\": %d, \"p99_us\": %d, \"max_us\": %d}\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
