-- wrk script: every request carries the cookie of one of the pre-created sessions, picked at
-- random, so that concurrent requests of one session happen as they do with real browsers.
-- Usage: wrk ... -s cookies.lua URL -- COOKIE_FILE (an empty one, /dev/null say: no Cookie header)
-- At the end it prints one line: RESULT {json}, what run.sh records.

local threads = {}

function setup(thread)
	thread:set("seed", #threads + 1)
	table.insert(threads, thread)
end

function init(args)
	cookies = {}
	for line in io.lines(args[1]) do
		if #line > 0 then
			cookies[#cookies + 1] = line
		end
	end
	math.randomseed(os.time() * 100 + seed)
	-- Every request is formatted once, here: wrk shares the application's 2 cores, and formatting
	-- a request with its Cookie header for every request cost the client enough CPU to lower the
	-- server's throughput by several per cent, more with a cookie than without.
	requests = {}
	for i, cookie in ipairs(cookies) do
		requests[i] = wrk.format(nil, nil, { Cookie = cookie })
	end
	if #requests == 0 then -- an empty cookie file: requests without a cookie
		requests[1] = wrk.format()
	end
end

function request()
	return requests[math.random(#requests)]
end

function done(summary, latency)
	local e = summary.errors
	io.write(string.format(
		'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
			.. '"errors": %d, "non2xx": %d}\n',
		summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
		e.connect + e.read + e.write + e.timeout, e.status))
end
