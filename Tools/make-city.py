#!/usr/bin/env python3
"""Usage: Tools/make-city.py [--sample] [--seed N] [--gb18030] [--candidates N] OUT_DIR

Writes OUT_DIR/roster.csv and OUT_DIR/centres.yaml for `exam candidates import` and `exam centres import`.

Default: a realistic city: 100,000 candidates from 800 schools in 16 districts (a 4 x 4 map, each district
adjacent to the ones beside it), 300 centres with 1,200 rooms of 30-40 seats, 4 sessions. Centres are spread
over districts roughly in proportion to their candidates, with +-35% noise, so some districts must borrow seats
from a neighbour. About 0.3% of candidates need an accessible seat, 0.03% a separate room, 1% extra time.
--candidates N: the same model scaled to N candidates (schools and centres in proportion, at least one centre
per district, 1-4 sessions for about 1.5x the seats); the default, 100,000, gives the city above unchanged.
--sample: the small sitting of ExamPacks/sample-sitting (96 candidates, 4 schools, 3 districts).
The same seed gives the same files, byte for byte. Needs only the Python standard library.
"""
import math
import os
import random
import sys

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红梅鑫波斌宇浩凯健俊帆帅旭宁婷雪琳晨欣怡涵子轩梓萱一诺思雨嘉懿睿博文昊天佳琪雅馨若曦语彤宸泽瑞晴"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def national_id(rng, region, used):
    """An 18-character ID with a valid ISO 7064 MOD 11-2 check character, born 2009-2011."""
    while True:
        year = rng.choice([2009, 2010, 2010, 2011])
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        body = f"{region}{year:04d}{month:02d}{day:02d}{rng.randint(0, 999):03d}"
        total = sum(int(c) * w for c, w in zip(body, WEIGHTS))
        nid = body + CHECK[total % 11]
        if nid not in used:
            used.add(nid)
            return nid


def name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def accommodations(rng, rates):
    acc = []
    r = rng.random()
    if r < rates[0]:
        acc.append("accessible-seat")
    elif r < rates[0] + rates[1]:
        acc.append("separate-room")
    if rng.random() < rates[2]:
        acc.append("extra-time")
    return ";".join(acc)


def csv_field(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s


def write_roster(path, rows, encoding):
    lines = ["candidate,name,national_id,school,district,accommodations"]
    lines += [",".join(csv_field(f) for f in r) for r in rows]
    with open(path, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode(encoding))


def room_yaml(room_id, rows, cols, accessible, reserve=None, indent="      "):
    s = f"{indent}- id: {room_id}\n{indent}  grid: {{rows: {rows}, columns: {cols}}}\n"
    if accessible:
        s += f"{indent}  accessible: true\n"
    if reserve is not None:
        s += f"{indent}  reserve: {reserve}\n"
    return s


def sample(rng):
    districts = [("徐汇区", "310104"), ("长宁区", "310105"), ("闵行区", "310112")]
    schools = [("南洋模范中学", 0, 30), ("徐汇中学", 0, 24), ("延安初级中学", 1, 26), ("闵行实验学校", 2, 16)]
    used, rows, n = set(), [], 0
    special = {3: "accessible-seat", 17: "extra-time", 40: "separate-room", 58: "accessible-seat;extra-time",
               75: "extra-time", 90: "accessible-seat"}
    for school, d, count in schools:
        for _ in range(count):
            n += 1
            rows.append([f"2026{d + 1:02d}{n:04d}", name(rng), national_id(rng, districts[d][1], used), school,
                         districts[d][0], special.get(n, "")])
    centres = """# Centres, rooms and sessions of the sample sitting (exam centres import ExamPacks/sample-sitting/centres.yaml).
# A room is a grid (rows x columns; seats are numbered 01, 02, ... row by row from the front left) or an
# explicit seat list with machine ids. Reserve seats: a count (the last seats), a list of seat ids, or
# omitted (10% of the room, at least 1). Districts must match the roster's district column.
sessions:
  - {id: D1-AM, date: 2026-06-14, start: "08:30", end: "10:00"}
  - {id: D1-PM, date: 2026-06-14, start: "13:30", end: "15:00"}
adjacency:
  - [徐汇区, 长宁区]
  - [徐汇区, 闵行区]
centres:
  - id: XH01
    name: 南洋模范中学考点
    district: 徐汇区
    address: 上海市徐汇区天平路200号
    rooms:
      - id: R101
        grid: {rows: 5, columns: 6}
        accessible: true
      - id: R102
        grid: {rows: 5, columns: 6}
        reserve: [26, 27, 28]
  - id: CN01
    name: 延安初级中学考点
    district: 长宁区
    address: 上海市长宁区延安西路601号
    rooms:
      - id: L201
        seats:
"""
    seat = 0
    for r in range(1, 5):
        for c in range(1, 6):
            seat += 1
            centres += f"          - {{id: \"{seat:02d}\", row: {r}, col: {c}, machine: CN01-L201-PC{seat:02d}}}\n"
    centres += """        reserve: ["20"]
      - id: L202
        grid: {rows: 4, columns: 6}
  - id: MH01
    name: 闵行实验学校考点
    district: 闵行区
    address: 上海市闵行区莘庄镇莘建路88号
    rooms:
      - id: M301
        grid: {rows: 5, columns: 6}
        accessible: true
"""
    return rows, centres


def city(rng, total=100_000):
    size = 4
    schools = max(16, round(800 * total / 100_000))
    centres = max(16, round(300 * total / 100_000))
    districts = [f"D{i + 1:02d}" for i in range(size * size)]
    adjacency = []
    for i in range(size):
        for j in range(size):
            d = i * size + j
            if j + 1 < size:
                adjacency.append((districts[d], districts[d + 1]))
            if i + 1 < size:
                adjacency.append((districts[d], districts[d + size]))
    # 800 schools, 50 per district, sizes drawn then scaled to exactly 100,000 candidates.
    raw = [max(20.0, rng.lognormvariate(4.75, 0.45)) for _ in range(schools)]
    scale = total / sum(raw)
    sizes = [max(10, int(x * scale)) for x in raw]
    k = 0
    while sum(sizes) < total:
        sizes[k % schools] += 1
        k += 1
    while sum(sizes) > total:
        if sizes[k % schools] > 10:
            sizes[k % schools] -= 1
        k += 1
    used, rows, n = set(), [], 0
    demand = [0] * len(districts)
    for s, count in enumerate(sizes):
        d = s % len(districts)
        demand[d] += count
        school = f"第{s + 1:03d}中学"
        for _ in range(count):
            n += 1
            rows.append([f"26{d + 1:02d}{n:06d}", name(rng), national_id(rng, f"3101{d + 1:02d}", used), school,
                         districts[d], accommodations(rng, (0.003, 0.0003, 0.01))])
    # 300 centres in proportion to demand with noise, 1,200 rooms (3-5 per centre).
    weights = [demand[d] * rng.uniform(0.65, 1.35) for d in range(len(districts))]
    least = min(4, centres // 16)
    counts = [max(least, int(centres * w / sum(weights))) for w in weights]
    i = 0
    while sum(counts) < centres:
        counts[i % 16] += 1
        i += 1
    while sum(counts) > centres:
        if counts[i % 16] > least:
            counts[i % 16] -= 1
        i += 1
    rooms_per_centre = [4] * centres
    for c in range(0, centres - 1, 2):
        delta = rng.choice([-1, 0, 1])
        rooms_per_centre[c] += delta
        rooms_per_centre[c + 1] -= delta
    grids = [(5, 6), (4, 8), (5, 7), (6, 6), (6, 6), (5, 8), (6, 6)]
    out = [f"# Generated by Tools/make-city.py; a city of {centres} centres and {sum(rooms_per_centre):,} rooms.\n", "sessions:\n"]
    session_count = min(4, max(1, math.ceil(1.5 * total / (centres * 4 * 33))))
    for sid, (date, start, end) in enumerate([("2026-06-14", "08:30", "10:00"), ("2026-06-14", "13:30", "15:00"),
                                             ("2026-06-15", "08:30", "10:00"), ("2026-06-15", "13:30", "15:00")][:session_count]):
        out.append(f"  - {{id: S{sid + 1}, date: {date}, start: \"{start}\", end: \"{end}\"}}\n")
    out.append("adjacency:\n")
    out += [f"  - [{a}, {b}]\n" for a, b in adjacency]
    out.append("centres:\n")
    c = 0
    for d, count in enumerate(counts):
        for _ in range(count):
            out.append(f"  - id: C{c + 1:03d}\n    name: 第{c + 1:03d}考点\n    district: {districts[d]}\n"
                       f"    address: {districts[d]}区考试路{c + 1}号\n    rooms:\n")
            for r in range(rooms_per_centre[c]):
                rows_, cols = rng.choice(grids)
                out.append(room_yaml(f"R{r + 1}", rows_, cols, accessible=(r == 0 and c % 2 == 0)))
            c += 1
    return rows, "".join(out)


def main(argv):
    args = argv[1:]
    seed = 2026
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    total = 100_000
    if "--candidates" in args:
        i = args.index("--candidates")
        total = int(args[i + 1])
        del args[i:i + 2]
    encoding = "gb18030" if "--gb18030" in args else "utf-8"
    is_sample = "--sample" in args
    args = [a for a in args if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    rng = random.Random(seed)
    rows, centres = sample(rng) if is_sample else city(rng, total)
    os.makedirs(args[0], exist_ok=True)
    write_roster(f"{args[0]}/roster.csv", rows, encoding)
    with open(f"{args[0]}/centres.yaml", "w", encoding="utf-8") as f:
        f.write(centres)
    print(f"{len(rows)} candidates -> {args[0]}/roster.csv, centres -> {args[0]}/centres.yaml")


if __name__ == "__main__":
    main(sys.argv)
