import csv, json, os, subprocess, sys
SO=os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared/data/speechocean762"))
rows=list(csv.DictReader(open(f"{SO}/scores.csv")))
files=[os.path.join(SO,r["audio"]) for r in rows]
out=open(sys.argv[2],"w")
for i in range(0,len(files),100):
    o=subprocess.run([sys.argv[1],"audio","analyze","--json","--frames",*sys.argv[3:],*files[i:i+100]],capture_output=True,text=True)
    out.write(o.stdout)
