#!/usr/bin/env python3
"""Where the CPU samples of a JFR recording go: top frames (self) and top methods anywhere on the stack (total).

    python3 bench/credit/jfr-top.py recording.jfr [N] [filter-substring]

Reads `jfr print --json --events jdk.ExecutionSample --stack-depth 96`; with a filter, only samples whose stack
contains that substring are counted (e.g. org.mlpages).
"""
import collections
import json
import subprocess
import sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
only = sys.argv[3] if len(sys.argv) > 3 else None
raw = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", "--stack-depth", "256", path],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(raw)["recording"]["events"]


def name(frame):
    m = frame["method"]
    return m["type"]["name"] + "." + m["name"]


selfc, total, threads = collections.Counter(), collections.Counter(), collections.Counter()
n = 0
for e in events:
    frames = [name(f) for f in e["values"]["stackTrace"]["frames"]] if e["values"].get("stackTrace") else []
    if only and not any(only in f for f in frames):
        continue
    n += 1
    thread = e["values"].get("sampledThread") or {}
    tname = thread.get("javaName") or thread.get("osName") or "?"
    threads[tname.rstrip("0123456789-")] += 1
    if frames:
        selfc[frames[0]] += 1
        for f in set(frames):
            total[f] += 1

print(f"{n} samples" + (f" with {only} on the stack" if only else ""))
print("\nby thread (name without number):")
for t, c in threads.most_common(10):
    print(f"  {100 * c / n:5.1f}%  {t}")
print("\nself (top frame):")
for f, c in selfc.most_common(top):
    print(f"  {100 * c / n:5.1f}%  {f}")
print("\ntotal (anywhere on the stack):")
for f, c in total.most_common(top * 2):
    print(f"  {100 * c / n:5.1f}%  {f}")
