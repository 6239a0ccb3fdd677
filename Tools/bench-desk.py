#!/usr/bin/env python3
"""Usage: Tools/bench-desk.py SERVER RATERS [CONCURRENCY [THINK_SECONDS]] — CONCURRENCY scripted raters (default:
all RATERS, named R001…) mark at once against the desk of a running `exam serve`: each logs in (GET/POST /login), then
until the desk says nothing is left: GET /mark, GET the answer's audio (Range: bytes=0-65535, as a browser starts),
wait THINK_SECONDS (default 0: no think time, the server's saturation; > 0: uniform 0.5-1.5x that, a rater listening
and deciding; the raters start spread over one think time), POST the mark (random 0-4). One keep-alive HTTP/1.1
connection per rater (asyncio, no third-party modules).
Prints one JSON line: requests, marks, wall seconds, latency p50/p99/max (ms) per request kind and overall, errors.
"""
import asyncio, json, random, re, sys, time, urllib.parse

CSRF = re.compile(rb'name="csrf" value="([0-9a-f]+)"')
ANSWER = re.compile(rb'action="/mark/([0-9]+)"')

class Connection:
    def __init__(self, host, port):
        self.host, self.port, self.cookies = host, port, {}
        self.reader = self.writer = None

    async def request(self, method, path, body=None, headers=None):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s:%d" % (self.host, self.port)]
        if self.cookies:
            lines.append("Cookie: " + "; ".join("%s=%s" % kv for kv in self.cookies.items()))
        for k, v in (headers or {}).items():
            lines.append("%s: %s" % (k, v))
        data = b""
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            lines += ["Content-Type: application/x-www-form-urlencoded", "Content-Length: %d" % len(data)]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length, chunked = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"set-cookie":
                pair = value.split(b";")[0].decode()
                k, _, v = pair.partition("=")
                if v and "Max-Age=0" not in value.decode():
                    self.cookies[k] = v
                else:
                    self.cookies.pop(k, None)
        if chunked:
            payload = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                payload += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            payload = await self.reader.readexactly(length)
        return status, payload

async def rater(name, host, port, stats, rng, think):
    c = Connection(host, port)
    if think > 0:
        await asyncio.sleep(rng.uniform(0, think))

    async def timed(kind, method, path, **kw):
        start = time.perf_counter()
        status, body = await c.request(method, path, **kw)
        stats["latency"].setdefault(kind, []).append((time.perf_counter() - start) * 1000)
        stats["requests"] += 1
        return status, body

    status, page = await timed("GET /login", "GET", "/login")
    csrf = CSRF.search(page).group(1).decode()
    status, _ = await timed("POST /login", "POST", "/login", body={"csrf": csrf, "rater": name, "password": "password-" + name})
    if status != 303:
        stats["errors"].append("%s: login %d" % (name, status))
        return
    while True:
        status, page = await timed("GET /mark", "GET", "/mark")
        m = ANSWER.search(page)
        if status != 200 or not m:
            if b"Nothing left to mark" not in page:
                stats["errors"].append("%s: /mark %d" % (name, status))
            return
        answer, csrf = m.group(1).decode(), CSRF.search(page).group(1).decode()
        status, _ = await timed("GET audio (range)", "GET", "/mark/audio/" + answer, headers={"Range": "bytes=0-65535"})
        if status != 206:
            stats["errors"].append("%s: audio %s %d" % (name, answer, status))
        if think > 0:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        status, _ = await timed("POST /mark", "POST", "/mark/" + answer, body={"csrf": csrf, "points": str(rng.randint(0, 4))})
        if status != 303:
            stats["errors"].append("%s: mark %s %d" % (name, answer, status))
            return
        stats["marks"] += 1

def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0

async def main():
    server, raters = sys.argv[1], int(sys.argv[2])
    concurrency = int(sys.argv[3]) if len(sys.argv) > 3 else raters
    think = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    url = urllib.parse.urlparse(server)
    stats = {"requests": 0, "marks": 0, "errors": [], "latency": {}}
    names = ["R%03d" % i for i in range(1, raters + 1)][:concurrency]
    start = time.perf_counter()
    await asyncio.gather(*(rater(n, url.hostname, url.port, stats, random.Random(i), think) for i, n in enumerate(names)))
    wall = time.perf_counter() - start
    every = [v for values in stats["latency"].values() for v in values]
    out = {"raters": len(names), "thinkSeconds": think, "requests": stats["requests"], "marks": stats["marks"], "wallSeconds": round(wall, 1),
           "requestsPerSecond": round(stats["requests"] / wall, 1),
           "latencyMs": {k: {"n": len(v), "p50": round(percentile(v, 50), 1), "p99": round(percentile(v, 99), 1),
                             "max": round(max(v), 1)} for k, v in sorted(stats["latency"].items())},
           "overallMs": {"p50": round(percentile(every, 50), 1), "p99": round(percentile(every, 99), 1), "max": round(max(every), 1)},
           "errors": stats["errors"][:20], "errorCount": len(stats["errors"])}
    print(json.dumps(out))

if __name__ == "__main__":
    asyncio.run(main())
