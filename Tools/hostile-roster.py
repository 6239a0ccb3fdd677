#!/usr/bin/env python3
# Usage: Tools/hostile-roster.py good|bad ROWS OUT.csv — a large roster for memory checks of `exam candidates import`
# (docs/security.md): "good" rows are valid (unique up to 336,000 rows), "bad" rows all carry a 5-digit national ID.
import sys
W=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]; C="10X98765432"
def nid(n):
    d="310101" + "2008" + "%02d" % (1 + n % 12) + "%02d" % (1 + n // 12 % 28) + "%03d" % (n // 336 % 1000)
    return d + C[sum(int(a)*b for a,b in zip(d,W)) % 11]
mode, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(out, "w") as f:
    f.write("candidate,name,national_id,school,district,accommodations\n")
    for i in range(rows):
        idv = nid(i) if mode == "good" else "12345"
        f.write(f"C{i:09d},学生{i},{idv},第{i%900}中学,区{i%16},\n")
