#!/usr/bin/env bash
# CPU used per thread group of one process during N seconds (kernel thread names, trailing numbers folded):
#   bench/credit/thread-cpu.sh PID SECONDS
# Useful next to JFR, which samples only Java threads running Java code (not GC, JIT or native threads).
set -euo pipefail
pid=$1 secs=$2
snap() {
	for t in /proc/"$pid"/task/*; do
		# comm may contain spaces: count fields after the closing parenthesis
		awk -v tid="${t##*/}" -v name="$(cat "$t/comm" 2>/dev/null)" \
			'{ sub(/.*\) /, ""); print tid "\t" name "\t" ($12 + $13) }' "$t/stat" 2>/dev/null || true
	done
}
snap >"/tmp/thread-cpu.$$.a"; sleep "$secs"; snap >"/tmp/thread-cpu.$$.b"
python3 - "$(getconf CLK_TCK)" "$secs" "/tmp/thread-cpu.$$.a" "/tmp/thread-cpu.$$.b" <<'PY'
import collections, re, sys
hz, secs = int(sys.argv[1]), float(sys.argv[2])
def read(path):
    rows = {}
    for line in open(path):
        tid, name, ticks = line.rstrip("\n").split("\t")
        rows[tid] = (name, int(ticks))
    return rows
a, b = read(sys.argv[3]), read(sys.argv[4])
groups = collections.Counter()
for tid, (name, ticks) in b.items():
    used = ticks - a.get(tid, (name, 0))[1]
    groups[re.sub(r"[-#\d]+$", "", name)] += used / hz
total = sum(groups.values())
print(f"process {sys.argv[0]}: {total:.2f} CPU s in {secs:.0f} s ({total / secs:.2f} cores)")
for name, s in groups.most_common(15):
    if s > 0:
        print(f"  {s:7.2f} s  {100 * s / total:5.1f}%  {name}")
PY
rm -f "/tmp/thread-cpu.$$.a" "/tmp/thread-cpu.$$.b"
