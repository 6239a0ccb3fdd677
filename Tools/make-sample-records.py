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

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["子涵", "欣怡", "梓轩", "浩然", "雨桐", "宇航", "诗琪", "俊杰", "思远", "嘉怡", "一诺", "明哲", "若曦", "天佑", "语嫣"]
DISTRICTS = [("310115", "浦东新区"), ("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"),
             ("310106", "静安区"), ("310107", "普陀区"), ("310109", "虹口区"), ("310110", "杨浦区"),
             ("310112", "闵行区"), ("310113", "宝山区"), ("310114", "嘉定区"), ("310116", "金山区"),
             ("310117", "松江区"), ("310118", "青浦区"), ("310120", "奉贤区"), ("310151", "崇明区")]

def builtin_roster():
    rows = []
    schools = [("市实验中学", "310115", "浦东新区"), ("向明中学", "310101", "黄浦区")]
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
               "school": f"第{s + 1:03d}中学", "district": district}

COURSES = ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "思想政治", "信息技术"]
SERVICE = ["社区图书馆志愿服务", "敬老院陪伴服务", "地铁站文明引导", "进博会城市志愿者", "垃圾分类宣传", "博物馆讲解志愿者"]
PRACTICE = ["上海科技馆职业体验", "社区治理调查", "街道党群服务中心实践"]
ARTS = ["学校合唱团", "校园戏剧节", "书法社团作品展", "民乐团演出"]
RESEARCH = ["校园雨水回收系统研究", "苏州河水质调查", "古诗词中的天文现象", "社区老年人智能手机使用调查"]
AWARDS = ["上海市青少年科技创新大赛三等奖", "全国中学生数学联赛上海赛区二等奖", "区学生运动会400米第二名"]
INDICATORS = ["科创社团", "国际理解教育", "海派文化研习"]

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
        add("academic", "course-grade", f"{course}（高一第二学期）", f"{cohort - 2}-01-{15 + k:02d}",
            score=str(score), grade="A" if score >= 90 else "B" if score >= 75 else "C", ev="")
    # Health and arts.
    add("health", "physical-test", "国家学生体质健康标准测试", f"{cohort - 2}-05-20", score=str(rng.randrange(70, 98)))
    add("health", "art-activity", rng.choice(ARTS), f"{cohort - 2}-12-{rng.randrange(10, 28)}")
    # Innovation: left empty for about one student in eight.
    if rng.random() > 0.125:
        add("innovation", "research-project", rng.choice(RESEARCH), f"{cohort - 1}-04-{rng.randrange(10, 28)}",
            indicator=rng.choice(INDICATORS) if rng.random() < 0.5 else "")
        if rng.random() < 0.3:
            add("innovation", "award", rng.choice(AWARDS), f"{cohort - 1}-06-{rng.randrange(10, 28)}", grade="获奖")
    # Course grades carry the school's own transcript as evidence.
    for row in out:
        if row[9] == "course-grade":
            row[16] = f"成绩单-{number}"
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
