#!/usr/bin/env python3
"""Usage: Tools/make-sample-records.py [--roster ROSTER.csv] [--students N --schools S] [--out FILE.csv]

Writes schools' comprehensive-quality-evaluation entries (the `exam records import` CSV) for a roster, keyed by
national ID, so `exam records sync` can match the students to their finalised test results.

--roster: a candidates CSV with the header `candidate,name,national_id,school,district,...` (UTF-8 or GB18030);
          without it (and without --students) a built-in roster of 12 students is used.
--students N --schools S: a generated city of N students in S schools (for the benchmark).
The output is deterministic: each student's entries are drawn from a generator seeded by the national ID.
Some students are left with gaps on purpose (a missing dimension, fewer than 60 volunteer hours, missing
evidence, entries not yet approved), so `exam records check` has something to report.
"""
import argparse, csv, hashlib, io, random, sys

HEADER = ["national_id", "student_number", "name", "school", "district", "class", "cohort", "dimension",
          "indicator", "type", "title", "date", "hours", "score", "grade", "source", "evidence", "status"]

def check_char(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]

def national_id(region, birth, serial):
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + check_char(first17)

SURNAMES = "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何林羅高"
GIVEN = ["子涵", "欣怡", "梓軒", "浩然", "雨桐", "宇航", "詩琪", "俊杰", "思遠(yuǎn)", "嘉怡", "一諾", "明哲", "若曦", "天佑", "語嫣"]
DISTRICTS = [("310115", "浦東新區(qū)"), ("310101", "黃浦區(qū)"), ("310104", "徐匯區(qū)"), ("310105", "長(zhǎng)寧區(qū)"),
             ("310106", "靜安區(qū)"), ("310107", "普陀區(qū)"), ("310109", "虹口區(qū)"), ("310110", "楊浦區(qū)"),
             ("310112", "閔行區(qū)"), ("310113", "寶山區(qū)"), ("310114", "嘉定區(qū)"), ("310116", "金山區(qū)"),
             ("310117", "松江區(qū)"), ("310118", "青浦區(qū)"), ("310120", "奉賢區(qū)"), ("310151", "崇明區(qū)")]

def builtin_roster():
    rows = []
    schools = [("市實(shí)驗(yàn)中學(xué)", "310115", "浦東新區(qū)"), ("向明中學(xué)", "310101", "黃浦區(qū)")]
    for i in range(12):
        school, region, district = schools[i % 2]
        rng = random.Random(i)
        name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
        rows.append({"national_id": national_id(region, f"2008{1 + i % 12:02d}{10 + i:02d}", 100 + i * 7),
                     "name": name, "school": school, "district": district})
    return rows

def read_roster(path):
    raw = open(path, "rb").read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or "national_id" not in rows[0]:
        sys.exit(f"{path}: expected a header with national_id, name, school, district")
    return rows

def city(students, schools):
    per_school = max(1, students // schools)
    for i in range(students):
        s = i // per_school
        region, district = DISTRICTS[s % len(DISTRICTS)]
        rng = random.Random(i)
        name = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(len(GIVEN))]
        serial = i % 1000
        birth = f"2008{1 + (i // 1000) % 12:02d}{1 + (i // 12000) % 28:02d}"
        yield {"national_id": national_id(region, birth, serial), "name": name, "student_number": f"G{i + 1:09d}",
               "school": f"第{s + 1:03d}中學(xué)", "district": district}

COURSES = ["語文", "數(shù)學(xué)", "英語", "物理", "化學(xué)", "生物", "歷史", "地理", "思想政治", "信息技術(shù)"]
SERVICE = ["社區(qū)圖書館志愿服務(wù)", "敬老院陪伴服務(wù)", "地鐵站文明引導(dǎo)", "進(jìn)博會(huì)城市志愿者", "垃圾分類宣傳", "博物館講解志愿者"]
PRACTICE = ["上海科技館職業(yè)體驗(yàn)", "社區(qū)治理調(diào)查", "街道黨群服務(wù)中心實(shí)踐"]
ARTS = ["學(xué)校合唱團(tuán)", "校園戲劇節(jié)", "書法社團(tuán)作品展", "民樂團(tuán)演出"]
RESEARCH = ["校園雨水回收系統(tǒng)研究", "蘇州河水質(zhì)調(diào)查", "古詩詞中的天文現(xiàn)象", "社區(qū)老年人智能手機(jī)使用調(diào)查"]
AWARDS = ["上海市青少年科技創(chuàng)新大賽三等獎(jiǎng)", "全國中學(xué)生數(shù)學(xué)聯(lián)賽上海賽區(qū)二等獎(jiǎng)", "區(qū)學(xué)生運(yùn)動(dòng)會(huì)400米第二名"]
INDICATORS = ["科創(chuàng)社團(tuán)", "國際理解教育", "海派文化研習(xí)"]

def entries(student, cohort=2027):
    nid = student["national_id"].strip().upper()
    rng = random.Random(int(hashlib.sha256(nid.encode()).hexdigest()[:12], 16))
    number = student.get("student_number") or "G" + str(int(hashlib.sha256(("no" + nid).encode()).hexdigest()[:16], 16))[:14]
    klass = f"高二({1 + rng.randrange(8)})班"
    base = [nid, number, student["name"].strip(), student["school"].strip(), student["district"].strip(), klass, str(cohort)]
    out = []
    def status():
        r = rng.random()
        return "approved" if r < 0.85 else ("confirmed" if r < 0.95 else "entered")
    def evidence(prefix):
        return "" if rng.random() < 0.05 else f"{prefix}-{rng.randrange(10000, 99999)}"
    def add(dimension, kind, title, date, hours="", score="", grade="", indicator="", ev=None):
        out.append(base + [dimension, indicator, kind, title, date, hours, score, grade, student["school"].strip(),
                           evidence("ZM") if ev is None else ev, status()])
    # Character: volunteer service in hours; about one student in six falls short of 60 hours.
    target = rng.choice([64, 72, 80, 60, 90, 36])
    done = 0
    for k, title in enumerate(rng.sample(SERVICE, 3)):
        hours = target - done if k == 2 else rng.randrange(10, max(11, target // 2))
        hours = max(hours, 4)
        done += hours
        add("character", "volunteer-service", title, f"{cohort - 2}-{3 + 3 * k:02d}-{10 + k:02d}", hours=str(hours))
    add("character", "social-practice", rng.choice(PRACTICE), f"{cohort - 2}-07-15", hours=str(rng.choice([8, 16, 24])))
    # Academic: course grades (the test results come from `exam records sync`).
    for k, course in enumerate(rng.sample(COURSES, 4)):
        score = rng.randrange(62, 100)
        add("academic", "course-grade", f"{course}（高一第二學(xué)期）", f"{cohort - 2}-01-{15 + k:02d}",
            score=str(score), grade="A" if score >= 90 else "B" if score >= 75 else "C", ev="")
    # Health and arts.
    add("health", "physical-test", "國家學(xué)生體質(zhì)健康標(biāo)準(zhǔn)測(cè)試", f"{cohort - 2}-05-20", score=str(rng.randrange(70, 98)))
    add("health", "art-activity", rng.choice(ARTS), f"{cohort - 2}-12-{rng.randrange(10, 28)}")
    # Innovation: left empty for about one student in eight.
    if rng.random() > 0.125:
        add("innovation", "research-project", rng.choice(RESEARCH), f"{cohort - 1}-04-{rng.randrange(10, 28)}",
            indicator=rng.choice(INDICATORS) if rng.random() < 0.5 else "")
        if rng.random() < 0.3:
            add("innovation", "award", rng.choice(AWARDS), f"{cohort - 1}-06-{rng.randrange(10, 28)}", grade="獲獎(jiǎng)")
    # Course grades carry the school's own transcript as evidence.
    for row in out:
        if row[9] == "course-grade":
            row[16] = f"成績(jī)單-{number}"
    return out

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--roster")
    p.add_argument("--students", type=int)
    p.add_argument("--schools", type=int, default=100)
    p.add_argument("--out", default="-")
    a = p.parse_args()
    roster = read_roster(a.roster) if a.roster else city(a.students, a.schools) if a.students else builtin_roster()
    out = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8", newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    for student in roster:
        w.writerows(entries(student))
    if out is not sys.stdout:
        out.close()

if __name__ == "__main__":
    main()
