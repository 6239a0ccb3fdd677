#!/usr/bin/env python3
"""Usage: Tools/make-sitting-logs.py --db exam.sqlite --exam ID --out DIR [--truth truth.csv] [--rate 0.002] [--rooms N] [--seed 1]

Writes the seat-machine event logs (JSON Lines, docs/schemas/seat-event.schema.json) of a simulated sitting,
one file per room, reading who sits where from the exam store (allocation, seats, sessions, items), and plants
incidents of every kind the proctoring rules know, writing each planted incident to the truth CSV
(rule,candidate,centre,room,seat). Negative controls (an id check failed then passed, a network loss outside
any recording, a short client restart) are planted too and must raise nothing.
"""
import argparse, csv, os, random, sqlite3, sys

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--db", required=True)
p.add_argument("--exam", required=True)
p.add_argument("--out", required=True)
p.add_argument("--truth", default=None)
p.add_argument("--rate", type=float, default=0.002, help="probability of each planted kind per candidate")
p.add_argument("--rooms", type=int, default=0, help="only the first N rooms (0 = all)")
p.add_argument("--heartbeat", type=int, default=15, help="seconds between heartbeats")
p.add_argument("--absent", type=float, default=0.01, help="share of candidates who do not come")
p.add_argument("--bad-lines", type=int, default=0, help="malformed lines to plant (reported and skipped by ingest)")
p.add_argument("--offset", default="+08:00", help="UTC offset written in the times")
p.add_argument("--plant", default="", help="comma-separated kinds forced onto the first seats of the first room (for demos)")
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
rng = random.Random(a.seed)

db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
sessions = {r[0]: (r[1], r[2], r[3]) for r in db.execute("SELECT id, date, start, \"end\" FROM session")}
items = [(r[0], r[1], r[2]) for r in db.execute(
    "SELECT i.id, i.promptSeconds, s.part FROM item i JOIN section s ON s.examId = i.examId AND s.id = i.sectionId "
    "WHERE i.examId = ? ORDER BY s.position, i.position", (a.exam,))]
if not items:
    sys.exit(f"error: {a.db}: exam {a.exam} has no items — import the exam pack first")
alloc = {}
for cand, sess, centre, room, seat in db.execute(
        "SELECT candidateId, sessionId, centreId, roomId, seatId FROM allocation WHERE examId = ?", (a.exam,)):
    alloc.setdefault((centre, room, sess), {})[seat] = cand
if not alloc:
    sys.exit(f"error: {a.db}: exam {a.exam} has no allocation — run the allocation first")
seats = {}
for centre, room, seat, machine, reserve in db.execute(
        "SELECT centreId, roomId, id, machineId, reserve FROM seat ORDER BY centreId, roomId, row, \"column\""):
    seats.setdefault((centre, room), []).append((seat, machine or f"{centre}-{room}-{seat}", bool(reserve)))
allocated = set(c for room in alloc.values() for c in room.values())
standby = [r[0] for r in db.execute("SELECT id FROM candidate") if r[0] not in allocated]
os.makedirs(a.out, exist_ok=True)
truth = []
KINDS = ["wrong-seat", "two-seats", "two-candidates", "unknown-candidate", "no-heartbeat", "client-crash",
         "network-loss-recording", "late-login", "early-finish", "item-too-fast", "id-check-failed", "mic-level-low"]
CONTROLS = ["id-fail-then-pass", "network-loss-listening", "short-restart"]
total_events = 0


def hms(t):
    t = int(t)
    return "%02d:%02d:%02d" % (t // 3600, t // 60 % 60, t % 60)


def secs(hhmm):
    h, m = hhmm.split(":")
    return int(h) * 3600 + int(m) * 60


def timeline(ev, seat, machine, cand, ss, se, kind=None, overrun=False):
    """Appends a candidate's events at one seat: (t, machine, seat, candidate, type, payload)."""
    def add(t, typ, payload=None, who=cand):
        ev.append((t, machine, seat, who, typ, payload))
    login = ss - rng.randint(60, 600) if kind != "late-login" else ss + rng.randint(900, 2400)
    add(login, "login")
    if kind == "id-check-failed":
        add(login + 30, "id-check", '{"result":"fail"}')
    elif kind == "id-fail-then-pass":
        add(login + 30, "id-check", '{"result":"fail"}')
        add(login + 90, "id-check", '{"result":"pass"}')
    else:
        add(login + 30, "id-check", '{"result":"pass"}')
    level = rng.uniform(-70, -55) if kind == "mic-level-low" else rng.uniform(-28, -14)
    add(login + 60, "mic-check", '{"level_db":%.1f}' % level)
    t = max(ss, login + 120)
    todo = items[: max(1, len(items) // 2)] if kind == "early-finish" else items
    fast = next((i for i, it in enumerate(todo) if it[1]), None) if kind == "item-too-fast" else None
    lost_done = False
    for k, (item, prompt, part) in enumerate(todo):
        if overrun and k == len(todo) - 1:
            t = max(t, se + 120)
        add(t, "item-start", '{"item":"%s"}' % item)
        if part == "speaking":
            length = rng.randint(15, 40)
            if kind == "network-loss-recording" and not lost_done:
                add(t + 5, "network-lost")
                add(t + 12, "network-restored")
                lost_done = True
            add(t + length, "recording-saved", '{"item":"%s","file":"%s.wav"}' % (item, item))
            add(t + length + 1, "item-end", '{"item":"%s"}' % item)
            t += length + rng.randint(5, 15)
        else:
            prompt = prompt or 5
            if kind == "network-loss-listening" and not lost_done:
                add(t + 2, "network-lost")
                add(t + 4, "network-restored")
                lost_done = True
            d = rng.uniform(1, prompt * 0.5) if k == fast else prompt + rng.uniform(3, 20)
            add(t + d, "item-end", '{"item":"%s"}' % item)
            t += d + rng.randint(5, 15)
    if kind == "early-finish":
        logout = t + 60
    elif overrun:
        logout = t + 60
    else:
        logout = max(t + 30, se - rng.randint(0, 300))
    add(logout, "logout")
    skip = None
    if kind == "no-heartbeat":
        g = rng.randint(ss + 600, ss + 3000)
        skip = (g, g + rng.randint(90, 300))
    elif kind in ("client-crash", "short-restart"):
        c = rng.randint(ss + 600, ss + 3000)
        if kind == "client-crash":
            add(c, "client-crash")
        add(c + 15, "login")
        skip = (c, c + 20)
    hb = login + a.heartbeat
    while hb < logout:
        if not skip or not (skip[0] <= hb <= skip[1]):
            add(hb + rng.uniform(-1, 1), "heartbeat")
        hb += a.heartbeat


rooms = sorted(alloc.keys())
if a.rooms:
    rooms = rooms[: a.rooms]
for (centre, room, sess) in rooms:
    date, start, end = sessions[sess]
    ss, se = secs(start), secs(end)
    ev = []
    occupant = alloc[(centre, room, sess)]
    seat_list = seats.get((centre, room), [])
    machine_of = {s: m for s, m, _ in seat_list}
    reserves = [s for s, _, r in seat_list if r]
    present = [s for s in sorted(occupant) if rng.random() >= a.absent]
    absent = [s for s in sorted(occupant) if s not in present]
    plan = {}
    for s in present:
        r = rng.random()
        for k, kind in enumerate(KINDS + CONTROLS):
            rate = a.rate * (3 if kind in CONTROLS else 1)
            if r < rate:
                plan[s] = kind
                break
            r -= rate
    if (centre, room, sess) == rooms[0] and a.plant:
        for s, kind in zip(present, a.plant.split(",")):
            if kind not in KINDS + CONTROLS:
                sys.exit(f"error: --plant: unknown kind {kind!r}; choose from {', '.join(KINDS + CONTROLS)}")
            plan[s] = kind
    # Kinds that need a partner seat or a free seat.
    swapped = set()
    spare = len(absent)
    free_reserves = len(reserves)
    reserve_pool = list(reserves)
    for s, kind in list(plan.items()):
        if kind == "wrong-seat":
            partner = next((o for o in present if o != s and o not in plan and o not in swapped), None)
            if partner is None:
                del plan[s]
                continue
            swapped.update([s, partner])
            plan[partner] = "wrong-seat-partner"
        if kind == "two-seats":
            if free_reserves <= 0:
                del plan[s]
            free_reserves -= 1
        if kind == "unknown-candidate":
            if spare <= 0:
                del plan[s]
            spare -= 1
        if kind == "two-candidates" and not standby:
            del plan[s]
    overrun_seat = rng.choice(present) if present and rng.random() < a.rate * 25 else None
    if overrun_seat in plan:
        overrun_seat = None
    if overrun_seat:
        truth.append(("session-overrun", "", centre, room, overrun_seat))
    pairs = {}
    for s, kind in plan.items():
        if kind == "wrong-seat":
            partner = next(o for o, k in plan.items() if k == "wrong-seat-partner" and o not in pairs.values() and o not in pairs)
            pairs[s] = partner
    for s in present:
        cand = occupant[s]
        kind = plan.get(s)
        where = s
        if kind == "wrong-seat":
            where = pairs[s]
        elif kind == "wrong-seat-partner":
            where = next(k for k, v in pairs.items() if v == s)
        timeline(ev, where, machine_of.get(where, f"{centre}-{room}-{where}"), cand, ss, se,
                 kind if kind in KINDS + CONTROLS and kind not in ("wrong-seat", "two-seats", "two-candidates", "unknown-candidate") else None,
                 overrun=(s == overrun_seat))
        if kind in ("wrong-seat", "wrong-seat-partner"):
            truth.append(("wrong-seat", cand, centre, room, where))
        elif kind == "two-seats":
            r = reserve_pool.pop()
            t0 = rng.randint(ss + 900, ss + 3000)
            m = machine_of.get(r, f"{centre}-{room}-{r}")
            ev.append((t0, m, r, cand, "login", None))
            for k in range(1, 8):
                ev.append((t0 + k * a.heartbeat, m, r, cand, "heartbeat", None))
            ev.append((t0 + 8 * a.heartbeat, m, r, cand, "logout", None))
            truth.append(("two-seats", cand, centre, room, s))
            truth.append(("wrong-seat", cand, centre, room, r))
        elif kind == "two-candidates":
            w = rng.choice(standby)
            t0 = rng.randint(ss + 900, ss + 3000)
            m = machine_of.get(s, f"{centre}-{room}-{s}")
            ev.append((t0, m, s, w, "login", None))
            ev.append((t0 + 10, m, s, w, "heartbeat", None))
            truth.append(("two-candidates", w, centre, room, s))
            truth.append(("unknown-candidate", w, centre, room, s))
        elif kind == "unknown-candidate":
            free = absent.pop()
            stranger = "X%06d" % rng.randint(0, 999999)
            timeline(ev, free, machine_of.get(free, f"{centre}-{room}-{free}"), stranger, ss, se)
            truth.append(("unknown-candidate", stranger, centre, room, free))
        elif kind in KINDS:
            truth.append((kind, cand, centre, room, s))
    ev.sort(key=lambda e: (e[0], e[1]))
    seq = {}
    lines = []
    for t, m, seat, who, typ, payload in ev:
        n = seq.get(m, 0) + 1
        seq[m] = n
        frac = t - int(t)
        stamp = "%sT%s%s%s" % (date, hms(t), (".%03d" % int(frac * 1000)) if frac else "", a.offset)
        line = '{"time":"%s","centre":"%s","room":"%s","seat":"%s","machine":"%s","seq":%d,' % (stamp, centre, room, seat, m, n)
        line += ('"candidate":"%s",' % who) if who else '"candidate":null,'
        line += '"type":"%s"' % typ
        if payload:
            line += ',"payload":' + payload
        lines.append(line + "}\n")
    total_events += len(lines)
    with open(os.path.join(a.out, f"{centre}-{room}-{sess}.jsonl"), "w") as f:
        f.writelines(lines)

if a.bad_lines and rooms:
    centre, room, sess = rooms[0]
    with open(os.path.join(a.out, f"{centre}-{room}-{sess}.jsonl"), "a") as f:
        for k in range(a.bad_lines):
            f.write(['{"time":"2026-06-14T09:00:00+08:00","centre":"%s","room":"%s"' % (centre, room),
                     '{"time":"soon","centre":"%s","room":"%s","seat":"1-1","machine":"M","seq":1,"type":"heartbeat"}' % (centre, room),
                     '{"time":"2026-06-14T09:00:00+08:00","centre":"%s","room":"%s","seat":"1-1","machine":"M","seq":2,"type":"teleport"}' % (centre, room)][k % 3] + "\n")

if a.truth:
    new = not os.path.exists(a.truth)
    with open(a.truth, "a", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        if new:
            w.writerow(["rule", "candidate", "centre", "room", "seat"])
        w.writerows(truth)
print(f"{total_events} events in {len(rooms)} room log(s) written to {a.out}; {len(truth)} incidents planted")
